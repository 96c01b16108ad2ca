// One run: every field, its inputs with the runs that produced them, its outputs with the runs that
// read them (the lineage route at run level, one hop each way).
import { call, query } from './api.js';
import { badge, formatDuration, formatTime, h, link, shortId } from './util.js';

function runLink(runId, label) {
  return h('a', { href: link('run', runId), class: 'mono', title: runId }, label || shortId(runId));
}

function extras(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) {
    return '';
  }
  return h('dl', { class: 'extras' }, entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v)]));
}

export function render(main, { arg }, ctx) {
  const controller = new AbortController();
  ctx.onLeave(() => controller.abort());
  main.append(h('h1', {}, 'Run ', h('span', { class: 'mono' }, arg)));
  const holder = h('div', { id: 'run-detail' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(holder);

  Promise.all([
    call(`/v1/executions/${encodeURIComponent(arg)}`, { signal: controller.signal }),
    call(`/v1/lineage${query({ run_id: arg, level: 'LINEAGE_LEVEL_RUN', direction: 'LINEAGE_DIRECTION_BOTH', depth: 1 })}`,
      { signal: controller.signal }).catch(() => ({ nodes: [], edges: [] })),
  ]).then(([{ execution: run }, lineage]) => {
    const self = `run:${run.runId}`;
    const runs = new Map((lineage.nodes || []).filter((n) => n.run).map((n) => [n.id, n.run]));
    const producers = new Map(); // path → producing run
    const consumers = new Map(); // path → [reading runs]
    for (const e of lineage.edges || []) {
      if (e.targetNodeId === self && runs.has(e.sourceNodeId)) {
        producers.set(e.path, runs.get(e.sourceNodeId));
      } else if (e.sourceNodeId === self && runs.has(e.targetNodeId)) {
        consumers.set(e.path, [...(consumers.get(e.path) || []), runs.get(e.targetNodeId)]);
      }
    }
    const fields = [
      ['Run id', h('span', { class: 'mono', id: 'field-run-id' }, run.runId)],
      ['Task', h('a', { href: link('runs', '', { task_id: run.taskId }), id: 'field-task' }, run.taskId)],
      ['Task type', run.taskType],
      ['Recorded', `${formatTime(run.recordTime)} (${run.recordTime})`],
      ['Outcome', badge(run.success)],
      ['Duration', `${formatDuration(run.duration)} (${run.duration || '0s'}${run.integerExecutionTime ? ', written as an integer' : ''})`],
      ['Report', run.reportPath || '–'],
      ['Host', run.hostname || '–'],
      ['Other fields', extras(run.extraFields) || '–'],
    ];
    const inputs = (run.inputFiles || []).map((f) => h('tr', {},
      h('td', {}, f.name),
      h('td', { class: 'mono' }, f.path),
      h('td', { class: 'producer' }, producers.has(f.path)
        ? [runLink(producers.get(f.path).runId), ' ', h('span', { class: 'muted' }, `${producers.get(f.path).taskId}, ${formatTime(producers.get(f.path).recordTime)}`)]
        : h('span', { class: 'muted' }, 'no earlier run wrote it')),
      h('td', {}, extras(f.extraFields))));
    const outputs = (run.outputFiles || []).map((f) => h('tr', {},
      h('td', { class: 'mono' }, f.path),
      h('td', {}, f.type),
      h('td', {}, f.description),
      h('td', { class: 'consumers' }, consumers.has(f.path)
        ? consumers.get(f.path).flatMap((c) => [runLink(c.runId), h('span', { class: 'muted' }, ` ${c.taskId} `)])
        : h('span', { class: 'muted' }, 'not read since')),
      h('td', {}, extras(f.extraFields))));
    holder.replaceChildren(
      h('p', { class: 'actions' },
        h('a', { href: link('lineage', '', { run_id: run.runId, level: 'run' }), id: 'run-lineage' }, 'Lineage of this run'),
        ' · ',
        h('a', { href: link('lineage', '', { task_id: run.taskId }) }, 'Lineage of its task'),
        ' · ',
        h('a', { href: link('tasks', '', { task: run.taskId }) }, 'Durations of its task')),
      h('table', { class: 'fields', id: 'run-fields' }, h('tbody', {}, fields.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))))),
      h('h2', {}, `Inputs (${inputs.length})`),
      inputs.length ? h('table', { class: 'grid', id: 'run-inputs' },
        h('thead', {}, h('tr', {}, ['Name', 'Path', 'Produced by', 'Other fields'].map((c) => h('th', {}, c)))),
        h('tbody', {}, inputs)) : h('p', { class: 'muted' }, 'No input files.'),
      h('h2', {}, `Outputs (${outputs.length})`),
      outputs.length ? h('table', { class: 'grid', id: 'run-outputs' },
        h('thead', {}, h('tr', {}, ['Path', 'Type', 'Description', 'Read by', 'Other fields'].map((c) => h('th', {}, c)))),
        h('tbody', {}, outputs)) : h('p', { class: 'muted' }, 'No output files.'));
  }).catch(() => {
    holder.replaceChildren(h('p', { class: 'muted' }, 'Could not load this run.'));
  });
}
