// ganglion: neural-population models trained and evaluated in the browser.
//
// The typed JS API and the custom elements of the npm package, in one ES module. All
// computation runs in one module Web Worker (worker.js -> ganglion-worker.js, the wasm
// build of web/src/worker), shared by every call and every widget on the page: one wasm
// instance, one GPU device. This file only posts messages (web/src/protocol.rs, JSON plus
// transferred typed arrays) and puts pixels the worker drew on canvases.

const state = { worker: null, ready: null, tickets: 1, calls: new Map() };

/** An error from ganglion, with the stable `code` of the data crate (`parse`, `shape`, ...). */
export class GanglionError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'GanglionError';
    this.code = code;
  }
}

function failAll(code, message) {
  for (const call of state.calls.values()) call.reject(new GanglionError(code, message));
  state.calls.clear();
}

function worker() {
  if (state.worker) return state.worker;
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'ganglion' });
  state.ready = new Promise((resolve, reject) => {
    w.onmessage = (event) => {
      const data = event.data;
      let reply;
      try {
        reply = JSON.parse(data.json);
      } catch {
        return;
      }
      if (reply.type === 'ready') return resolve();
      if (reply.type === 'failed' && (reply.code === 'panic' || reply.code === 'gpu_lost')) {
        // The worker's runtime (or its GPU) failed: every caller hears it, and the next call starts a new one.
        w.terminate();
        state.worker = null;
        failAll(reply.code, reply.message);
        return reject(new GanglionError(reply.code, reply.message));
      }
      state.calls.get(data.ticket)?.reply(reply, data);
    };
    w.onerror = (event) => {
      const message = `the ganglion worker stopped: ${event.message ?? 'it could not start'}`;
      state.worker = null;
      failAll('worker', message);
      reject(new GanglionError('worker', message));
    };
  });
  state.worker = w;
  return w;
}

/**
 * Posts `message` (plus typed-array `fields`, transferred) and resolves with what `onReply`
 * returns for the final reply. `onReply` returns `undefined` for replies that do not end the call.
 */
async function call(message, fields = {}, onReply = (reply) => reply) {
  const w = worker();
  await state.ready;
  const ticket = state.tickets++;
  return new Promise((resolve, reject) => {
    state.calls.set(ticket, {
      reject,
      reply(reply, data) {
        if (reply.type === 'failed') {
          state.calls.delete(ticket);
          return reject(new GanglionError(reply.code, reply.message));
        }
        let done;
        try {
          done = onReply(reply, data);
        } catch (e) {
          state.calls.delete(ticket);
          return reject(e);
        }
        if (done !== undefined) {
          state.calls.delete(ticket);
          resolve(done);
        }
      },
    });
    const envelope = { ticket, json: JSON.stringify(message), ...fields };
    w.postMessage(envelope, Object.values(fields));
  });
}

/** Posts a message that gets no reply (release, cancel) to the worker, if it runs. */
function tell(message) {
  state.worker?.postMessage({ ticket: 0, json: JSON.stringify(message) });
}

/** Starts the worker and picks the device: `{ backend: 'WebGPU' | 'CPU', reason }`. */
export async function init({ backend = 'auto' } = {}) {
  return call({ type: 'device', backend }, {}, (r) => (r.type === 'backend' ? { backend: r.name, reason: r.reason } : undefined));
}

/** A copy of `bytes` as a standalone ArrayBuffer (the one that is transferred to the worker). */
function ownBuffer(bytes) {
  if (bytes instanceof ArrayBuffer) return bytes.slice(0);
  if (ArrayBuffer.isView(bytes)) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  throw new GanglionError('bad_request', 'expected an ArrayBuffer or a typed array');
}

