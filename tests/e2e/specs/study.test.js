// A lab's own HDF5 layout, picked in the notebook's tree, then a short leave-one-animal-out
// study: the picker appears for a file no built-in layout reads, the choices load every
// animal (the NaN frames of the behaviour flag reported, not filled), the layout downloads
// as a preset, and the study's table and verdict appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoForThisFile, openPage, screenshot, foreignRequests, repoRoot } from '../support/harness.js';

const demo = demoForThisFile();

/** Runs the study of the GNN and the MLP on forecasting alone and waits for its table (5 minutes at most). */
async function studyGnnAndMlpForecasts(page) {
  await page.getByTestId('study-behaviour').uncheck();
  await page.getByTestId('study-model-gru').uncheck();
  await page.getByTestId('run-study').click();
  const outcome = await Promise.race([
    page.getByTestId('study-table').waitFor({ timeout: 300_000 }).then(() => 'table', () => 'timeout'),
    page.getByTestId('study-error').waitFor({ timeout: 300_000 }).then(() => 'error', () => 'timeout'),
  ]);
  if (outcome === 'error') assert.fail(`the study failed: ${await page.getByTestId('study-error').innerText()}`);
  assert.equal(outcome, 'table', 'the study finished within 5 minutes');
}

test('an unknown HDF5 layout is picked in its tree and studied leave-one-animal-out', async () => {
  const { page, requests, errors } = await openPage(demo.browser, `${demo.server.origin}/?steps=10&history=6&batch=8&backend=cpu`);
  await page.getByTestId('file-input').setInputFiles(join(repoRoot, 'tests/fixtures/lab/lab_hdf5.h5'));
  const picker = page.getByTestId('picker');
  await picker.waitFor();
  assert.match(await picker.innerText(), /\/worm1\/traces/);
  assert.match(await picker.innerText(), /600 x 24 numbers/);
  await page.getByTestId('role-/worm1/traces').selectOption('activity');
  assert.equal(await page.getByTestId('animals-pattern').inputValue(), '/worm*', 'the animals pattern is guessed');
  await page.getByTestId('role-/worm1/timestamps').selectOption('time');
  assert.equal(await page.getByTestId('time-axis').inputValue(), '0', 'the time axis is guessed from the shapes');
  await page.getByTestId('role-/worm1/neuron_ids').selectOption('names');
  await page.getByTestId('role-/worm1/behavior/reversal').selectOption('binary');
  await page.getByTestId('role-/worm1/behavior/velocity').selectOption('continuous');
  await screenshot(page, 'study-picker');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-layout').click()]);
  const layout = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(layout.format, 'ganglion-layout');
  assert.equal(layout.animals, '/worm*');
  assert.equal(layout.activity, 'traces');
  assert.deepEqual(layout.behaviour.map((c) => [c.path, c.kind]), [['behavior/reversal', 'binary'], ['behavior/velocity', 'continuous']]);

  await page.getByTestId('apply-layout').click();
  const rows = page.getByTestId('summary').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  assert.match(await rows.first().innerText(), /not reversal, reversal/);
  assert.match(await page.getByTestId('load-warnings').innerText(), /reversal is missing in 10 of 600 frames; those frames are left out/);

  // Every model on forecasting, behaviour states and the velocity signal (10 steps each: this checks the
  // path; crates/ganglion-train/tests/study.rs checks that the models learn).
  await page.getByTestId('run-study').click();
  await page.getByTestId('study-stage').waitFor({ timeout: 120_000 });
  const table = page.getByTestId('study-table');
  const outcome = await Promise.race([
    table.waitFor({ timeout: 480_000 }).then(() => 'table', () => 'timeout'),
    page.getByTestId('study-error').waitFor({ timeout: 480_000 }).then(() => 'error', () => 'timeout'),
  ]);
  if (outcome === 'error') assert.fail(`the study failed: ${await page.getByTestId('study-error').innerText()}`);
  assert.equal(outcome, 'table', 'the study finished within 8 minutes');
  assert.match(await page.getByTestId('study-stage').innerText(), /run 27 of 27: GRU signals without worm3/);
  const text = await table.innerText();
  for (const row of [/GNN\s+forecast MSE/, /MLP\s+forecast MSE/, /GRU\s+behaviour accuracy/, /GNN\s+signal R\^2/, /GNN\s+anatomy AUROC/]) {
    assert.match(text, row);
  }
  assert.match(await page.getByTestId('study-verdict').innerText(), /GNN vs MLP, on the \d+ named neurons every animal shares/);
  await screenshot(page, 'study-table');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests(requests, demo.server.origin), [], 'every request stays on the page origin');
});

