// Maintenance: what the log holds, and the two read-only whole-log operations with their progress
// as the server streams it: validate (JSON lines of progress, then the result) and export (the file,
// measured as it arrives, then saved from the browser). Cleanup and import change the log and stay
// in the command line tool.
import { call, download, lines, query } from './api.js';
import { formatBytes, formatTime, h } from './util.js';

function progressBlock(id) {
  const bar = h('progress', { id: `${id}-progress`, max: 100, value: 0 });
  const percent = h('span', { id: `${id}-percent`, class: 'percent' }, '0 %');
  const stage = h('span', { id: `${id}-stage`, class: 'muted' });
  const block = h('div', { class: 'progress-row', hidden: true }, bar, percent, stage);
  return {
    block,
    /** p: percent done, or null while the total is not known (the bar then just moves). */
    set(p, text) {
      block.hidden = false;
      if (p === null) {
        bar.removeAttribute('value');
        percent.textContent = '…';
      } else {
        const v = Math.max(0, Math.min(100, Math.floor(p)));
        bar.value = v;
        percent.textContent = `${v} %`;
      }
      if (text !== undefined) {
        stage.textContent = text;
      }
    },
  };
}

export function render(main, _route, ctx) {
  const controller = new AbortController();
  ctx.onLeave(() => controller.abort());
  const info = h('table', { class: 'fields', id: 'log-info' }, h('tbody', {}, h('tr', {}, h('td', { class: 'muted' }, 'Loading…'))));

  const validate = progressBlock('validate');
  const validateResult = h('div', { id: 'validate-result' });
  const validateButton = h('button', { type: 'button', id: 'validate' }, 'Validate the log');
  validateButton.addEventListener('click', async () => {
    validateButton.disabled = true;
    validateResult.replaceChildren();
    validate.set(0, 'starting…');
    let updates = 0;
    try {
      await lines('/v1/log:validate', {
        signal: controller.signal,
        onLine: (m) => {
          if (m.progress) {
            updates += 1;
            const p = m.progress;
            const total = Number(p.total || 0);
            validate.set(total ? (100 * Number(p.done || 0)) / total : null,
              `${p.stage}: ${p.done || 0}${total ? ` of ${total}` : ''}${p.message ? ` · ${p.message}` : ''}`);
          } else if (m.result) {
            const r = m.result;
            validate.set(100, `done: ${r.checkedCount || 0} runs checked (${updates} progress update${updates === 1 ? '' : 's'})`);
            const problems = r.problems || [];
            validateResult.replaceChildren(
              h('p', { class: r.valid ? 'verdict ok' : 'verdict failed' },
                r.valid ? 'The log is valid.' : `The log has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`),
              problems.length ? h('table', { class: 'grid' },
                h('thead', {}, h('tr', {}, ['Run', 'Task', 'Field', 'Problem'].map((c) => h('th', {}, c)))),
                h('tbody', {}, problems.map((pr) => h('tr', {},
                  h('td', { class: 'mono' }, pr.runId || ''), h('td', {}, pr.taskId || ''),
                  h('td', { class: 'mono' }, pr.field || ''), h('td', {}, pr.message || ''))))) : '');
          }
        },
      });
    } catch {
      validate.set(0, 'failed: see the error above');
    } finally {
      validateButton.disabled = false;
    }
  });

  const exportProgress = progressBlock('export');
  const exportResult = h('div', { id: 'export-result' });
  const format = h('select', { name: 'format', id: 'export-format' },
    h('option', { value: 'EXPORT_FORMAT_JSON' }, 'JSON (the log file\u2019s format, importable)'),
    h('option', { value: 'EXPORT_FORMAT_CSV' }, 'CSV (the library\u2019s columns)'),
    h('option', { value: 'EXPORT_FORMAT_CSV_WITH_FILES' }, 'CSV with the files'));
  const exportTask = h('input', { name: 'task_id', list: 'task-ids', placeholder: 'all tasks', size: 14 });
  const exportButton = h('button', { type: 'button', id: 'export' }, 'Export');
  let blobUrl = null;
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    exportResult.replaceChildren();
    if (blobUrl) {
      URL.revokeObjectURL(blobUrl);
    }
    exportProgress.set(0, 'starting…');
    try {
      // The JSON export is about the size of the log file: the estimate for the bar until it ends.
      const { sizeBytes } = await call('/v1/log', { signal: controller.signal });
      const estimate = format.value === 'EXPORT_FORMAT_JSON' && !exportTask.value ? Number(sizeBytes || 0) : 0;
      const blob = await download(`/v1/log:export${query({ format: format.value, task_id: exportTask.value.trim() })}`, {
        signal: controller.signal,
        onBytes: (n) => exportProgress.set(estimate ? Math.min(99, (100 * n) / estimate) : null, `${formatBytes(n)} received`),
      });
      exportProgress.set(100, `done: ${formatBytes(blob.size)}`);
      blobUrl = URL.createObjectURL(blob);
      const name = `execution_log${exportTask.value ? `_${exportTask.value.trim()}` : ''}.${format.value === 'EXPORT_FORMAT_JSON' ? 'json' : 'csv'}`;
      exportResult.replaceChildren(h('p', {}, h('a', { href: blobUrl, download: name, id: 'export-save' }, `Save ${name}`), ` (${formatBytes(blob.size)})`));
    } catch {
      exportProgress.set(0, 'failed: see the error above');
    } finally {
      exportButton.disabled = false;
    }
  });
  ctx.onLeave(() => blobUrl && URL.revokeObjectURL(blobUrl));

  main.append(h('h1', {}, 'Maintenance'),
    h('section', { class: 'panel' }, h('h2', {}, 'The log'), info),
    h('section', { class: 'panel' }, h('h2', {}, 'Validate'),
      h('p', { class: 'muted' }, 'Checks every run and task summary, as ', h('span', { class: 'mono' }, 'execlog validate'), ' does. Read-only.'),
      validateButton, validate.block, validateResult),
    h('section', { class: 'panel' }, h('h2', {}, 'Export'),
      h('p', { class: 'muted' }, 'A consistent snapshot of the log, saved from the browser. Cleanup and import change the log: they stay in the command line tool.'),
      h('div', { class: 'filters' }, h('label', {}, 'Format ', format), h('label', {}, 'Task ', exportTask), exportButton),
      exportProgress.block, exportResult));

  call('/v1/log', { signal: controller.signal }).then((l) => {
    const rows = [
      ['Log file', h('span', { class: 'mono' }, l.path)],
      ['Project root', h('span', { class: 'mono' }, l.projectRoot)],
      ['Runs', String(l.executionCount)],
      ['Tasks', String(l.taskCount)],
      ['Size', formatBytes(Number(l.sizeBytes || 0))],
      ['Last changed', formatTime(l.lastModifiedTime)],
      ['Created', formatTime(l.createTime)],
      ['File format', l.version],
      ['Server', `${l.serverVersion} (commit ${l.serverCommit})`],
    ];
    info.replaceChildren(h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))));
  }).catch(() => {
    info.replaceChildren(h('tbody', {}, h('tr', {}, h('td', { class: 'muted' }, 'Could not read the log\u2019s description.'))));
  });
}
