// Lineage: the graph the lineage route answers (task or run level, upstream, downstream or both,
// up to a depth), laid out left to right by dagre and drawn by Cytoscape. "Every task" merges each
// task's one-hop downstream graph: the whole pipeline.
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { call, query } from './api.js';
import { formatDuration, formatTime, h, link, shortId } from './util.js';
import { debugHandles } from './state.js';

cytoscape.use(dagre);

const DIRECTIONS = { both: 'LINEAGE_DIRECTION_BOTH', up: 'LINEAGE_DIRECTION_UPSTREAM', down: 'LINEAGE_DIRECTION_DOWNSTREAM' };

function label(node) {
  if (node.task) {
    return node.task.taskId;
  }
  if (node.run) {
    return `${node.run.taskId}\n${formatTime(node.run.recordTime).slice(5, 16)}`;
  }
  return node.path.split('/').pop();
}

/** Wide enough for the longest line of the label (task ids are short, paths are cut to the file name). */
function nodeWidth(element) {
  const longest = Math.max(...element.data('label').split('\n').map((l) => l.length));
  return Math.max(44, longest * 7.2 + 14);
}

function failed(node) {
  return (node.task && !node.task.lastSuccess) || (node.run && !node.run.success);
}

/** Every task's one-hop downstream graph, merged (a few requests at a time). */
async function wholeLog(signal, onProgress) {
  const tasks = [];
  let pageToken = '';
  do {
    const page = await call(`/v1/tasks${query({ page_size: 1000, page_token: pageToken })}`, { signal });
    tasks.push(...(page.tasks || []));
    pageToken = page.nextPageToken || '';
  } while (pageToken && tasks.length < 2000);
  const nodes = new Map(tasks.map((t) => [`task:${t.taskId}`, { id: `task:${t.taskId}`, task: t, distance: 0 }]));
  const edges = new Map();
  let done = 0;
  let truncated = tasks.length >= 2000;
  const queue = [...tasks];
  async function worker() {
    while (queue.length) {
      const task = queue.shift();
      const graph = await call(`/v1/lineage${query({ task_id: task.taskId, direction: DIRECTIONS.down, depth: 1 })}`, { signal });
      for (const n of graph.nodes || []) {
        if (!nodes.has(n.id)) {
          nodes.set(n.id, n);
        }
      }
      for (const e of graph.edges || []) {
        edges.set(`${e.sourceNodeId}\u0000${e.targetNodeId}\u0000${e.path}`, e);
      }
      // (each one-hop graph is "truncated" by its depth; merged, they hold every task's links)
      onProgress(++done, tasks.length);
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker));
  return { startNodeId: '', nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}

export function render(main, { params }, ctx) {
  const controller = new AbortController();
  const start = params.get('run_id') ? 'run_id' : params.get('path') ? 'path' : params.get('task_id') ? 'task_id' : 'all';
  const value = start === 'all' ? '' : params.get(start);
  const level = params.get('level') === 'run' && start !== 'all' ? 'run' : 'task';
  const direction = DIRECTIONS[params.get('direction')] ? params.get('direction') : 'both';
  const depth = Math.min(50, Math.max(1, Number.parseInt(params.get('depth') || '5', 10) || 5));

  const form = h('form', { class: 'filters', id: 'lineage-form' },
    h('label', {}, 'Start at ', h('select', { name: 'start' },
      h('option', { value: 'all', selected: start === 'all' }, 'every task'),
      h('option', { value: 'task_id', selected: start === 'task_id' }, 'task'),
      h('option', { value: 'run_id', selected: start === 'run_id' }, 'run'),
      h('option', { value: 'path', selected: start === 'path' }, 'file'))),
    h('input', { name: 'value', list: 'task-ids', value, placeholder: 'task id, run id or path', size: 24 }),
    h('label', {}, 'Level ', h('select', { name: 'level' },
      h('option', { value: 'task', selected: level === 'task' }, 'tasks'),
      h('option', { value: 'run', selected: level === 'run' }, 'runs'))),
    h('label', {}, 'Direction ', h('select', { name: 'direction' },
      h('option', { value: 'both', selected: direction === 'both' }, 'both'),
      h('option', { value: 'up', selected: direction === 'up' }, 'upstream'),
      h('option', { value: 'down', selected: direction === 'down' }, 'downstream'))),
    h('label', {}, 'Depth ', h('input', { name: 'depth', type: 'number', min: 1, max: 50, value: depth, size: 3 })),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const kind = data.get('start');
    location.hash = link('lineage', '', {
      [kind === 'all' ? 'x' : kind]: kind === 'all' ? '' : data.get('value').trim(),
      level: data.get('level') === 'run' ? 'run' : '',
      direction: data.get('direction') === 'both' ? '' : data.get('direction'),
      depth: data.get('depth') === '5' ? '' : data.get('depth'),
    });
  });

  const status = h('p', { class: 'muted', id: 'lineage-status' }, 'Loading…');
  const graph = h('div', { id: 'graph', class: 'graph' });
  const help = [h('p', { class: 'muted' }, 'Click a node or an arrow for details; double-click a node to walk from it. '
      + 'Hover a node to see its links. Drag to pan, scroll to zoom.'),
    h('ul', { class: 'legend' },
      h('li', {}, h('span', { class: 'swatch ok' }), level === 'run' ? 'run succeeded' : 'newest run succeeded'),
      h('li', {}, h('span', { class: 'swatch failed' }), level === 'run' ? 'run failed' : 'newest run failed'),
      start === 'all' ? '' : h('li', {}, h('span', { class: 'swatch start' }), 'where the walk starts'),
      h('li', {}, '→ data flowed through one or more files'))];
  const side = h('aside', { id: 'lineage-side', class: 'side' }, ...help);
  const fit = h('button', { type: 'button', id: 'fit' }, 'Fit');
  main.append(h('h1', {}, 'Lineage'), form, h('div', { class: 'table-head' }, status, fit), h('div', { class: 'graph-row' }, graph, side));

  const load = start === 'all'
    ? wholeLog(controller.signal, (done, total) => { status.textContent = `Reading each task's links: ${done} of ${total}…`; })
    : call(`/v1/lineage${query({
      [start]: value,
      level: level === 'run' ? 'LINEAGE_LEVEL_RUN' : 'LINEAGE_LEVEL_TASK',
      direction: DIRECTIONS[direction],
      depth,
    })}`, { signal: controller.signal });

  let cy = null;
  load.then((answer) => {
    const nodes = answer.nodes || [];
    // One arrow per pair of nodes, with the files that link them.
    const pairs = new Map();
    for (const e of answer.edges || []) {
      const key = `${e.sourceNodeId}\u0000${e.targetNodeId}`;
      const pair = pairs.get(key) || { source: e.sourceNodeId, target: e.targetNodeId, paths: [] };
      pair.paths.push(e.path);
      pairs.set(key, pair);
    }
    status.textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${pairs.size} link${pairs.size === 1 ? '' : 's'}`
      + (answer.truncated ? ' · PARTIAL: the walk stopped at its depth or size limit, more lies beyond' : '');
    if (!nodes.length) {
      graph.append(h('p', { class: 'muted empty-graph' }, 'The log holds no task yet.'));
      return;
    }
    cy = cytoscape({
      container: graph,
      elements: [
        ...nodes.map((n) => ({
          group: 'nodes',
          data: { id: n.id, label: label(n), node: n },
          classes: [n.task ? 'task' : n.run ? 'run' : 'file', failed(n) ? 'failed' : '', n.id === answer.startNodeId ? 'start' : ''].join(' '),
        })),
        ...[...pairs.values()].map((p, i) => ({
          group: 'edges',
          data: { id: `e${i}`, source: p.source, target: p.target, paths: p.paths },
        })),
      ],
      style: [
        { selector: 'node', style: {
          shape: 'round-rectangle', width: nodeWidth, height: 24, 'background-color': '#eaf2fb', 'border-width': 1.5,
          'border-color': '#2e7d32', label: 'data(label)', 'font-size': 12, 'text-valign': 'center', 'text-halign': 'center',
          'text-wrap': 'wrap', 'text-max-width': 320, color: '#1b1b1b' } },
        { selector: 'node.run', style: { height: 36, 'font-size': 11 } },
        { selector: 'node.file', style: { shape: 'ellipse', 'background-color': '#f4f4f4', 'border-color': '#888' } },
        { selector: 'node.failed', style: { 'border-color': '#c62828', 'background-color': '#fdecea' } },
        { selector: 'node.start', style: { 'border-width': 3.5, 'background-color': '#fff4c2' } },
        { selector: 'node:selected', style: { 'border-color': '#1f4e79', 'border-width': 3.5 } },
        { selector: 'edge', style: {
          width: 1.3, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8,
          'line-color': '#8aa4bf', 'target-arrow-color': '#8aa4bf' } },
        { selector: 'edge:selected', style: { 'line-color': '#1f4e79', 'target-arrow-color': '#1f4e79', width: 2.5 } },
        { selector: '.faded', style: { opacity: 0.15 } },
        { selector: 'edge.near', style: { 'line-color': '#1f4e79', 'target-arrow-color': '#1f4e79', width: 2 } },
      ],
      // Left to right, one column per hop; no room kept between arrows (edgeSep 0), or dagre's
      // routing points would stretch a 50-task pipeline to several screens.
      layout: { name: 'dagre', rankDir: 'LR', nodeSep: 6, rankSep: 120, edgeSep: 0, fit: true, padding: 16 },
      minZoom: 0.1,
      maxZoom: 3,
      wheelSensitivity: 0.3,
    });
    debugHandles.graph = cy;
    cy.on('mouseover', 'node', (e) => {
      const near = e.target.closedNeighborhood();
      cy.elements().not(near).addClass('faded');
      near.edges().addClass('near');
    });
    cy.on('mouseout', 'node', () => cy.elements().removeClass('faded near'));
    cy.on('tap', 'node', (e) => side.replaceChildren(...details(e.target.data('node'), level), ...help));
    cy.on('tap', 'edge', (e) => side.replaceChildren(
      h('h2', {}, 'Data flow'),
      h('p', {}, `${e.target.source().data('label').split('\n')[0]} → ${e.target.target().data('label').split('\n')[0]}`),
      h('ul', { class: 'paths' }, e.target.data('paths').map((p) => h('li', { class: 'mono' }, p))), ...help));
    cy.on('dbltap', 'node', (e) => {
      const n = e.target.data('node');
      location.hash = n.run ? link('lineage', '', { run_id: n.run.runId, level: 'run' })
        : n.task ? link('lineage', '', { task_id: n.task.taskId }) : link('lineage', '', { path: n.path });
    });
  }).catch(() => {
    status.textContent = 'Could not load the lineage.';
  });
  fit.addEventListener('click', () => cy && cy.fit(undefined, 16));
  ctx.onLeave(() => {
    controller.abort();
    if (cy) {
      cy.destroy();
      debugHandles.graph = null;
    }
  });
}

function details(n, level) {
  if (n.task) {
    const t = n.task;
    return [h('h2', {}, t.taskId),
      h('p', {}, `${t.taskType} · ${t.runCount} run${t.runCount === '1' ? '' : 's'} · last ${t.lastSuccess ? 'succeeded' : 'failed'} ${formatTime(t.lastRecordTime)}`),
      h('ul', {},
        h('li', {}, h('a', { href: link('runs', '', { task_id: t.taskId }) }, 'Its runs')),
        h('li', {}, h('a', { href: link('run', t.lastRunId) }, 'Its newest run')),
        h('li', {}, h('a', { href: link('tasks', '', { task: t.taskId }) }, 'Its durations')),
        h('li', {}, h('a', { href: link('lineage', '', { task_id: t.taskId }) }, 'Lineage from this task')),
        h('li', {}, h('a', { href: link('lineage', '', { task_id: t.taskId, level: 'run' }) }, 'Run-level lineage from its newest run'))),
    ];
  }
  if (n.run) {
    const r = n.run;
    return [h('h2', {}, `${r.taskId} `, h('span', { class: 'mono' }, shortId(r.runId))),
      h('p', {}, `${r.success ? 'succeeded' : 'failed'} · ${formatDuration(r.duration)} · ${formatTime(r.recordTime)}`),
      h('ul', {},
        h('li', {}, h('a', { href: link('run', r.runId) }, 'This run')),
        h('li', {}, h('a', { href: link('lineage', '', { run_id: r.runId, level }) }, 'Lineage from this run')))];
  }
  return [h('h2', {}, 'File'), h('p', { class: 'mono' }, n.path)];
}
