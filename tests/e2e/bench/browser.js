// The browser rows of `cargo xtask bench`: ganglion's training workloads (the same models,
// sizes and data as the native criterion benchmark, ganglion_models::workload) timed in
// the demo's worker in headless Chromium, on WebGPU (SwiftShader here; a real adapter
// where the machine has one) and on burn's CPU device compiled to wasm with SIMD.
//
// Every measurement starts a fresh worker, so each row also gives a cold start: page-side
// time from `new Worker` to the first and to the tenth finished step (wasm fetch, compile
// and instantiation, device set-up, building the model, shader compilation), and the
// memory the workload left: the worker's wasm heap, and on WebGPU the bytes in live GPU
// buffers at their peak and the largest single buffer (counted by wrapping
// GPUDevice.createBuffer/GPUBuffer.destroy in the worker before the device exists).
//
// usage: [GANGLION_DIST=built-site] node bench/browser.js OUT.json [--smoke]
//   GANGLION_BENCH_NEURONS (default 20,50,100,200,302; smoke 20), GANGLION_BENCH_ELM_STEPS
//   (default 100), GANGLION_BENCH_BROWSER_STEPS (steps per row timed one by one, default
//   12; smoke 3), GANGLION_BENCH_BROWSER_SAMPLES (warm samples after those, each of enough
//   steps to last 10 ms, as the browser's clock ticks in 0.1 ms; default 7, smoke 1).
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDemo, launch, distDir, wasmSizes } from '../support/harness.js';
import { tfjsGnnBench } from './tfjs_gnn.js';

const [out, ...flags] = process.argv.slice(2);
if (!out) {
  console.error('usage: node bench/browser.js OUT.json [--smoke]');
  process.exit(2);
}
const smoke = flags.includes('--smoke');
const list = (v, d) => (v ? v.split(',').map(Number).filter((n) => n > 0) : d);
const neurons = list(process.env.GANGLION_BENCH_NEURONS, smoke ? [20] : [20, 50, 100, 200, 302]);
const elmSteps = Number(process.env.GANGLION_BENCH_ELM_STEPS ?? (smoke ? 5 : 100));
const steps = Number(process.env.GANGLION_BENCH_BROWSER_STEPS ?? (smoke ? 3 : 12));
// SwiftShader (WebGPU on this machine's CPU) takes seconds a step even at 20 neurons, so
// WebGPU rows take fewer steps and sizes unless GANGLION_BENCH_ALL is set (a real GPU).
const all = Boolean(process.env.GANGLION_BENCH_ALL);
const gpuSteps = all ? steps : Math.min(steps, 4);
const samples = Number(process.env.GANGLION_BENCH_BROWSER_SAMPLES ?? (smoke ? 1 : 7));
// A SwiftShader step lasts seconds: its warm speed comes from the single steps.
const gpuSamples = all ? samples : 0;

const here = dirname(fileURLToPath(import.meta.url));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** The rows to measure on one backend. */
function plan(backend) {
  const rows = [];
  for (const n of neurons) {
    rows.push({ workload: 'gnn', size: n });
    if (!smoke) rows.push({ workload: 'mlp', size: n }, { workload: 'gru', size: n });
  }
  if (!smoke) rows.push({ workload: 'elm', size: elmSteps }, { workload: 'branch-elm', size: elmSteps });
  if (backend !== 'webgpu' || all) return rows;
  return rows.filter((r) => (r.workload === 'gnn' ? r.size <= 50 : r.size <= 100) && !r.workload.includes('elm'));
}

