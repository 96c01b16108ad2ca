// Run from a project that installed the packed @execlog/client (test/package.test.js copies it
// there): the connection comes from EXECLOG_SERVER, EXECLOG_TLS_CA, EXECLOG_TLS_AUTHORITY and
// EXECLOG_TOKEN_FILE. Prints one JSON object with what each step saw.
import { ExecLogClient, ErrorReason, VERSION } from '@execlog/client';

const [taskId, importFile] = process.argv.slice(2);
const client = new ExecLogClient();
const out = { version: VERSION, tls: client.tls, hasToken: client.hasToken };
try {
  out.server_version = (await client.info()).server_version;

  // history, a page of 2 at a time
  const pages = [];
  let pageToken = '';
  do {
    const page = await client.listExecutions({ taskId, pageSize: 2, pageToken });
    pages.push(page.records.map((r) => r.task_run_id));
    pageToken = page.nextPageToken;
  } while (pageToken);
  out.pages = pages;
  out.iterated = [];
  for await (const run of client.iterateHistory({ taskId, pageSize: 2 })) out.iterated.push(run.task_run_id);

  out.deps = await client.checkDependencies([taskId, 't_user_never']);
  out.statistics = (await client.statistics({ taskId })).total.overall;

  // an import with progress: merge a log file, reporting each stage
  out.progress = [];
  out.import = await client.import(importFile, {
    merge: true, onProgress: (p) => out.progress.push(`${p.stage} ${p.done}/${p.total}`),
  }).result();

  // without a token the server refuses
  const anonymous = new ExecLogClient(undefined, { token: null });
  try {
    await anonymous.info();
    out.anonymous = 'accepted';
  } catch (err) {
    out.anonymous = { code: err.code, reason: err.reason, isUnauthenticated: err.reason === ErrorReason.UNAUTHENTICATED };
  } finally {
    anonymous.close();
  }
} finally {
  client.close();
}
console.log(JSON.stringify(out));
