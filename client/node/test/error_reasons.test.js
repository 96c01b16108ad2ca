'use strict';
// Every rejection exposes code, reason, field and metadata from the status'
// google.rpc.ErrorInfo / BadRequest; each reason the client can provoke is
// checked end to end against real servers (default limits, a small import
// limit, a small message limit, and TLS with tokens); requests the client
// cannot send are made as raw calls with identity serializers.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protobuf = require('protobufjs');
const { ExecLogClient, ExecLogError, ErrorReason, ERROR_DOMAIN, DEFAULT_PROTO_ROOT, status } = require('../src');
const { startServer } = require('./helpers');

const UNKNOWN_ID = '123e4567-e89b-12d3-a456-426614174999';
const uid = (p = 't') => `${p}_${Math.random().toString(16).slice(2, 10)}`;

/** Asserts the error's whole shape: an ExecLogError with these code, reason, field and metadata. */
function failsWith(code, reason, field, metadata) {
  return (err) => {
    assert.ok(err instanceof ExecLogError, `not an ExecLogError: ${err}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.reason, reason, err.message);
    assert.equal(err.field, field, err.message);
    assert.deepEqual(err.metadata, metadata, err.message);
    assert.equal(err.domain, reason ? ERROR_DOMAIN : '');
    assert.ok(err.details && err.message.includes(err.details), err.message);
    return true;
  };
}

test('ErrorReason holds exactly the contract enum\'s reasons, each named as itself', () => {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => path.join(DEFAULT_PROTO_ROOT, target);
  root.loadSync('execlog/v1/error_reason.proto');
  const names = Object.keys(root.lookupEnum('execlog.v1.ErrorReason').values)
    .filter((name) => name !== 'ERROR_REASON_UNSPECIFIED');
  assert.deepEqual(Object.keys(ErrorReason).sort(), names.sort());
  for (const [key, value] of Object.entries(ErrorReason)) assert.equal(value, key);
  assert.ok(Object.isFrozen(ErrorReason));
});

test('errors raised by the client or the connection have an empty reason, field and metadata', async () => {
  // no server there: UNAVAILABLE after gRPC's retries (a few seconds), within the default deadline
  const client = new ExecLogClient('127.0.0.1:1');
  try {
    await assert.rejects(client.record({ taskId: 't', taskType: 'x', timestamp: 'not a time' }),
      failsWith(status.INVALID_ARGUMENT, '', '', {}));
    await assert.rejects(client.info(), failsWith(status.UNAVAILABLE, '', '', {}));
  } finally {
    client.close();
  }
});

/** A client whose stub answers every call of `method` with this gRPC error. */
function clientFailing(method, code, details, trailer) {
  const client = new ExecLogClient('127.0.0.1:1');
  client.close();
  const metadata = new grpc.Metadata();
  if (trailer) metadata.set('grpc-status-details-bin', trailer);
  client.stub = { [method]: (req, md, opts, cb) => cb(Object.assign(new Error(details), { code, details, metadata })) };
  return client;
}

test('"none" is decided by the reason: a NOT_FOUND without one is an error, not null', async () => {
  await assert.rejects(clientFailing('GetLatestExecution', status.NOT_FOUND, 'gone').latest('t'),
    failsWith(status.NOT_FOUND, '', '', {}));
  await assert.rejects(clientFailing('FindOutputProducer', status.NOT_FOUND, 'gone', Buffer.from([0xff, 0x01])).producer('a'),
    failsWith(status.NOT_FOUND, '', '', {}));
});

/**
 * One raw unary RecordExecution call carrying `body` as the request's bytes (no
 * client-side encoding), on a grpc.Client with these channel options; resolves
 * with the error mapped by ExecLogError.from, or rejects when the call succeeds.
 */
function rawRecord(address, body, channelOptions = {}) {
  const raw = new grpc.Client(address, grpc.credentials.createInsecure(), channelOptions);
  return new Promise((resolve, reject) => {
    raw.makeUnaryRequest('/execlog.v1.ExecutionLogService/RecordExecution', (x) => x, (x) => x, body,
      { deadline: new Date(Date.now() + 20000) }, (err) => {
        raw.close();
        if (err) resolve(ExecLogError.from(err, 'record'));
        else reject(new Error('the raw call succeeded'));
      });
  });
}

/** A length-delimited protobuf field: its tag, the length as a varint, then the bytes. */
function lengthDelimited(field, bytes) {
  const w = protobuf.Writer.create();
  w.uint32((field << 3) | 2).bytes(bytes);
  return Buffer.from(w.finish());
}

describe('with default limits', () => {
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

  test('INVALID_FIELD names the field, in unary calls and streams', async () => {
    await assert.rejects(client.record({ taskId: '', taskType: 'x' }), failsWith(status.INVALID_ARGUMENT,
      ErrorReason.INVALID_FIELD, 'execution.task_id', { field: 'execution.task_id' }));
    await assert.rejects(client.record({ taskId: uid(), taskType: 'x', runId: 'not-a-uuid' }), failsWith(
      status.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, 'execution.run_id', { field: 'execution.run_id' }));
    await assert.rejects(client.cleanup({ maxAgeDays: -1 }).result(), failsWith(status.INVALID_ARGUMENT,
      ErrorReason.INVALID_FIELD, 'max_age_days', { field: 'max_age_days' }));
    await assert.rejects(client.import(Buffer.from('{not json'), { merge: true }).result(), failsWith(
      status.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, 'chunk', { field: 'chunk' }));
  });

  test('PATH_OUTSIDE_ROOT names the field and the path as sent', async () => {
    await assert.rejects(client.record({ taskId: uid(), taskType: 'x', reportPath: '../x.json' }),
      failsWith(status.INVALID_ARGUMENT, ErrorReason.PATH_OUTSIDE_ROOT, 'execution.report_path',
        { field: 'execution.report_path', path: '../x.json' }));
    await assert.rejects(client.producer('DATA/../../x.csv'), failsWith(status.INVALID_ARGUMENT,
      ErrorReason.PATH_OUTSIDE_ROOT, 'path', { field: 'path', path: 'DATA/../../x.csv' }));
  });

  test('RUN_NOT_FOUND names the run id (get, update, remove)', async () => {
    const notFound = failsWith(status.NOT_FOUND, ErrorReason.RUN_NOT_FOUND, 'run_id',
      { field: 'run_id', run_id: UNKNOWN_ID });
    await assert.rejects(client.get(UNKNOWN_ID), notFound);
    await assert.rejects(client.remove(UNKNOWN_ID), notFound);
    // (the field update names may change to its request path, execution.run_id)
    await assert.rejects(client.update(UNKNOWN_ID, { success: false }), (err) => {
      assert.equal(err.code, status.NOT_FOUND);
      assert.equal(err.reason, ErrorReason.RUN_NOT_FOUND);
      assert.equal(err.metadata.run_id, UNKNOWN_ID);
      assert.equal(err.field, err.metadata.field);
      return true;
    });
  });

  test('TASK_HAS_NO_RUN names the task; latest() turns it into null', async () => {
    const never = uid('never');
    const noRun = failsWith(status.NOT_FOUND, ErrorReason.TASK_HAS_NO_RUN, 'task_id',
      { field: 'task_id', task_id: never });
    await assert.rejects(client.trackInputs(never, ['DATA/in.csv']), noRun);
    await assert.rejects(client.trackOutputs(never, ['DATA/out.csv']), noRun);
    assert.equal(await client.latest(never), null);
    const failedOnly = uid('failed');
    await client.record({ taskId: failedOnly, taskType: 'x', success: false });
    assert.equal(await client.latest(failedOnly), null);
    assert.equal((await client.latest(failedOnly, { successOnly: false })).task_id, failedOnly);
  });

  test('PRODUCER_NOT_FOUND names the normalized path; producer() turns it into null', async () => {
    assert.equal(await client.producer('./DATA/none.csv'), null);
    assert.equal(await client.producer('./DATA/none.csv', { includeAll: true }), null);
    // the status itself, through the stub and ExecLogError.from
    const err = await new Promise((resolve) => {
      client.stub.FindOutputProducer({ path: './DATA/none.csv' }, (e) => resolve(ExecLogError.from(e, 'producer')));
    });
    failsWith(status.NOT_FOUND, ErrorReason.PRODUCER_NOT_FOUND, 'path', { field: 'path', path: 'DATA/none.csv' })(err);
    assert.match(err.message, /^producer failed: NOT_FOUND \(PRODUCER_NOT_FOUND\): /);
  });

  test('RUN_ID_TAKEN names the run id; retrying the same record succeeds', async () => {
    const runId = crypto.randomUUID();
    const first = { taskId: uid(), taskType: 'x', runId, timestamp: '2025-05-01T12:00:00+00:00', hostname: 'h' };
    const rec = await client.record(first);
    assert.deepEqual(await client.record(first), rec);
    await assert.rejects(client.record({ taskId: uid(), taskType: 'x', runId }), failsWith(status.ALREADY_EXISTS,
      ErrorReason.RUN_ID_TAKEN, 'execution.run_id', { field: 'execution.run_id', run_id: runId }));
  });

  test('INVALID_PAGE_TOKEN for a history token of another task', async () => {
    const [a, b] = [uid('a'), uid('b')];
    for (let i = 0; i < 2; i++) {
      await client.record({ taskId: a, taskType: 'x' });
      await client.record({ taskId: b, taskType: 'x' });
    }
    const { nextPageToken } = await client.listExecutions({ taskId: a, pageSize: 1 });
    assert.ok(nextPageToken);
    await assert.rejects(client.listExecutions({ taskId: b, pageSize: 1, pageToken: nextPageToken }), (err) => {
      failsWith(status.INVALID_ARGUMENT, ErrorReason.INVALID_PAGE_TOKEN, 'page_token', { field: 'page_token' })(err);
      assert.match(err.details, /task_id/);
      return true;
    });
    assert.equal((await client.listExecutions({ taskId: a, pageSize: 1, pageToken: nextPageToken })).records.length, 1);
  });

  test('RESPONSE_TOO_LARGE names task_ids and the limit when the dependencies\' runs are too heavy', async () => {
    // 500 paths of 1000 characters keep each run under the 1 MiB run limit (which weighs a path about twice),
    // while five tasks' newest runs (latest and latest_success) exceed the 3 MiB answer limit together
    const tasks = [];
    for (let t = 0; t < 5; t++) {
      const taskId = uid('heavy');
      tasks.push(taskId);
      const inputDatasets = [];
      for (let i = 0; i < 500; i++) {
        const prefix = `DATA/in/${taskId}/${String(i).padStart(4, '0')}/`;
        inputDatasets.push(prefix + 'x'.repeat(1000 - prefix.length));
      }
      await client.record({ taskId, taskType: 'x', inputDatasets });
    }
    await assert.rejects(client.checkDependencies(tasks), failsWith(status.RESOURCE_EXHAUSTED,
      ErrorReason.RESPONSE_TOO_LARGE, 'task_ids', { field: 'task_ids', limit: '3145728' }));
  });

  test('UNPARSABLE_REQUEST names the method for a request with malformed UTF-8', async () => {
    // RecordExecutionRequest{execution: {task_id: 0xFF 0xFE, task_type: 'profiling'}}
    const inner = [0x12, 0x02, 0xff, 0xfe, 0x1a, 0x09, ...Buffer.from('profiling')];
    const err = await rawRecord(server.address, Buffer.from([0x0a, inner.length, ...inner]));
    failsWith(status.INVALID_ARGUMENT, ErrorReason.UNPARSABLE_REQUEST, '',
      { method: 'execlog.v1.ExecutionLogService/RecordExecution' })(err);
    // the server stays usable
    assert.equal((await client.record({ taskId: uid(), taskType: 'x' })).success, true);
  });

  test('RUN_TOO_LARGE names the limit', async () => {
    const extraFields = {};
    for (let i = 0; i < 20; i++) extraFields[`blob${i}`] = 'x'.repeat(60000);
    await assert.rejects(client.record({ taskId: uid(), taskType: 'x', extraFields }), failsWith(
      status.INVALID_ARGUMENT, ErrorReason.RUN_TOO_LARGE, 'execution', { field: 'execution', limit: '1048576' }));
  });
});

describe('with a small import limit', () => {
  let server;
  let client;
  before(async () => {
    server = await startServer({ args: ['--max-import-bytes', '2000'] });
    client = new ExecLogClient(server.address);
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test('IMPORT_TOO_LARGE names the limit', async () => {
    const log = Buffer.from(`{"executions": [${' '.repeat(5000)}]}`);
    await assert.rejects(client.import(log, { merge: true, chunkSize: 1024 }).result(), failsWith(
      status.RESOURCE_EXHAUSTED, ErrorReason.IMPORT_TOO_LARGE, 'chunk', { field: 'chunk', limit: '2000' }));
  });
});

describe('with a small message limit', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--max-message-bytes', '65536'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('MESSAGE_TOO_LARGE names the limit for a gzip request over it once decompressed', async () => {
    // RecordExecutionRequest{execution: {task_id: 't', output_files: [{path: 'DATA/o.txt', description: 1 MiB}]}}
    const output = Buffer.concat([lengthDelimited(1, Buffer.from('DATA/o.txt')),
      lengthDelimited(3, Buffer.alloc(1024 * 1024, 'a'))]);
    const body = lengthDelimited(1, Buffer.concat([lengthDelimited(2, Buffer.from('t')), lengthDelimited(9, output)]));
    const err = await rawRecord(server.address, body,
      { 'grpc.default_compression_algorithm': 2, 'grpc.default_compression_level': 2 });
    failsWith(status.RESOURCE_EXHAUSTED, ErrorReason.MESSAGE_TOO_LARGE, '', { limit: '65536' })(err);
    // sent compressed, so it is the server's parse that refuses it (not the transport's size check)
    assert.match(err.details, /decompressed/);
  });
});

describe('with TLS and tokens', () => {
  const tokens = { reader: crypto.randomBytes(32).toString('hex'), writer: crypto.randomBytes(32).toString('hex') };
  let dir;
  let server;
  let pem;

  /** A client over TLS sending `token` as a bearer token (none when undefined), through the credentials option. */
  function clientWith(token) {
    let credentials = grpc.credentials.createSsl(pem);
    if (token !== undefined) {
      credentials = grpc.credentials.combineChannelCredentials(credentials,
        grpc.credentials.createFromMetadataGenerator((params, callback) => {
          const md = new grpc.Metadata();
          md.set('authorization', `Bearer ${token}`);
          callback(null, md);
        }));
    }
    // the certificate's name, not its IP address (TLS sends no IP address as the server name)
    return new ExecLogClient(server.address.replace('127.0.0.1', 'localhost'), { credentials });
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-node-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', path.join(dir, 'server.key'), '-out', path.join(dir, 'server.pem')], { stdio: 'ignore' });
    pem = fs.readFileSync(path.join(dir, 'server.pem'));
    const sha256 = (t) => crypto.createHash('sha256').update(t, 'utf8').digest('hex');
    fs.writeFileSync(path.join(dir, 'auth.json'), JSON.stringify({ tokens: Object.entries(tokens)
      .map(([role, token]) => ({ name: `node-${role}`, role, sha256: sha256(token) })) }));
    server = await startServer({ args: ['--tls-cert', path.join(dir, 'server.pem'), '--tls-key',
      path.join(dir, 'server.key'), '--auth-file', path.join(dir, 'auth.json')] });
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('UNAUTHENTICATED without a token or with an unknown one', async () => {
    for (const token of [undefined, 'not-a-known-token']) {
      const client = clientWith(token);
      try {
        await assert.rejects(client.info(), failsWith(status.UNAUTHENTICATED, ErrorReason.UNAUTHENTICATED, '', {}));
        await assert.rejects(client.validate().result(),
          failsWith(status.UNAUTHENTICATED, ErrorReason.UNAUTHENTICATED, '', {}));
      } finally {
        client.close();
      }
    }
  });

  test('ROLE_TOO_LOW names the caller\'s role and the one required', async () => {
    const reader = clientWith(tokens.reader);
    const writer = clientWith(tokens.writer);
    try {
      assert.equal((await reader.info()).execution_count, 0);
      await assert.rejects(reader.record({ taskId: uid(), taskType: 'x' }), failsWith(status.PERMISSION_DENIED,
        ErrorReason.ROLE_TOO_LOW, '', { role: 'reader', required: 'writer' }));
      const rec = await writer.record({ taskId: uid(), taskType: 'x' });
      await assert.rejects(writer.remove(rec.task_run_id), failsWith(status.PERMISSION_DENIED,
        ErrorReason.ROLE_TOO_LOW, '', { role: 'writer', required: 'admin' }));
      assert.deepEqual(await reader.get(rec.task_run_id), rec);
    } finally {
      reader.close();
      writer.close();
    }
  });
});
