'use strict';
// Keys beyond the spec's ten, on runs and on file entries, and integer execution
// times: written as JSON by the client, returned parsed by every read.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { ExecLogClient, ExecLogError, status } = require('../src');
const { startServer, exportText } = require('./helpers');

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
const ADDED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/; // Python's naive datetime.now().isoformat()

test('extra keys round trip through record, get, latest and history', async () => {
  const t = uid();
  const extraFields = {
    notes: 'looks good', metrics: { rows: 100, ratio: 0.25 }, tags: ['pii', 'nightly'], operator: null, 'a.b': 1,
  };
  const rec = await client.record({ taskId: t, taskType: 'profiling', extraFields });
  assert.deepEqual(rec.extraFields, extraFields);
  assert.equal(rec.extraFields.notes, 'looks good');
  assert.deepEqual((await client.get(rec.task_run_id)).extraFields, extraFields);
  assert.deepEqual((await client.latest(t)).extraFields, extraFields);
  assert.deepEqual((await client.history({ taskId: t }))[0].extraFields, extraFields);
  const plain = await client.record({ taskId: t, taskType: 'profiling' });
  assert.deepEqual(plain.extraFields, {});

  // the log file holds them as top-level keys of the run, as the reference library writes them
  const file = JSON.parse(await exportText(client, 'json'));
  const inFile = file.executions.find((e) => e.task_run_id === rec.task_run_id);
  for (const [key, value] of Object.entries(extraFields)) assert.deepEqual(inFile[key], value, key);
});

test('update sets and removes single extra keys, leaving the others', async () => {
  const t = uid();
  const rec = await client.record({
    taskId: t, taskType: 'x', extraFields: { notes: 'first', tags: ['a'], operator: 'ana', 'v1.2`x': true },
  });
  let updated = await client.update(rec.task_run_id, {
    extraFields: { notes: 'second', metrics: { rows: 7 }, tags: undefined, 'v1.2`x': undefined, 'k.v': 'dotted' },
  });
  const expected = { notes: 'second', operator: 'ana', metrics: { rows: 7 }, 'k.v': 'dotted' };
  assert.deepEqual(updated.extraFields, expected);
  assert.deepEqual((await client.get(rec.task_run_id)).extraFields, expected);
  assert.deepEqual((await client.history({ taskId: t }))[0].extraFields, expected);

  // together with a spec field; then the whole map replaced
  updated = await client.update(rec.task_run_id, { hostname: 'h2', extraFields: { notes: 'third' } });
  assert.equal(updated.hostname, 'h2');
  assert.equal(updated.extraFields.notes, 'third');
  assert.equal(updated.extraFields.operator, 'ana');
  updated = await client.update(rec.task_run_id, { extraFields: { only: 1 } }, { replaceExtraFields: true });
  assert.deepEqual(updated.extraFields, { only: 1 });
  assert.deepEqual((await client.get(rec.task_run_id)).extraFields, { only: 1 });
});

test('a value JSON cannot hold is an error naming its key; spec keys stay reserved', async () => {
  const t = uid();
  const cyclic = {};
  cyclic.self = cyclic;
  const rec = await client.record({ taskId: t, taskType: 'x' });
  for (const [key, value] of [['fn', () => 1], ['big', 10n], ['nan', NaN], ['inf', { x: Infinity }],
    ['loop', cyclic], ['sym', Symbol('s')]]) {
    const named = (e) => e instanceof ExecLogError && e.code === status.INVALID_ARGUMENT && e.message.includes(`"${key}"`);
    await assert.rejects(client.record({ taskId: t, taskType: 'x', extraFields: { [key]: value } }), named, key);
    await assert.rejects(client.update(rec.task_run_id, { extraFields: { [key]: value } }), named, key);
  }
  await assert.rejects(client.record({ taskId: t, taskType: 'x', extraFields: { success: 1 } }),
    (e) => e.code === status.INVALID_ARGUMENT && /success/.test(e.details));
  await assert.rejects(client.record({ taskId: t, taskType: 'x', extraFields: new Map([['notes', 'x']]) }),
    (e) => e.code === status.INVALID_ARGUMENT && /plain object/.test(e.message));
  await assert.rejects(client.update(rec.task_run_id, { notes: 'x' }),
    (e) => e.code === status.INVALID_ARGUMENT && /extraFields/.test(e.message));
  assert.equal((await client.history({ taskId: t, limit: 100 })).length, 1);
});

test('tracked files get added_at as the library writes it, kept by later updates', async () => {
  const t = uid();
  const rec = await client.record({
    taskId: t, taskType: 'x', inputDatasets: [{ name: 'raw', path: 'DATA/in/raw.csv', extraFields: { rows: 3 } }],
  });
  assert.deepEqual(rec.input_files, [{ name: 'raw', path: 'DATA/in/raw.csv', extraFields: { rows: 3 } }]);
  let tracked = await client.trackInputs(t, ['DATA/in/more.csv']);
  const added = tracked.input_files.find((f) => f.path === 'DATA/in/more.csv');
  assert.match(added.extraFields.added_at, ADDED_AT);
  assert.deepEqual(tracked.input_files[0].extraFields, { rows: 3 });
  tracked = await client.trackOutputs(t, ['DATA/out/result.json']);
  assert.match(tracked.output_files[0].extraFields.added_at, ADDED_AT);
  assert.equal(tracked.output_files[0].type, 'json');

  const got = await client.get(rec.task_run_id);
  assert.deepEqual(got.input_files, tracked.input_files);
  assert.deepEqual(got.output_files, tracked.output_files);
  // entries read back and written again keep their extra keys
  const rewritten = await client.update(rec.task_run_id, { input_files: got.input_files, output_files: got.output_files });
  assert.deepEqual(rewritten.input_files, got.input_files);
  assert.deepEqual(rewritten.output_files, got.output_files);

  const file = JSON.parse(await exportText(client, 'json'));
  const inFile = file.executions.find((e) => e.task_run_id === rec.task_run_id);
  assert.equal(inFile.output_files[0].added_at, tracked.output_files[0].extraFields.added_at);
});

test('integerExecutionTime writes a whole execution time as an integer and reads back', async () => {
  const t = uid();
  const rec = await client.record({ taskId: t, taskType: 'x', executionTime: 241, integerExecutionTime: true });
  assert.equal(rec.execution_time, 241);
  assert.equal(rec.integerExecutionTime, true);
  assert.equal((await client.get(rec.task_run_id)).integerExecutionTime, true);
  const plain = await client.record({ taskId: t, taskType: 'x', executionTime: 242 });
  assert.equal(plain.integerExecutionTime, false);

  const text = await exportText(client, 'json');
  assert.match(text, /"execution_time":\s*241[,\s}]/);
  assert.match(text, /"execution_time":\s*242\.0[,\s}]/);

  await assert.rejects(client.record({ taskId: t, taskType: 'x', executionTime: 1.5, integerExecutionTime: true }),
    (e) => e.code === status.INVALID_ARGUMENT && /whole/.test(e.message));
  let updated = await client.update(plain.task_run_id, { execution_time: 7, integerExecutionTime: true });
  assert.equal(updated.integerExecutionTime, true);
  updated = await client.update(plain.task_run_id, { execution_time: 7.5 });
  assert.equal(updated.integerExecutionTime, false);
  assert.equal(updated.execution_time, 7.5);
  await assert.rejects(client.update(plain.task_run_id, { integerExecutionTime: true }),
    (e) => e.code === status.INVALID_ARGUMENT);
});
