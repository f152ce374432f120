// @ts-check
// ganglion's notebook widget (anywidget's module format: `initialize` once per widget model,
// `render` once per view). anywidget imports this file from a blob URL, so nothing can be
// fetched relative to it: the first widget on a page asks its kernel for the runtime (the JS
// API, the drawing helpers, the worker's wasm-bindgen glue and its gzipped wasm) in one
// custom message, imports the JS from blob URLs and starts the worker from one. Every later
// widget on the page, in any cell or notebook, reuses that worker: one wasm instance, one
// GPU device. Results go back to Python as one custom message with binary buffers.

const RUNTIME = Symbol.for('ganglion.notebook.runtime');

// The worker's first message names the glue module and carries the compiled wasm; the glue's
// start function then installs ganglion's own message handler and posts `ready`. A failure is
// rethrown outside the promise so the page's Worker sees an `error` event (api.js reports it).
const BOOTSTRAP = `self.addEventListener('message', (event) => {
  import(event.data.glue)
    .then((glue) => glue.default({ module_or_path: event.data.wasm }))
    .catch((error) => setTimeout(() => { throw error; }));
}, { once: true });`;

const STYLE = `
.ganglion-cell { font-family: system-ui, sans-serif; font-size: 13px; color: #1d1d1f; border: 1px solid #c8c8cc;
  border-radius: 6px; padding: 0.6em 0.8em; max-width: 720px; }
.ganglion-cell progress { width: 100%; }
.ganglion-cell svg { width: 100%; height: 90px; display: block; }
.ganglion-cell polyline { fill: none; stroke: #3b5bdb; stroke-width: 2; vector-effect: non-scaling-stroke; }
.ganglion-cell table { border-collapse: collapse; margin-top: 0.4em; }
.ganglion-cell td, .ganglion-cell th { padding: 0.15em 0.6em; text-align: right; border-bottom: 1px solid #c8c8cc; }
.ganglion-cell th:first-child, .ganglion-cell td:first-child { text-align: left; }
.ganglion-cell canvas { width: 180px; image-rendering: pixelated; display: block; margin-top: 0.4em; }
.ganglion-cell .error { color: #b3261e; }
.ganglion-cell .caption { color: #6e6e73; }
.ganglion-cell button { font: inherit; margin-right: 0.6em; }
`;

