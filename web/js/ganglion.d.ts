// Types of the ganglion package (ganglion.js). The types the worker sends (reports and
// their scores, train events, the study's report, the metric table, experiment settings)
// are generated from the Rust types into wire.d.ts and re-exported here; this file
// declares the JS API around them.

import type {
  DecoderKind,
  EdgeScores,
  Experiment,
  MetricTable,
  ModelKind,
  Report,
  StudyReport,
  Task,
  TrainEvent,
} from './wire.js';

export type * from './wire.js';

/** An error from ganglion, with the data crate's stable `code`. */
export class GanglionError extends Error {
  constructor(code: string, message: string);
  /** The data crate's codes (`unknown_format`, `malformed`, `shape_mismatch`, `non_finite`, `checkpoint`,
   * `bad_request`, `device`, ...), or `io` (a fetch failed), `worker` (the worker stopped), `panic`,
   * `gpu_lost` (the GPU device was lost or ran out of memory mid-run; the next call starts a fresh worker). */
  readonly code: string;
}

export type BackendChoice = 'auto' | 'cpu';

/** The device the worker computes on, and why it was chosen. */
export interface BackendInfo {
  backend: 'WebGPU' | 'CPU';
  reason: string;
}

/** Starts the shared worker and picks the device. */
export function init(options?: { backend?: BackendChoice }): Promise<BackendInfo>;

/**
 * Where the worker comes from. By default ganglion starts `worker.js` beside its module; a host
 * that loads the module from elsewhere (a notebook widget's blob URL, a bundler that moves the
 * worker) passes a function that returns a Worker running the ganglion wasm. Pass it before the
 * first call; `null` restores the default.
 */
export function useWorker(factory: (() => Worker) | null): void;

/** One animal of a loaded recording. */
export interface AnimalInfo {
  /** The file's animal id, else the file's stem (`worm3`, `worm3(2)` for the second of several). */
  animal: string | null;
  names: string[];
  frames: number;
  rateHz: number;
  states: string[] | null;
  connectivity: boolean;
}

/** RGBA pixels, ready for `new ImageData(data, width, height)`. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Recordings held by the worker. */
export class Recording {
  private constructor();
  readonly id: number;
  readonly animals: AnimalInfo[];
  /** Neurons of the first animal. */
  readonly neurons: number;
  /** Frames of the first animal. */
  readonly frames: number;
  /** The first animal's activity, neuron-major (`neurons * frames`). */
  readonly activity: Float32Array;
  /** The first animal's behaviour label per frame, or null. */
  readonly labels: Uint32Array | null;
  /** The first animal's heatmap with its behaviour ribbon. */
  readonly heatmap: Pixels;
  /** Lets the worker forget these recordings. */
  release(): void;
}

/** A neuron names table kept beside a data file (`column,name` CSV or JSON). */
export interface NameTable {
  /** The table's file name: named after its data file (`worm3.csv`, `worm3_names.csv`). */
  file: string;
  text: string;
  /** Whether its columns count from 0 (the default) or 1. */
  base?: 0 | 1;
}

export function loadRecording(
  input: ArrayBuffer | ArrayBufferView | Blob | string | URL,
  options?: { name?: string; width?: number; nameTables?: NameTable[] },
): Promise<Recording>;

export function synthWorm(options?: {
  seed?: number;
  neurons?: number;
  frames?: number;
  animals?: number;
  width?: number;
}): Promise<Recording>;


/** Settings of a run; `task` `long-memory` is the ELM's delayed-cue task: it makes its own
 * spike trials (the recording is not read) and `history` is the delay between cue and answer. */
export interface TrainOptions {
  task?: Task;
  model?: ModelKind;
  /** History frames per window (default 10); for `long-memory`, steps between cue and answer. */
  history?: number;
  /** Optimiser steps at most (default 300, as in the CLI and the notebook). */
  steps?: number;
  /** The GNN's message form (default `separable`). */
  decoder?: DecoderKind;
  batchSize?: number;
  learningRate?: number;
  reportEvery?: number;
  /** Validate every this many steps (0: never). */
  validateEvery?: number;
  patience?: number;
  seed?: number;
  backend?: BackendChoice;
}



/** The settings stored with a model's weights. */
export interface ModelSetup {
  experiment: Experiment;
  steps: number;
  [field: string]: unknown;
}

/** A trained model. */
export class Model {
  private constructor();
  readonly bytes: Uint8Array;
  readonly setup: ModelSetup;
  /** The report of the run that trained it, when trained in this page. */
  report: Report | null;
  readonly kind: ModelKind;
  readonly task: Task;
  /** The checkpoint bytes (a copy). */
  save(): Uint8Array;
}

export function loadModel(bytes: ArrayBuffer | ArrayBufferView): Promise<Model>;


export interface Trained {
  model: Model;
  report: Report;
  /** The notebook's results table for `report`. */
  metrics: MetricTable;
  backend: BackendInfo | null;
}

/** Settings of a leave-one-animal-out study (training settings as for `train`). */
export interface StudyOptions extends Omit<TrainOptions, 'task' | 'model'> {
  /** The models compared (default gnn, mlp, gru). */
  models?: ModelKind[];
  /** Decode behaviour states and continuous signals too, where every animal has them (default true). */
  behaviour?: boolean;
}


/** Leave-one-animal-out over every animal of `recording` (at least two). */
export function study(
  recording: Recording,
  options?: StudyOptions,
  control?: { onProgress?: (event: TrainEvent) => void; signal?: AbortSignal },
): Promise<StudyReport>;

export function train(
  recording: Recording,
  options?: TrainOptions,
  control?: { onProgress?: (event: TrainEvent) => void; signal?: AbortSignal },
): Promise<Trained>;

export function evaluate(model: Model, recording: Recording, options?: { backend?: BackendChoice }): Promise<Report>;

export interface Predictions {
  /** `windows * neurons`, row-major. */
  predicted: Float32Array;
  truth: Float32Array;
  neurons: number;
  windows: number;
}

export function predict(model: Model, recording: Recording, options?: { backend?: BackendChoice }): Promise<Predictions>;

export interface InferredGraph {
  names: string[];
  /** `neurons * neurons`, row = sender. */
  probability: Float32Array;
  truth: Float32Array | null;
  edges: EdgeScores | null;
}

export function inferGraph(model: Model, recording: Recording, options?: { backend?: BackendChoice }): Promise<InferredGraph>;

export function drawMatrix(values: ArrayLike<number>, options?: { signed?: boolean }): Promise<Pixels>;

/** `<ganglion-viewer src | synth [neurons]>`; events: `loaded`, `error`. */
export class ViewerElement extends HTMLElement {
  readonly recording?: Recording;
}

/** `<ganglion-trainer src | synth task model steps backend>`; events: `progress`, `trained`, `error`. */
export class TrainerElement extends HTMLElement {
  start(): Promise<Trained | null>;
  readonly result?: Trained;
}

/** `<ganglion-graph for="trainer-id">`, or set `report`; events: `drawn`, `error`. */
export class GraphElement extends HTMLElement {
  set report(report: Report);
}

/** Registers the three elements (done on import; safe to call again). */
export function defineElements(): void;

declare global {
  interface HTMLElementTagNameMap {
    'ganglion-viewer': ViewerElement;
    'ganglion-trainer': TrainerElement;
    'ganglion-graph': GraphElement;
  }
}
