// Small DOM and formatting helpers. Elements are built with h(), never from HTML strings, so no
// value from the log is ever parsed as markup.

/** h('a', {href: '#/x', class: 'y'}, 'text', child...) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Seconds from a protobuf JSON duration ("45.200s"). */
export function seconds(duration) {
  if (!duration) {
    return null;
  }
  return Number.parseFloat(String(duration).replace(/s$/, ''));
}

/** A duration for people: 850 ms, 45.2 s, 3 min 05 s, 2 h 10 min. */
export function formatSeconds(s) {
  if (s === null || s === undefined || Number.isNaN(s)) {
    return '–';
  }
  if (s < 1) {
    return `${Math.round(s * 1000)} ms`;
  }
  if (s < 60) {
    return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  }
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
  }
  const hours = Math.floor(s / 3600);
  return `${hours} h ${String(Math.round((s - hours * 3600) / 60)).padStart(2, '0')} min`;
}

export function formatDuration(duration) {
  return formatSeconds(seconds(duration));
}

/** A time as YYYY-MM-DD HH:MM:SS in the browser's zone. */
export function formatTime(iso) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatPercent(rate) {
  return `${(100 * (rate || 0)).toFixed(1)} %`;
}

export function formatBytes(n) {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KiB`;
  }
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The value of a datetime-local input as RFC 3339 (UTC), or '' when empty. */
export function toRfc3339(local) {
  if (!local) {
    return '';
  }
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** Hash routes: #/runs?task_id=x → {screen: 'runs', params: URLSearchParams}. */
export function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, q] = hash.split('?');
  const parts = path.split('/').map(decodeURIComponent);
  return { screen: parts[0] || 'runs', arg: parts[1] || '', params: new URLSearchParams(q || '') };
}

export function link(screen, arg, params) {
  const q = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  return `#/${screen}${arg ? `/${encodeURIComponent(arg)}` : ''}${q ? `?${q}` : ''}`;
}

export function badge(success) {
  return h('span', { class: success ? 'badge ok' : 'badge failed' }, success ? 'succeeded' : 'failed');
}

export function shortId(runId) {
  return runId ? runId.slice(0, 8) : '';
}