/** @param {BufferSource | string} source */
function moduleUrl(source) {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

/** @param {BufferSource} gzipped */
async function inflate(gzipped) {
  const stream = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** Imports the runtime the kernel sent and points the JS API at a worker started from it. */
async function start([api, drawing, glue, wasmGzipped]) {
  const [apiModule, drawingModule, wasm] = await Promise.all([
    import(moduleUrl(api)),
    import(moduleUrl(drawing)),
    inflate(wasmGzipped).then((bytes) => WebAssembly.compile(bytes)),
  ]);
  const glueUrl = moduleUrl(glue);
  const bootstrapUrl = moduleUrl(BOOTSTRAP);
  apiModule.useWorker(() => {
    const worker = new Worker(bootstrapUrl, { type: 'module', name: 'ganglion' });
    worker.postMessage({ glue: glueUrl, wasm }); // a compiled Module: shared, not copied
    return worker;
  });
  return { api: apiModule, drawing: drawingModule };
}

/** The page's runtime, asked of `model`'s kernel the first time any widget needs it. */
function runtime(model) {
  const shared = globalThis[RUNTIME];
  if (shared) return shared;
  const asked = new Promise((resolve, reject) => {
    const onMessage = (message, buffers) => {
      if (message?.type !== 'runtime') return;
      model.off('msg:custom', onMessage);
      if (message.code) reject(Object.assign(new Error(message.message), { code: message.code }));
      else start(buffers).then(resolve, reject);
    };
    model.on('msg:custom', onMessage);
    model.send({ type: 'runtime?' });
  });
  globalThis[RUNTIME] = asked;
  asked.catch(() => {
    if (globalThis[RUNTIME] === asked) delete globalThis[RUNTIME]; // a later widget may ask again
  });
  return asked;
}

/** What each run left for its views (the loss curve's points, the metric table, the graph),
 * by the widget's `run_id`: hosts hand `initialize` and `render` different model objects. */
const runs = new Map();

function runOf(model) {
  const id = model.get('run_id');
  let run = runs.get(id);
  if (!run) runs.set(id, (run = { losses: [], metrics: null, graph: null, controller: null, views: new Set() }));
  return run;
}

function update(model, fields) {
  for (const [key, value] of Object.entries(fields)) model.set(key, value);
  model.save_changes();
}

/** The trait's bytes as an ArrayBuffer view, however the host delivered them. */
function bytesOf(value) {
  if (value instanceof DataView || ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === 'string') return Uint8Array.from(atob(value), (c) => c.charCodeAt(0)); // base64 JSON
  throw Object.assign(new Error('the widget received no recording bytes'), { code: 'bad_request' });
}

/** Sends the report, model, forecasts and graph to Python: arrays as buffers, named in `buffers`. */
async function sendResult(model, api, recording, result) {
  const { report } = result;
  /** @type {Record<string, ArrayBufferView>} */
  const fields = { model: result.model.save() };
  let neurons = report.neurons;
  if (result.model.task === 'forecast') {
    const forecasts = await api.predict(result.model, recording);
    fields.predictions = forecasts.predicted;
    fields.targets = forecasts.truth;
    neurons = forecasts.neurons;
  }
  const graph = report.graph;
  if (graph) {
    fields.graph = Float32Array.from(graph.probability);
    if (graph.truth) fields.graph_truth = Float32Array.from(graph.truth);
  }
  const slim = { ...report, graph: graph ? { names: graph.names } : null }; // the values are buffers
  const content = { type: 'result', report: slim, neurons, graph_names: graph?.names ?? null, buffers: Object.keys(fields) };
  model.send(content, undefined, Object.values(fields));
}

/** Loads the recording, trains, scores, and reports to Python; the views follow the traits. */
async function train(model) {
  const run = runOf(model);
  const controller = (run.controller = new AbortController());
  const notify = () => run.views.forEach((view) => view());
  let api = null;
  let recording = null;
  let lastSent = 0;
  try {
    update(model, { status: 'loading', error: {} });
    ({ api } = await runtime(model));
    recording = await api.loadRecording(bytesOf(model.get('recording')), { name: model.get('recording_name') });
    update(model, { status: 'training' });
    const options = model.get('options');
    const onProgress = (event) => {
      if (event.kind !== 'progress' && event.kind !== 'stepped') return;
      if (event.kind === 'progress') run.losses.push([event.step, event.train_loss]);
      const now = performance.now();
      if (now - lastSent < 250) return notify(); // the kernel hears at most four updates a second
      lastSent = now;
      update(model, { progress: { ...event, steps: options.steps } });
    };
    const result = await api.train(recording, options, { onProgress, signal: controller.signal });
    await sendResult(model, api, recording, result);
    run.metrics = { table: result.metrics, model: result.model.kind, mlp: Boolean(result.report.mlp) };
    run.graph = result.report.graph ? await api.drawMatrix(result.report.graph.probability) : null;
    update(model, { status: 'done', device: result.backend?.backend ?? '', progress: { step: result.report.steps, steps: options.steps } });
  } catch (error) {
    if (error?.name === 'AbortError') {
      if (error.partial) await sendResult(model, api, recording, error.partial);
      update(model, { status: 'cancelled' });
    } else {
      update(model, { status: 'failed', error: { code: error?.code ?? 'error', message: String(error?.message ?? error) } });
    }
  } finally {
    recording?.release();
    run.controller = null;
    notify();
  }
}

function statusLine(model) {
  const status = model.get('status');
  const progress = model.get('progress') ?? {};
  if (status === 'failed') return model.get('error')?.message ?? 'the run failed';
  if (status === 'training' && progress.step) {
    const speed = progress.steps_per_second ? `, ${progress.steps_per_second.toFixed(1)} steps/s` : '';
    return `step ${progress.step} of ${progress.steps}${speed}`;
  }
  if (status === 'done') return `done on ${model.get('device') || '?'}: ${progress.step} steps`;
  if (status === 'loading') return 'loading the recording...';
  return status === 'waiting' ? 'waiting for the page...' : status;
}

/** Draws one view of the widget from the model's traits and the run's local results; its
 * `data-status` changes last, so a finished status means everything is drawn. */
async function draw(model, el, run) {
  const status = model.get('status');
  const progress = model.get('progress') ?? {};
  const cell = el.querySelector('.ganglion-cell');
  const line = cell.querySelector('[data-part=status]');
  line.textContent = statusLine(model);
  line.className = status === 'failed' ? 'error' : 'caption';
  cell.querySelector('button').disabled = !run.controller;
  cell.querySelector('progress').value = progress.steps ? Math.min(1, (progress.step ?? 0) / progress.steps) : 0;
  if (run.losses.length || run.metrics || run.graph) {
    const { drawing } = await runtime(model);
    cell.querySelector('svg').innerHTML = drawing.lossCurve(run.losses);
    if (run.metrics) {
      const { table, model: kind, mlp } = run.metrics;
      cell.querySelector('[data-part=result]').innerHTML = drawing.metricTable(table, kind, mlp);
    }
    if (run.graph) {
      const canvas = cell.querySelector('canvas');
      canvas.hidden = false;
      drawing.paint(canvas, run.graph);
      cell.querySelector('[data-part=graph]').textContent = 'inferred interactions (row = sender)';
    }
  }
  cell.dataset.status = status;
}

export default {
  initialize({ model }) {
    const onCancel = (message) => {
      if (message?.type === 'cancel') runOf(model).controller?.abort();
    };
    model.on('msg:custom', onCancel);
    if (model.get('status') === 'waiting') train(model);
    return () => model.off('msg:custom', onCancel);
  },

  render({ model, el }) {
    const run = runOf(model);
    el.innerHTML = `<style>${STYLE}</style><div class="ganglion-cell">
      <div><button type="button">Cancel</button> <span data-part="status"></span></div>
      <progress max="1" value="0"></progress>
      <svg viewBox="0 0 100 100" preserveAspectRatio="none"></svg>
      <div data-part="result"></div><canvas hidden></canvas><div class="caption" data-part="graph"></div></div>`;
    el.querySelector('button').onclick = () => run.controller?.abort();
    const redraw = () => {
      draw(model, el, run).catch((error) => console.warn('ganglion widget: drawing failed:', error));
    };
    const events = ['change:status', 'change:progress', 'change:error'];
    events.forEach((event) => model.on(event, redraw));
    run.views.add(redraw);
    redraw();
    return () => {
      events.forEach((event) => model.off(event, redraw));
      run.views.delete(redraw);
    };
  },
};
