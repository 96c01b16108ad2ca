// The web view in a real headless Chromium against real servers on a generated 50-task log: every
// screen, live rows from the change feed, the lineage graph, the charts, a validate's progress, and
// tokens over TLS. Screenshots of each screen go to web/target/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertClean, launchBrowser, openPage, screenshot, startServer } from './harness.mjs';

let chromium;
before(async () => {
  chromium = await launchBrowser();
});
after(async () => {
  await chromium?.close();
});

/** Rows of the runs table: [{runId, time, task, outcome}]. */
function runRows(page) {
  return page.$$eval('#runs-body tr[data-run-id]', (rows) => rows.map((r) => ({
    runId: r.dataset.runId,
    time: r.cells[0].textContent,
    task: r.cells[1].textContent,
    outcome: r.cells[3].textContent,
  })));
}

describe('on a server with the generated log', () => {
  let server;
  let page;
  before(async () => {
    server = await startServer();
    page = await openPage(chromium.browser, server.origin);
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('the runs table pages newest first and filters by task, outcome and time', async () => {
    await page.goto(`${server.origin}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/', 'the root redirects to the view');
    await page.waitForSelector('#runs-body tr[data-run-id]');
    const first = await runRows(page);
    assert.equal(first.length, 50);
    assert.deepEqual([...first].sort((a, b) => b.time.localeCompare(a.time)).map((r) => r.runId), first.map((r) => r.runId),
      'newest first');
    await page.waitForSelector('#live-state.live-on');

    await page.click('#older-page');
    await page.waitForFunction((id) => document.querySelectorAll('#runs-body tr[data-run-id]').length
      && !document.querySelector(`#runs-body tr[data-run-id="${id}"]`), first[0].runId);
    const second = await runRows(page);
    assert.equal(second.length, 50);
    assert.ok(second[0].time <= first[49].time, 'the second page goes on where the first stopped');
    assert.equal(second.filter((r) => first.some((f) => f.runId === r.runId)).length, 0);
    await page.click('#newer-page');
    await page.waitForFunction((id) => !!document.querySelector(`#runs-body tr[data-run-id="${id}"]`), first[0].runId);

    await page.fill('#runs-filters input[name=task_id]', 't_3P');
    await page.selectOption('#runs-filters select[name=success_only]', 'true');
    await page.click('#runs-filters button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#runs-body tr[data-run-id]').length
      && [...document.querySelectorAll('#runs-body tr[data-run-id]')].every((r) => r.cells[1].textContent === 't_3P'));
    const filtered = await runRows(page);
    assert.ok(filtered.length > 0);
    assert.ok(filtered.every((r) => r.task === 't_3P' && r.outcome === 'succeeded'), JSON.stringify(filtered.slice(0, 3)));

    // A time window: only runs recorded at or after the 20th newest of the whole log.
    const cut = await server.api('GET', '/v1/executions?page_size=20');
    const since = cut.body.executions[19].recordTime;
    await page.goto(`${server.origin}/ui/#/runs?start_time=${encodeURIComponent(since)}`);
    await page.waitForFunction(() => document.querySelectorAll('#runs-body tr[data-run-id]').length === 20);
    assert.equal(await page.locator('#older-page').count(), 0, 'no older page inside the window');
    await assertClean(page);
  });

  test('a run recorded meanwhile appears in the table without a reload', async () => {
    await page.goto(`${server.origin}/ui/#/runs`);
    await page.waitForSelector('#live-state.live-on');
    await page.evaluate(() => { window.sameDocument = true; });
    const { status, body } = await server.api('POST', '/v1/executions', {
      taskId: 't_live', taskType: 'ingestion', success: true, duration: '3.500s', outputFiles: [{ path: 'DATA/live/out.csv' }],
    });
    assert.equal(status, 201);
    const row = page.locator(`#runs-body tr[data-run-id="${body.execution.runId}"]`);
    await row.waitFor({ timeout: 10000 });
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not reloaded');
    assert.equal((await runRows(page))[0].runId, body.execution.runId, 'on top, as the newest');
    assert.match(await page.textContent('#runs-status'), /1 arrived live/);
    await screenshot(page, 'runs');
    await assertClean(page);
  });

  test('after the server restarts, the page follows the new feed by itself', async () => {
    await page.goto(`${server.origin}/ui/#/runs?task_id=t_restart`);
    await page.waitForSelector('#live-state.live-on');
    await page.evaluate(() => { window.sameDocument = true; });
    await server.restart();
    // A run recorded while the page has not reconnected yet comes with the reload the new feed asks for.
    const early = (await server.api('POST', '/v1/executions', { taskId: 't_restart', taskType: 'check', success: true })).body.execution.runId;
    await page.locator(`#runs-body tr[data-run-id="${early}"]`).waitFor({ timeout: 20000 });
    await page.waitForSelector('#live-state.live-on');
    const late = (await server.api('POST', '/v1/executions', { taskId: 't_restart', taskType: 'check', success: false })).body.execution.runId;
    await page.locator(`#runs-body tr[data-run-id="${late}"]`).waitFor({ timeout: 10000 });
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not reloaded');
    assert.deepEqual((await runRows(page)).map((r) => r.runId), [late, early]);
    assert.match(await page.textContent('#runs-status'), /read again after the live feed restarted/);
    await assertClean(page);
  });

  test('a run shows every field, the producers of its inputs and the readers of its outputs', async () => {
    const record = async (taskId, inputs, outputs) => (await server.api('POST', '/v1/executions', {
      taskId, taskType: 'transform', success: true, duration: '12s', hostname: 'web-test',
      inputFiles: inputs.map((path) => ({ path })), outputFiles: outputs.map((path) => ({ path, type: 'csv', description: `made by ${taskId}` })),
      extraFields: { notes: '"from the browser test"' },
    })).body.execution.runId;
    const a = await record('t_web_A', [], ['DATA/web/a.csv']);
    const b = await record('t_web_B', ['DATA/web/a.csv'], ['DATA/web/b.csv']);
    const c = await record('t_web_C', ['DATA/web/b.csv'], []);
    await page.goto(`${server.origin}/ui/#/run/${b}`);
    await page.waitForSelector('#run-fields');
    assert.equal(await page.textContent('#field-run-id'), b);
    const fields = await page.textContent('#run-fields');
    for (const want of ['t_web_B', 'transform', 'succeeded', '12.0 s', 'web-test', 'notes', '"from the browser test"']) {
      assert.ok(fields.includes(want), `${want} in ${fields}`);
    }
    assert.equal(await page.getAttribute('#run-inputs .producer a', 'href'), `#/run/${a}`);
    assert.equal(await page.getAttribute('#run-outputs .consumers a', 'href'), `#/run/${c}`);
    assert.match(await page.textContent('#run-outputs'), /made by t_web_B/);
    await screenshot(page, 'run');
    await page.click('#run-inputs .producer a');
    await page.waitForFunction((id) => document.querySelector('#field-run-id')?.textContent === id, a);
    await assertClean(page);
  });

  test('the lineage graph shows the whole 50-task pipeline, and each walk the API answers', async () => {
    const tasks = (await server.api('GET', '/v1/tasks?page_size=1000')).body.tasks.map((t) => `task:${t.taskId}`);
    await page.goto(`${server.origin}/ui/#/lineage`);
    await page.waitForFunction(() => window.execlog.graph && window.execlog.graph.nodes().length > 0, null, { timeout: 20000 });
    const whole = await page.evaluate(() => ({
      nodes: window.execlog.graph.nodes().map((n) => n.id()),
      edges: window.execlog.graph.edges().length,
      box: window.execlog.graph.elements().boundingBox(),
    }));
    assert.deepEqual([...whole.nodes].sort(), [...tasks].sort(), 'one node per task');
    assert.ok(whole.nodes.filter((n) => /^task:t_\d+[ICPAR]$/.test(n)).length === 50);
    assert.ok(whole.edges >= 40, `${whole.edges} links`);
    await screenshot(page, 'lineage');

    // Upstream of a reporting task at task level: exactly the API's nodes, the start marked.
    const api = (await server.api('GET', '/v1/lineage?task_id=t_1R&direction=LINEAGE_DIRECTION_UPSTREAM&depth=5')).body;
    await page.goto(`${server.origin}/ui/#/lineage?task_id=t_1R&direction=up`);
    await page.waitForFunction(() => window.execlog.graph?.$('node.start').id() === 'task:t_1R', null, { timeout: 10000 });
    const up = await page.evaluate(() => window.execlog.graph.nodes().map((n) => n.id()));
    assert.deepEqual(up.sort(), api.nodes.map((n) => n.id).sort());
    assert.ok(up.includes('task:t_1I'), 'its ingestion is upstream');

    // Run level from the test's own chain, and a tap opens the node's details.
    const b = (await server.api('GET', '/v1/tasks/t_web_B/latest')).body.execution.runId;
    await page.goto(`${server.origin}/ui/#/lineage?run_id=${b}&level=run`);
    await page.waitForFunction((id) => window.execlog.graph?.$('node.start').id() === id, `run:${b}`, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.execlog.graph.nodes().length), 3);
    await page.evaluate((id) => window.execlog.graph.$id(id).emit('tap'), `run:${b}`);
    await page.waitForSelector('#lineage-side a[href^="#/run/"]');
    await assertClean(page);
  });

  test('the tasks screen charts durations per task over the chosen window', async () => {
    await page.goto(`${server.origin}/ui/#/tasks?window=all&task=t_2C&scale=log`);
    await page.waitForSelector('#tasks-body tr[data-task-id]');
    await page.waitForFunction(() => window.execlog.charts.task && window.execlog.charts.overview);
    const rows = await page.$$eval('#tasks-body tr[data-task-id]', (r) => r.map((x) => ({ task: x.dataset.taskId, rate: x.cells[3].textContent })));
    assert.ok(rows.length >= 50, `${rows.length} tasks`);
    assert.ok(rows.every((r) => / %$/.test(r.rate)), 'a success rate for each');
    const charts = await page.evaluate(() => {
      const { task, overview } = window.execlog.charts;
      return {
        taskPoints: task.data.datasets[0].data.filter((v) => v > 0).length,
        overviewBars: overview.data.labels.length,
        canvas: [task.canvas.width, task.canvas.height],
      };
    });
    assert.ok(charts.taskPoints >= 5, `${charts.taskPoints} weekly medians for t_2C`);
    assert.equal(charts.overviewBars, rows.length);
    assert.ok(charts.canvas[0] > 300 && charts.canvas[1] > 150, `a drawn canvas ${charts.canvas}`);
    await screenshot(page, 'tasks');

    // A narrower window asks the server again: t_live ran just now, the generated tasks mostly not.
    await page.selectOption('#tasks-form select[name=window]', '1d');
    await page.fill('#tasks-form input[name=task]', '');
    await page.click('#tasks-form button[type=submit]');
    await page.waitForFunction(() => !!document.querySelector('#tasks-body tr[data-task-id="t_live"]'));
    await assertClean(page);
  });

  test('a validate started from the page shows its progress to 100 %, and an export too', async () => {
    await page.goto(`${server.origin}/ui/#/maintenance`);
    await page.waitForFunction(() => /execution_log\.json/.test(document.querySelector('#log-info')?.textContent || ''));
    await page.click('#validate');
    await page.waitForFunction(() => document.querySelector('#validate-percent')?.textContent === '100 %', null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => document.querySelector('#validate-progress').value), 100);
    assert.match(await page.textContent('#validate-result'), /The log is valid/);
    const stage = await page.textContent('#validate-stage');
    const updates = Number(/\((\d+) progress update/.exec(stage)?.[1]);
    assert.ok(updates >= 1, `progress came before the result: ${stage}`);

    await page.selectOption('#export-format', 'EXPORT_FORMAT_CSV');
    await page.click('#export');
    await page.waitForFunction(() => document.querySelector('#export-percent')?.textContent === '100 %', null, { timeout: 30000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-save')]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'maintenance');
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    assert.ok(csv.startsWith('task_id,task_type,task_run_id,'), csv.slice(0, 80));
    assert.ok(csv.split('\n').length > 3000, 'every run');
    await assertClean(page);
  });

  test('an API error is shown with its status, reason and metadata', async () => {
    await page.goto(`${server.origin}/ui/#/run/0000-no-such-run`);
    await page.waitForSelector('#error:not([hidden])');
    const text = await page.textContent('#error');
    assert.match(text, /NOT_FOUND · RUN_NOT_FOUND \(HTTP 404\)/);
    assert.match(text, /run_id=0000-no-such-run/);
    await assertClean(page);
  });
});

describe('on a server with TLS and tokens', () => {
  let server;
  let page;
  before(async () => {
    server = await startServer({ secure: true });
    page = await openPage(chromium.browser, server.origin, { secure: true });
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('the page asks for a token, shows a refused one, and with a good one reads and follows the feed', async () => {
    await page.goto(`${server.origin}/ui/`);
    await page.waitForSelector('#token-form:not([hidden])');
    assert.match(await page.textContent('#error'), /UNAUTHENTICATED/);

    await page.fill('#token-input', 'not-a-token-this-server-knows');
    await page.click('#token-entry button');
    await page.waitForFunction(() => /refused this token/.test(document.querySelector('#error')?.textContent || ''));
    assert.match(await page.textContent('#error'), /UNAUTHENTICATED \(HTTP 401\)/);
    assert.equal(await page.isVisible('#token-form'), true, 'asked again');
    await screenshot(page, 'token-refused');

    await page.fill('#token-input', server.tokens.reader);
    await page.click('#token-entry button');
    await page.waitForSelector('#runs-body tr[data-run-id]');
    assert.equal(await page.isVisible('#error'), false, await page.textContent('#error'));
    assert.equal(await page.evaluate(() => sessionStorage.getItem('execlog.token')), server.tokens.reader);
    // The feed carries the token too (fetch, not EventSource): a run recorded by a writer arrives.
    await page.waitForSelector('#live-state.live-on');
    const { status, body } = await server.api('POST', '/v1/executions',
      { taskId: 't_secure', taskType: 'check', success: false, duration: '1s' }, server.tokens.writer);
    assert.equal(status, 201);
    await page.locator(`#runs-body tr[data-run-id="${body.execution.runId}"]`).waitFor({ timeout: 10000 });

    // A reader may not change the log; the page never tries, and the validate it may run works.
    await page.goto(`${server.origin}/ui/#/maintenance`);
    await page.click('#validate');
    await page.waitForFunction(() => document.querySelector('#validate-percent')?.textContent === '100 %', null, { timeout: 30000 });
    await assertClean(page);
  });
});
