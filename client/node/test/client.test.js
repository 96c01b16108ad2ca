'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { ExecLogClient, ExecLogError, status } = require('../src');
const grpc = require('@grpc/grpc-js');
const { startServer } = require('./helpers');

let server;
let client;
before(async () => {
  server = await startServer();
  client = new ExecLogClient(server.address);
});
after(async () => {
  client?.close();
  await server?.stop();
});

const uid = (p = 't') => `${p}_${Math.random().toString(16).slice(2, 10)}`;

test('record, get, latest and producer return spec-shaped records', async () => {
  const t = uid();
  const rec = await client.record({
    taskId: t, taskType: 'ingestion', success: true, executionTime: 45.2,
    reportPath: `DATA/reports/${t}.json`,
    inputDatasets: { customers: 'DATA/raw/customers.csv' },
    outputArtifacts: [`DATA/out/${t}.csv`, { path: `DATA/out/${t}.png`, type: 'png', description: 'chart' }],
  });
  assert.match(rec.task_run_id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(Object.keys(rec).sort(), ['execution_time', 'extraFields', 'hostname', 'input_files',
    'integerExecutionTime', 'output_files', 'report_path', 'success', 'task_id', 'task_run_id', 'task_type', 'timestamp']);
  assert.deepEqual(rec.extraFields, {});
  assert.equal(rec.integerExecutionTime, false);
  assert.equal(rec.execution_time, 45.2);
  assert.deepEqual(rec.input_files, [{ name: 'customers', path: 'DATA/raw/customers.csv', extraFields: {} }]);
  assert.deepEqual(rec.output_files, [
    { path: `DATA/out/${t}.csv`, type: 'csv', description: '', extraFields: {} },
    { path: `DATA/out/${t}.png`, type: 'png', description: 'chart', extraFields: {} },
  ]);
  assert.ok(Math.abs(Date.parse(rec.timestamp) - Date.now()) < 120000);
  assert.deepEqual(await client.get(rec.task_run_id), rec);
  assert.deepEqual(await client.latest(t), rec);
  assert.deepEqual(await client.producer(`DATA/out/${t}.csv`), rec);
  const all = await client.producer(`DATA/out/${t}.csv`, { includeAll: true });
  assert.deepEqual(all.producers, [rec]);
  assert.equal(await client.latest(uid('never')), null);
  assert.equal(await client.producer('DATA/none.csv'), null);
});

test('errors carry the gRPC code: unknown run id, path traversal', async () => {
  await assert.rejects(client.get('00000000-0000-0000-0000-000000000000'),
    (e) => e instanceof ExecLogError && e.code === status.NOT_FOUND && e.codeName === 'NOT_FOUND');
  await assert.rejects(client.producer('../x'), (e) => e.code === status.INVALID_ARGUMENT && /\.\./.test(e.details));
  await assert.rejects(client.record({ taskId: uid(), taskType: 'x', reportPath: '../out.json' }),
    (e) => e.code === status.INVALID_ARGUMENT);
  await assert.rejects(client.remove('00000000-0000-0000-0000-000000000000'), (e) => e.code === status.NOT_FOUND);
});

test('history is newest first, filters and pages', async () => {
  const t = uid();
  const ids = [];
  for (let i = 0; i < 7; i++) ids.push((await client.record({ taskId: t, taskType: 'x', success: i % 2 === 0 })).task_run_id);
  const newestFirst = [...ids].reverse();
  assert.deepEqual((await client.history({ taskId: t, limit: 100 })).map((r) => r.task_run_id), newestFirst);
  assert.deepEqual((await client.history({ taskId: t, limit: 3 })).map((r) => r.task_run_id), newestFirst.slice(0, 3));
  assert.deepEqual((await client.history({ taskId: t, limit: 100, successOnly: true })).map((r) => r.task_run_id),
    [ids[6], ids[4], ids[2], ids[0]]);
  const page = await client.listExecutions({ taskId: t, pageSize: 2 });
  assert.equal(page.records.length, 2);
  assert.ok(page.nextPageToken);
  const viaPages = [];
  for await (const r of client.iterateHistory({ taskId: t, pageSize: 2 })) viaPages.push(r.task_run_id);
  assert.deepEqual(viaPages, newestFirst);
});

test('track, update, remove, tasks', async () => {
  const t = uid();
  const first = await client.record({ taskId: t, taskType: 'x', reportPath: 'r.json' });
  const second = await client.record({ taskId: t, taskType: 'x', reportPath: 'r.json' });
  let rec = await client.trackInputs(t, ['DATA/in/a.csv']);
  assert.equal(rec.task_run_id, second.task_run_id);
  rec = await client.trackOutputs(t, ['DATA/out/a.json', 'DATA/out/a.json']);
  assert.deepEqual(rec.output_files.map((f) => f.path), ['DATA/out/a.json']);
  assert.deepEqual(rec.input_files.map((f) => f.path), ['DATA/in/a.csv']);
  await assert.rejects(client.trackInputs(uid('never'), ['DATA/a']), (e) => e.code === status.NOT_FOUND);

  rec = await client.update(second.task_run_id, {
    timestamp: '2025-05-01T12:00:00+00:00', execution_time: 99.5, success: false, hostname: 'analysis-server',
  });
  assert.equal(Date.parse(rec.timestamp), Date.parse('2025-05-01T12:00:00Z'));
  assert.equal(rec.execution_time, 99.5);
  assert.equal(rec.success, false);
  assert.equal(rec.hostname, 'analysis-server');
  await assert.rejects(client.update(second.task_run_id, { task_id: 'x' }), (e) => e.code === status.INVALID_ARGUMENT);

  const summary = (await client.tasks()).find((s) => s.task_id === t);
  assert.equal(summary.run_count, 2);
  assert.equal(summary.last_task_run_id, first.task_run_id); // the updated run is now older
  assert.deepEqual(await client.remove(first.task_run_id), first);
  assert.equal((await client.tasks()).find((s) => s.task_id === t).run_count, 1);
});

test('checkDependencies and info', async () => {
  const ok = uid('dep');
  const failed = uid('dep');
  await client.record({ taskId: ok, taskType: 'x', success: true });
  await client.record({ taskId: failed, taskType: 'x', success: false });
  const never = uid('never');
  const res = await client.checkDependencies([ok, failed, never]);
  assert.equal(res.satisfied, false);
  assert.deepEqual(res.dependencies.map((d) => [d.task_id, d.state]),
    [[ok, 'SATISFIED'], [failed, 'FAILED'], [never, 'NEVER_RUN']]);
  assert.equal(res.dependencies[0].latest_success.task_id, ok);
  assert.equal((await client.checkDependencies([ok])).satisfied, true);
  const info = await client.info();
  assert.equal(info.project_root, fs.realpathSync(server.root));
  assert.ok(info.execution_count >= 2 && info.task_count >= 2);
  assert.equal(info.version, '1.0.0');
});

test('validate and cleanup stream progress, then a result', async () => {
  const events = [];
  for await (const ev of client.validate()) events.push(ev);
  assert.ok(events.some((e) => e.type === 'progress' && e.total >= 0));
  const last = events[events.length - 1];
  assert.equal(last.type, 'result');
  assert.equal(last.valid, true);
  const progress = [];
  const res = await client.cleanup({ maxAgeDays: 3650, maxPerTask: 1000, dryRun: true }).result((p) => progress.push(p));
  assert.equal(res.removed_count, 0);
  assert.equal(res.dry_run, true);
  assert.ok(progress.length > 0);
  await assert.rejects(client.cleanup({ maxAgeDays: -1 }).result(), (e) => e.code === status.INVALID_ARGUMENT);
});

test('export streams chunks and a checked result; import uploads in chunks', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-export-'));
  try {
    const kinds = new Set();
    for await (const ev of client.export({ format: 'csv' })) kinds.add(ev.type);
    assert.ok(kinds.has('chunk') && kinds.has('result'));
    const progress = [];
    const out = path.join(dir, 'sub', 'log.json');
    const res = await client.exportToFile(out, { onProgress: (p) => progress.push(p) });
    const data = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(data.executions.length, res.execution_count);
    assert.equal(fs.statSync(out).size, res.size_bytes);
    assert.ok(progress.length > 0);
    const imported = await client.import(out, { merge: true, chunkSize: 256 }).result();
    assert.equal(imported.imported_count, 0);
    assert.equal(imported.skipped_count, res.execution_count);
    const dry = await client.import(fs.readFileSync(out), { merge: false, dryRun: true }).result();
    assert.equal(dry.dry_run, true);
    await assert.rejects(client.import(Buffer.from('{not json'), { merge: true }).result(),
      (e) => e.code === status.INVALID_ARGUMENT);
    assert.throws(() => client.export({ format: 'xml' }), ExecLogError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('recordWithOutcome tells a retry from a new run; producers, task pages', async () => {
  const t = uid();
  const runId = crypto.randomUUID();
  const first = await client.recordWithOutcome({ taskId: t, taskType: 'x', runId, timestamp: '2026-01-01T00:00:00Z',
    outputArtifacts: ['DATA/out/shared.csv'] });
  assert.equal(first.already_recorded, false);
  const retry = await client.recordWithOutcome({ taskId: t, taskType: 'x', runId, timestamp: '2026-01-01T00:00:00Z',
    outputArtifacts: ['DATA/out/shared.csv'] });
  assert.equal(retry.already_recorded, true);
  assert.deepEqual(retry.run, first.run);
  const all = await client.producer('DATA/out/shared.csv', { includeAll: true });
  assert.equal(all.producers_truncated, false);
  assert.deepEqual(all.producers.map((r) => r.task_run_id), [runId]);

  const ids = [uid('page'), uid('page'), uid('page')];
  for (const id of ids) await client.record({ taskId: id, taskType: 'x' });
  const first2 = await client.listTasks({ pageSize: 2 });
  assert.equal(first2.tasks.length, 2);
  assert.ok(first2.nextPageToken);
  const viaPages = [];
  for await (const s of client.iterateTasks({ pageSize: 2 })) viaPages.push(s.task_id);
  assert.deepEqual(viaPages, (await client.tasks()).map((s) => s.task_id));
  assert.deepEqual(viaPages, [...viaPages].sort());
  for (const id of ids) assert.ok(viaPages.includes(id));
});

test('checkDependencies: newer than the asker, outputs on disk', async () => {
  const up = uid('up');
  const down = uid('down');
  await client.record({ taskId: up, taskType: 'x', outputArtifacts: [`DATA/out/${up}.csv`] });
  let res = await client.checkDependencies([up], { requireOutputsExist: true });
  assert.deepEqual(res.dependencies.map((d) => [d.state, d.missing_output_paths]), [['OUTPUTS_MISSING', [`DATA/out/${up}.csv`]]]);
  fs.mkdirSync(path.join(server.root, 'DATA/out'), { recursive: true });
  fs.writeFileSync(path.join(server.root, `DATA/out/${up}.csv`), 'x\n');
  res = await client.checkDependencies([up], { requireOutputsExist: true });
  assert.equal(res.satisfied, true);
  const mine = await client.record({ taskId: down, taskType: 'x' });
  res = await client.checkDependencies([up], { newerThanTaskId: down });
  assert.equal(res.dependencies[0].state, 'STALE');
  res = await client.checkDependencies([up], { newerThanRunId: mine.task_run_id });
  assert.equal(res.dependencies[0].state, 'STALE');
  await client.record({ taskId: up, taskType: 'x' });
  assert.equal((await client.checkDependencies([up], { newerThanTaskId: down })).satisfied, true);
  await assert.rejects(client.checkDependencies([up], { newerThanTaskId: down, newerThanRunId: 'x' }),
    (e) => e.code === status.INVALID_ARGUMENT && /not both/.test(e.message));
});

test('lineage walks from a task, a run or a file, at task or run level', async () => {
  const a = uid('a');
  const b = uid('b');
  const file = `DATA/lineage/${a}.csv`;
  const ra = await client.record({ taskId: a, taskType: 'x', outputArtifacts: [file] });
  const rb = await client.record({ taskId: b, taskType: 'x', inputDatasets: { src: file } });
  let g = await client.lineage({ taskId: a, direction: 'downstream' });
  assert.equal(g.start_node_id, `task:${a}`);
  assert.deepEqual(g.nodes.map((n) => [n.id, n.kind, n.distance]), [[`task:${a}`, 'task', 0], [`task:${b}`, 'task', 1]]);
  assert.equal(g.nodes[1].task.last_task_run_id, rb.task_run_id);
  assert.deepEqual(g.edges, [{ source_node_id: `task:${a}`, target_node_id: `task:${b}`, path: file }]);
  assert.equal(g.truncated, false);
  g = await client.lineage({ runId: rb.task_run_id, direction: 'upstream', level: 'run' });
  assert.deepEqual(g.nodes.map((n) => n.id), [`run:${rb.task_run_id}`, `run:${ra.task_run_id}`]);
  assert.deepEqual(g.nodes[1].run, ra);
  g = await client.lineage({ path: file, direction: 'both', depth: 1 });
  assert.equal(g.nodes[0].kind, 'path');
  assert.equal(g.nodes[0].path, file);
  assert.deepEqual(g.nodes.slice(1).map((n) => n.id).sort(), [`task:${a}`, `task:${b}`].sort());
  await assert.rejects(client.lineage({ taskId: a, runId: rb.task_run_id }), (e) => e.code === status.INVALID_ARGUMENT);
  await assert.rejects(client.lineage({ taskId: a, direction: 'sideways' }), (e) => e.code === status.INVALID_ARGUMENT);
  await assert.rejects(client.lineage({ taskId: a, depth: 51 }), (e) => e.reason === 'INVALID_FIELD' && e.field === 'depth');
});

test('statistics: counts, success rate, durations and buckets', async () => {
  const t = uid('stats');
  const times = [1, 2, 3, 10];
  for (const [i, s] of times.entries()) {
    await client.record({ taskId: t, taskType: 'x', executionTime: s, success: i !== 3,
      timestamp: `2026-03-0${i < 2 ? 1 : 2}T12:00:00Z` });
  }
  const r = await client.statistics({ taskId: t, bucket: 'day' });
  assert.equal(r.total.task_id, t);
  assert.deepEqual(r.total.overall, { run_count: 4, success_count: 3, success_rate: 0.75, mean_duration: 4,
    p50_duration: 2, p95_duration: 10, max_duration: 10 });
  assert.deepEqual(r.total.buckets.map((b) => [Date.parse(b.start_time), b.statistics.run_count]),
    [[Date.parse('2026-03-01T00:00:00Z'), 2], [Date.parse('2026-03-02T00:00:00Z'), 2]]);
  assert.deepEqual(r.tasks, []);
  const windowed = await client.statistics({ taskId: t, startTime: '2026-03-02T00:00:00Z' });
  assert.equal(windowed.total.overall.run_count, 2);
  assert.deepEqual(windowed.total.buckets, []);
  const empty = await client.statistics({ taskId: t, startTime: '2030-01-01T00:00:00Z' });
  assert.equal(empty.total.overall.mean_duration, null);
  const everything = await client.statistics();
  assert.ok(everything.tasks.some((s) => s.task_id === t && s.overall.run_count === 4));
  await assert.rejects(client.statistics({ taskId: uid('never') }), (e) => e.code === status.NOT_FOUND);
});

test('ordinary calls and long operations have their own deadlines', async () => {
  const fresh = new ExecLogClient(server.address);
  assert.equal(fresh.deadlineMs, 30000);
  assert.equal(fresh.longDeadlineMs, 3600000);
  fresh.close();
  // The deadline each call is given, seen by a client interceptor: comparing it with the clock,
  // not racing a tiny deadline against a fast loopback server, keeps this test exact.
  const deadlines = [];
  const spy = (options, nextCall) => {
    deadlines.push(options.deadline.getTime() - Date.now());
    return new grpc.InterceptingCall(nextCall(options));
  };
  const short = new ExecLogClient(server.address, { deadlineMs: 2000, channelOptions: { interceptors: [spy] } });
  try {
    await short.info();
    const progress = [];
    const res = await short.validate({ onProgress: (p) => progress.push(p) }).result();
    assert.equal(res.valid, true);
    assert.ok(progress.length > 0);
    await short.validate({ deadlineMs: 60000 }).result();
    const [info, validate, validateGiven] = deadlines;
    assert.ok(info > 0 && info <= 2000, `info's deadline ${info} ms`);
    assert.ok(validate > 3500000 && validate <= 3600000, `validate's deadline ${validate} ms`);
    assert.ok(validateGiven > 50000 && validateGiven <= 60000, `validate's own deadline ${validateGiven} ms`);
    // A deadline that has passed fails the call, ordinary or long, with DEADLINE_EXCEEDED.
    const late = new ExecLogClient(server.address, { deadlineMs: 0 });
    try {
      await assert.rejects(late.info(), (e) => e.code === status.DEADLINE_EXCEEDED);
      await assert.rejects(late.validate({ deadlineMs: 0 }).result(), (e) => e.code === status.DEADLINE_EXCEEDED);
    } finally {
      late.close();
    }
  } finally {
    short.close();
  }
});
