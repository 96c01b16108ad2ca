'use strict';
// How the client finds its server, TLS files and token: options first, then the execlog CLI's
// EXECLOG_* variables; and a real server that requires client certificates (mutual TLS), reached
// through EXECLOG_TLS_CA, EXECLOG_TLS_CERT, EXECLOG_TLS_KEY and EXECLOG_TLS_AUTHORITY.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ExecLogClient, ExecLogError, ErrorReason, resolveConnection, status } = require('../src');
const { startServer } = require('./helpers');

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-node-conn-'));
});
after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function file(name, content) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

test('the address: the argument, else options.server, else EXECLOG_SERVER, else localhost:50051', () => {
  const env = { EXECLOG_SERVER: 'env-host:1' };
  assert.equal(resolveConnection('arg:2', { server: 'opt:3' }, env).target, 'arg:2');
  assert.equal(resolveConnection(undefined, { server: 'opt:3' }, env).target, 'opt:3');
  assert.equal(resolveConnection(undefined, {}, env).target, 'env-host:1');
  assert.equal(resolveConnection(undefined, {}, {}).target, 'localhost:50051');
});

test('the token: option, else its file, else EXECLOG_TOKEN_FILE, else EXECLOG_TOKEN; null means none', () => {
  const envFile = file('env.token', 'from-env-file\n');
  const optFile = file('opt.token', '  from-option-file \n');
  const env = { EXECLOG_TOKEN: 'from-env', EXECLOG_TOKEN_FILE: envFile };
  assert.equal(resolveConnection('h:1', { token: 'explicit', tokenFile: optFile }, env).token, 'explicit');
  assert.equal(resolveConnection('h:1', { tokenFile: optFile }, env).token, 'from-option-file');
  assert.equal(resolveConnection('h:1', {}, env).token, 'from-env-file');
  assert.equal(resolveConnection('h:1', {}, { EXECLOG_TOKEN: 'from-env' }).token, 'from-env');
  assert.equal(resolveConnection('h:1', { token: null }, env).token, null);
  assert.equal(resolveConnection('h:1', {}, { EXECLOG_TOKEN: '  ' }).token, null);
  assert.throws(() => resolveConnection('h:1', { tokenFile: path.join(dir, 'missing') }, {}), /cannot read the token file/);
  assert.throws(() => new ExecLogClient('h:1', { token: 'a\nb' }), (e) => e instanceof ExecLogError && /line break/.test(e.message));
});

test('TLS: on with a CA, a client certificate or tls: true; a certificate needs its key; the authority', () => {
  assert.equal(resolveConnection('h:1', {}, {}).tls, false);
  assert.equal(resolveConnection('h:1', { tls: true }, {}).tls, true);
  const ca = file('ca.pem', 'not checked until the handshake');
  assert.equal(resolveConnection('h:1', {}, { EXECLOG_TLS_CA: ca }).tls, true);
  assert.equal(resolveConnection('h:1', { tlsCa: null }, { EXECLOG_TLS_CA: ca }).tls, false);
  assert.throws(() => resolveConnection('h:1', {}, { EXECLOG_TLS_CA: path.join(dir, 'missing.pem') }), /cannot read the CA file/);
  assert.throws(() => new ExecLogClient('h:1', { tlsCert: ca }),
    (e) => e instanceof ExecLogError && e.code === status.INVALID_ARGUMENT && /needs its key/.test(e.message));
  const conn = resolveConnection('h:1', { tlsAuthority: 'opt.example' }, { EXECLOG_TLS_AUTHORITY: 'env.example' });
  assert.equal(conn.channelOptions['grpc.ssl_target_name_override'], 'opt.example');
  assert.equal(resolveConnection('h:1', {}, { EXECLOG_TLS_AUTHORITY: 'env.example' }).channelOptions['grpc.default_authority'],
    'env.example');
});

describe('a server that requires client certificates', () => {
  let server;
  const env = {};

  function openssl(...args) {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  }

  before(async () => {
    // a CA, a server certificate for the name execlog.test only, and a client certificate
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=execlog test CA',
      '-keyout', 'ca.key', '-out', 'ca.pem');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=execlog.test', '-keyout', 'server.key', '-out', 'server.csr');
    fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:execlog.test\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
      '-extfile', 'server.ext', '-out', 'server.pem');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=node-runner/O=Data', '-keyout', 'client.key', '-out', 'client.csr');
    openssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
      '-out', 'client.pem');
    fs.writeFileSync(path.join(dir, 'auth.json'), JSON.stringify({
      certificates: [{ subject: 'CN=node-runner,O=Data', name: 'node-runner', role: 'writer' }] }));
    server = await startServer({ args: ['--tls-cert', path.join(dir, 'server.pem'), '--tls-key', path.join(dir, 'server.key'),
      '--tls-client-ca', path.join(dir, 'ca.pem'), '--auth-file', path.join(dir, 'auth.json')] });
    Object.assign(env, { EXECLOG_SERVER: server.address, EXECLOG_TLS_CA: path.join(dir, 'ca.pem'),
      EXECLOG_TLS_CERT: path.join(dir, 'client.pem'), EXECLOG_TLS_KEY: path.join(dir, 'client.key'),
      EXECLOG_TLS_AUTHORITY: 'execlog.test' });
  });
  after(async () => {
    await server?.stop();
  });

  /** A client built as a user's program builds it: from the environment alone. */
  function fromEnv(vars, options = {}) {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('EXECLOG_')) delete process.env[k];
    Object.assign(process.env, vars);
    try {
      return new ExecLogClient(undefined, { deadlineMs: 10000, ...options });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }

  test('the certificate\'s subject is the caller: a writer records, and may not remove', async () => {
    const client = fromEnv(env);
    try {
      assert.equal(client.tls, true);
      assert.equal(client.hasToken, false);
      const rec = await client.record({ taskId: 't_mtls', taskType: 'x' });
      assert.equal((await client.get(rec.task_run_id)).task_id, 't_mtls');
      await assert.rejects(client.remove(rec.task_run_id), (e) => e.reason === ErrorReason.ROLE_TOO_LOW
        && e.metadata.role === 'writer' && e.metadata.required === 'admin');
    } finally {
      client.close();
    }
  });

  test('without the authority the server\'s name does not match; without a certificate no handshake', async () => {
    const { EXECLOG_TLS_AUTHORITY, ...noAuthority } = env;
    const { EXECLOG_TLS_CERT, EXECLOG_TLS_KEY, ...noCert } = env;
    for (const vars of [noAuthority, noCert]) {
      const client = fromEnv(vars);
      try {
        await assert.rejects(client.info(), (e) => e instanceof ExecLogError && e.code === status.UNAVAILABLE && e.reason === '');
      } finally {
        client.close();
      }
    }
    // options override the environment: the authority given explicitly
    const client = fromEnv(noAuthority, { tlsAuthority: EXECLOG_TLS_AUTHORITY });
    try {
      assert.equal(typeof (await client.info()).execution_count, 'number');
    } finally {
      client.close();
    }
    assert.ok(EXECLOG_TLS_CERT && EXECLOG_TLS_KEY);
  });
});
