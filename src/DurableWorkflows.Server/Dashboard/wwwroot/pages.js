// Schedules, the Hardware inventory, and the template check: each a view of its API, every button an API call.
import { api } from './api.js';
import { el, fill, stateBadge, time, link, problem, table } from './ui.js';

export async function schedules(main) {
  const box = el('div');
  const notice = el('div', { role: 'status', 'aria-live': 'polite' });
  fill(main, el('h1', {}, 'Schedules'), notice, box);
  const path = name => `/api/schedules/${encodeURIComponent(name)}`;
  const load = async () => {
    try {
      const { schedules: list } = await api('GET', '/api/schedules');
      const act = (text, call) => el('button', { type: 'button', onclick: async () => {
        try { await call(); fill(notice); await load(); } catch (e) { fill(notice, problem(e)); }
      } }, text);
      fill(box, list.length === 0 ? el('p', { class: 'muted' }, 'No schedules.') : table(
        ['Name', 'Cron', 'Next occurrence', 'Overlap', 'Last runs', ''],
        list.map(s => el('tr', { 'data-schedule': s.name },
          el('td', {}, s.name, s.paused ? el('span', { class: 'muted' }, ' (paused)') : null, s.error ? el('p', { class: 'error' }, s.error) : null),
          el('td', { class: 'mono' }, `${s.cron} ${s.timeZone}`),
          el('td', { class: 'nowrap' }, s.paused ? 'paused' : time(s.nextOccurrence)),
          el('td', {}, s.overlap),
          el('td', {}, s.runs.length === 0 ? '–' : s.runs.slice(-5).reverse().map(r => el('div', {},
            link(`/workflows/${encodeURIComponent(r.id)}`, r.id), ' ', stateBadge(r.state), r.manual ? ' (run now)' : ''))),
          el('td', {}, el('div', { class: 'buttons' },
            s.paused ? act('Resume', () => api('POST', `${path(s.name)}/resume`)) : act('Pause', () => api('POST', `${path(s.name)}/pause`)),
            act('Run now', () => api('POST', `${path(s.name)}/run-now`)),
            act('Delete', () => confirm(`Delete schedule ${s.name}?`) && api('DELETE', path(s.name)))))))));
    } catch (e) {
      fill(box, problem(e));
    }
  };
  await load();
  const timer = setInterval(() => { if (!document.hidden) load(); }, 5000);
  return () => clearInterval(timer);
}

export async function hardware(main) {
  fill(main, el('h1', {}, 'Hardware'));
  try {
    const { hardware: list } = await api('GET', '/api/hardware');
    main.append(list.length === 0 ? el('p', { class: 'muted' }, 'No Hardware records.') : table(
      ['Name', 'MACs', 'Disks', 'Agent / endpoint', 'Updated'],
      list.map(h => el('tr', { 'data-hardware': h.name },
        el('td', {}, link(`/hardware/${encodeURIComponent(h.name)}`, h.name)),
        el('td', { class: 'mono' }, h.macs.join(', ') || '–'),
        el('td', { class: 'mono' }, h.disks.join(', ') || '–'),
        el('td', { class: 'mono' }, h.agentID ? `agent ${h.agentID}` : (h.dockerEndpoint ?? '–')),
        el('td', { class: 'nowrap' }, time(h.updatedAt))))));
  } catch (e) {
    main.append(problem(e));
  }
}

export async function hardwareRecord(main, name) {
  fill(main, el('h1', {}, `Hardware ${name}`), link('/hardware', 'All Hardware records'));
  try {
    main.append(el('pre', { id: 'hardware-record' }, JSON.stringify(await api('GET', `/api/hardware/${encodeURIComponent(name)}`), null, 2)));
  } catch (e) {
    main.append(problem(e));
  }
}

/** The template with its line numbers, each error under its line and its line marked. */
function annotated(text, errors) {
  const byLine = new Map();
  for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  return el('pre', { class: 'lines', id: 'validate-lines' }, text.split('\n').map((line, i) => {
    const own = byLine.get(i + 1) ?? [];
    return [el('span', { class: own.length ? 'line bad' : 'line', 'data-line': i + 1 }, line || ' '),
      own.map(e => el('span', { class: 'msg', 'data-error': `${e.line}:${e.column}` }, `${' '.repeat(Math.max(0, e.column - 1))}^ ${e.line}:${e.column}: ${e.message}`))];
  }));
}

export function validate(main) {
  const template = el('textarea', { id: 'validate-template', rows: 18, spellcheck: 'false', placeholder: 'version: "0.1"\nname: …' });
  const vars = el('textarea', { id: 'validate-vars', rows: 4, spellcheck: 'false', placeholder: 'device_1=08:00:27:00:00:01' });
  const result = el('div', { id: 'validate-result', role: 'status', 'aria-live': 'polite' });
  const check = async e => {
    e.preventDefault();
    const values = {};
    for (const line of vars.value.split('\n').map(l => l.trim()).filter(Boolean)) {
      const at = line.indexOf('=');
      if (at <= 0) { fill(result, el('p', { class: 'error' }, `Variables: '${line}' is not NAME=VALUE.`)); return; }
      values[line.slice(0, at)] = line.slice(at + 1);
    }
    try {
      const summary = await api('POST', '/api/templates/validate', { template: template.value, vars: values });
      fill(result, el('p', { class: 'notice', 'data-valid': 'true' },
        `Valid: ${summary.name}, services: ${summary.services.join(', ') || 'none'}; tasks: ${summary.tasks.join(', ')}.`));
    } catch (err) {
      const errors = err.problem?.errors?.filter(x => typeof x === 'object') ?? [];
      fill(result, el('p', { class: 'error' }, err.problem?.title ?? err.message), errors.length ? annotated(template.value, errors) : el('pre', {}, err.message));
    }
  };
  fill(main, el('h1', {}, 'Validate a template'),
    el('form', { onsubmit: check },
      el('label', { for: 'validate-template' }, 'Template (YAML, or Tinkerbell Template/Workflow objects)'), template,
      el('label', { for: 'validate-vars' }, 'Variables, one NAME=VALUE per line'), vars,
      el('div', { class: 'buttons' }, el('button', { type: 'submit', id: 'validate-submit' }, 'Validate'))),
    result);
}
