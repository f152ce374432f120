// The same weights give the same outputs on WebGPU and on the wasm CPU device: the GNN
// checkpoints committed in tests/fixtures/checkpoints (one per decoder, written by the CLI)
// are scored in the worker on both devices through the package's API, and the forecasts,
// the inferred graph and the scores must agree with each other and with what the native CLI
// reported when it saved them. This is the browser's counterpart of (and in the test command
// the replacement for) crates/ganglion-models/tests/devices.rs, which compares flex with
// native wgpu and needs the `wgpu` feature: here the kernels are the ones users run (cubecl's
// WGSL in Chromium's WebGPU, SwiftShader on machines without a GPU). Agreement, not speed, is
// asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDemo, launch, openPage, foreignRequests, repoRoot } from '../support/harness.js';

let server;

before(async () => {
  server = await serveDemo();
});

after(async () => {
  await server?.close();
});

const fixtures = join(repoRoot, 'tests/fixtures/checkpoints');
const CHECKPOINTS = ['gnn-pairwise-82ecfb4', 'gnn-separable-98aded8'];

/** Largest difference relative to the largest magnitude (as devices.rs measures it). */
function relativeDifference(a, b) {
  assert.equal(a.length, b.length);
  const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
  return a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0) / scale;
}

// SwiftShader compiles each kernel on the CPU; two small models take well under a minute
// on one machine of CI's kind, and the timeout leaves a slow machine room.
test('a saved GNN scores the same on WebGPU as on the CPU and as natively', { timeout: 480_000 }, async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, requests, errors } = await openPage(browser, `${server.origin}/embed-howto.html`);
    const worm = (await readFile(join(fixtures, 'worm-2.npz'))).toString('base64');
    for (const name of CHECKPOINTS) {
      const checkpoint = (await readFile(join(fixtures, `${name}.ganglion`))).toString('base64');
      const started = Date.now();
      const result = await page.evaluate(async ({ checkpoint, worm }) => {
        const g = await import('./ganglion.js');
        const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const device = await g.init({ backend: 'auto' });
        const model = await g.loadModel(bytes(checkpoint));
        const recording = await g.loadRecording(bytes(worm), { name: 'worm-2.npz' });
        const on = async (backend) => {
          const forecast = await g.predict(model, recording, { backend });
          const graph = await g.inferGraph(model, recording, { backend });
          const report = await g.evaluate(model, recording, { backend });
          return { predicted: [...forecast.predicted], probability: [...graph.probability], scores: report.scores, edges: report.edges };
        };
        return { device: device.backend, gpu: await on('auto'), cpu: await on('cpu') };
      }, { checkpoint, worm });
      console.log(`# ${name}: scored on ${result.device} and on the CPU in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      assert.equal(result.device, 'WebGPU', 'Chromium with --enable-unsafe-webgpu gives an adapter');
      const { gpu, cpu } = result;
      assert.ok(gpu.predicted.length > 0 && gpu.probability.length === 36, `${name}: forecasts and a 6 x 6 graph`);
      const forecast = relativeDifference(gpu.predicted, cpu.predicted);
      const graph = relativeDifference(gpu.probability, cpu.probability);
      console.log(`# ${name}: WebGPU vs CPU, forecasts ${forecast.toExponential(1)}, graph ${graph.toExponential(1)}`);
      assert.ok(forecast + graph > 0, `${name}: bit-identical results: both runs were on one device`);
      assert.ok(forecast < 1e-4, `${name}: forecasts differ by ${forecast} between WebGPU and the CPU`);
      assert.ok(graph < 1e-4, `${name}: inferred graphs differ by ${graph}`);
      const native = JSON.parse(await readFile(join(fixtures, `${name}.eval.json`), 'utf8'));
      for (const [device, report] of [['WebGPU', gpu], ['CPU', cpu]]) {
        const close = (now, then, what) =>
          assert.ok(Math.abs(now - then) <= 1e-4 * Math.max(Math.abs(then), 1), `${name} on ${device}: ${what} ${now}, natively ${then}`);
        close(report.scores.model.mse, native.scores.model.mse, 'model MSE');
        close(report.scores.persistence.mse, native.scores.persistence.mse, 'persistence MSE');
        close(report.edges.auroc, native.edges.auroc, 'edge AUROC');
      }
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests, server.origin), []);
  } finally {
    await browser.close();
  }
});
