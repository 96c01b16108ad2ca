'use strict';
// Watching the log: changes as they are committed, filters, closing, and the two ways the server
// ends a watch: WATCH_LAGGED for a reader too slow (a server keeping 2 changes per watcher) and
// SHUTTING_DOWN when the server process is stopped (SIGTERM) while a watch is open.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { ExecLogClient, ExecLogError, ErrorReason, ERROR_DOMAIN, status } = require('../src');
const { startServer } = require('./helpers');

const uid = (p = 't') => `${p}_${Math.random().toString(16).slice(2, 10)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A log file of `count` runs of `taskId`, for import. */
function logOf(taskId, count) {
  const executions = Array.from({ length: count }, (_, i) => ({
    task_id: taskId, task_type: 'x', task_run_id: crypto.randomUUID(), timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}`,
    success: true, execution_time: i, report_path: '', input_files: [], output_files: [], hostname: 'h',
  }));
  return Buffer.from(JSON.stringify({ executions, tasks: {} }));
}

describe('with a server keeping 2 changes per watcher', () => {
  let server;
  let client;
  before(async () => {
    server = await startServer({ args: ['--watch-queue-capacity', '2'] });
    client = new ExecLogClient(server.address);
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test('a watch delivers recorded, updated and removed runs of its task, in order, and ends on close', async () => {
    const t = uid();
    const watch = await client.watch({ taskId: t });
    assert.equal(watch.lastSequence, watch.startSequence);
    assert.equal(watch.gap, false);
    const rec = await client.record({ taskId: t, taskType: 'x' });
    await client.record({ taskId: uid('other'), taskType: 'x' }); // filtered out
    await client.update(rec.task_run_id, { hostname: 'changed' });
    await client.remove(rec.task_run_id);
    const changes = [];
    for await (const c of watch) {
      changes.push(c);
      if (changes.length === 3) break; // leaves the loop and closes the watch
    }
    assert.deepEqual(changes.map((c) => [c.kind, c.run.task_run_id]),
      [['RECORDED', rec.task_run_id], ['UPDATED', rec.task_run_id], ['REMOVED', rec.task_run_id]]);
    assert.equal(changes[1].run.hostname, 'changed');
    assert.ok(changes[0].sequence > watch.startSequence);
    assert.ok(changes[0].sequence < changes[1].sequence && changes[1].sequence < changes[2].sequence);
    assert.equal(changes[1].sequence - changes[0].sequence, 2); // the other task's change is a gap
    assert.equal(watch.lastSequence, changes[2].sequence);
    assert.equal(watch.closed, true);
    assert.deepEqual(await watch.next(), { value: undefined, done: true });

    // close() from outside ends a pending read
    const idle = await client.watch({ taskId: uid('idle') });
    const pending = idle.next();
    idle.close();
    assert.deepEqual(await pending, { value: undefined, done: true });
  });

  test('a slow reader gets WATCH_LAGGED with the last sequence delivered, and resumes with afterSequence', async () => {
    const t = uid('lag');
    const watch = await client.watch({ taskId: t });
    // 300 runs arrive at once; the reader takes its time
    await client.import(logOf(t, 300), { merge: true }).result();
    const seen = [];
    let error;
    try {
      for await (const c of watch) {
        seen.push(c.sequence);
        await sleep(5);
      }
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ExecLogError, `the watch did not fail: saw ${seen.length} changes`);
    assert.equal(error.code, status.RESOURCE_EXHAUSTED, error.message);
    assert.equal(error.reason, ErrorReason.WATCH_LAGGED);
    assert.equal(error.domain, ERROR_DOMAIN);
    assert.ok(seen.length < 300, `saw all ${seen.length} changes`);
    const last = seen.length ? seen[seen.length - 1] : watch.startSequence;
    assert.equal(error.metadata.last_sequence, String(last));
    assert.equal(watch.lastSequence, last);

    // resuming after it: the changes since were not carried, and the watch says so
    const again = await client.watch({ taskId: t, afterSequence: error.metadata.last_sequence });
    assert.equal(again.gap, true);
    assert.ok(again.startSequence >= last + 300 - seen.length);
    again.close();
    // with nothing committed in between there is no gap
    const third = await client.watch({ taskId: t, afterSequence: again.startSequence });
    assert.equal(third.gap, false);
    third.close();
  });
});

test('a watch open while the server stops ends with SHUTTING_DOWN (UNAVAILABLE)', async () => {
  const server = await startServer();
  const client = new ExecLogClient(server.address);
  let stopped = false;
  try {
    const watch = await client.watch();
    const outcome = watch.next().then((r) => r, (err) => err);
    await server.stop(); // SIGTERM; the server ends its watches before it shuts down
    stopped = true;
    const err = await outcome;
    assert.ok(err instanceof ExecLogError, `the watch did not fail: ${JSON.stringify(err)}`);
    assert.equal(err.code, status.UNAVAILABLE, err.message);
    assert.equal(err.reason, ErrorReason.SHUTTING_DOWN, err.message);
    assert.equal(err.domain, ERROR_DOMAIN);
    assert.deepEqual(err.metadata, {});
    assert.equal(watch.closed, true);
  } finally {
    client.close();
    if (!stopped) await server.stop();
  }
});