/** One row in a fresh worker: timings, memory and cold start, or the error it met. */
async function measure(browser, origin, backend, row) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    // A page of the demo's origin that runs nothing itself (a 404), so the only worker is ours.
    await page.goto(`${origin}/bench-blank`);
    const workerSeen = page.waitForEvent('worker', (w) => w.url().endsWith('/worker.js'));
    await page.evaluate(() => {
      window.benchStart = performance.now();
      window.benchWorker = new Worker('/worker.js', { type: 'module' });
      window.benchReplies = [];
      window.benchReady = new Promise((ok) => {
        window.benchWorker.onmessage = (e) => {
          const reply = JSON.parse(e.data.json);
          reply.at = performance.now() - window.benchStart;
          if (reply.type === 'ready') ok(reply.at);
          else window.benchReplies.push(reply);
        };
      });
    });
    const worker = await workerSeen;
    const ready = await page.evaluate(() => window.benchReady);
    // Count live GPU buffer bytes before the worker's runtime asks for a device.
    await worker.evaluate(() => {
      self.gpuBytes = { live: 0, peak: 0, largest: 0 };
      if (typeof GPUDevice === 'undefined') return;
      const sizes = new WeakMap();
      const create = GPUDevice.prototype.createBuffer;
      GPUDevice.prototype.createBuffer = function (descriptor) {
        const buffer = create.call(this, descriptor);
        sizes.set(buffer, descriptor.size);
        self.gpuBytes.live += descriptor.size;
        self.gpuBytes.peak = Math.max(self.gpuBytes.peak, self.gpuBytes.live);
        self.gpuBytes.largest = Math.max(self.gpuBytes.largest, descriptor.size);
        return buffer;
      };
      const destroy = GPUBuffer.prototype.destroy;
      GPUBuffer.prototype.destroy = function () {
        self.gpuBytes.live -= sizes.get(this) ?? 0;
        sizes.delete(this);
        return destroy.call(this);
      };
    });
    const gpu = backend === 'webgpu';
    const request = { type: 'bench', ...row, steps: gpu ? gpuSteps : steps, samples: gpu ? gpuSamples : samples, backend: gpu ? 'auto' : 'cpu' };
    const reply = await page.evaluate(async (req) => {
      window.benchWorker.postMessage({ json: JSON.stringify(req), ticket: 1 });
      for (;;) {
        const done = window.benchReplies.find((r) => r.type === 'benched' || r.type === 'failed');
        if (done) return { done, backend: window.benchReplies.find((r) => r.type === 'backend') };
        await new Promise((ok) => setTimeout(ok, 50));
      }
    }, request);
    if (reply.done.type === 'failed') return { ...row, backend, error: reply.done.message };
    const wanted = backend === 'webgpu' ? 'WebGPU' : 'CPU';
    if (reply.backend?.name !== wanted) return { ...row, backend, error: `ran on ${reply.backend?.name}: ${reply.backend?.reason}` };
    const { times, device_seconds: device, heap_bytes: heap } = reply.done;
    const s = times.step_seconds;
    const before = ready / 1000 + device + times.build_seconds;
    const sum = (k) => s.slice(0, k).reduce((a, b) => a + b, 0);
    const { peak: gpuPeak, largest: gpuLargest } = await worker.evaluate(() => self.gpuBytes);
    return {
      ...row,
      backend,
      parameters: times.parameters,
      step_seconds: s,
      // Warm: the samples of several steps, else every single step after the first two.
      warm: times.warm_step_seconds.length ? times.warm_step_seconds : s.length > 2 ? s.slice(2) : s,
      steps_per_sample: times.steps_per_sample,
      worker_ready_s: ready / 1000,
      device_s: device,
      build_s: times.build_seconds,
      first_step_s: before + sum(1),
      tenth_step_s: s.length >= 10 ? before + sum(10) : null,
      heap_bytes: heap,
      gpu_peak_bytes: gpu ? gpuPeak : null,
      gpu_largest_buffer_bytes: gpu ? gpuLargest : null,
    };
  } catch (e) {
    return { ...row, backend, error: String(e).split('\n')[0] };
  } finally {
    await context.close();
  }
}

/** TF.js's GNN at `n` neurons on `backend` (`wasm` or `webgpu`), in a fresh page. */
async function measureTfjs(browser, origin, backend, n) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const row = { workload: 'gnn', size: n, backend: `tfjs-${backend}` };
  try {
    await page.goto(`${origin}/bench-blank`);
    const opened = Date.now();
    await page.addScriptTag({ url: '/@tensorflow/tfjs/dist/tf.min.js' });
    await page.addScriptTag({ url: `/@tensorflow/tfjs-backend-${backend}/dist/tf-backend-${backend}.min.js` });
    const run = await page.evaluate(tfjsGnnBench, {
      n, history: 4, batch: 4, steps: backend === 'webgpu' ? gpuSteps : steps, backend,
      wasmPaths: `${origin}/@tensorflow/tfjs-backend-wasm/dist/`,
    });
    const s = run.step_seconds;
    if (run.backend !== backend) return { ...row, error: `ran on ${run.backend}` };
    return {
      ...row,
      parameters: run.parameters,
      step_seconds: s,
      warm: s.length > 2 ? s.slice(2) : s,
      // From the page's first script to the first finished step (scripts, backend start, step).
      first_step_s: (Date.now() - opened) / 1000 - s.slice(1).reduce((a, b) => a + b, 0),
    };
  } catch (e) {
    return { ...row, error: String(e).split('\n')[0] };
  } finally {
    await context.close();
  }
}

const server = await serveDemo();
// The TF.js packages as npm installed them, served from their own origin.
const peers = await serveDemo(join(here, '../node_modules'));
const rows = [];
let chromium;
try {
  for (const backend of ['wasm-cpu', 'webgpu']) {
    const browser = await launch({ webgpu: backend === 'webgpu' });
    chromium ??= browser.version();
    try {
      for (const row of plan(backend)) {
        const result = await measure(browser, server.origin, backend, row);
        rows.push(result);
        console.error(`${backend} ${row.workload}-${row.size}: ${result.error ?? `${(1 / median(result.warm)).toFixed(2)} steps/s warm, first step at ${result.first_step_s.toFixed(1)} s`}`);
      }
      // The same GNN in TF.js, on the matching backend (the in-browser peer).
      const tfBackend = backend === 'webgpu' ? 'webgpu' : 'wasm';
      for (const n of neurons.filter((n) => all || n <= (backend === 'webgpu' ? 50 : 100))) {
        const result = await measureTfjs(browser, peers.origin, tfBackend, n);
        rows.push(result);
        console.error(`tfjs-${tfBackend} gnn-${n}: ${result.error ?? `${(1 / median(result.warm)).toFixed(2)} steps/s warm (${result.parameters} parameters)`}`);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
  await peers.close();
}
// The wasm the rows ran, raw and as a server would gzip it.
const wasm = await wasmSizes(distDir);
await writeFile(out, JSON.stringify({ chromium, dist: distDir, wasm, steps, samples, webgpu_steps: gpuSteps, elm_steps: elmSteps, neurons, rows }, null, 1));
