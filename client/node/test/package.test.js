'use strict';
// The user's path: `npm pack` this package, install the tarball into a fresh project outside the
// repository (its dependencies come from the npm registry), and use it there against a server
// with TLS and bearer tokens: the example task runner (dependency check, a watch that waits for
// the upstream run, record), a scenario script (history pages, an import with progress, a call
// without a token), the TypeScript declarations (tsc), and the runs read back through the CLI.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, REPO } = require('./helpers');

const HERE = path.resolve(__dirname, '..');
const PKG = require('../package.json');
const TSC = path.join(HERE, 'node_modules/.bin/tsc');

let work; // the temp folder: tarball, certificate, tokens
let project; // the user's project, outside the repository
let installed; // the package as installed there
let server;
let tarball;
const tokens = { writer: crypto.randomBytes(32).toString('hex'), admin: crypto.randomBytes(32).toString('hex') };

/** The environment a user sets: the server by IP, its certificate's name, the CA, a token file. */
function userEnv(role = 'admin') {
  const env = { ...process.env, PROJECT_ROOT: server.root };
  for (const k of Object.keys(env)) if (k.startsWith('EXECLOG_')) delete env[k];
  return { ...env, EXECLOG_SERVER: server.address, EXECLOG_TLS_CA: path.join(work, 'server.pem'),
    EXECLOG_TLS_AUTHORITY: 'localhost', ...(role ? { EXECLOG_TOKEN_FILE: path.join(work, `${role}.token`) } : {}) };
}

function runner(args, env = userEnv('writer')) {
  return spawnSync(process.execPath, [path.join(project, 'runner.js'), ...args],
    { cwd: project, env, encoding: 'utf8', timeout: 60000 });
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-node-pkg-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', work],
    { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  tarball = path.join(work, packed[0].filename);
  project = path.join(work, 'user-project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel', 'error', tarball],
    { cwd: project, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300000 });
  installed = path.join(project, 'node_modules/@execlog/client');
  for (const f of ['runner.js']) fs.copyFileSync(path.join(REPO, 'examples/node-task-runner', f), path.join(project, f));
  for (const f of ['scenario.mjs', 'check.ts', 'wrong.ts', 'tsconfig.json', 'tsconfig.wrong.json']) {
    fs.copyFileSync(path.join(__dirname, 'user', f), path.join(project, f));
  }

  // a certificate for the name localhost only: reaching 127.0.0.1 needs the authority override
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', path.join(work, 'server.key'),
    '-out', path.join(work, 'server.pem')], { stdio: 'ignore' });
  const sha256 = (t) => crypto.createHash('sha256').update(t, 'utf8').digest('hex');
  for (const [role, token] of Object.entries(tokens)) fs.writeFileSync(path.join(work, `${role}.token`), `${token}\n`);
  fs.writeFileSync(path.join(work, 'auth.json'), JSON.stringify({ tokens: Object.entries(tokens)
    .map(([role, token]) => ({ name: `node-${role}`, role, sha256: sha256(token) })) }));
  server = await startServer({ args: ['--tls-cert', path.join(work, 'server.pem'), '--tls-key',
    path.join(work, 'server.key'), '--auth-file', path.join(work, 'auth.json')] });
});

