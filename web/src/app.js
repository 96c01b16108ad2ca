// The web view's shell: hash routes to the five screens, the token a protected server asks for
// (kept in sessionStorage, sent as Authorization: Bearer), and the API's errors, shown as sent.
import { call, onError, setToken, token } from './api.js';
import { h, route } from './util.js';
import { debugHandles } from './state.js';
import * as runs from './runs.js';
import * as run from './run.js';
import * as lineage from './lineage.js';
import * as tasks from './tasks.js';
import * as maintenance from './maintenance.js';

const SCREENS = { runs, run, lineage, tasks, maintenance };
window.execlog = debugHandles;

const errorBox = document.getElementById('error');
const tokenForm = document.getElementById('token-form');
const tokenInput = document.getElementById('token-input');
const tokenState = document.getElementById('token-state');
const main = document.getElementById('main');
let leaving = [];

function showError(e) {
  const lines = [h('strong', { class: 'error-title' }, `${e.status || 'ERROR'}${e.reason && e.reason !== e.status ? ` · ${e.reason}` : ''} (HTTP ${e.httpStatus})`),
    h('span', { class: 'error-message' }, e.message)];
  const meta = Object.entries(e.metadata || {});
  if (meta.length) {
    lines.push(h('span', { class: 'error-meta mono' }, meta.map(([k, v]) => `${k}=${v}`).join('  ')));
  }
  for (const v of e.fieldViolations || []) {
    lines.push(h('span', { class: 'error-meta' }, `${v.field}: ${v.description}`));
  }
  if (e.reason === 'UNAUTHENTICATED') {
    lines.push(h('span', {}, token() ? 'The server refused this token: enter another one below.' : 'This server needs a token: enter it below.'));
  }
  errorBox.replaceChildren(h('button', { type: 'button', class: 'close', title: 'Dismiss', onclick: () => { errorBox.hidden = true; } }, '×'), ...lines);
  errorBox.hidden = false;
}

onError((e) => {
  if (e.name === 'AbortError') {
    return;
  }
  showError(e);
  if (e.httpStatus === 401) {
    tokenForm.hidden = false;
    tokenInput.focus();
  }
});

function showTokenState() {
  tokenState.replaceChildren();
  if (token()) {
    tokenState.append('token set · ', h('a', {
      href: '#', id: 'forget-token', onclick: (e) => { e.preventDefault(); setToken(''); showTokenState(); show(); },
    }, 'forget'));
  }
}

document.getElementById('token-entry').addEventListener('submit', (e) => {
  e.preventDefault();
  setToken(tokenInput.value.trim());
  tokenInput.value = '';
  tokenForm.hidden = true;
  showTokenState();
  show();
});

function loadTaskIds() {
  // Suggestions for every task input (the first 1000 task ids), and what the log holds.
  call('/v1/tasks?page_size=1000').then((page) => {
    const list = document.getElementById('task-ids') || document.body.appendChild(h('datalist', { id: 'task-ids' }));
    list.replaceChildren(...(page.tasks || []).map((t) => h('option', { value: t.taskId })));
  }).catch(() => {});
  call('/v1/log').then((l) => {
    document.getElementById('server-info').textContent = `${l.executionCount} runs · ${l.taskCount} tasks · server ${l.serverVersion}`;
  }).catch(() => {});
}

function show() {
  leaving.forEach((f) => f());
  leaving = [];
  errorBox.hidden = true;
  const r = route();
  const screen = SCREENS[r.screen] ? r.screen : 'runs';
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('current', a.dataset.screen === (screen === 'run' ? 'runs' : screen)));
  document.title = `execlog · ${screen}`;
  main.replaceChildren();
  main.dataset.screen = screen;
  loadTaskIds();
  SCREENS[screen].render(main, r, { onLeave: (f) => leaving.push(f) });
}

window.addEventListener('hashchange', show);
showTokenState();
show();
