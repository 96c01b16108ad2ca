'use strict';
// The declarations and the wrapper keep up with the code and the contract: every RPC of the
// service has a client method, every public method and export of src/index.js is declared in
// src/index.d.ts. (test/package.test.js type-checks programs against them with tsc.)
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');
const client = require('../src');

const SRC = path.join(__dirname, '../src');
const dts = fs.readFileSync(path.join(SRC, 'index.d.ts'), 'utf8');
const js = fs.readFileSync(path.join(SRC, 'index.js'), 'utf8');

/** The body of `export declare class NAME ... {` up to its closing brace at the line start. */
function declaredClass(name) {
  const m = new RegExp(`export declare class ${name}\\b[^\\n]*\\{\\n([\\s\\S]*?)\\n\\}`).exec(dts);
  assert.ok(m, `class ${name} is not declared`);
  return m[1];
}

function publicMembers(cls) {
  return Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== 'constructor' && !n.startsWith('_'));
}

test('every RPC of ExecutionLogService is called by the client', () => {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => path.join(client.DEFAULT_PROTO_ROOT, target);
  root.loadSync('execlog/v1/execution_log.proto');
  const rpcs = Object.keys(root.lookupService('execlog.v1.ExecutionLogService').methods);
  assert.ok(rpcs.includes('RecordExecution') && rpcs.includes('WatchExecutions'), rpcs.join(' '));
  const called = new Set([...js.matchAll(/(?:this\.stub\.|_unary\(')([A-Z]\w+)/g)].map((m) => m[1]));
  assert.deepEqual(rpcs.filter((r) => !called.has(r)), []);
});

test('every public method of the classes is declared', () => {
  for (const [name, cls] of Object.entries({ ExecLogClient: client.ExecLogClient, ExecutionWatch: client.ExecutionWatch,
    OperationStream: client.OperationStream })) {
    const body = declaredClass(name);
    for (const member of publicMembers(cls)) {
      assert.match(body, new RegExp(`^\\s+(?:readonly )?${member}[(:<]`, 'm'), `${name}.${member} is not declared`);
    }
  }
  assert.match(declaredClass('ExecutionWatch'), /\[Symbol\.asyncIterator\]\(\)/);
});

test('every export is declared, and nothing more', () => {
  const declared = [...dts.matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(declared)].sort(), Object.keys(client).sort());
});
