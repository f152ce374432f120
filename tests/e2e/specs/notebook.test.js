// The notebook widget as scientists use it: the wheel `cargo xtask wheel` builds, installed
// into a fresh environment with the pinned JupyterLab and marimo. (a) A real JupyterLab
// server on 127.0.0.1 opens tests/notebook/worm.ipynb in headless Chromium and runs its
// cells one by one: a numpy synthetic worm trains a short GNN in the cell (the wasm CPU
// path: no WebGPU adapter), then the Python side checks the report's MSE beats persistence,
// the graph is N x N and the model comes back; a file that is not a recording raises with
// its code. (b) The same logic as a marimo app (tests/notebook/worm_marimo.py, through
// mo.ui.anywidget). Neither page sends a request off 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactsDir, foreignRequests, launch, openPage } from '../support/harness.js';
import { startNotebookServer } from '../support/notebook_server.js';

const FINISHED = ['done', 'failed', 'cancelled'];

/** Runs `body({ page, origin, requests, errors })` against a started server, then stops both. */
async function withServer(program, args, readyPath, url, body) {
  const server = await startNotebookServer(program, args, readyPath);
  const browser = await launch();
  try {
    const opened = await openPage(browser, `${server.origin}${url}`);
    await body({ ...opened, origin: server.origin });
    assert.deepEqual(foreignRequests(opened.requests, server.origin), [], 'every request stays on 127.0.0.1');
  } catch (error) {
    error.message += `\n--- server log ---\n${server.log.join('').slice(-4000)}`;
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** JupyterLab: runs cell `index` of the open notebook and waits until the kernel is idle again. */
async function runCell(page, index) {
  await page.evaluate(async (i) => {
    const app = /** @type {any} */ (window).jupyterapp;
    const notebook = app.shell.currentWidget.content;
    notebook.activeCellIndex = i;
    await app.commands.execute('notebook:run-cell');
  }, index);
  await page.waitForFunction((i) => {
    const panel = /** @type {any} */ (window).jupyterapp.shell.currentWidget;
    const cell = panel.content.widgets[i];
    return cell.model.executionCount !== null && panel.sessionContext.session?.kernel?.status === 'idle';
  }, index, { timeout: 120_000 });
}

/** Runs a JupyterLab check cell and returns what it printed, running it again (as a person
 * would) while it says the kernel has not yet heard the page's last update. */
async function checked(page, index) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await runCell(page, index);
    const text = await page.evaluate((i) => {
      const cell = /** @type {any} */ (window).jupyterapp.shell.currentWidget.content.widgets[i];
      return cell.model.outputs.toJSON().map((o) => o.text ?? o.evalue ?? '').join('');
    }, index);
    if (!text.startsWith('waiting') || Date.now() > deadline) return text;
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

/** Waits until the widget shown in `locator` has finished, and returns its status. */
async function finished(locator) {
  const widget = locator.locator('.ganglion-cell');
  await widget.waitFor({ timeout: 120_000 });
  await widget.page().waitForFunction(
    ([element, done]) => done.includes(element?.getAttribute('data-status') ?? ''),
    [await widget.elementHandle(), FINISHED],
    { timeout: 240_000 },
  );
  return widget.getAttribute('data-status');
}

/** Waits until the widget in `locator` shows a trained step. */
async function training(locator) {
  await locator.locator('.ganglion-cell[data-status=training] [data-part=status]', { hasText: /step \d+ of/ }).waitFor({ timeout: 120_000 });
}

test('JupyterLab: a numpy worm trains in a cell and its results reach Python; a bad file raises; runs cancel from Python and from the cell', { timeout: 600_000 }, async () => {
  const args = (port) => ['lab', '--no-browser', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0', '--ServerApp.allow_root=True', '--IdentityProvider.token=ganglion-test',
    '--LabApp.expose_app_in_browser=True'];
  await withServer('jupyter', args, '/api/status?token=ganglion-test', '/lab/tree/worm.ipynb?token=ganglion-test', async ({ page }) => {
    const workers = [];
    page.on('worker', (worker) => workers.push(worker));
    await page.waitForFunction(() => {
      const panel = /** @type {any} */ (window).jupyterapp?.shell?.currentWidget;
      return panel?.content?.widgets?.length === 12 && panel.sessionContext?.session?.kernel?.status === 'idle';
    }, null, { timeout: 120_000 });
    const cells = page.locator('.jp-Notebook .jp-Cell');
    await runCell(page, 0);
    await runCell(page, 1);
    const started = Date.now();
    assert.equal(await finished(cells.nth(1)), 'done', await cells.nth(1).innerText());
    const shown = await cells.nth(1).locator('.ganglion-cell').innerText();
    console.log(`JupyterLab: trained in ${((Date.now() - started) / 1000).toFixed(1)} s; the cell shows: ${shown.replace(/\s+/g, ' ')}`);
    assert.match(shown, /one-step MSE/, 'the cell shows the result table');
    await mkdir(artifactsDir, { recursive: true });
    await cells.nth(1).screenshot({ path: join(artifactsDir, 'notebook-cell.png') });
    const trained = await checked(page, 2);
    console.log(`JupyterLab: ${trained.trim()}`);
    assert.match(trained, /^CHECKS PASSED/, trained);
    await runCell(page, 3);
    assert.equal(await finished(cells.nth(3)), 'failed');
    assert.match(await cells.nth(3).innerText(), /broken\.npy/, 'the cell shows the error, naming the file');
    const bad = await checked(page, 4);
    console.log(`JupyterLab: ${bad.trim()}`);
    assert.match(bad, /^CHECKS PASSED: raised [a-z_]+: .*broken\.npy/, bad);

    // Cancelled from Python once its progress has reached the kernel, then from the cell.
    await runCell(page, 5);
    await training(cells.nth(5));
    const heard = await checked(page, 6);
    console.log(`JupyterLab: ${heard.trim()}`);
    assert.match(heard, /^CHECKS PASSED/, heard);
    await runCell(page, 7);
    assert.equal(await finished(cells.nth(5)), 'cancelled');
    const fromPython = await checked(page, 8);
    console.log(`JupyterLab: from Python: ${fromPython.trim()}`);
    assert.match(fromPython, /^CHECKS PASSED/, fromPython);
    await runCell(page, 9);
    await training(cells.nth(9));
    await cells.nth(9).getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await finished(cells.nth(9)), 'cancelled');
    const fromCell = await checked(page, 10);
    console.log(`JupyterLab: from the cell: ${fromCell.trim()}`);
    assert.match(fromCell, /^CHECKS PASSED/, fromCell);

    // Four widgets, one runtime sent, one worker (one wasm instance, one device).
    assert.match(await checked(page, 11), /^runtime sent 1 time/);
    assert.equal(workers.length, 1, `workers started: ${workers.map((w) => w.url()).join(', ')}`);
  });
});

test('marimo: the same worm and checks through mo.ui.anywidget', { timeout: 600_000 }, async () => {
  const args = (port) => ['run', 'worm_marimo.py', '--headless', '--host', '127.0.0.1', '--port', String(port), '--no-token', '--no-sandbox'];
  await withServer('marimo', args, '/health', '/', async ({ page }) => {
    const line = async (id) => {
      const element = page.locator(`#${id}`);
      await page.waitForFunction((i) => /^CHECKS/.test(document.querySelector(`#${i}`)?.textContent ?? '')
        || [...document.querySelectorAll('*')].some((e) => e.shadowRoot?.querySelector(`#${i}`)?.textContent?.startsWith('CHECKS')),
      id, { timeout: 300_000 });
      return element.innerText();
    };
    const trained = await line('trained-check');
    console.log(`marimo: ${trained.trim()}`);
    assert.match(trained, /^CHECKS PASSED/, trained);
    const bad = await line('bad-check');
    console.log(`marimo: ${bad.trim()}`);
    assert.match(bad, /^CHECKS PASSED: raised [a-z_]+: .*broken\.npy/, bad);
  });
});
