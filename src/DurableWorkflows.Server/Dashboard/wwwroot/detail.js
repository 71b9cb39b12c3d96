// One workflow: its facts and buttons, the timeline, services and actions with their logs, the events (live from the
// events stream), the rendered template, variables and Hardware record, and where it came from and its re-runs.
import { api, followEvents } from './api.js';
import { navigate } from './app.js';
import { el, fill, stateBadge, time, duration, link, problem, table, facts, isFinal } from './ui.js';
import { timeline } from './timeline.js';

const refreshMs = 2000;

export async function workflowDetail(main, id) {
  const path = `/api/workflows/${encodeURIComponent(id)}`;
  const head = el('div');
  const notice = el('div', { role: 'status', 'aria-live': 'polite' });
  const timelineBox = el('section', { 'aria-labelledby': 'h-timeline' });
  const servicesBox = el('div');
  const actionsBox = el('div');
  const eventsBody = el('tbody', { id: 'event-rows' });
  const originBox = el('div');
  fill(main, head, notice,
    el('h2', { id: 'h-timeline' }, 'Timeline'), timelineBox,
    el('h2', {}, 'Services'), servicesBox,
    el('h2', {}, 'Actions'), actionsBox,
    el('h2', {}, 'Events'), table(['#', 'Time', 'Kind', 'Where', 'Message'], [], { id: 'events' }),
    originBox);
  main.querySelector('#events tbody').replaceWith(eventsBody);

  let status = null;
  let origin = null;
  const events = new Map();
  const openLogs = new Map();
  let stream = null;
  let refreshTimer = null;
  let tick = null;
  let gone = false;

  const image = (task, action) => origin?.definition?.tasks?.find(t => t.name === task)?.actions?.find(a => a.name === action)?.image;
  const serviceImage = name => origin?.definition?.services?.find(s => s.name === name)?.image;

  const logBox = (query, label) => {
    const key = new URLSearchParams(query).toString();
    const pre = el('pre', { 'data-log': key }, '…');
    const details = el('details', { 'data-log-for': key }, el('summary', {}, `Log of ${label}`), pre);
    details.addEventListener('toggle', () => {
      if (details.open) { openLogs.set(key, pre); loadLog(key, pre); } else openLogs.delete(key);
    });
    if (openLogs.has(key)) { details.open = true; openLogs.set(key, pre); loadLog(key, pre); }
    return details;
  };

  const loadLog = async (key, pre) => {
    try {
      const logs = await api('GET', `${path}/logs?${key}`);
      pre.textContent = logs.length ? logs.map(l => (logs.length > 1 ? `── ${l.container}\n` : '') + l.text).join('\n') : '(no output yet)';
    } catch (e) {
      pre.textContent = e.message;
    }
  };

  const button = (text, onclick, attributes = {}) => el('button', { type: 'button', onclick, ...attributes }, text);

  const act = async (what, call) => {
    try {
      fill(notice);
      await call();
      fill(notice, el('p', { class: 'notice' }, what));
      refresh();
    } catch (e) {
      fill(notice, problem(e));
    }
  };

  const renderHead = () => {
    const final = isFinal(status.state);
    fill(head,
      el('h1', {}, status.name, ' ', stateBadge(status.state)),
      facts([
        ['ID', el('span', { class: 'mono' }, status.id), 'id'],
        ['Created', time(status.createdAt), 'created'],
        ['Started', time(status.startedAt), 'started'],
        ['Finished', time(status.finishedAt), 'finished'],
        ['Duration', duration(status.createdAt, status.finishedAt), 'duration'],
        ['Current', status.currentTask ? `${status.currentTask} / ${status.currentAction ?? '–'}` : '–', 'current'],
        ['Message', status.message ?? '–', 'message'],
        origin?.rerunOf ? ['Re-run of', link(`/workflows/${encodeURIComponent(origin.rerunOf)}`, origin.rerunOf), 'rerun-of'] : null,
        status.reruns?.length ? ['Re-runs', el('span', { id: 'reruns' }, status.reruns.flatMap((r, i) => [i ? ', ' : '', link(`/workflows/${encodeURIComponent(r)}`, r)])), 'reruns'] : null,
      ]),
      el('div', { class: 'buttons' },
        button('Cancel', () => confirm(`Cancel workflow ${status.id}? Its action is stopped and its containers removed.`)
          && act('Cancel requested.', () => api('POST', `${path}/cancel`, { reason: 'cancelled from the dashboard' })), { id: 'cancel', disabled: final }),
        button('Terminate', () => confirm(`Terminate workflow ${status.id} at once? No cleanup runs; the reaper removes its containers.`)
          && act('Terminated.', () => api('POST', `${path}/terminate`, { reason: 'terminated from the dashboard' })), { id: 'terminate', class: 'danger', disabled: final }),
        button('Re-run', () => act('Re-run started.', async () => {
          const started = await api('POST', `${path}/rerun`, {});
          navigate(`/workflows/${encodeURIComponent(started.id)}`);
        }), { id: 'rerun' }),
        button('Purge', () => confirm(`Delete the history of workflow ${status.id}?`)
          && act('Purged.', async () => { await api('DELETE', path); navigate('/'); }), { id: 'purge', class: 'danger', disabled: !final })));
  };

  const renderBody = () => {
    fill(timelineBox, timeline(status, [...events.values()]));
    fill(servicesBox, status.services.length === 0 ? el('p', { class: 'muted' }, 'No services.') : table(
      ['Service', 'Image', 'State', 'Health', 'Restarts', 'Exit', 'Ready after', 'Log'],
      status.services.map(s => el('tr', { 'data-service': s.name },
        el('td', {}, s.name), el('td', { class: 'mono' }, serviceImage(s.name) ?? '–'), el('td', {}, stateBadge(s.state)),
        el('td', {}, s.health ?? '–'), el('td', {}, String(s.restarts)), el('td', {}, s.exitCode ?? '–'),
        el('td', { class: 'nowrap' }, s.readyAt ? duration(s.startedAt, s.readyAt) : '–'),
        el('td', {}, s.reason ? el('p', { class: 'error' }, s.reason) : null, logBox({ service: s.name }, s.name))))));
    fill(actionsBox, table(
      ['Task', 'Action', 'Image', 'Worker', 'State', 'Attempt', 'Exit', 'Duration', 'Log'],
      status.tasks.flatMap(t => t.actions.map(a => el('tr', { 'data-action': `${t.name}/${a.name}`, 'data-state': a.state },
        el('td', {}, t.name), el('td', {}, a.name), el('td', { class: 'mono' }, image(t.name, a.name) ?? '–'),
        el('td', {}, a.agent ? `agent ${a.agent}` : t.worker), el('td', {}, stateBadge(a.state)),
        el('td', {}, String(a.attempt)), el('td', {}, a.exitCode ?? '–'),
        el('td', { class: 'nowrap' }, a.seconds != null ? `${a.seconds.toFixed(1)} s` : (a.startedAt ? duration(a.startedAt, a.finishedAt) : '–')),
        el('td', {},
          a.message ? el('p', { class: 'error' }, a.message) : null,
          a.handler ? el('p', { class: 'muted' }, `${a.handler.kind}: ${a.handler.state}${a.handler.exitCode != null ? `, exit ${a.handler.exitCode}` : ''}`) : null,
          a.attempt > 0 ? logBox({ task: t.name, action: a.name }, a.name) : null))))));
  };

  const renderEvents = () => fill(eventsBody, [...events.values()].sort((a, b) => a.sequence - b.sequence).map(e =>
    el('tr', { 'data-kind': e.kind },
      el('td', {}, String(e.sequence)), el('td', { class: 'nowrap' }, time(e.timestamp)), el('td', {}, e.kind),
      el('td', {}, e.service ? `service ${e.service}` : e.task ? `${e.task} / ${e.action ?? ''}` : ''), el('td', {}, e.message))));

  const renderOrigin = () => {
    if (!origin) return;
    const vars = Object.entries(origin.vars ?? {});
    fill(originBox,
      el('h2', {}, 'Variables'),
      vars.length ? table(['Name', 'Value'], vars.map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'mono' }, v)))) : el('p', { class: 'muted' }, 'None.'),
      el('h2', {}, 'Hardware'),
      origin.hardware ? el('pre', { id: 'hardware' }, JSON.stringify(origin.hardware, null, 2)) : el('p', { class: 'muted' }, 'None.'),
      el('h2', {}, 'Rendered template'),
      origin.renderedTemplate ? el('pre', { id: 'rendered' }, origin.renderedTemplate) : el('p', { class: 'muted' }, 'Not kept for this workflow.'));
  };

  const addEvents = list => { for (const e of list) events.set(e.sequence, e); renderEvents(); };

  const refresh = async () => {
    if (gone) return;
    try {
      status = await api('GET', path);
      addEvents(status.events ?? []);
      renderHead();
      renderBody();
      for (const [key, pre] of openLogs) if (!isFinal(status.state) || pre.textContent === '…') loadLog(key, pre);
      if (isFinal(status.state)) { clearInterval(refreshTimer); clearInterval(tick); refreshTimer = tick = null; }
    } catch (e) {
      fill(notice, problem(e));
      if (e.status === 404) { clearInterval(refreshTimer); clearInterval(tick); }
    }
  };

  let pending = null;
  const soon = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 150); };

  try {
    [status, origin] = await Promise.all([api('GET', path), api('GET', `${path}/origin`)]);
  } catch (e) {
    fill(main, el('h1', {}, 'Workflow'), problem(e), link('/', 'All workflows'));
    return null;
  }
  addEvents(status.events ?? []);
  renderHead();
  renderBody();
  renderOrigin();
  if (!isFinal(status.state)) {
    stream = followEvents(id, 0, e => { addEvents([e]); soon(); }, () => refresh());
    refreshTimer = setInterval(refresh, refreshMs);
    tick = setInterval(() => status && fill(timelineBox, timeline(status, [...events.values()])), 1000);
  }
  return () => { gone = true; stream?.stop(); clearInterval(refreshTimer); clearInterval(tick); clearTimeout(pending); };
}
