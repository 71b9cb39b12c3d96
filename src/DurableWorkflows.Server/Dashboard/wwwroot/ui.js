// Small DOM helpers: every text the page shows goes through textContent (a workflow's name, logs and messages are user input).

/** el('td', { class: 'x', dataset: { id } }, 'text', child, ...): an element with attributes and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') Object.assign(node.style, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `node`. */
export function fill(node, ...children) { node.replaceChildren(); append(node, children); return node; }

export function stateBadge(state) { return el('span', { class: `state state-${state}`, 'data-state': state }, state ?? '–'); }

const finished = ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'];
export function isFinal(state) { return finished.includes(state); }

export function time(value) {
  if (!value) return '–';
  const d = new Date(value);
  return el('time', { datetime: d.toISOString(), title: d.toISOString() }, d.toLocaleString());
}

export function duration(from, to) {
  if (!from) return '–';
  const ms = (to ? new Date(to) : new Date()) - new Date(from);
  if (ms < 0) return '–';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} m ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} m`;
}

export function link(href, text, attributes = {}) { return el('a', { href, 'data-link': '', ...attributes }, text); }

/** A message for a failed call, as the page shows it. */
export function problem(e) { return el('p', { class: 'error', role: 'alert' }, e?.message ?? String(e)); }

export function table(headers, rows, attributes = {}) {
  return el('div', { class: 'table-wrap' }, el('table', attributes,
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows)));
}

export function facts(pairs) {
  return el('div', { class: 'facts' }, pairs.filter(p => p).map(([k, v, key]) => el('div', { 'data-fact': key ?? k }, el('span', {}, k), el('b', {}, v ?? '–'))));
}
