// Tasks: each task's run count, success rate and durations over a chosen window (the statistics
// route), a chart comparing their durations, and one task's durations over time, bucket by bucket.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, Tooltip,
} from 'chart.js';
import { call, query } from './api.js';
import { formatPercent, formatSeconds, formatTime, h, link, seconds } from './util.js';
import { debugHandles } from './state.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.animation = false;
Chart.defaults.font.size = 11;

const WINDOWS = {
  '1d': { label: 'last 24 hours', phrase: 'in the last 24 hours', hours: 24, bucket: 'TIME_BUCKET_HOUR' },
  '7d': { label: 'last 7 days', phrase: 'in the last 7 days', hours: 24 * 7, bucket: 'TIME_BUCKET_DAY' },
  '30d': { label: 'last 30 days', phrase: 'in the last 30 days', hours: 24 * 30, bucket: 'TIME_BUCKET_DAY' },
  '90d': { label: 'last 90 days', phrase: 'in the last 90 days', hours: 24 * 90, bucket: 'TIME_BUCKET_WEEK' },
  all: { label: 'all time', phrase: 'in the whole log', hours: 0, bucket: 'TIME_BUCKET_WEEK' },
};

function durationAxis(log) {
  return log
    ? { type: 'logarithmic', title: { display: true, text: 'duration (log scale)' }, ticks: { callback: (v) => (/^[125]/.test(String(v)) ? formatSeconds(v) : '') } }
    : { beginAtZero: true, title: { display: true, text: 'duration' }, ticks: { callback: (v) => formatSeconds(v) } };
}
const tooltip = { callbacks: { label: (c) => `${c.dataset.label}: ${c.dataset.yAxisID === 'runs' ? c.parsed.y : formatSeconds(c.parsed.y)}` } };

