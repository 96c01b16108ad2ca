#!/usr/bin/env node
'use strict';
// Copies the contract (proto/src/main/proto/execlog/v1/*.proto) into src/protos, so that the
// package carries it and loads it relative to itself once installed. Runs before `npm pack`
// (prepack), after `npm ci` in a checkout (prepare) and before the tests. Outside a checkout (the
// sources are absent) it keeps the copy the package already has.
const fs = require('node:fs');
const path = require('node:path');

const here = path.resolve(__dirname, '..');
const source = path.resolve(here, '../../proto/src/main/proto/execlog/v1');
const target = path.join(here, 'src/protos/execlog/v1');

function main() {
  if (!fs.existsSync(source)) {
    if (fs.existsSync(path.join(target, 'execution_log.proto'))) return;
    throw new Error(`the contract is missing: neither ${source} nor ${target} holds execution_log.proto`);
  }
  const files = fs.readdirSync(source).filter((f) => f.endsWith('.proto')).sort();
  if (!files.includes('execution_log.proto')) throw new Error(`${source} holds no execution_log.proto`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const f of files) fs.copyFileSync(path.join(source, f), path.join(target, f));
}

main();