async function bytesOf(input, name) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    return { buffer: await input.arrayBuffer(), name: name ?? input.name ?? 'recording' };
  }
  if (typeof input === 'string' || input instanceof URL) {
    const url = new URL(input, globalThis.location?.href);
    if (globalThis.location && url.origin !== globalThis.location.origin) {
      throw new GanglionError('bad_request', `${url.href}: ganglion only reads files from this page's own origin`);
    }
    const response = await fetch(url);
    if (!response.ok) throw new GanglionError('io', `${url.pathname}: the server answered ${response.status}`);
    return { buffer: await response.arrayBuffer(), name: name ?? url.pathname.split('/').pop() };
  }
  return { buffer: ownBuffer(input), name: name ?? 'recording' };
}

/** Recordings held by the worker: what was loaded, the first animal's activity and heatmap. */
export class Recording {
  constructor(reply, data) {
    /** The worker's handle. */
    this.id = reply.id;
    /** One entry per animal: `{ animal, names, frames, rateHz, states, connectivity }`. */
    this.animals = reply.recordings.map((r) => ({
      animal: r.animal,
      names: r.names,
      frames: r.frames,
      rateHz: r.rate_hz,
      states: r.states,
      connectivity: r.connectivity,
    }));
    const first = this.animals[0];
    /** Neurons of the first animal. */
    this.neurons = first.names.length;
    /** Frames of the first animal. */
    this.frames = first.frames;
    /** The first animal's activity, neuron-major (`neurons * frames`). */
    this.activity = new Float32Array(data.activity);
    /** The first animal's behaviour label per frame, or null. */
    this.labels = data.labels ? new Uint32Array(data.labels) : null;
    /** The first animal's heatmap with its behaviour ribbon, RGBA. */
    this.heatmap = { width: reply.width, height: reply.height, data: new Uint8ClampedArray(data.pixels) };
  }

  /** Lets the worker forget these recordings. */
  release() {
    tell({ type: 'release', id: this.id });
  }
}

function loaded(reply, data) {
  return reply.type === 'loaded' ? new Recording(reply, data) : undefined;
}

/**
 * Loads a recording (NPY, NPZ, CSV/TSV, JSON, MATLAB .mat, NWB) from bytes, a File/Blob, or a
 * URL on this page's origin. `name` gives the format when the input has no file name; an animal
 * the file does not name is named after its stem. `nameTables` (`{ file, text, base }`, the table
 * named after the file: `worm3.csv` or `worm3_names.csv`) renames its neurons.
 */
export async function loadRecording(input, { name, width = 1200, nameTables = [] } = {}) {
  const { buffer, name: fileName } = await bytesOf(input, name);
  const name_tables = nameTables.map(({ file, text, base = 0 }) => ({ file, text, base }));
  const source = { kind: 'file', name: fileName, name_tables };
  return call({ type: 'load', source, width }, { bytes: buffer }, loaded);
}

/** Synthetic worms on one known graph (for trying models where the truth is known). */
export async function synthWorm({ seed = 7, neurons, frames, animals, width = 1200 } = {}) {
  return call({ type: 'load', source: { kind: 'synth', seed, neurons, frames, animals }, width }, {}, loaded);
}

/** A trained model: its checkpoint bytes and, after training, its report. */
export class Model {
  constructor(bytes, setup) {
    this.bytes = bytes;
    /** The settings it was trained with (task, model, history, steps, ...). */
    this.setup = setup;
    /** The report of the run that trained it, when it was trained here. */
    this.report = null;
  }

  /** `'gnn' | 'mlp' | 'gru' | 'elm' | 'branch-elm'`. */
  get kind() {
    return this.setup.experiment.model;
  }

  /** `'forecast' | 'behaviour' | 'long-memory'`. */
  get task() {
    return this.setup.experiment.task;
  }

  /** The checkpoint as bytes (a copy: keep it, store it, download it). */
  save() {
    return this.bytes.slice();
  }
}

/** Reads checkpoint bytes saved by `model.save()` (or the notebook, or the CLI). */
export async function loadModel(bytes) {
  const copy = new Uint8Array(ownBuffer(bytes));
  return call({ type: 'read_model' }, { model: copy.buffer.slice(0) }, (r) =>
    r.type === 'model' ? new Model(copy, r.setup) : undefined,
  );
}

