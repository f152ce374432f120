// A user's app: the whole JS API, typed, from the installed package only.
import {
  GanglionError,
  evaluate,
  inferGraph,
  init,
  loadModel,
  loadRecording,
  predict,
  study,
  synthWorm,
  train,
  type TrainEvent,
} from 'ganglion';

const log = (line: string) => {
  document.getElementById('log')!.textContent += `${line}\n`;
};

interface Outcome {
  backend: string;
  neurons: number;
  heldOutNeurons: number;
  activityLength: number;
  events: TrainEvent['kind'][];
  steps: number;
  modelMse: number;
  persistenceMse: number;
  savedBytes: number;
  reloadedKind: string;
  reloadedMse: number;
  predictedLength: number;
  graphSize: number;
  badFileCode: string;
  badModelCode: string;
  labAnimal: string | null;
  labNames: string[];
  unmatchedCode: string;
  studyRows: number;
  studyStages: number;
  studyVerdict: string;
}

async function run(): Promise<Outcome> {
  const { backend, reason } = await init({ backend: 'cpu' });
  log(`backend ${backend}: ${reason}`);
  const worms = await synthWorm({ seed: 3, neurons: 12, frames: 400, animals: 3 });
  const events: TrainEvent['kind'][] = [];
  const stages: string[] = [];
  const { model, report } = await train(
    worms,
    { task: 'forecast', model: 'gnn', steps: 30, history: 6, reportEvery: 5, validateEvery: 0, backend: 'cpu' },
    { onProgress: (e) => events.push(e.kind) },
  );
  if (report.scores.kind !== 'forecast') throw new Error('a forecasting report has forecast scores');
  log(`trained ${report.steps} steps: mse ${report.scores.model.mse} vs ${report.scores.persistence.mse}`);
  const saved: Uint8Array = model.save();
  const reloaded = await loadModel(saved);
  const again = await evaluate(reloaded, worms, { backend: 'cpu' });
  if (again.scores.kind !== 'forecast') throw new Error('a forecasting report has forecast scores');
  const { predicted } = await predict(reloaded, worms, { backend: 'cpu' });
  const graph = await inferGraph(reloaded, worms, { backend: 'cpu' });
  const studied = await study(
    worms,
    { models: ['gnn', 'mlp'], steps: 5, history: 6, behaviour: false, backend: 'cpu' },
    { onProgress: (e) => e.kind === 'stage' && stages.push(e.label) },
  );
  const badFileCode = await loadRecording(new TextEncoder().encode('neuron,1,2\nAVAL,0.5\n'), { name: 'bad.csv' }).then(
    () => 'none',
    (e: unknown) => (e instanceof GanglionError ? e.code : 'not a GanglionError'),
  );
  // A lab's file without an animal id, with its names table kept beside it.
  const labCsv = new TextEncoder().encode('time,n1,n2\n0,0.1,0.2\n0.5,0.3,0.1\n1.0,0.2,0.4\n');
  const table = { file: 'session-7_names.csv', text: 'column,name\n1,AVAL\n2,RIML\n', base: 1 as const };
  const lab = await loadRecording(labCsv, { name: 'rig2/session-7.csv', nameTables: [table] });
  const unmatchedCode = await loadRecording(labCsv, { name: 'session-8.csv', nameTables: [table] }).then(
    () => 'none',
    (e: unknown) => (e instanceof GanglionError ? e.code : 'not a GanglionError'),
  );
  const badModelCode = await loadModel(new Uint8Array([1, 2, 3])).then(
    () => 'none',
    (e: unknown) => (e instanceof GanglionError ? e.code : 'not a GanglionError'),
  );
  return {
    backend,
    neurons: worms.neurons,
    heldOutNeurons: worms.animals[worms.animals.length - 1].names.length,
    activityLength: worms.activity.length,
    events,
    steps: report.steps,
    modelMse: report.scores.model.mse ?? NaN,
    persistenceMse: report.scores.persistence.mse ?? NaN,
    savedBytes: saved.byteLength,
    reloadedKind: reloaded.kind,
    reloadedMse: again.scores.model.mse ?? NaN,
    predictedLength: predicted.length,
    graphSize: graph.probability.length,
    badFileCode,
    badModelCode,
    labAnimal: lab.animals[0].animal,
    labNames: lab.animals[0].names,
    unmatchedCode,
    studyRows: studied.summary.filter((r) => r.metric === 'forecast MSE').length,
    studyStages: stages.length,
    studyVerdict: studied.verdict.join(' '),
  };
}

declare global {
  interface Window {
    outcome?: Outcome | { error: string };
  }
}

run().then(
  (outcome) => {
    window.outcome = outcome;
  },
  (e: unknown) => {
    window.outcome = { error: String(e) };
  },
);
