'use strict';
// Cleanup keeps what the reference library keeps: a run goes only when it is both
// older than the age and beyond its task's newest runs. The stricter union only by name.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { ExecLogClient, status } = require('../src');
const { startServer } = require('./helpers');

const DAY = 86400 * 1000;
let server;
let client;
const idle = {}; // task id -> run ids, newest first
before(async () => {
  server = await startServer();
  client = new ExecLogClient(server.address);
  const now = Date.now();
  // a task last run 45 days ago (12 runs, a day apart), and a daily task (40 runs, today back to 39 days ago)
  for (const [task, count, firstDay] of [['t_idle', 12, 45], ['t_daily', 40, 0]]) {
    idle[task] = [];
    for (let i = count - 1; i >= 0; i--) {
      const timestamp = new Date(now - (firstDay + i) * DAY - 3600 * 1000);
      idle[task].unshift((await client.record({ taskId: task, taskType: 'x', timestamp })).task_run_id);
    }
  }
});
after(async () => {
  client?.close();
  await server?.stop();
});

const sorted = (ids) => [...ids].sort();

test('the stricter rule and max 0 per task only when asked, as dry runs', async () => {
  const strict = await client.cleanup({ dryRun: true, rule: 'old_or_beyond_count' }).result();
  assert.deepEqual(sorted(strict.removed_run_ids),
    sorted([...idle.t_idle, ...idle.t_daily.slice(10)]));
  const sameByEnumName = await client.cleanup({ dryRun: true, rule: 'CLEANUP_RULE_OLD_OR_BEYOND_COUNT' }).result();
  assert.deepEqual(sorted(sameByEnumName.removed_run_ids), sorted(strict.removed_run_ids));

  const byAgeOnly = await client.cleanup({ dryRun: true, maxRunsPerTask: 0 }).result();
  assert.deepEqual(sorted(byAgeOnly.removed_run_ids), sorted([...idle.t_idle, ...idle.t_daily.slice(30)]));
  assert.throws(() => client.cleanup({ rule: 'newest_only' }), (e) => e.code === status.INVALID_ARGUMENT);
});

test('the default keeps an idle task\'s newest runs; dry run and real run remove the same ids', async () => {
  const expected = sorted([...idle.t_idle.slice(10), ...idle.t_daily.slice(30)]);
  const dry = await client.cleanup({ dryRun: true }).result();
  assert.equal(dry.dry_run, true);
  assert.deepEqual(sorted(dry.removed_run_ids), expected);
  assert.equal((await client.history({ taskId: 't_idle', limit: 100 })).length, 12);

  const explicit = await client.cleanup({ dryRun: true, maxAgeDays: 30, maxPerTask: 10, rule: 'old-and-beyond-count' }).result();
  assert.deepEqual(sorted(explicit.removed_run_ids), expected);

  const real = await client.cleanup().result();
  assert.equal(real.dry_run, false);
  assert.equal(Number(real.removed_count), expected.length);
  assert.deepEqual(sorted(real.removed_run_ids), expected);
  assert.deepEqual((await client.history({ taskId: 't_idle', limit: 100 })).map((r) => r.task_run_id),
    idle.t_idle.slice(0, 10));
  assert.deepEqual((await client.history({ taskId: 't_daily', limit: 100 })).map((r) => r.task_run_id),
    idle.t_daily.slice(0, 30));
});
