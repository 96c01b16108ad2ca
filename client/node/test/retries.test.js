'use strict';
// Retries and several servers, against real server processes killed with SIGKILL. Every channel
// carries the service config all execlog clients share: round robin over the servers a
// comma-separated address names, and UNAVAILABLE retried on reads and records, never on deletes.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ExecLogClient, ExecLogError, status } = require('../src');
const { parseServerList, SERVICE_CONFIG } = require('../src/connection');
const { startServer, REPO } = require('./helpers');

async function count(address, options = {}) {
  const c = new ExecLogClient(address, options);
  try {
    return (await c.info()).execution_count;
  } finally {
    c.close();
  }
}

test('the service config is the one every client carries', () => {
  const config = JSON.parse(SERVICE_CONFIG);
  const python = path.join(REPO, 'client/python/execlog/service_config.json');
  if (fs.existsSync(python)) assert.deepEqual(JSON.parse(fs.readFileSync(python, 'utf8')), config);
  const retried = new Set(config.methodConfig[0].name.map((n) => n.method));
  for (const m of ['RecordExecution', 'GetExecution', 'ListExecutions', 'ExportLog']) assert.ok(retried.has(m), m);
  for (const m of ['DeleteExecution', 'CleanupExecutions', 'ImportLog', 'WatchExecutions']) assert.ok(!retried.has(m), m);
  assert.deepEqual(config.methodConfig[0].retryPolicy.retryableStatusCodes, ['UNAVAILABLE']);
  assert.deepEqual(config.loadBalancingConfig, [{ round_robin: {} }]);
});

test('a list of servers: each entry host:port, a bad one named', () => {
  assert.deepEqual(parseServerList('a.internal:1, [::1]:2').map((e) => [e.host, e.port]), [['a.internal', 1], ['::1', 2]]);
  assert.throws(() => new ExecLogClient('127.0.0.1:1,b'), (e) => e instanceof ExecLogError && /'b'.*expected HOST:PORT/.test(e.message));
});

test('two servers, one killed: reads and records go on on the survivor', async () => {
  const a = await startServer();
  const b = await startServer();
  const client = new ExecLogClient(`${a.address},${b.address}`);
  try {
    for (let i = 0; i < 8; i++) await client.record({ taskId: 't_spread', taskType: 'test' });
    const onA = await count(a.address);
    const onB = await count(b.address);
    assert.equal(onA + onB, 8);
    assert.ok(onA > 0 && onB > 0, `${onA} and ${onB}`);

    await a.kill();
    const ids = [];
    for (let i = 0; i < 10; i++) {
      ids.push((await client.record({ taskId: 't_after', taskType: 'test' })).task_run_id);
      await client.info();
      await client.tasks();
    }

    assert.equal(await count(b.address), onB + 10);
    for (const id of ids) assert.equal((await client.get(id)).task_run_id, id);
  } finally {
    client.close();
    await a.stop();
    await b.stop();
  }
});

test('a server restarted on its port: records retry and no run is stored twice', async () => {
  const s = await startServer();
  const client = new ExecLogClient(s.address, { deadlineMs: 20000 });
  const acknowledged = [];
  let resent = 0;
  let already = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const runId = crypto.randomUUID();
      for (;;) {
        try {
          const outcome = await client.recordWithOutcome({ taskId: 't_loop', taskType: 'test', runId });
          assert.equal(outcome.run.task_run_id, runId);
          if (outcome.already_recorded) already++;
          acknowledged.push(runId);
          break;
        } catch (e) {
          if (!(e instanceof ExecLogError) || e.code !== status.UNAVAILABLE) throw e;
          resent++; // the restart outlasted gRPC's retries: the same run again
        }
      }
    }
  })();
  try {
    await waitFor(() => acknowledged.length >= 20);
    await s.kill();
    const atKill = acknowledged.length;
    await s.restart();
    await waitFor(() => acknowledged.length >= atKill + 20);
    stop = true;
    await loop;

    const stored = (await client.history({ taskId: 't_loop', limit: 100000 })).map((r) => r.task_run_id);
    assert.equal(new Set(stored).size, stored.length, 'no run id twice');
    assert.deepEqual(new Set(stored), new Set(acknowledged), 'every acknowledged run stored, nothing else');
    assert.equal(stored.length, acknowledged.length, `resent ${resent}, already recorded ${already}`);
  } finally {
    stop = true;
    await loop.catch(() => {});
    client.close();
    await s.stop();
  }
});

test('a server killed: a delete fails at once while reads retry', async () => {
  const s = await startServer();
  const client = new ExecLogClient(s.address);
  try {
    const run = await client.record({ taskId: 't_delete', taskType: 'test' });
    await s.kill();

    let start = Date.now();
    await assert.rejects(client.remove(run.task_run_id), (e) => e.code === status.UNAVAILABLE);
    const deleteMs = Date.now() - start;
    start = Date.now();
    await assert.rejects(client.get(run.task_run_id), (e) => e.code === status.UNAVAILABLE);
    const getMs = Date.now() - start;

    // One attempt fails in milliseconds; five wait four random backoffs of up to 0.5, 1, 2 and 4 s
    // (below 0.3 s in all about once in 10,000 runs).
    assert.ok(deleteMs < 300, `delete took ${deleteMs} ms`);
    assert.ok(getMs > 300, `get took ${getMs} ms`);
  } finally {
    client.close();
    await s.stop();
  }
});

test('host names, TLS and a token with two servers: each name looked up, both servers used', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-node-list-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', 'server.key', '-out', 'server.pem'], { cwd: dir, stdio: 'ignore' });
  const token = 'node-list-writer-token';
  fs.writeFileSync(path.join(dir, 'auth.json'), JSON.stringify({ tokens: [{ name: 'w', role: 'writer',
    sha256: crypto.createHash('sha256').update(token).digest('hex') }] }));
  const args = ['--tls-cert', path.join(dir, 'server.pem'), '--tls-key', path.join(dir, 'server.key'),
    '--auth-file', path.join(dir, 'auth.json')];
  const a = await startServer({ args });
  const b = await startServer({ args });
  const secure = { tlsCa: path.join(dir, 'server.pem'), token };
  const client = new ExecLogClient(`localhost:${a.port},localhost:${b.port}`, secure);
  try {
    for (let i = 0; i < 6; i++) await client.record({ taskId: 't_tls', taskType: 'test' });
    const counts = [await count(`localhost:${a.port}`, secure), await count(`localhost:${b.port}`, secure)];
    assert.equal(counts[0] + counts[1], 6);
    assert.ok(Math.min(...counts) > 0, String(counts));
  } finally {
    client.close();
    await a.stop();
    await b.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function waitFor(condition, ms = 60000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