test('several files picked together are one study, an animal per file', async () => {
  const { page, errors } = await openPage(demo.browser, `${demo.server.origin}/?steps=5&history=4&batch=8&backend=cpu`);
  await page.getByTestId('file-input').setInputFiles([
    join(repoRoot, 'tests/fixtures/kato2015_v5.mat'),
    join(repoRoot, 'tests/fixtures/recording.npz'),
  ]);
  const summary = page.getByTestId('summary');
  await summary.waitFor();
  assert.match(await summary.locator('h2').innerText(), /2 files \(kato2015_v5\.mat, recording\.npz\)/);
  const rows = await summary.locator('tbody tr').count();
  assert.ok(rows >= 3, `every animal of both files is listed (${rows})`);
  await studyGnnAndMlpForecasts(page);
  assert.match(await page.getByTestId('study-table').innerText(), /GNN\s+forecast MSE/);
  assert.match(await page.getByTestId('study-stage').innerText(), new RegExp(`run ${rows * 2} of ${rows * 2}`));
  assert.deepEqual(errors, []);
});

// One lab's worms in one HDF5 file each, with each worm's NeuroPAL names in its own table:
// the tables pair with the files by stem (shown before loading), every animal is named
// after its file, a table with a column past its worm's neurons is refused with both
// files named, and the study compares the GNN with the MLP on the names the worms share.
const worms = 'tests/fixtures/lab/one-worm-files';
const wormFiles = ['worm_a', 'worm_b', 'worm_c'].map((w) => join(repoRoot, worms, `${w}.h5`));

async function pickWorms(page) {
  await page.getByTestId('file-input').setInputFiles(wormFiles);
  await page.getByTestId('picker').waitFor();
  await page.getByTestId('role-/traces').selectOption('activity');
  await page.getByTestId('role-/timestamps').selectOption('time');
  await page.getByTestId('time-axis').selectOption('0');
  await page.getByTestId('name-base').selectOption('1');
}

test('each worm of a lab takes its own names table, matched by file stem', async () => {
  const { page, requests, errors } = await openPage(demo.browser, `${demo.server.origin}/?steps=5&history=4&batch=8&backend=cpu`);
  await pickWorms(page);
  const tables = (dir, ws) => ws.map((w) => join(repoRoot, worms, dir, `${w}.csv`));
  await page.getByTestId('names-file').setInputFiles(tables('names', ['worm_a', 'worm_b']));
  assert.match(await page.getByTestId('names-plan-error').innerText(), /worm_c\.h5: .*no names table is named after this file/);
  await page.getByTestId('names-file').setInputFiles(tables('names', ['worm_c', 'worm_a', 'worm_b']));
  const plan = (await page.getByTestId('names-plan').innerText()).split('\n');
  assert.deepEqual(plan, ['a', 'b', 'c'].map((w) => `worm_${w}.h5 <- table worm_${w}.csv (columns from 1)`));
  await screenshot(page, 'names-plan');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-layout').click()]);
  const layout = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(layout.name_tables, '{stem}.csv', 'the layout finds the tables beside the files again');
  assert.equal(layout.name_base, 1);

  await page.getByTestId('apply-layout').click();
  const rows = page.getByTestId('summary').locator('tbody tr');
  await rows.first().waitFor();
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 2).map((c) => c.innerText)));
  assert.deepEqual(cells, [['worm_a', '22 (20 named)'], ['worm_b', '25 (23 named)'], ['worm_c', '24 (22 named)']]);

  await studyGnnAndMlpForecasts(page);
  assert.match(await page.getByTestId('study-stage').innerText(), /run 6 of 6: MLP forecast without worm_c/);
  assert.match(await page.getByTestId('study-verdict').innerText(), /GNN vs MLP, on the \d+ named neurons every animal shares/);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests(requests, demo.server.origin), [], 'every request stays on the page origin');
});

test('a names table with a column past its worm\'s neurons is refused, naming both files', async () => {
  const { page, errors } = await openPage(demo.browser, `${demo.server.origin}/?backend=cpu`);
  await pickWorms(page);
  await page.getByTestId('names-file').setInputFiles([
    join(repoRoot, worms, 'names/worm_a.csv'),
    join(repoRoot, worms, 'names/worm_b.csv'),
    join(repoRoot, worms, 'out-of-range/worm_c.csv'),
  ]);
  await page.getByTestId('names-plan').waitFor();
  await page.getByTestId('apply-layout').click();
  const message = await page.getByTestId('picker-error').innerText();
  assert.match(message, /worm_c\.csv \(the neuron names of worm_c\.h5\)/);
  assert.match(message, /a column from 1 to 24 .* found 25/);
  assert.equal(await page.getByTestId('summary').count(), 0, 'nothing is loaded with a wrong table');
  assert.deepEqual(errors, []);
});
