// What the browser tests share: real execlog servers started from this checkout (bin/execlog-server)
// on a generated 50-task log, a headless Chromium (Debian's, driven by playwright-core), and a
// check that no page broke its Content-Security-Policy.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshots = join(repo, 'web/target/screenshots');
mkdirSync(screenshots, { recursive: true });

const CHROMIUM = process.env.EXECLOG_CHROMIUM || '/usr/bin/chromium';
const RUNS = Number(process.env.EXECLOG_WEB_TEST_RUNS || 3000);

/** The generated log (50 tasks in 10 pipelines of 5 stages), made once per test run. */
let generated = null;
export function generatedLog() {
  if (!generated) {
    const dir = mkdtempSync(join(tmpdir(), 'execlog-web-log-'));
    generated = join(dir, 'execution_log.json');
    execFileSync(join(repo, 'bin/execlog-bench'), ['--runs', String(RUNS), '--generate-only', generated],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return generated;
}

async function waitForFile(path, child, log) {
  for (let i = 0; i < 600; i++) {
    if (existsSync(path) && readFileSync(path, 'utf8').trim()) {
      return readFileSync(path, 'utf8').trim();
    }
    if (child.exitCode !== null) {
      throw new Error(`the server stopped (${child.exitCode}): ${readFileSync(log, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${path} after 60 s: ${readFileSync(log, 'utf8')}`);
}

export const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A server on a copy of the generated log; {secure: true} adds TLS (a fresh self-signed
 * certificate) and tokens: .tokens.reader and .tokens.writer.
 */
export async function startServer({ secure = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'execlog-web-'));
  mkdirSync(join(root, 'configs'));
  copyFileSync(generatedLog(), join(root, 'configs/execution_log.json'));
  const args = ['--root', root, '--port', '0', '--port-file', join(root, 'port'),
    '--http-port', '0', '--http-port-file', join(root, 'http-port'), '--fold-interval-ms', '200'];
  const tokens = {};
  let ca = null;
  if (secure) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(root, 'key.pem'), '-out', join(root, 'cert.pem')],
    { stdio: 'ignore' });
    ca = readFileSync(join(root, 'cert.pem'));
    tokens.reader = randomBytes(16).toString('hex');
    tokens.writer = randomBytes(16).toString('hex');
    writeFileSync(join(root, 'auth.json'), JSON.stringify({ tokens: [
      { name: 'dashboard', role: 'reader', sha256: sha256(tokens.reader) },
      { name: 'pipeline', role: 'writer', sha256: sha256(tokens.writer) }] }));
    args.push('--tls-cert', join(root, 'cert.pem'), '--tls-key', join(root, 'key.pem'), '--auth-file', join(root, 'auth.json'));
  }
  const log = join(root, 'server.log');
  writeFileSync(log, '');
  const out = openSync(log, 'a');
  let child = spawn(join(repo, 'bin/execlog-server'), args, { stdio: ['ignore', out, out], cwd: root });
  await waitForFile(join(root, 'port'), child, log);
  const httpPort = await waitForFile(join(root, 'http-port'), child, log);
  const stopChild = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  };
  const origin = `${secure ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
  return {
    origin,
    tokens,
    root,
    /** A call to the API from the test (not the page): JSON in, JSON out. */
    async api(method, path, body, token) {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (token) {
        headers.Authorization = `Bearer ${token}`;
      }
      if (!secure) {
        const response = await fetch(origin + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
        return { status: response.status, body: await response.json() };
      }
      return new Promise((resolve, reject) => {
        const req = httpsRequest(origin + path, { method, headers, ca }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => { text += d; });
          res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end(body ? JSON.stringify(body) : undefined);
      });
    },
    /** Stops the server and starts it again on the same log and HTTP port (a new change feed). */
    async restart() {
      await stopChild();
      rmSync(join(root, 'port'), { force: true });
      rmSync(join(root, 'http-port'), { force: true });
      const again = args.map((a, i) => (args[i - 1] === '--http-port' ? httpPort : a));
      child = spawn(join(repo, 'bin/execlog-server'), again, { stdio: ['ignore', out, out], cwd: root });
      await waitForFile(join(root, 'http-port'), child, log);
    },
    async stop() {
      await stopChild();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium, headless, with nothing reaching out to the network on its own (Playwright
 * gives it a fresh profile directory of its own and removes it on close).
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * A page on the view, recording Content-Security-Policy violations and page errors (checked by
 * assertClean) so a library that needs inline code or eval fails the test.
 */
export async function openPage(browser, origin, { secure = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, ignoreHTTPSErrors: secure });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.cspViolations ||= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.problems = problems;
  page.origin = origin;
  return page;
}

export async function assertClean(page) {
  const violations = await page.evaluate(() => window.cspViolations || []);
  if (violations.length || page.problems.length) {
    throw new Error(`the page broke its policy or failed: ${[...violations, ...page.problems].join('; ')}`);
  }
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}
