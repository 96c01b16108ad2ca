'use strict';
// The Node example task runner, end to end against a real server.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ExecLogClient } = require('../src');
const { startServer, REPO } = require('./helpers');

const RUNNER = path.join(REPO, 'examples/node-task-runner/runner.js');
let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

function run(...args) {
  return spawnSync(process.execPath, [RUNNER, ...args], {
    env: { ...process.env, EXECLOG_SERVER: server.address, PROJECT_ROOT: server.root },
    encoding: 'utf8',
    timeout: 30000,
  });
}

test('runner checks dependencies, runs the task and records it', async () => {
  fs.mkdirSync(path.join(server.root, 'DATA/raw'), { recursive: true });
  fs.writeFileSync(path.join(server.root, 'DATA/raw/customers.csv'), 'a\nb\nc\n');

  let r = run('t_1P', '--depends-on', 't_1I');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stdout, /t_1I: NEVER_RUN/);

  r = run('t_1I', '--input', 'customers=DATA/raw/customers.csv', '--note', 'first load');
  assert.equal(r.status, 0, r.stderr);
  const out = path.join(server.root, 'DATA/processed/t_1I/output/line_counts.json');
  assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')).counts, { customers: 3 });

  r = run('t_1P', '--depends-on', 't_1I', '--input', 'counts=DATA/processed/t_1I/output/line_counts.json');
  assert.equal(r.status, 0, r.stderr);
  r = run('t_2', '--fail');
  assert.equal(r.status, 1);

  const client = new ExecLogClient(server.address);
  try {
    const producer = await client.producer('DATA/processed/t_1I/output/line_counts.json');
    assert.equal(producer.task_id, 't_1I');
    assert.deepEqual(producer.input_files, [{ name: 'customers', path: 'DATA/raw/customers.csv', extraFields: {} }]);
    assert.deepEqual(Object.keys(producer.extraFields).sort(), ['notes', 'operator']);
    assert.equal(producer.extraFields.notes, 'first load');
    const consumer = await client.latest('t_1P');
    assert.deepEqual(consumer.input_files.map((f) => f.path), ['DATA/processed/t_1I/output/line_counts.json']);
    const failed = await client.latest('t_2', { successOnly: false });
    assert.equal(failed.success, false);
    assert.deepEqual(failed.output_files, []);
    assert.match(failed.extraFields.error, /failed on purpose/);
  } finally {
    client.close();
  }
});