/**
 * The experiment settings the worker gets: only what the caller set. The worker fills the rest
 * from the run defaults the CLI, the notebook and the study share (Rust's `TrainConfig::default`
 * and `DEFAULT_HISTORY`), so a JS run trains as a CLI run with the same options does.
 */
function experiment(options) {
  const { task = 'forecast', model = 'gnn' } = options;
  const train = {};
  const names = {
    steps: 'max_steps',
    batchSize: 'batch_size',
    learningRate: 'learning_rate',
    reportEvery: 'report_every',
    validateEvery: 'validate_every',
    patience: 'patience',
    seed: 'seed',
  };
  for (const [js, rust] of Object.entries(names)) if (options[js] !== undefined) train[rust] = options[js];
  const settings = { task, model, train };
  if (options.history !== undefined) settings.history = options.history;
  if (options.decoder !== undefined) settings.decoder = options.decoder;
  return settings;
}

function abortError(partial) {
  const error = new DOMException('training was cancelled', 'AbortError');
  error.partial = partial;
  return error;
}

/**
 * Trains a model on `recording` in the worker (all animals but the last; the last is held out
 * and scored) and resolves with `{ model, report }`. `onProgress` sees every progress and
 * validation event; aborting `signal` stops training at the next report: the promise then
 * rejects with an AbortError whose `partial` holds the model trained so far and its report.
 */
