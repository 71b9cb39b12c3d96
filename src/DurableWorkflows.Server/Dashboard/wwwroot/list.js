// The workflows list: filters, pages over the API's continuation tokens, and live: the first page is read again every
// 2 s (while the tab is visible), so new workflows and state changes appear without a reload.
import { api } from './api.js';
import { el, fill, stateBadge, time, duration, link, problem, table } from './ui.js';

const states = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'];
const pageSize = 50;
const refreshMs = 2000;

export function workflowList(main) {
  const params = new URLSearchParams(location.search);
  const state = el('select', { id: 'filter-state', name: 'state' }, el('option', { value: '' }, 'any'), states.map(s => el('option', { value: s }, s)));
  const name = el('input', { id: 'filter-name', name: 'name', type: 'search', placeholder: 'contains…' });
  const from = el('input', { id: 'filter-from', name: 'from', type: 'datetime-local' });
  const to = el('input', { id: 'filter-to', name: 'to', type: 'datetime-local' });
  state.value = params.get('state') ?? '';
  name.value = params.get('name') ?? '';
  from.value = params.get('from') ?? '';
  to.value = params.get('to') ?? '';
  const body = el('tbody', { id: 'workflow-rows' });
  const status = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', id: 'load-more', hidden: true }, 'Load more');
  const rows = new Map();
  let next = null;
  let timer = null;

  const query = token => {
    const q = new URLSearchParams({ top: String(pageSize) });
    if (state.value) q.set('state', state.value);
    if (name.value.trim()) q.set('name', name.value.trim());
    if (from.value) q.set('createdFrom', new Date(from.value).toISOString());
    if (to.value) q.set('createdTo', new Date(to.value).toISOString());
    if (token) q.set('continuationToken', token);
    return `/api/workflows?${q}`;
  };

  const row = w => el('tr', { 'data-id': w.id, 'data-state': w.state },
    el('td', { class: 'mono' }, link(`/workflows/${encodeURIComponent(w.id)}`, w.id.length > 13 ? `${w.id.slice(0, 13)}…` : w.id, { title: w.id })),
    el('td', {}, w.name),
    el('td', {}, stateBadge(w.state)),
    el('td', { class: 'nowrap' }, time(w.createdAt)),
    el('td', { class: 'nowrap hide-narrow' }, time(w.finishedAt)),
    el('td', { class: 'nowrap' }, duration(w.createdAt, w.finishedAt)),
    el('td', { class: 'nowrap', 'data-progress': `${w.actionsDone}/${w.actionsTotal}` }, `${w.actionsDone} of ${w.actionsTotal}`),
    el('td', { class: 'hide-narrow' }, w.currentTask ? `${w.currentTask} / ${w.currentAction ?? '–'}` : '–'),
    el('td', { class: 'hide-narrow' }, w.agent ? `agent ${w.agent}` : (w.worker ?? '–')),
    el('td', {}, w.message ?? ''));

  const render = () => {
    const sorted = [...rows.values()].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    fill(body, sorted.map(row));
    status.textContent = sorted.length ? `${sorted.length} workflow${sorted.length === 1 ? '' : 's'}` : 'No workflows match.';
    more.hidden = !next;
  };

  let pages = 0;
  const load = async (append) => {
    try {
      const page = await api('GET', query(append ? next : null));
      if (append) {
        next = page.continuationToken;
        pages++;
      } else if (pages <= 1) {
        // One page shown: it is read again whole (a purged workflow goes). With more pages shown, the first page's
        // rows are updated and new ones added; the rows of the further pages stay as they were read.
        rows.clear();
        next = page.continuationToken;
        pages = 1;
      }
      for (const w of page.workflows) rows.set(w.id, w);
      render();
    } catch (e) {
      fill(status, problem(e));
    }
  };

  const apply = () => {
    const q = new URLSearchParams();
    for (const [k, input] of [['state', state], ['name', name], ['from', from], ['to', to]]) if (input.value) q.set(k, input.value);
    history.replaceState(null, '', q.size ? `/?${q}` : '/');
    rows.clear();
    next = null;
    pages = 0;
    load(false);
  };

  const form = el('form', { class: 'filters', role: 'search', onsubmit: e => { e.preventDefault(); apply(); } },
    el('div', {}, el('label', { for: 'filter-state' }, 'State'), state),
    el('div', {}, el('label', { for: 'filter-name' }, 'Name'), name),
    el('div', {}, el('label', { for: 'filter-from' }, 'Created from'), from),
    el('div', {}, el('label', { for: 'filter-to' }, 'Created to'), to),
    el('button', { type: 'submit' }, 'Filter'));
  state.addEventListener('change', apply);
  more.addEventListener('click', () => load(true));

  fill(main,
    el('h1', {}, 'Workflows'),
    form,
    table(['ID', 'Name', 'State', 'Created', 'Finished', 'Duration', 'Progress', 'Task / action', 'Worker', 'Message'], [], { id: 'workflows' }),
    status,
    more);
  main.querySelector('#workflows tbody').replaceWith(body);
  load(false);
  timer = setInterval(() => { if (!document.hidden) load(false); }, refreshMs);
  return () => clearInterval(timer);
}
