'use strict';
// CSV export with the reference library's columns (and the files layout by name),
// and importing a log written under another project root.
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

const LIBRARY_HEADER = 'task_id,task_type,task_run_id,timestamp,success,execution_time,report_path,' +
  'input_files_count,output_files_count,hostname';
const FILES_HEADER = 'task_run_id,task_id,task_type,timestamp,success,execution_time,report_path,hostname,' +
  'input_files,output_files';

test('csv has the library\'s columns, True/False and numbers as stored; csv_with_files lists files', async () => {
  const ok = await client.record({
    taskId: 't_csv', taskType: 'ingestion', executionTime: 241, integerExecutionTime: true, hostname: 'h1',
    reportPath: 'DATA/reports/r.json', inputDatasets: { a: 'DATA/in/a.csv', b: 'DATA/in/b.csv' },
    outputArtifacts: ['DATA/out/o.csv'],
  });
  const failed = await client.record({ taskId: 't_csv', taskType: 'ingestion', success: false, executionTime: 45.2, hostname: 'h1' });

  const csv = await exportText(client, 'csv');
  const lines = csv.split('\r\n');
  assert.equal(lines[0], LIBRARY_HEADER);
  assert.equal(lines.at(-1), '');
  const rows = lines.slice(1, -1).map((l) => l.split(','));
  const okRow = rows.find((r) => r[2] === ok.task_run_id);
  assert.deepEqual([okRow[0], okRow[1], okRow[4], okRow[5], okRow[6], okRow[7], okRow[8], okRow[9]],
    ['t_csv', 'ingestion', 'True', '241', 'DATA/reports/r.json', '2', '1', 'h1']);
  const failedRow = rows.find((r) => r[2] === failed.task_run_id);
  assert.deepEqual([failedRow[4], failedRow[5], failedRow[7], failedRow[8]], ['False', '45.2', '0', '0']);
  assert.equal(Date.parse(okRow[3]), Date.parse(ok.timestamp));

  const withFiles = await exportText(client, 'csv_with_files');
  assert.equal(withFiles.split(/\r?\n/)[0], FILES_HEADER);
  assert.match(withFiles, /a=DATA\/in\/a\.csv;b=DATA\/in\/b\.csv/);
  assert.equal(await exportText(client, 'csv-with-files'), withFiles);
  assert.throws(() => client.export({ format: 'xlsx' }), ExecLogError);
});

test('import with sourceRoot rebases absolute paths from another project', async () => {
  const run = await client.record({
    taskId: 't_moved', taskType: 'x', reportPath: 'DATA/reports/moved.json',
    inputDatasets: { raw: 'DATA/raw/moved.csv' }, outputArtifacts: ['DATA/out/moved.csv'],
  });
  // the same log as another project at /srv/old-project wrote it: absolute paths, other ids
  const log = JSON.parse(await exportText(client, 'json', { taskId: 't_moved' }));
  const old = '/srv/old-project';
  const moved = log.executions.map((e) => ({
    ...e,
    task_run_id: e.task_run_id.replace(/^.{8}/, 'feedbeef'),
    report_path: `${old}/${e.report_path}`,
    input_files: e.input_files.map((f) => ({ ...f, path: `${old}/${f.path}` })),
    output_files: e.output_files.map((f) => ({ ...f, path: `${old}/${f.path}` })),
  }));
  const source = Buffer.from(JSON.stringify({ ...log, executions: moved }));
  const movedId = moved[0].task_run_id;

  await assert.rejects(client.import(source, { merge: true }).result(), (e) => e instanceof ExecLogError);
  await assert.rejects(client.get(movedId), (e) => e.code === status.NOT_FOUND);
  await assert.rejects(client.import(source, { merge: true, sourceRoot: 'srv/old-project' }).result(),
    (e) => e.code === status.INVALID_ARGUMENT && /source_root/.test(e.details));

  const res = await client.import(source, { merge: true, sourceRoot: old }).result();
  assert.equal(res.imported_count, 1);
  const got = await client.get(movedId);
  assert.equal(got.report_path, run.report_path);
  assert.deepEqual(got.input_files.map((f) => f.path), ['DATA/raw/moved.csv']);
  assert.deepEqual(got.output_files.map((f) => f.path), ['DATA/out/moved.csv']);
  const producers = (await client.producer('DATA/out/moved.csv', { includeAll: true })).producers;
  assert.deepEqual(producers.map((p) => p.task_run_id).sort(), [run.task_run_id, movedId].sort());
});
