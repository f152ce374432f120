// Whole-brain size in the notebook: a 302-neuron recording (as many neurons as C. elegans
// has) trains the relational GNN on the wasm CPU device and is scored, and the page's
// main thread is watched the whole time (Chromium's Long Tasks API). The longest task is
// printed for the report, not asserted: it depends on the machine's load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDemo, launch, openPage, foreignRequests } from '../support/harness.js';

let server;

before(async () => {
  server = await serveDemo();
});

after(async () => {
  await server?.close();
});

const NEURONS = 302;
const FRAMES = 400;
const STEPS = 20;

/** A seeded whole-brain CSV at 4 Hz: each neuron a slow AR(1) process driven by two others. */
function wholeBrainCsv() {
  let seed = 302;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const state = Array.from({ length: NEURONS }, random);
  const lines = [['time', ...Array.from({ length: NEURONS }, (_, i) => `n${i}`)].join(',')];
  for (let t = 0; t < FRAMES; t += 1) {
    const next = state.map((x, i) => 0.85 * x + 0.1 * state[(i + 1) % NEURONS] - 0.1 * state[(i * 7 + 3) % NEURONS] + 0.2 * random());
    next.forEach((x, i) => { state[i] = x; });
    lines.push([(t / 4).toFixed(2), ...state.map((x) => x.toFixed(4))].join(',')); // 4 frames a second
  }
  return `${lines.join('\n')}\n`;
}

test(`a ${NEURONS}-neuron GNN run in the notebook: trained, scored, and the main thread's longest task`, { timeout: 480_000 }, async () => {
  const browser = await launch();
  try {
    const { page, requests, errors } = await openPage(
      browser, `${server.origin}/?task=forecast&model=gnn&steps=${STEPS}&history=10&batch=4&backend=cpu`);
    await page.getByTestId('file-input').setInputFiles({ name: 'whole-brain.csv', mimeType: 'text/csv', buffer: Buffer.from(wholeBrainCsv()) });
    const row = page.getByTestId('summary').locator('tbody tr').first();
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), new RegExp(`\\b${NEURONS}\\b`), 'the summary counts every neuron');
    await page.waitForFunction(() => !document.querySelector('[data-testid=start]').disabled, null, { timeout: 60_000 });
    // From the click to the drawn results: every main-thread task over 50 ms.
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask' });
    });
    const started = Date.now();
    await page.getByTestId('start').click();
    const failed = page.locator('[data-testid=status][role=alert]');
    await Promise.race([page.getByTestId('results').waitFor({ timeout: 420_000 }), failed.waitFor({ timeout: 420_000 })]);
    if (await failed.count()) assert.fail(`the run failed: ${await failed.innerText()}`);
    await page.getByTestId('graph-inferred').waitFor();
    // Let the results views finish drawing before the record is read.
    await page.waitForTimeout(1_000);
    const seconds = (Date.now() - started) / 1000;
    const longTasks = await page.evaluate(() => window.longTasks);
    const model = Number(await page.getByTestId('mse-model').getAttribute('data-value'));
    assert.ok(Number.isFinite(model), `the GNN's one-step MSE is shown: ${model}`);
    assert.match(await page.getByTestId('status').innerText(), new RegExp(`^done: ${STEPS} steps`));
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests, server.origin), [], 'every request stays on the page origin');
    const longest = longTasks.length ? `${Math.max(...longTasks)} ms` : 'under 50 ms (none over)';
    process.stdout.write(`# ${NEURONS}-neuron GNN, ${STEPS} steps + evaluation on the wasm CPU: ${seconds.toFixed(1)} s; ` +
      `longest main-thread task ${longest} (${longTasks.length} over 50 ms: ${longTasks.join(', ')})\n`);
    // The report is written when asked for (not while the results appear), whole.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
    const report = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(report.graph.probability.length, NEURONS * NEURONS, 'the downloaded report carries the whole inferred graph');
  } finally {
    await browser.close();
  }
});
