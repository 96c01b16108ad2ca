'use strict';
// A run recorded from Python is read from Node, and a run recorded (and updated)
// from Node is read from Python: both clients see identical fields.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ExecLogClient } = require('../src');
const { startServer, REPO } = require('./helpers');

const PY_ROOT = path.join(REPO, 'client/python');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
let server;
let client;

function python(...args) {
  const out = execFileSync(PYTHON, [path.join(__dirname, 'py_peer.py'), ...args], {
    env: { ...process.env, EXECLOG_SERVER: server.address, PYTHONPATH: PY_ROOT },
    encoding: 'utf8',
    timeout: 30000,
  });
  return JSON.parse(out);
}

// The time of an ISO timestamp in microseconds since the epoch; one without an
// offset is local time, as the library (and the Python drop-in) write them.
function micros(iso) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?$/.exec(iso);
  assert.ok(m, `not an ISO time: ${iso}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const ms = m[8] ? Date.parse(`${iso.slice(0, 19)}${m[8]}`) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return BigInt(ms / 1000) * 1000000n + BigInt((m[7] || '').padEnd(6, '0'));
}

/**
 * A run as the reference library's dict holds it: extra keys beside the spec's
 * keys (in file entries too), the time as an instant. Applies to Node records
 * and Python dicts alike, so the two can be compared.
 */
function libraryDict(rec) {
  const { extraFields = {}, integerExecutionTime, timestamp, ...spec } = rec;
  const entry = ({ extraFields: extra = {}, ...fields }) => ({ ...fields, ...extra });
  return {
    ...spec,
    ...extraFields,
    timestamp: micros(timestamp),
    input_files: spec.input_files.map(entry),
    output_files: spec.output_files.map(entry),
  };
}

before(async () => {
  if (!fs.existsSync(path.join(PY_ROOT, 'execlog/v1/execution_log_pb2.py'))) {
    execFileSync(path.join(PY_ROOT, 'generate.sh'), { stdio: 'inherit' });
  }
  server = await startServer();
  client = new ExecLogClient(server.address);
});
after(async () => {
  client?.close();
  await server?.stop();
});

test('Python -> Node -> Python: identical fields', async () => {
  const fromPython = python('record', 't_1A_profiling');
  assert.equal(fromPython.execution_time, 125.3);
  assert.equal(fromPython.output_files[1].type, 'text');

  const inNode = await client.get(fromPython.task_run_id);
  assert.deepEqual(libraryDict(inNode), libraryDict(fromPython));
  assert.deepEqual(libraryDict(await client.latest('t_1A_profiling')), libraryDict(fromPython));

  // Node changes the run (fractional seconds and micros included); Python sees the same values
  const updated = await client.update(fromPython.task_run_id, {
    timestamp: '2025-05-01T12:00:00.250001+00:00', execution_time: 0.125, hostname: 'node-host',
  });
  assert.deepEqual(libraryDict(python('get', fromPython.task_run_id)), libraryDict(updated));
});

test('Node -> Python: a run recorded from Node reads back identically', async () => {
  const rec = await client.record({
    taskId: 't_node_cross', taskType: 'anonymization', success: false, executionTime: 3.75,
    reportPath: 'DATA/reports/t_node_cross.json',
    inputDatasets: { profile: 'DATA/processed/t_1A_profiling/output/field_statistics.json' },
    outputArtifacts: ['DATA/processed/t_node_cross/out.parquet', { path: 'DATA/x.csv', type: 'csv', description: 'x' }],
  });
  assert.deepEqual(libraryDict(python('get', rec.task_run_id)), libraryDict(rec));
  assert.deepEqual(libraryDict(python('latest', 't_node_cross')), libraryDict(rec));
});

// The Java side reads through the execlog CLI, which is built on the Java client library.
const CLI_JAR = path.join(REPO, 'cli/target/execlog-cli-0.1.0-all.jar');

test('Python -> Java: the Java client reads the same fields', () => {
  assert.ok(fs.existsSync(CLI_JAR), `build the Java CLI first (mvn -B install): ${CLI_JAR}`);
  const fromPython = python('record', 't_java_cross');
  const out = execFileSync('java', ['-jar', CLI_JAR, 'show', fromPython.task_run_id, '--json',
    '--server', server.address], { encoding: 'utf8', timeout: 60000 });
  const inJava = JSON.parse(out.trim().split('\n')[0]);
  for (const key of ['task_run_id', 'task_id', 'task_type', 'success', 'execution_time', 'report_path',
    'input_files', 'output_files', 'hostname']) {
    assert.deepEqual(inJava[key], fromPython[key], key);
  }
  assert.equal(micros(inJava.timestamp), micros(fromPython.timestamp));
});
