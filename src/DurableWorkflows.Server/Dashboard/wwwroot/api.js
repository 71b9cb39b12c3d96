// The API as the dashboard calls it: the session's token on every request (never in a URL), problem details as errors,
// a sign-in prompt when the server asks for a token, and the events stream read with fetch (EventSource sends no header).
const tokenKey = 'dwf-token';
let signIn = null;

/** Set by the app: shows the sign-in prompt and resolves once a token is entered. */
export function onSignInNeeded(prompt) { signIn = prompt; }

export function token() { return sessionStorage.getItem(tokenKey); }
export function setToken(value) { value ? sessionStorage.setItem(tokenKey, value) : sessionStorage.removeItem(tokenKey); }

/** An answer of the API that is not a success: its status and problem details. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** One API call; a 401 asks for the token (again) and retries; returns the JSON body (null when none). */
export async function api(method, path, body) {
  for (;;) {
    const response = await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text }; }
    if (response.status === 401 && signIn) {
      await signIn(token() ? 'The server refused this token.' : null);
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }
}

/**
 * Follows a workflow's events stream (server-sent events) after `after`, calling onEvent for each; reconnects with the
 * last id it saw until the stream ends because the workflow finished, or stop() is called.
 */
export function followEvents(id, after, onEvent, onEnd) {
  const controller = new AbortController();
  let last = after;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const h = headers({ Accept: 'text/event-stream' });
        if (last) h['Last-Event-ID'] = String(last);
        const response = await fetch(`/api/workflows/${encodeURIComponent(id)}/events`, { headers: h, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 && signIn) { await signIn('The server refused this token.'); continue; }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(buffer.slice(end).match(/^\r?\n\r?\n/)[0].length + end);
            const data = block.split(/\r?\n/).filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
            const idLine = block.split(/\r?\n/).find(l => l.startsWith('id:'));
            if (idLine) last = Number(idLine.slice(3).trim()) || last;
            if (data) onEvent(JSON.parse(data));
          }
        }
        onEnd?.();
        return; // the server ends the stream when the workflow has finished
      } catch (e) {
        if (controller.signal.aborted) return;
        await new Promise(r => setTimeout(r, 1000));
      }
    }
  })();
  return { stop: () => controller.abort() };
}
