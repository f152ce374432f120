// @ts-check
// ganglion's custom elements (re-exported by ganglion.js, which registers them), built on
// the JS API alone. Shadow DOM; theme with --ganglion-fg, --ganglion-bg, --ganglion-accent,
// --ganglion-muted, --ganglion-font. Each dispatches `progress`, `trained` and `error` events
// (bubbling, composed) as fits it.

import { GanglionError, drawMatrix, loadRecording, synthWorm, train } from './api.js';
import { lossCurve, metricTable, paint } from './drawing.js';

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

/** `src` (a file on this origin) or `synth` (a seed) as recordings.
 * @param {HTMLElement} element */
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
    /** @type {HTMLElement} */
    this.body = /** @type {HTMLElement} */ (this.shadowRoot?.querySelector('[part=body]'));
  }

  /** Draws the element's body from its attributes (each element has its own). */
  render() {}

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
      // The attributes as written; the worker names what it does not know.
      task: /** @type {import('./wire.js').Task} */ (this.getAttribute('task') ?? 'forecast'),
      model: /** @type {import('./wire.js').ModelKind} */ (this.getAttribute('model') ?? 'gnn'),
      steps,
      backend: /** @type {import('./ganglion.js').BackendChoice} */ (this.getAttribute('backend') ?? 'auto'),
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
          } else if (event.kind === 'stepped') {
            status.textContent = `step ${event.step} of ${steps}`; // the first step is done
          }
          emit(this, 'progress', event);
        },
      });
      recording.release();
      bar.value = 1;
      status.textContent = `done on ${result.backend?.backend ?? '?'}: ${result.report.steps} steps`;
      this.body.querySelector('[part=result]').innerHTML = metricTable(result.metrics, options.model, Boolean(result.report.mlp));
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

  /** @type {((event: Event) => void) | undefined} */
  listener;
  /** @type {HTMLElement | null | undefined} */
  source;

  render() {
    if (this.listener) this.source?.removeEventListener('trained', this.listener);
    const listener = (this.listener ??= (event) => {
      this.report = /** @type {CustomEvent} */ (event).detail.report;
    });
    const id = this.getAttribute('for');
    const root = /** @type {Document | ShadowRoot} */ (this.getRootNode());
    this.source = id ? root.getElementById?.(id) ?? document.getElementById(id) : null;
    this.source?.addEventListener('trained', listener);
    if (!this.shown) this.body.innerHTML = '<p class="caption">the graph appears when the GNN has trained</p>';
  }

  /** @param {import('./wire.js').Report} report */
  set report(report) {
    this.show(report).catch((error) => this.showError(error));
  }

  /** @param {import('./wire.js').Report} report */
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
  /** @type {Array<[string, CustomElementConstructor]>} */
  const elements = [
    ['ganglion-viewer', ViewerElement],
    ['ganglion-trainer', TrainerElement],
    ['ganglion-graph', GraphElement],
  ];
  for (const [name, element] of elements) {
    if (!customElements.get(name)) customElements.define(name, element);
  }
}
