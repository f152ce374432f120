// @ts-check
// ganglion's typed JS API (re-exported by ganglion.js, the package's module). All
// computation runs in one module Web Worker (worker.js -> ganglion-worker.js, the wasm
// build of web/src/worker), shared by every call and every widget on the page: one wasm
// instance, one GPU device. This file only posts messages (web/src/protocol.rs, JSON plus
// transferred typed arrays) and puts pixels the worker drew on canvases.

/** @typedef {import('./ganglion.js').TrainOptions} TrainOptions */
/** @typedef {import('./ganglion.js').StudyOptions} StudyOptions */
/** @typedef {import('./ganglion.js').NameTable} NameTable */
/** @typedef {import('./wire.js').TrainEvent} TrainEvent */
/** @typedef {{ onProgress?: (event: TrainEvent) => void, signal?: AbortSignal }} Control */

const state = { worker: null, ready: null, tickets: 1, calls: new Map(), factory: null };

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

/** Where the worker comes from (default: `worker.js` beside this module): a host that loads this module
 * from elsewhere (a notebook widget's blob URL) passes a function returning a Worker that runs the ganglion wasm. */
export function useWorker(factory) {
  state.factory = factory;
}

function worker() {
  if (state.worker) return state.worker;
  const w = state.factory?.() ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'ganglion' });
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
      const graph = reply.type === 'report' ? reply.report?.graph : null; // its values travel beside the JSON
      if (graph && data.graph_probability) graph.probability = Array.from(new Float32Array(data.graph_probability));
      if (graph && data.graph_truth) graph.truth = Array.from(new Float32Array(data.graph_truth));
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
 * @param {object} message
 * @param {Record<string, ArrayBufferLike>} [fields]
 * @param {(reply: any, data: any) => any} [onReply]
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

/** @param {ArrayBuffer | ArrayBufferView | Blob | string | URL} input @param {string} [name] */
async function bytesOf(input, name) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const fileName = 'name' in input && typeof input.name === 'string' ? input.name : undefined;
    return { buffer: await input.arrayBuffer(), name: name ?? fileName ?? 'recording' };
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
 * @param {ArrayBuffer | ArrayBufferView | Blob | string | URL} input
 * @param {{ name?: string, width?: number, nameTables?: NameTable[] }} [options]
 */
export async function loadRecording(input, { name, width = 1200, nameTables = [] } = {}) {
  const { buffer, name: fileName } = await bytesOf(input, name);
  const name_tables = nameTables.map(({ file, text, base = 0 }) => ({ file, text, base }));
  const source = { kind: 'file', name: fileName, name_tables };
  return call({ type: 'load', source, width }, { bytes: buffer }, loaded);
}

/**
 * Synthetic worms on one known graph (for trying models where the truth is known).
 * @param {{ seed?: number, neurons?: number, frames?: number, animals?: number, width?: number }} [options]
 */
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
 * @param {TrainOptions} options
 */
function experiment(options) {
  const { task = 'forecast', model = 'gnn' } = options;
  /** @type {Record<string, number>} */
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
  /** @type {{ task: string, model: string, train: Record<string, number>, history?: number, decoder?: string }} */
  const settings = { task, model, train };
  if (options.history !== undefined) settings.history = options.history;
  if (options.decoder !== undefined) settings.decoder = options.decoder;
  return settings;
}

/** @param {unknown} partial */
function abortError(partial) {
  const error = /** @type {DOMException & { partial?: unknown }} */ (new DOMException('training was cancelled', 'AbortError'));
  error.partial = partial;
  return error;
}

/**
 * Trains a model on `recording` in the worker (all animals but the last; the last is held out
 * and scored) and resolves with `{ model, report }`. `onProgress` sees every progress and
 * validation event; aborting `signal` stops training at the next report: the promise then
 * rejects with an AbortError whose `partial` holds the model trained so far and its report.
 * @param {Recording} recording
 * @param {TrainOptions} [options]
 * @param {Control} [control]
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
 * @param {Recording} recording
 * @param {StudyOptions} [options]
 * @param {Control} [control]
 * @returns {Promise<import('./wire.js').StudyReport>}
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