after(async () => {
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball carries the contract and the declarations, at the server\'s version', () => {
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
  for (const f of ['package/package.json', 'package/README.md', 'package/src/index.js', 'package/src/index.d.ts',
    'package/src/connection.js', 'package/src/protos/execlog/v1/execution_log.proto',
    'package/src/protos/execlog/v1/error_reason.proto', 'package/src/protos/google/rpc/status.proto',
    'package/src/protos/google/rpc/error_details.proto']) {
    assert.ok(files.includes(f), `${f} missing from the tarball: ${files.join(' ')}`);
  }
  assert.deepEqual(files.filter((f) => /\/(test|scripts|node_modules)\//.test(f)), []);
  for (const f of ['execution_log.proto', 'error_reason.proto']) {
    assert.equal(fs.readFileSync(path.join(installed, 'src/protos/execlog/v1', f), 'utf8'),
      fs.readFileSync(path.join(REPO, 'proto/src/main/proto/execlog/v1', f), 'utf8'), f);
  }
  const meta = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(meta.private, undefined);
  assert.equal(meta.types, 'src/index.d.ts');
  assert.equal(meta.repository.directory, 'client/node');
  // One version for the whole release: the parent POM's, which the server and the CLI report.
  const pom = /<version>([^<]+)<\/version>/.exec(fs.readFileSync(path.join(REPO, 'pom.xml'), 'utf8'))[1];
  assert.equal(meta.version, pom);
  assert.equal(PKG.version, pom);
});

test('the installed package loads its contract from itself, not from the repository', () => {
  const out = execFileSync(process.execPath, ['-e', `
    const { DEFAULT_PROTO_ROOT, ExecLogClient, VERSION } = require('@execlog/client');
    new ExecLogClient('127.0.0.1:1').close();
    console.log(JSON.stringify({ root: DEFAULT_PROTO_ROOT, VERSION }));`], { cwd: project, encoding: 'utf8' });
  const { root, VERSION } = JSON.parse(out);
  assert.equal(fs.realpathSync(root), fs.realpathSync(path.join(installed, 'src/protos')));
  assert.equal(VERSION, PKG.version);
});

test('TypeScript: a program type-checks against the installed declarations; misuse does not', () => {
  const ok = spawnSync(TSC, ['-p', project, '--noEmit'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const bad = spawnSync(TSC, ['-p', path.join(project, 'tsconfig.wrong.json'), '--noEmit'], { cwd: project, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  // one error per marked line (6 to 10), and none elsewhere
  const lines = [...bad.stdout.matchAll(/wrong\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
  assert.deepEqual([...new Set(lines)].sort((a, b) => a - b), [6, 7, 8, 9, 10], bad.stdout);
});

test('the task runner waits for its upstream through a watch, records over TLS with a token', async () => {
  fs.mkdirSync(path.join(server.root, 'DATA/raw'), { recursive: true });
  fs.writeFileSync(path.join(server.root, 'DATA/raw/customers.csv'), 'a\nb\nc\n');

  // the downstream task starts first and waits for t_up, watching the log
  const down = spawn(process.execPath, [path.join(project, 'runner.js'), 't_down', '--depends-on', 't_up', '--wait', '60',
    '--input', 'counts=DATA/processed/t_up/output/line_counts.json'], { cwd: project, env: userEnv('writer') });
  let downOut = '';
  let downErr = '';
  down.stdout.on('data', (d) => { downOut += d; });
  down.stderr.on('data', (d) => { downErr += d; });
  const downExit = new Promise((resolve) => down.on('exit', resolve));
  const deadline = Date.now() + 30000;
  while (!/waiting up to 60 s for t_up/.test(downOut)) {
    assert.ok(Date.now() < deadline && down.exitCode === null, `the downstream runner did not wait: ${downOut}${downErr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(downOut, /dependency t_up: NEVER_RUN/);

  const up = runner(['t_up', '--input', 'customers=DATA/raw/customers.csv', '--note', 'first load']);
  assert.equal(up.status, 0, up.stderr);
  const upId = /recorded t_up run ([0-9a-f-]{36})/.exec(up.stdout)[1];
  assert.equal(await downExit, 0, downOut + downErr);
  assert.match(downOut, new RegExp(`saw run ${upId} of t_up \\(change #\\d+\\)`));
  const downId = /recorded t_down run ([0-9a-f-]{36})/.exec(downOut)[1];

  // the same runner without a token is refused, and says why
  const anon = runner(['t_anon'], userEnv(null));
  assert.equal(anon.status, 3, anon.stdout + anon.stderr);
  assert.match(anon.stderr, /^UNAUTHENTICATED: /m);

  // what Node recorded reads back identically through the Java CLI
  const { ExecLogClient } = require(installed);
  const client = new ExecLogClient(server.address, { tlsCa: path.join(work, 'server.pem'), tlsAuthority: 'localhost',
    tokenFile: path.join(work, 'writer.token') });
  try {
    for (const id of [upId, downId]) {
      const inNode = await client.get(id);
      const shown = execFileSync(path.join(REPO, 'bin/execlog'), ['show', id, '--json',
        '--server', server.address.replace('127.0.0.1', 'localhost'), '--tls-ca', path.join(work, 'server.pem'),
        '--token-file', path.join(work, 'writer.token')], { encoding: 'utf8', timeout: 60000, env: userEnv(null) });
      const inJava = JSON.parse(shown.trim().split('\n')[0]);
      for (const key of ['task_run_id', 'task_id', 'task_type', 'success', 'execution_time', 'report_path', 'hostname']) {
        assert.deepEqual(inJava[key], inNode[key], `${id} ${key}`);
      }
      const entry = ({ extraFields = {}, ...fields }) => ({ ...fields, ...extraFields });
      assert.deepEqual(inJava.input_files, inNode.input_files.map(entry), `${id} input_files`);
      assert.deepEqual(inJava.output_files, inNode.output_files.map(entry), `${id} output_files`);
      assert.equal(Date.parse(inJava.timestamp), Date.parse(inNode.timestamp), `${id} timestamp`);
      for (const [key, value] of Object.entries(inNode.extraFields)) assert.deepEqual(inJava[key], value, `${id} ${key}`);
    }
    const upRun = await client.get(upId);
    assert.equal(upRun.extraFields.notes, 'first load');
    assert.deepEqual(upRun.input_files.map((f) => f.path), ['DATA/raw/customers.csv']);
    assert.deepEqual((await client.get(downId)).input_files.map((f) => f.path), ['DATA/processed/t_up/output/line_counts.json']);
  } finally {
    client.close();
  }
});

test('the task runner: an unmet dependency holds it back, a failed task is recorded with its error', async () => {
  let r = runner(['t_held', '--depends-on', 't_never_run']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stdout, /dependency t_never_run: NEVER_RUN/);
  r = runner(['t_failing', '--fail', '--note', 'on purpose']);
  assert.equal(r.status, 1, r.stderr);
  const { ExecLogClient } = require(installed);
  const client = new ExecLogClient(undefined, { server: server.address, tlsCa: fs.readFileSync(path.join(work, 'server.pem')),
    tlsAuthority: 'localhost', token: tokens.writer });
  try {
    const failed = await client.latest('t_failing', { successOnly: false });
    assert.equal(failed.success, false);
    assert.deepEqual(failed.output_files, []);
    assert.match(failed.extraFields.error, /failed on purpose/);
    assert.deepEqual(Object.keys(failed.extraFields).sort(), ['error', 'notes', 'operator']);
    assert.equal(await client.latest('t_held', { successOnly: false }), null);
  } finally {
    client.close();
  }
});

test('the README\'s secured example runs as written, given this server\'s address and files', () => {
  const readme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
  const block = /A task runner on another host[^\n]*\n\n```js\n([\s\S]*?)```/.exec(readme)[1];
  assert.ok(block.trim().split('\n').length <= 10, block);
  const program = block.replace('execlog.example.org:50051', server.address.replace('127.0.0.1', 'localhost'))
    .replace('/etc/execlog/ca.pem', path.join(work, 'server.pem')).replace('/etc/execlog/runner.token', path.join(work, 'writer.token'));
  fs.writeFileSync(path.join(project, 'readme-example.mjs'), program);
  const env = userEnv(null);
  delete env.EXECLOG_TLS_AUTHORITY;
  let r = spawnSync(process.execPath, ['readme-example.mjs'], { cwd: project, env, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 2, r.stdout + r.stderr); // t_1I has not run yet
  assert.equal(runner(['t_1I']).status, 0);
  r = spawnSync(process.execPath, ['readme-example.mjs'], { cwd: project, env, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout.trim(), /^[0-9a-f-]{36}$/);
});

test('a user script: history in pages, dependencies, an import with progress, no token refused', () => {
  for (let i = 0; i < 5; i++) assert.equal(runner(['t_hist']).status, 0);
  const log = { executions: [{ task_id: 't_imported', task_type: 'import', task_run_id: crypto.randomUUID(),
    timestamp: '2026-01-02T03:04:05', success: true, execution_time: 2.5, report_path: '', input_files: [],
    output_files: [], hostname: 'elsewhere' }], tasks: {} };
  const importFile = path.join(work, 'import.json');
  fs.writeFileSync(importFile, JSON.stringify(log));
  const r = spawnSync(process.execPath, ['scenario.mjs', 't_hist', importFile],
    { cwd: project, env: userEnv('admin'), encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.version, PKG.version);
  assert.equal(out.server_version, PKG.version);
  assert.equal(out.tls, true);
  assert.equal(out.hasToken, true);
  assert.deepEqual(out.pages.map((p) => p.length), [2, 2, 1]);
  assert.deepEqual(out.pages.flat(), out.iterated);
  assert.equal(new Set(out.iterated).size, 5);
  assert.equal(out.deps.satisfied, false);
  assert.deepEqual(out.deps.dependencies.map((d) => d.state), ['SATISFIED', 'NEVER_RUN']);
  assert.equal(out.statistics.run_count, 5);
  assert.equal(out.import.imported_count, 1);
  assert.equal(out.import.dry_run, false);
  assert.ok(out.progress.length > 0, 'no progress reported');
  assert.deepEqual(out.anonymous, { code: 16, reason: 'UNAUTHENTICATED', isUnauthenticated: true });
});