export async function train(recording, options = {}, { onProgress, signal } = {}) {
  if (signal?.aborted) throw abortError(null);
  const message = { type: 'train', source: { kind: 'held', id: recording.id }, experiment: experiment(options) };
  message.backend = options.backend ?? 'auto';
  let backend = null;
  const cancel = () => tell({ type: 'cancel' });
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const { bytes, report, metrics } = await call(message, {}, (r, data) => {
      if (r.type === 'backend') backend = { backend: r.name, reason: r.reason };
      else if (r.type === 'event') onProgress?.(r.event);
      else if (r.type === 'report') return { bytes: new Uint8Array(data.model), report: r.report, metrics: r.table };
      return undefined;
    });
    // The full settings (normaliser, classes) live in the checkpoint header.
    const model = await loadModel(bytes);
    model.report = report;
    const result = { model, report, metrics, backend };
    if (signal?.aborted) throw abortError(result);
    return result;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/**
 * Runs the leave-one-animal-out study on `recording` (two animals or more) in the worker:
 * each animal held out in turn, every model in `options.models` (default gnn, mlp, gru)
 * trained on the rest and scored beside the floors. Resolves with the study report
 * (`summary` rows with mean and spread over folds, `folds`, `verdict` sentences).
 * `onProgress` sees every training event, and a `stage` event before each run.
 */
export async function study(recording, options = {}, { onProgress, signal } = {}) {
  if (signal?.aborted) throw abortError(null);
  const { train: trainConfig, history, decoder } = experiment(options);
  const config = {
    models: options.models ?? ['gnn', 'mlp', 'gru'],
    history,
    decoder,
    train: trainConfig,
    behaviour: options.behaviour ?? true,
  };
  const message = { type: 'study', source: { kind: 'held', id: recording.id }, config, backend: options.backend ?? 'auto' };
  const cancel = () => tell({ type: 'cancel' });
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const report = await call(message, {}, (r) => {
      if (r.type === 'event') onProgress?.(r.event);
      else if (r.type === 'studied') return r.report;
      return undefined;
    });
    if (signal?.aborted) throw abortError({ report });
    return report;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

async function scored(model, recording, backend) {
  const message = { type: 'evaluate', source: { kind: 'held', id: recording.id }, backend };
  return call(message, { model: model.save().buffer }, (r, data) =>
    r.type === 'report'
      ? {
          report: r.report,
          predicted: data.predicted ? new Float32Array(data.predicted) : null,
          truth: data.truth ? new Float32Array(data.truth) : null,
        }
      : undefined,
  );
}

/**
 * Scores `model` on the last animal of `recording` (its first half gives the GNN the animal's
 * graph; the second half is scored) and resolves with the report.
 */
export async function evaluate(model, recording, { backend = 'auto' } = {}) {
  return (await scored(model, recording, backend)).report;
}

/**
 * Next-frame forecasts on the scored half of the last animal: `{ predicted, truth, neurons,
 * windows }`, row-major Float32Arrays (one row of `neurons` per window, normalised units).
 */
export async function predict(model, recording, { backend = 'auto' } = {}) {
  if (model.task !== 'forecast') throw new GanglionError('bad_request', 'predict needs a forecasting model');
  const { report, predicted, truth } = await scored(model, recording, backend);
  const neurons = report.neurons;
  return { predicted, truth, neurons, windows: neurons ? predicted.length / neurons : 0 };
}

/**
 * The interactions a GNN infers for the last animal of `recording`: `{ names, probability,
 * truth, edges }`: `probability` is `neurons * neurons` (row = sender), `truth` the known
 * weights or null, `edges` the AUROC and average precision when the truth is known.
 */
export async function inferGraph(model, recording, { backend = 'auto' } = {}) {
  if (model.kind !== 'gnn') throw new GanglionError('bad_request', 'only the relational GNN infers a graph');
  const { report } = await scored(model, recording, backend);
  const g = report.graph;
  return {
    names: g.names,
    probability: Float32Array.from(g.probability),
    truth: g.truth ? Float32Array.from(g.truth) : null,
    edges: report.edges,
  };
}

/** Pixels of an `n x n` matrix (probabilities in viridis, or signed weights in blue-white-red). */
export async function drawMatrix(values, { signed = false } = {}) {
  return call({ type: 'draw', values: Array.from(values), signed }, {}, (r, data) =>
    r.type === 'drawn' ? { width: r.width, height: r.height, data: new Uint8ClampedArray(data.pixels) } : undefined,
  );
}

// ---------------------------------------------------------------------------------------------
// Custom elements. Shadow DOM; theme with --ganglion-fg, --ganglion-bg, --ganglion-accent,
// --ganglion-muted, --ganglion-font. Each dispatches `progress`, `trained` and `error` events
// (bubbling, composed) as fits it.

const STYLE = `
:host { display: block; font-family: var(--ganglion-font, system-ui, sans-serif); color: var(--ganglion-fg, #1d1d1f);
  background: var(--ganglion-bg, transparent); border: 1px solid var(--ganglion-muted, #c8c8cc); border-radius: 6px;
  padding: 0.75em; margin: 1em 0; }
canvas { width: 100%; image-rendering: pixelated; display: block; }
.caption { font-size: 0.85em; color: var(--ganglion-muted, #6e6e73); margin-top: 0.4em; }
.error { color: #b3261e; font-size: 0.9em; }
button { font: inherit; background: var(--ganglion-accent, #3b5bdb); color: white; border: 0; border-radius: 4px;
  padding: 0.35em 0.9em; cursor: pointer; }
button[disabled] { opacity: 0.5; cursor: default; }
progress { width: 100%; }
table { border-collapse: collapse; font-size: 0.9em; margin-top: 0.5em; }
td, th { padding: 0.2em 0.6em; text-align: right; border-bottom: 1px solid var(--ganglion-muted, #c8c8cc); }
th:first-child, td:first-child { text-align: left; }
svg { width: 100%; height: 120px; display: block; }
polyline { fill: none; stroke: var(--ganglion-accent, #3b5bdb); stroke-width: 2; vector-effect: non-scaling-stroke; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.75em; }
`;

function emit(element, type, detail) {
  element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

function paint(canvas, image) {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d').putImageData(new ImageData(image.data, image.width, image.height), 0, 0);
}

/** `src` (a file on this origin) or `synth` (a seed) as recordings. */
function recordingFrom(element) {
  const src = element.getAttribute('src');
  if (src) return loadRecording(src);
  const seed = Number(element.getAttribute('synth') ?? 7);
  const neurons = element.hasAttribute('neurons') ? Number(element.getAttribute('neurons')) : undefined;
  return synthWorm({ seed, neurons });
}

class Widget extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = `<style>${STYLE}</style><div part="body"></div>`;
    this.body = this.shadowRoot.querySelector('[part=body]');
  }

  connectedCallback() {
    this.connected = true;
    this.render();
  }

  disconnectedCallback() {
    this.connected = false;
  }

  attributeChangedCallback(_name, before, after) {
    if (this.connected && before !== after) this.render();
  }

  showError(error) {
    this.body.innerHTML = '<p class="error" part="error"></p>';
    this.body.firstChild.textContent = error.message;
    emit(this, 'error', { code: error.code ?? 'error', message: error.message });
  }
}

/** `<ganglion-viewer src="worm.npz">`: the heatmap of every neuron with the behaviour ribbon. */
export class ViewerElement extends Widget {
  static observedAttributes = ['src', 'synth', 'neurons'];

  async render() {
    const asked = (this.asked = {});
    this.body.innerHTML = '<p class="caption">loading...</p>';
    try {
      const recording = await recordingFrom(this);
      if (asked !== this.asked) return recording.release();
      this.recording?.release();
      this.recording = recording;
      this.body.innerHTML = '<canvas part="heatmap"></canvas><p class="caption" part="caption"></p>';
      const canvas = this.body.querySelector('canvas');
      paint(canvas, recording.heatmap);
      // A few pixels per neuron, however wide the page: rows stay readable.
      canvas.style.height = `${Math.min(480, Math.max(120, recording.heatmap.height * 5))}px`;
      const a = recording.animals[0];
      const states = a.states ? `; states: ${a.states.join(', ')}` : '';
      this.body.querySelector('.caption').textContent =
        `${recording.neurons} neurons x ${recording.frames} frames at ${a.rateHz.toFixed(2)} Hz` +
        `${states}; ${recording.animals.length} animal(s)`;
      emit(this, 'loaded', { recording });
    } catch (error) {
      if (asked === this.asked) this.showError(error);
    }
  }
}

function lossCurve(points) {
  if (points.length < 2) return '';
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const at = (p) => `${((p[0] - x0) / (x1 - x0 || 1)) * 100},${100 - ((p[1] - y0) / (y1 - y0 || 1)) * 100}`;
  return `<polyline points="${points.map(at).join(' ')}"/>`;
}

/** Rows of metric, model, floor and (when one was trained beside it) MLP. */
/** The result table's rows from the worker's metric table (the notebook's own rows, made in Rust). */
function metricRows(metrics, withMlp) {
  const f = (v) => (typeof v === 'number' ? v.toFixed(4) : '-');
  return metrics.rows.map((r) => [r.label, f(r.model), f(r.floor), ...(withMlp ? [f(r.mlp)] : [])]);
}

/**
 * `<ganglion-trainer synth="7" task="forecast" model="gnn" steps="60">`: a button that trains on
 * the recording (`src` or `synth`), a progress bar, the live loss curve and the result table.
 */
export class TrainerElement extends Widget {
  static observedAttributes = ['src', 'synth', 'neurons', 'task', 'model', 'steps', 'backend'];

  render() {
    if (this.running) return;
    this.body.innerHTML = `<button part="start">Train</button> <span class="caption" part="status"></span>
      <progress part="progress" max="1" value="0"></progress>
      <svg viewBox="0 0 100 100" preserveAspectRatio="none" part="loss"></svg><div part="result"></div>`;
    this.body.querySelector('button').onclick = () => this.start();
  }

  /** Trains with the current attributes; resolves with `{ model, report }`. */
  async start() {
    if (this.running) return null;
    this.running = true;
    const button = this.body.querySelector('button');
    const status = this.body.querySelector('[part=status]');
    const bar = this.body.querySelector('progress');
    const curve = this.body.querySelector('svg');
    button.disabled = true;
    const steps = Number(this.getAttribute('steps') ?? 60);
    const options = {
      task: this.getAttribute('task') ?? 'forecast',
      model: this.getAttribute('model') ?? 'gnn',
      steps,
      backend: this.getAttribute('backend') ?? 'auto',
      reportEvery: 5,
      validateEvery: 0,
    };
    const losses = [];
    try {
      status.textContent = 'loading...';
      const recording = await recordingFrom(this);
      status.textContent = 'training...';
      const result = await train(recording, options, {
        onProgress: (event) => {
          if (event.kind === 'progress') {
            losses.push([event.step, event.train_loss]);
            bar.value = event.step / steps;
            curve.innerHTML = lossCurve(losses);
            status.textContent = `step ${event.step} of ${steps}, ${event.steps_per_second.toFixed(1)} steps/s`;
          }
          emit(this, 'progress', event);
        },
      });
      recording.release();
      bar.value = 1;
      status.textContent = `done on ${result.backend?.backend ?? '?'}: ${result.report.steps} steps`;
      const rows = metricRows(result.metrics, Boolean(result.report.mlp));
      const floor = result.metrics.floor;
      const mlp = result.report.mlp ? '<th>MLP</th>' : '';
      this.body.querySelector('[part=result]').innerHTML = `<table part="metrics"><tr><th></th><th>${options.model}</th><th>${floor}</th>${mlp}</tr>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</table>`;
      this.result = result;
      emit(this, 'trained', result);
      return result;
    } catch (error) {
      this.showError(error);
      return null;
    } finally {
      this.running = false;
      button.disabled = false;
    }
  }
}

/**
 * `<ganglion-graph for="trainer-id">`: the GNN's inferred interactions beside the known graph,
 * drawn when the named trainer finishes (or when its `report` property is set).
 */
export class GraphElement extends Widget {
  static observedAttributes = ['for'];

  render() {
    this.source?.removeEventListener('trained', this.listener);
    this.listener ??= (event) => {
      this.report = event.detail.report;
    };
    const id = this.getAttribute('for');
    this.source = id ? this.getRootNode().getElementById?.(id) ?? document.getElementById(id) : null;
    this.source?.addEventListener('trained', this.listener);
    if (!this.shown) this.body.innerHTML = '<p class="caption">the graph appears when the GNN has trained</p>';
  }

  set report(report) {
    this.show(report).catch((error) => this.showError(error));
  }

  async show(report) {
    if (!report.graph) throw new GanglionError('bad_request', 'this report has no inferred graph (only the GNN infers one)');
    const { probability, truth, names } = report.graph;
    const inferred = await drawMatrix(probability);
    const known = truth ? await drawMatrix(truth, { signed: true }) : null;
    this.shown = true;
    this.body.innerHTML = `<div class="pair"><figure><canvas part="inferred"></canvas><figcaption class="caption">inferred
      (${names.length} neurons; row = sender)</figcaption></figure><figure><canvas part="known"></canvas>
      <figcaption class="caption">known</figcaption></figure></div><p class="caption" part="auroc"></p>`;
    paint(this.body.querySelector('[part=inferred]'), inferred);
    if (known) paint(this.body.querySelector('[part=known]'), known);
    else this.body.querySelector('[part=known]').parentElement.textContent = 'no known graph in this recording';
    if (report.edges) this.body.querySelector('[part=auroc]').textContent = `edge AUROC ${report.edges.auroc.toFixed(3)}`;
    emit(this, 'drawn', { names });
  }
}

/** Registers `<ganglion-viewer>`, `<ganglion-trainer>` and `<ganglion-graph>` (once). */
export function defineElements() {
  if (typeof customElements === 'undefined') return;
  for (const [name, element] of [
    ['ganglion-viewer', ViewerElement],
    ['ganglion-trainer', TrainerElement],
    ['ganglion-graph', GraphElement],
  ]) {
    if (!customElements.get(name)) customElements.define(name, element);
  }
}

defineElements();