export function render(main, { params }, ctx) {
  const controller = new AbortController();
  const charts = [];
  ctx.onLeave(() => {
    controller.abort();
    charts.forEach((c) => c.destroy());
    debugHandles.charts = {};
  });
  const windowKey = WINDOWS[params.get('window')] ? params.get('window') : '30d';
  const win = WINDOWS[windowKey];
  const selected = params.get('task') || '';
  const log = params.get('scale') === 'log';
  const startTime = win.hours ? new Date(Date.now() - win.hours * 3600 * 1000).toISOString() : '';

  const form = h('form', { class: 'filters', id: 'tasks-form' },
    h('label', {}, 'Window ', h('select', { name: 'window' },
      Object.entries(WINDOWS).map(([k, w]) => h('option', { value: k, selected: k === windowKey }, w.label)))),
    h('label', {}, 'Task ', h('input', { name: 'task', list: 'task-ids', value: selected, placeholder: 'choose a task', size: 14 })),
    h('label', {}, h('input', { type: 'checkbox', name: 'scale', value: 'log', checked: log }), ' log scale'),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = link('tasks', '', { window: data.get('window') === '30d' ? '' : data.get('window'), task: data.get('task').trim(), scale: data.get('scale') || '' });
  });

  const detail = h('section', { id: 'task-detail', class: 'chart-panel' });
  const overview = h('section', { class: 'chart-panel' }, h('h2', {}, `Durations by task, ${win.label}`),
    h('div', { class: 'chart-box wide' }, h('canvas', { id: 'overview-chart' })));
  const status = h('p', { class: 'muted', id: 'tasks-status' }, 'Loading…');
  const body = h('tbody', { id: 'tasks-body' });
  main.append(h('h1', {}, 'Tasks'), form, detail, status,
    h('table', { class: 'grid', id: 'tasks-table' },
      h('thead', {}, h('tr', {}, ['Task', 'Type', 'Runs', 'Success rate', 'Mean', 'Median', '95th pct', 'Longest', 'Newest run']
        .map((c) => h('th', {}, c)))), body),
    overview);

  if (selected) {
    detail.append(h('h2', {}, `${selected}: durations, ${win.label}`), h('p', { class: 'muted' }, 'Loading…'));
    call(`/v1/tasks/${encodeURIComponent(selected)}/statistics${query({ start_time: startTime, bucket: win.bucket })}`,
      { signal: controller.signal })
      .then(({ total }) => {
        const buckets = total.buckets || [];
        const o = total.overall || {};
        const canvas = h('canvas', { id: 'task-chart' });
        detail.replaceChildren(
          h('h2', {}, `${selected}: durations, ${win.label}`),
          h('p', {}, `${o.runCount || 0} runs, ${formatPercent(o.successRate)} succeeded; median ${formatSeconds(seconds(o.p50Duration))}, `
            + `95th percentile ${formatSeconds(seconds(o.p95Duration))}, longest ${formatSeconds(seconds(o.maxDuration))} · `,
          h('a', { href: link('runs', '', { task_id: selected }) }, 'its runs'), ' · ',
          h('a', { href: link('lineage', '', { task_id: selected }) }, 'its lineage')),
          h('div', { class: 'chart-box' }, canvas));
        const labels = buckets.map((b) => formatTime(b.startTime).slice(0, win.bucket === 'TIME_BUCKET_HOUR' ? 16 : 10));
        const series = (key) => buckets.map((b) => seconds(b.statistics[key]));
        const chart = new Chart(canvas, {
          data: {
            labels,
            datasets: [
              { type: 'line', label: 'median', data: series('p50Duration'), borderColor: '#1f4e79', backgroundColor: '#1f4e79', order: 1, yAxisID: 'y' },
              { type: 'line', label: '95th percentile', data: series('p95Duration'), borderColor: '#e07b00', backgroundColor: '#e07b00', order: 1, yAxisID: 'y' },
              { type: 'line', label: 'longest', data: series('maxDuration'), borderColor: '#c62828', backgroundColor: '#c62828', showLine: false, pointStyle: 'triangle', pointRadius: 5, order: 0, yAxisID: 'y' },
              { type: 'bar', label: 'runs', data: buckets.map((b) => Number(b.statistics.runCount)), backgroundColor: 'rgba(120,144,156,0.25)', order: 2, yAxisID: 'runs' },
            ],
          },
          options: {
            maintainAspectRatio: false,
            interaction: { mode: 'index', intersect: false },
            plugins: { tooltip },
            scales: { y: durationAxis(log), runs: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'runs' } } },
          },
        });
        charts.push(chart);
        debugHandles.charts.task = chart;
      }).catch(() => {
        detail.replaceChildren(h('h2', {}, selected), h('p', { class: 'muted' }, 'No statistics for this task.'));
      });
  } else {
    detail.append(h('p', { class: 'muted' }, 'Choose a task (or click one in the table) to see its durations over time.'));
  }

  const summaries = new Map();
  async function allTasks() {
    let pageToken = '';
    do {
      const page = await call(`/v1/tasks${query({ page_size: 1000, page_token: pageToken })}`, { signal: controller.signal });
      (page.tasks || []).forEach((t) => summaries.set(t.taskId, t));
      pageToken = page.nextPageToken || '';
    } while (pageToken);
  }
  Promise.all([call(`/v1/tasks:statistics${query({ start_time: startTime })}`, { signal: controller.signal }), allTasks()])
    .then(([stats]) => {
      const tasks = stats.tasks || [];
      const total = stats.total?.overall || {};
      status.textContent = `${tasks.length} task${tasks.length === 1 ? '' : 's'} ran ${win.phrase}: `
        + `${total.runCount || 0} runs, ${formatPercent(total.successRate)} succeeded`;
      body.replaceChildren(...tasks.map((t) => {
        const s = summaries.get(t.taskId) || {};
        const o = t.overall || {};
        return h('tr', { 'data-task-id': t.taskId, class: t.taskId === selected ? 'selected' : '' },
          h('td', {}, h('a', { href: link('tasks', '', { window: windowKey === '30d' ? '' : windowKey, task: t.taskId, scale: log ? 'log' : '' }) }, t.taskId)),
          h('td', {}, s.taskType || ''),
          h('td', { class: 'num' }, String(o.runCount || 0)),
          h('td', { class: 'rate' }, h('meter', { min: 0, max: 1, low: 0.8, high: 0.95, optimum: 1, value: o.successRate || 0 }), ' ', formatPercent(o.successRate)),
          h('td', { class: 'num' }, formatSeconds(seconds(o.meanDuration))),
          h('td', { class: 'num' }, formatSeconds(seconds(o.p50Duration))),
          h('td', { class: 'num' }, formatSeconds(seconds(o.p95Duration))),
          h('td', { class: 'num' }, formatSeconds(seconds(o.maxDuration))),
          h('td', {}, s.lastRunId ? h('a', { href: link('run', s.lastRunId) }, `${s.lastSuccess ? '✓' : '✗'} ${formatTime(s.lastRecordTime)}`) : ''));
      }));
      const chart = new Chart(overview.querySelector('canvas'), {
        type: 'bar',
        data: {
          labels: tasks.map((t) => t.taskId),
          datasets: [
            { label: 'median', data: tasks.map((t) => seconds(t.overall.p50Duration)), backgroundColor: '#1f4e79' },
            { label: '95th percentile', data: tasks.map((t) => seconds(t.overall.p95Duration)), backgroundColor: '#e07b00' },
          ],
        },
        options: {
          maintainAspectRatio: false,
          plugins: { tooltip },
          scales: { y: durationAxis(log), x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 60 } } },
          onClick: (_, elements) => {
            if (elements.length) {
              location.hash = link('tasks', '', { window: windowKey === '30d' ? '' : windowKey, task: tasks[elements[0].index].taskId, scale: log ? 'log' : '' });
            }
          },
        },
      });
      charts.push(chart);
      debugHandles.charts.overview = chart;
    }).catch(() => {
      status.textContent = 'Could not load the statistics.';
    });
}
