// Runs: newest first, filtered by task, success and time window, a page at a time (the API's page
// tokens), with new runs arriving from the change feed while the first page is shown.
import { call, query, watch } from './api.js';
import { badge, formatDuration, formatTime, h, link, shortId, toRfc3339 } from './util.js';

const pageStack = []; // tokens of the pages before the one shown, for "Newer"

function row(run, live) {
  return h('tr', { 'data-run-id': run.runId, class: live ? 'live' : '' },
    h('td', { class: 'nowrap' }, formatTime(run.recordTime)),
    h('td', {}, h('a', { href: link('runs', '', { task_id: run.taskId }) }, run.taskId)),
    h('td', {}, run.taskType),
    h('td', {}, badge(run.success)),
    h('td', { class: 'num' }, formatDuration(run.duration)),
    h('td', { class: 'num' }, String((run.inputFiles || []).length)),
    h('td', { class: 'num' }, String((run.outputFiles || []).length)),
    h('td', {}, run.hostname),
    h('td', {}, h('a', { href: link('run', run.runId), class: 'mono', title: run.runId }, shortId(run.runId))));
}

function localValue(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function render(main, { params }, ctx) {
  const filters = {
    task_id: params.get('task_id') || '',
    success_only: params.get('success_only') === 'true',
    start_time: params.get('start_time') || '',
    end_time: params.get('end_time') || '',
    page_size: params.get('page_size') || '50',
  };
  const pageToken = params.get('page_token') || '';
  if (!pageToken) {
    pageStack.length = 0;
  }

  const form = h('form', { class: 'filters', id: 'runs-filters' },
    h('label', {}, 'Task ', h('input', { name: 'task_id', list: 'task-ids', value: filters.task_id, placeholder: 'all tasks', size: 14 })),
    h('label', {}, 'Outcome ', h('select', { name: 'success_only' },
      h('option', { value: 'false', selected: !filters.success_only }, 'all runs'),
      h('option', { value: 'true', selected: filters.success_only }, 'succeeded only'))),
    h('label', {}, 'From ', h('input', { type: 'datetime-local', name: 'start_time', value: localValue(filters.start_time) })),
    h('label', {}, 'Before ', h('input', { type: 'datetime-local', name: 'end_time', value: localValue(filters.end_time) })),
    h('label', {}, 'Page ', h('select', { name: 'page_size' },
      ['25', '50', '100', '250'].map((n) => h('option', { value: n, selected: n === filters.page_size }, n)))),
    h('button', { type: 'submit' }, 'Apply'),
    h('a', { href: '#/runs', class: 'button-link' }, 'Clear'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = link('runs', '', {
      task_id: data.get('task_id').trim(),
      success_only: data.get('success_only') === 'true' ? 'true' : '',
      start_time: toRfc3339(data.get('start_time')),
      end_time: toRfc3339(data.get('end_time')),
      page_size: data.get('page_size') === '50' ? '' : data.get('page_size'),
    });
  });

  const liveState = h('span', { id: 'live-state', class: 'muted' });
  const body = h('tbody', { id: 'runs-body' });
  const table = h('table', { class: 'grid', id: 'runs-table' },
    h('thead', {}, h('tr', {}, ['Recorded', 'Task', 'Type', 'Outcome', 'Duration', 'In', 'Out', 'Host', 'Run']
      .map((c) => h('th', {}, c)))),
    body);
  const pager = h('div', { class: 'pager' });
  const status = h('p', { class: 'muted', id: 'runs-status' }, 'Loading…');
  main.append(h('h1', {}, 'Runs'), form, h('div', { class: 'table-head' }, status, liveState), table, pager);

  const controller = new AbortController();
  let shown = 0;
  let arrived = 0;
  let note = '';

  function showStatus() {
    status.textContent = `${shown} run${shown === 1 ? '' : 's'} on this page${pageToken ? '' : ', newest first'}`
      + (arrived ? ` · ${arrived} arrived live` : '') + note;
  }

  async function load() {
    const answer = await call(`/v1/executions${query({ ...filters, page_size: filters.page_size, page_token: pageToken })}`,
      { signal: controller.signal });
    const runs = answer.executions || [];
    body.replaceChildren(...runs.map((r) => row(r, false)));
    shown = runs.length;
    showStatus();
    if (!runs.length) {
      body.append(h('tr', { class: 'empty' }, h('td', { colspan: 9 }, 'No run matches these filters.')));
    }
    const base = { ...filters, success_only: filters.success_only ? 'true' : '', page_size: filters.page_size === '50' ? '' : filters.page_size };
    pager.replaceChildren();
    if (pageToken) {
      const previous = pageStack.length ? pageStack[pageStack.length - 1] : null;
      pager.append(h('a', {
        href: link('runs', '', { ...base, page_token: previous || '' }),
        id: 'newer-page',
        onclick: () => pageStack.pop(),
      }, previous === null && !pageStack.length ? '« Newest' : '‹ Newer'));
    }
    if (answer.nextPageToken) {
      pager.append(h('a', {
        href: link('runs', '', { ...base, page_token: answer.nextPageToken }),
        id: 'older-page',
        onclick: () => pageStack.push(pageToken),
      }, 'Older ›'));
    }
  }

  function matches(run) {
    const t = new Date(run.recordTime).getTime();
    return (!filters.task_id || run.taskId === filters.task_id)
      && (!filters.success_only || run.success)
      && (!filters.start_time || t >= new Date(filters.start_time).getTime())
      && (!filters.end_time || t < new Date(filters.end_time).getTime());
  }

  load().then(() => {
    if (pageToken) {
      liveState.textContent = 'older page: new runs show on the first page';
      return;
    }
    watch({ task_id: filters.task_id, success: filters.success_only ? 'true' : '' }, {
      signal: controller.signal,
      onState: (state) => {
        liveState.textContent = state === 'live' ? '● live' : state === 'reconnecting' ? '○ reconnecting…' : 'live updates stopped';
        liveState.className = state === 'live' ? 'live-on' : 'muted';
      },
      onEvent: (name, data) => {
        if (name === 'started' && data.reconnected && !data.resumed) {
          // reconnected after changes the server no longer holds (or to a restarted server): read the page again
          arrived = 0;
          note = ' · read again after the live feed restarted';
          load().catch(() => {});
        }
        if (name !== 'change' || !data.execution) {
          return;
        }
        const run = data.execution;
        const existing = body.querySelector(`tr[data-run-id="${CSS.escape(run.runId)}"]`);
        if (data.kind === 'CHANGE_KIND_REMOVED') {
          if (existing) {
            existing.classList.add('removed');
            existing.title = 'removed from the log';
          }
        } else if (existing) {
          existing.replaceWith(row(run, true));
        } else if (data.kind === 'CHANGE_KIND_RECORDED' && matches(run)) {
          body.querySelector('tr.empty')?.remove();
          body.prepend(row(run, true));
          shown += 1;
          arrived += 1;
          showStatus();
        }
      },
    });
  }).catch(() => {
    status.textContent = 'Could not load the runs.';
  });
  ctx.onLeave(() => controller.abort());
}
