// The npm package as its users get it: `cargo xtask package` packs target/npm/ganglion-<version>.tgz
// (the test command does this before the browser tests). (a) A scratch consumer project, copied
// away from the source tree, installs the tarball, type-checks with tsc, bundles with vite and
// runs the whole API in Chromium. (b) A plain HTML page with only the package's script and its
// custom elements renders a viewer, trains to completion with events in order, shows a bad file's
// error inside the one widget, and keeps its styles apart from the page's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { foreignRequests, launch, openPage, repoRoot, screenshot, serveDemo } from '../support/harness.js';

const { version } = JSON.parse(await readFile(join(repoRoot, 'web/js/package.json'), 'utf8'));
const tarball = join(repoRoot, `target/npm/ganglion-${version}.tgz`);

function sh(cwd, program, ...args) {
  return execFileSync(program, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function folderSize(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A recording in ganglion's JSON schema with a continuous `speed` signal read from two of
 * its neurons (so it can be decoded), for `<ganglion-trainer task="signals">`. */
function signalsRecording(neurons = 8, frames = 240) {
  const activity = Array.from({ length: neurons }, (_, i) =>
    Array.from({ length: frames }, (_, t) => Math.sin(0.07 * (i + 1) * t + i) + 0.3 * Math.cos(0.23 * t * (i % 3 + 1))));
  const speed = activity[0].map((v, t) => v + 0.5 * activity[1][t]);
  return JSON.stringify({
    format: 'ganglion-recording', version: 1, sampling_rate_hz: 4,
    neurons: activity.map((_, i) => `N${i}`), activity, signals: [{ name: 'speed', values: speed }],
  });
}

/** Runs `body(dir)` in a fresh temporary folder, removed afterwards. */
async function inScratch(prefix, body) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Serves `root` and runs `body({ origin, browser })` in headless Chromium, closing both afterwards. */
async function served(root, body) {
  const server = await serveDemo(root);
  const browser = await launch();
  try {
    return await body({ origin: server.origin, browser });
  } finally {
    await browser.close();
    await server.close();
  }
}

test('the packed package installs, type-checks, bundles with vite and runs its API in Chromium', () =>
  inScratch('ganglion-consumer-', async (scratch) => {
    await cp(join(repoRoot, 'tests/package/consumer'), scratch, {
      recursive: true,
      filter: (src) => !src.includes('node_modules') && !src.includes('/dist'),
    });
    sh(scratch, 'npm', 'ci', '--no-audit', '--no-fund');
    sh(scratch, 'npm', 'install', '--no-save', '--no-audit', '--no-fund', tarball);
    const installed = join(scratch, 'node_modules/ganglion');
    const shipped = (await readdir(installed)).sort();
    assert.deepEqual(shipped, [
      'LICENSE', 'README.md', 'api.js', 'drawing.js', 'elements.js', 'ganglion-worker.js', 'ganglion-worker_bg.wasm',
      'ganglion.d.ts', 'ganglion.js', 'package.json', 'wire.d.ts', 'worker.js',
    ]);
    sh(scratch, join(scratch, 'node_modules/.bin/tsc'), '--noEmit', '-p', '.');
    // The package's own JS (// @ts-check), checked against its declarations: ganglion.d.ts
    // and the wire.d.ts generated from the Rust types.
    sh(scratch, join(scratch, 'node_modules/.bin/tsc'), '--noEmit', '--allowJs', '--checkJs', '--target', 'ES2022',
      '--module', 'ESNext', '--moduleResolution', 'Bundler', '--lib', 'ES2022,DOM,DOM.Iterable',
      join(installed, 'ganglion.js'));
    sh(scratch, join(scratch, 'node_modules/.bin/vite'), 'build', '--logLevel', 'warn');

    const wasm = await readFile(join(installed, 'ganglion-worker_bg.wasm'));
    console.log(
      `package: packed ${mb((await stat(tarball)).size)}, installed ${mb(await folderSize(installed))}, ` +
        `wasm ${mb(wasm.length)} raw / ${mb(gzipSync(wasm).length)} gzipped`,
    );

    await served(join(scratch, 'dist'), async ({ origin, browser }) => {
      const { page, requests, errors } = await openPage(browser, `${origin}/`);
      await page.waitForFunction(() => window.outcome !== undefined, null, { timeout: 240_000 });
      const outcome = await page.evaluate(() => window.outcome);
      assert.equal(outcome.error, undefined, outcome.error);
      console.log('consumer outcome:', JSON.stringify({ ...outcome, events: outcome.events.length }));
      assert.equal(outcome.backend, 'CPU');
      assert.equal(outcome.neurons, 12);
      assert.equal(outcome.activityLength, 12 * 400, 'activity comes back as a Float32Array, neuron-major');
      assert.ok(outcome.events.includes('progress') && outcome.events.at(-1) === 'finished', outcome.events.join());
      assert.equal(outcome.steps, 30);
      assert.ok(Number.isFinite(outcome.modelMse) && Number.isFinite(outcome.persistenceMse));
      assert.equal(outcome.labAnimal, 'session-7', 'an animal without an id takes its file stem');
      assert.deepEqual(outcome.labNames, ['AVAL', 'RIML'], 'the table named after the file renames its neurons');
      assert.equal(outcome.unmatchedCode, 'unmatched_names', 'a table named after another file is refused');
      assert.ok(outcome.savedBytes > 10_000, `a checkpoint of ${outcome.savedBytes} bytes`);
      assert.equal(outcome.reloadedKind, 'gnn');
      assert.ok(Math.abs(outcome.reloadedMse - outcome.modelMse) <= 1e-6 * outcome.modelMse,
        `the reloaded model scores ${outcome.reloadedMse}, the trained one ${outcome.modelMse}`);
      // Scored on the held-out (last) animal, whose neurons need not be the first one's.
      const held = outcome.heldOutNeurons;
      assert.ok(outcome.predictedLength > 0 && outcome.predictedLength % held === 0);
      assert.equal(outcome.graphSize, held * held);
      assert.notEqual(outcome.badFileCode, 'none');
      assert.notEqual(outcome.badFileCode, 'not a GanglionError');
      assert.equal(outcome.badModelCode, 'checkpoint');
      assert.equal(outcome.studyStages, 6, 'a study of 3 animals x 2 models reports each run');
      assert.equal(outcome.studyRows, 2, 'forecast MSE for the GNN and the MLP');
      assert.match(outcome.studyVerdict, /GNN vs MLP/);
      assert.deepEqual(errors, []);
      assert.deepEqual(foreignRequests(requests, origin), []);
    });
  }));

test('a plain page with only the package script renders a viewer, trains, and contains a bad file', () =>
  inScratch('ganglion-static-', async (site) => {
    sh(site, 'tar', 'xzf', tarball);
    await rename(join(site, 'package'), join(site, 'ganglion'));
    await cp(join(repoRoot, 'tests/package/static'), site, { recursive: true });
    await writeFile(join(site, 'signals.json'), signalsRecording());
    await served(site, async ({ origin, browser }) => {
      const { page, requests, errors } = await openPage(browser, 'about:blank');
      await page.addInitScript(() => {
        window.events = [];
        for (const type of ['loaded', 'progress', 'trained', 'drawn', 'error']) {
          document.addEventListener(type, (e) => window.events.push([e.target.id, type]), true);
        }
      });
      await page.goto(`${origin}/index.html`);
      const shadowWidth = (id, selector) =>
        page.evaluate(([i, s]) => document.getElementById(i).shadowRoot.querySelector(s)?.width ?? 0, [id, selector]);

      await page.waitForFunction(() => document.getElementById('viewer').shadowRoot.querySelector('canvas')?.width > 0,
        null, { timeout: 60_000 });
      assert.ok((await shadowWidth('viewer', 'canvas')) > 100, 'the heatmap has a column per frame group');
      const caption = await page.evaluate(() => document.getElementById('viewer').shadowRoot.querySelector('.caption').textContent);
      assert.match(caption, /12 neurons x \d+ frames/);

      await page.waitForFunction(() => document.getElementById('broken').shadowRoot.querySelector('.error'), null,
        { timeout: 60_000 });
      const problem = await page.evaluate(() => document.getElementById('broken').shadowRoot.querySelector('.error').textContent);
      console.log('bad file, shown inside its widget:', problem);
      assert.match(problem, /bad\.npz/);

      await page.locator('#trainer button').click();
      await page.waitForFunction(() => window.events.some(([id, t]) => id === 'graph' && t === 'drawn'), null,
        { timeout: 240_000 });
      const events = await page.evaluate(() => window.events);
      const trainer = events.filter(([id]) => id === 'trainer').map(([, t]) => t);
      assert.ok(trainer.length >= 2 && trainer.at(-1) === 'trained', trainer.join());
      assert.ok(trainer.slice(0, -1).every((t) => t === 'progress'), trainer.join());
      assert.deepEqual(events.filter(([id]) => id === 'broken').map(([, t]) => t), ['error']);
      assert.deepEqual(events.filter(([id]) => id === 'viewer').map(([, t]) => t), ['loaded']);
      const table = await page.evaluate(() => document.getElementById('trainer').shadowRoot.querySelector('table').textContent);
      assert.match(table, /MSE/);

      // A signals run shows the R² rows the notebook shows (the worker's metric table).
      await page.locator('#signals button').click();
      await page.waitForFunction(() => window.events.some(([id, t]) => id === 'signals' && (t === 'trained' || t === 'error')),
        null, { timeout: 240_000 });
      const signals = await page.evaluate(() => {
        const root = document.getElementById('signals').shadowRoot;
        return { table: root.querySelector('table')?.textContent ?? '', error: root.querySelector('.error')?.textContent ?? '' };
      });
      console.log('signals trainer:', signals.table || signals.error);
      assert.equal(signals.error, '');
      assert.match(signals.table, /R² of the signals/);
      assert.match(signals.table, /the training mean/);
      const inferredWidth = await shadowWidth('graph', '[part=inferred]');
      assert.ok(inferredWidth > 5 && inferredWidth <= 12, `a ${inferredWidth}-neuron graph`);
      assert.equal(await shadowWidth('graph', '[part=known]'), inferredWidth);

      const styles = await page.evaluate(() => {
        const button = document.getElementById('trainer').shadowRoot.querySelector('button');
        const canvas = document.getElementById('viewer').shadowRoot.querySelector('canvas');
        return {
          widgetButton: getComputedStyle(button).backgroundColor,
          widgetCanvasBorder: getComputedStyle(canvas).borderTopWidth,
          pageText: getComputedStyle(document.getElementById('outro')).color,
        };
      });
      assert.equal(styles.widgetButton, 'rgb(0, 128, 0)', 'themed through --ganglion-accent');
      assert.notEqual(styles.widgetCanvasBorder, '7px', "the page's styles stay out of the widget");
      assert.equal(styles.pageText, 'rgb(1, 2, 3)', "the widget's styles stay out of the page");
      assert.equal(page.workers().length, 1, 'four widgets share one worker (one wasm instance, one device)');
      await screenshot(page, 'package-static-page');
      assert.deepEqual(errors, []);
      assert.deepEqual(foreignRequests(requests, origin), []);
    });
  }));

test("the demo's embed article trains its widgets, and the how-to page renders, all from its own origin", () =>
  served(undefined, async ({ origin, browser }) => {
    const { page, requests, errors } = await openPage(browser, `${origin}/embed.html`);
    await page.waitForFunction(() => document.querySelector('ganglion-viewer').shadowRoot.querySelector('canvas')?.width > 0,
      null, { timeout: 60_000 });
    await page.locator('ganglion-trainer button').click();
    await page.waitForFunction(() => document.querySelector('ganglion-graph').shadowRoot.querySelector('[part=auroc]')?.textContent,
      null, { timeout: 240_000 });
    const auroc = await page.evaluate(() => document.querySelector('ganglion-graph').shadowRoot.querySelector('[part=auroc]').textContent);
    console.log(`embed article: ${auroc}`);
    assert.match(auroc, /edge AUROC 0\.\d+/);
    await screenshot(page, 'embed-article');
    const howto = await openPage(browser, `${origin}/embed-howto.html`);
    await howto.page.waitForFunction(() => document.querySelector('ganglion-viewer').shadowRoot.querySelector('canvas')?.width > 0,
      null, { timeout: 60_000 });
    assert.deepEqual([...errors, ...howto.errors], []);
    assert.deepEqual(foreignRequests([...requests, ...howto.requests], origin), []);
  }));
