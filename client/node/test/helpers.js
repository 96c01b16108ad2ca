'use strict';
// Starts a real execlog server (a private copy of the fat jar, --port 0 --port-file).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '../../..');
let jarCopy;

function serverJar() {
  if (jarCopy) return jarCopy;
  let jar = process.env.EXECLOG_SERVER_JAR;
  if (!jar) {
    const dir = path.join(REPO, 'server/target');
    const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^execlog-server-.*-all\.jar$/.test(f)).sort() : [];
    if (!found.length) throw new Error('server jar missing: build it with `mvn -B -q -o install -DskipTests`');
    jar = path.join(dir, found[found.length - 1]);
  }
  // a private copy: a rebuild of server/target during the run cannot break the server
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-jar-'));
  jarCopy = path.join(copyDir, 'execlog-server.jar');
  fs.copyFileSync(jar, jarCopy);
  process.on('exit', () => fs.rmSync(copyDir, { recursive: true, force: true }));
  return jarCopy;
}

/** A server on a fresh project; `args` are more server options (`['--max-import-bytes', '2000']`). */
async function startServer({ args = [] } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'execlog-node-'));
  const portFile = path.join(root, 'port');
  const project = path.join(root, 'project');
  fs.mkdirSync(project);
  const logFile = path.join(root, 'server.log');
  const out = fs.openSync(logFile, 'w');
  let proc;
  async function launch(wanted) {
    fs.rmSync(portFile, { force: true });
    proc = spawn(process.env.JAVA || 'java',
      ['-jar', serverJar(), '--root', project, '--port', String(wanted), '--port-file', portFile, ...args],
      { stdio: ['ignore', out, out] });
    const deadline = Date.now() + 30000;
    while (true) {
      if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}; see ${logFile}`);
      if (fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()) break;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error('server did not write its port within 30 s');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return Number(fs.readFileSync(portFile, 'utf8').trim());
  }
  const port = await launch(0);
  return {
    address: `127.0.0.1:${port}`,
    port,
    root: project,
    /** SIGKILL: the server dies at once, its connections close, nothing is flushed. */
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
    },
    /** Starts the server again on the same root and port (after kill). */
    async restart() {
      await launch(port);
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15000);
        await exited;
        clearTimeout(timer);
      }
      fs.closeSync(out);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

module.exports = { startServer, REPO };

/** The whole export of a format ('json', 'csv', 'csv_with_files') as text. */
async function exportText(client, format, options = {}) {
  const chunks = [];
  for await (const ev of client.export({ format, ...options })) if (ev.type === 'chunk') chunks.push(ev.data);
  return Buffer.concat(chunks).toString('utf8');
}

module.exports.exportText = exportText;
