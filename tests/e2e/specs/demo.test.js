// The demo shell: loads, shows a synthetic worm, reports a bad file in words and stays
// usable, and never sends a request off its own origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoForThisFile, openPage, screenshot, foreignRequests, repoRoot } from '../support/harness.js';

const demo = demoForThisFile();

test('synthetic worm loads and its summary shows every animal', async () => {
  const { page, errors } = await openPage(demo.browser, demo.server.origin);
  await page.getByTestId('load-sample').click();
  const rows = page.getByTestId('summary').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  assert.match(await rows.first().innerText(), /forward, reverse, turn/);
  await screenshot(page, 'demo-synthetic-worm');
  assert.deepEqual(errors, []);
});

test('a corrupted file and a wrong-shape CSV give readable errors, then a good file loads', async () => {
  const { page, requests, errors } = await openPage(demo.browser, demo.server.origin);
  const input = page.getByTestId('file-input');
  await input.setInputFiles({ name: 'broken.mat', mimeType: 'application/octet-stream',
    buffer: Buffer.concat([Buffer.from('MATLAB 5.0 MAT-file'.padEnd(124, ' ')), Buffer.from([0, 1, 0x49, 0x4d, 0x0e, 0, 0, 0, 0xff, 0xff])]) });
  const error = page.getByTestId('load-error');
  await error.waitFor();
  assert.match(await error.innerText(), /^broken\.mat: /);
  await input.setInputFiles({ name: 'traces.csv', mimeType: 'text/csv', buffer: Buffer.from('AVAL,AVAR\n1,2\n3,4,5\n') });
  await page.getByText('traces.csv: line 3 has 3 cells but the header has 2').waitFor();
  await screenshot(page, 'demo-load-error');
  await input.setInputFiles(join(repoRoot, 'tests/fixtures/kato2015_v73.mat'));
  const rows = page.getByTestId('summary').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests(requests, demo.server.origin), [], 'every request stays on the page origin');
  assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the recorder saw the page load its wasm');
});
