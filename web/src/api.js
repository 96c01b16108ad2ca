// The HTTP/JSON API under /v1/, with the user's token: plain calls, JSON lines (validate), files
// (export) and the change feed (server-sent events read with fetch, since EventSource cannot send
// an Authorization header).

const TOKEN_KEY = 'execlog.token';

/** A failed call, from the API's AIP-193 body: {error: {code, status, message, details}}. */
export class ApiError extends Error {
  constructor(httpStatus, body, fallback) {
    const error = (body && body.error) || {};
    super(error.message || fallback || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.status = error.status || '';
    const details = Array.isArray(error.details) ? error.details : [];
    const info = details.find((d) => d['@type'] && d['@type'].endsWith('google.rpc.ErrorInfo')) || {};
    const badRequest = details.find((d) => d['@type'] && d['@type'].endsWith('google.rpc.BadRequest')) || {};
    this.reason = info.reason || '';
    this.metadata = info.metadata || {};
    this.fieldViolations = badRequest.fieldViolations || [];
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  if (token()) {
    h.Authorization = `Bearer ${token()}`;
  }
  return h;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const listeners = new Set();
/** Called with every ApiError (the page shows it, and asks for a token on UNAUTHENTICATED). */
export function onError(listener) {
  listeners.add(listener);
}

/** The error of a refused call; told to the listeners unless the token changed since it was sent. */
async function failure(response, sentToken) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's page, say
  }
  const error = new ApiError(response.status, body, response.statusText);
  if (sentToken === token()) {
    listeners.forEach((l) => l(error));
  }
  return error;
}

/** GET (or another method) of one JSON message. */
export async function call(path, { method = 'GET', body, signal } = {}) {
  const sent = token();
  const response = await fetch(path, {
    method,
    signal,
    headers: headers(body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw await failure(response, sent);
  }
  return response.json();
}

/** A streamed call answering JSON lines: onLine(object) for each; a last {"error"} line throws. */
export async function lines(path, { method = 'POST', onLine, signal } = {}) {
  const sent = token();
  const response = await fetch(path, { method, signal, headers: headers({ Accept: 'application/x-ndjson' }) });
  if (!response.ok) {
    throw await failure(response, sent);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) {
      buffer += value;
    }
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) {
        const message = JSON.parse(line);
        if (message.error) {
          const error = new ApiError(500, message);
          listeners.forEach((l) => l(error));
          throw error;
        }
        onLine(message);
      }
    }
    if (done) {
      return;
    }
  }
}

/** A file (export): onBytes(received so far) as it arrives; resolves to a Blob. */
export async function download(path, { onBytes, signal } = {}) {
  const sent = token();
  const response = await fetch(path, { signal, headers: headers({ Accept: '*/*' }) });
  if (!response.ok) {
    throw await failure(response, sent);
  }
  const reader = response.body.getReader();
  const parts = [];
  let received = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    parts.push(value);
    received += value.length;
    onBytes(received);
  }
  return new Blob(parts, { type: response.headers.get('Content-Type') || 'application/octet-stream' });
}

/**
 * Follows the change feed (GET /v1/executions:watch) until signal aborts: onEvent(name, data) for
 * `started` and `change`; onState('live' | 'reconnecting' | 'stopped', error). A dropped stream
 * reconnects with Last-Event-ID (the last change's id, or where the watch started), so no change is
 * missed while the server still holds it; `started` then has `reconnected: true`, and
 * `resumed: false` when some were missed, so the page reloads what it shows.
 */
export async function watch(filters, { onEvent, onState, signal }) {
  let lastEventId = null;
  let wait = 500;
  let connects = 0;
  while (!signal.aborted) {
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastEventId) {
        extra['Last-Event-ID'] = lastEventId;
      }
      const sent = token();
      connects += 1;
      const response = await fetch(`/v1/executions:watch${query(filters)}`, { signal, headers: headers(extra) });
      if (!response.ok) {
        const error = await failure(response, sent);
        if (response.status === 401 || response.status === 403 || response.status === 400) {
          onState('stopped', error);
          return;
        }
        throw error;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { id: null, name: 'message', data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (event.data.length) {
              if (event.id !== null) {
                lastEventId = event.id;
              }
              const data = JSON.parse(event.data.join('\n'));
              if (event.name === 'error') {
                listeners.forEach((l) => l(new ApiError(data.error ? data.error.code : 500, data)));
              } else {
                if (event.name === 'started') {
                  onState('live');
                  wait = 500;
                  data.reconnected = connects > 1;
                  if (lastEventId === null || !data.resumed) {
                    // Resume from the start point itself when no change came yet (or the old point is gone).
                    lastEventId = `${data.feedId}.${data.sequence}`;
                  }
                }
                onEvent(event.name, data);
              }
            }
            event = { id: null, name: 'message', data: [] };
          } else if (line.startsWith(':')) {
            // a keep-alive comment
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') {
              event.id = text;
            } else if (field === 'event') {
              event.name = text;
            } else if (field === 'data') {
              event.data.push(text);
            }
          }
        }
      }
    } catch (e) {
      if (signal.aborted) {
        return;
      }
    }
    if (signal.aborted) {
      return;
    }
    onState('reconnecting');
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 15000);
  }
}
