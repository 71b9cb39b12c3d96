// The timeline (Gantt) of one workflow: its services (starting, then ready, restarts marked, until they exit or are
// removed) and its actions (each attempt, and the handler) on one time axis, from the status and its events.
import { el } from './ui.js';

const ms = value => (value ? new Date(value).getTime() : null);
const terminal = ['ActionSucceeded', 'ActionFailed', 'ActionTimedOut', 'ActionRetrying'];

/** The bars of the timeline: { row, label, kind, phase, state, start, end, title } in epoch ms. */
export function timelineBars(status, events, now) {
  const end = ms(status.finishedAt) ?? now;
  const bars = [];
  const marks = [];
  for (const s of status.services) {
    const row = `service ${s.name}`;
    const started = ms(s.startedAt);
    if (started === null) continue;
    const ready = ms(s.readyAt);
    const stop = events.find(e => e.service === s.name && (e.kind === 'ServiceExited' || e.kind === 'ServiceFailed'));
    const stopped = stop ? ms(stop.timestamp) : end;
    bars.push({ row, label: `service ${s.name}`, kind: 'service', name: s.name, phase: 'starting', state: 'starting', start: started, end: ready ?? stopped, title: `${s.name}: starting` });
    if (ready !== null) {
      bars.push({ row, label: `service ${s.name}`, kind: 'service', name: s.name, phase: 'ready', state: 'ready', start: ready, end: Math.max(ready, stopped), title: `${s.name}: ready${s.health ? ` (${s.health})` : ''}` });
    }
    for (const r of events.filter(e => e.service === s.name && e.kind === 'ServiceRestarted')) {
      marks.push({ row, at: ms(r.timestamp), title: r.message });
    }
  }
  for (const t of status.tasks) {
    for (const a of t.actions) {
      const row = `${t.name}/${a.name}`;
      const last = ms(a.startedAt);
      const starts = events.filter(e => e.task === t.name && e.action === a.name && e.kind === 'ActionStarted').map(e => ms(e.timestamp));
      let attempt = 0;
      for (const start of starts.filter(s => last === null || s < last - 1000)) {
        const stop = events.find(e => e.task === t.name && e.action === a.name && terminal.includes(e.kind) && ms(e.timestamp) >= start);
        attempt++;
        bars.push({ row, label: a.name, kind: 'action', name: row, phase: `attempt ${attempt}`, state: 'FAILED', start, end: stop ? ms(stop.timestamp) : start, title: `${a.name}: attempt ${attempt}` });
      }
      if (last !== null) {
        bars.push({ row, label: a.name, kind: 'action', name: row, phase: `attempt ${a.attempt}`, state: a.state, start: last, end: ms(a.finishedAt) ?? (a.state === 'RUNNING' ? now : end), title: `${a.name}: ${a.state}, attempt ${a.attempt}` });
      }
      if (a.handler && ms(a.handler.startedAt) !== null) {
        bars.push({ row, label: a.name, kind: 'handler', name: row, phase: a.handler.kind, state: 'handler', start: ms(a.handler.startedAt), end: ms(a.handler.finishedAt) ?? now, title: `${a.name}: ${a.handler.kind} ${a.handler.state}` });
      }
    }
  }
  return { bars, marks, from: ms(status.createdAt) ?? Math.min(now, ...bars.map(b => b.start)), to: end };
}

export function timeline(status, events, now = Date.now()) {
  const { bars, marks, from, to } = timelineBars(status, events, now);
  const span = Math.max(1, to - from);
  const pct = t => `${Math.min(100, Math.max(0, ((t - from) / span) * 100)).toFixed(3)}%`;
  const width = (a, b) => `${Math.max(0, ((Math.min(b, to) - Math.max(a, from)) / span) * 100).toFixed(3)}%`;
  const rows = [];
  const order = [...status.services.map(s => `service ${s.name}`), ...status.tasks.flatMap(t => t.actions.map(a => `${t.name}/${a.name}`))];
  for (const row of order) {
    const own = bars.filter(b => b.row === row);
    const label = own[0]?.label ?? row.replace(/^.*\//, '');
    rows.push(el('div', { class: 'tl-row', 'data-row': row },
      el('div', { class: 'tl-label', title: row }, label),
      el('div', { class: 'tl-track' },
        own.map(b => el('div', {
          class: `tl-bar k-${b.state}`,
          title: b.title,
          role: 'img',
          'aria-label': `${b.title}, ${((b.end - b.start) / 1000).toFixed(1)} s`,
          dataset: { kind: b.kind, name: b.name, phase: b.phase, state: b.state, start: String(b.start), end: String(b.end) },
          style: { left: pct(b.start), width: width(b.start, b.end) },
        })),
        marks.filter(m => m.row === row).map(m => el('div', { class: 'tl-mark', title: m.title, style: { left: pct(m.at) } }))),
    ));
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => el('span', {}, `${((span * f) / 1000).toFixed(1)} s`));
  const key = (cls, text) => el('span', {}, el('i', { class: `tl-bar k-${cls}`, style: { position: 'static', display: 'inline-block' } }), text);
  return el('div', { class: 'timeline', id: 'timeline' },
    rows.length ? rows : el('p', { class: 'muted' }, 'Nothing has started yet.'),
    el('div', { class: 'tl-axis', 'aria-hidden': 'true' }, ticks),
    el('div', { class: 'legend' }, key('starting', 'service starting'), key('ready', 'ready / succeeded'), key('RUNNING', 'running'),
      key('FAILED', 'failed'), key('TIMEOUT', 'timed out'), key('handler', 'handler'), key('CANCELLED', 'cancelled')));
}
