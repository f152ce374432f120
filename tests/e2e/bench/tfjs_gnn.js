// The in-browser peer: ganglion's relational GNN written with TensorFlow.js, line by line
// from benches/torch_models.py (itself written from crates/ganglion-models/src/gnn), timed
// the way the worker times ganglion's workload: one optimiser step (forward, backward,
// Adam), the loss read back before the clock stops, on the same sizes and the same kind
// of data. Its trainable parameter count is returned so the caller can refuse to compare
// a model that is not the same.
//
// `tfjsGnnBench` runs inside the page (playwright serialises it), where TF.js (the union bundle: core, gradients, CPU/WebGL backends) and one
// backend script are loaded as globals; it uses nothing from this module's scope.

/** Times `steps` steps of the GNN at `n` neurons on TF.js's `backend`. */
export async function tfjsGnnBench({ n, history, batch, steps, backend, wasmPaths }) {
  const tf = globalThis.tf;
  if (backend === 'wasm') tf.wasm.setWasmPaths(wasmPaths);
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not start its ${backend} backend`);
  await tf.ready();
  const d = 64, p = 16, m = 32, k = 2, buckets = 1024, classes = 3, klWeight = 0.1, prior = 0.15;
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const weights = [];
  const param = (shape, scale) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = tf.variable(tf.tensor(Float32Array.from({ length: size }, () => random() * scale), shape));
    weights.push(v);
    return v;
  };
  const linear = (i, o, bias = true) => ({ w: param([i, o], 1 / Math.sqrt(i)), b: bias ? param([o], 1 / Math.sqrt(i)) : null });
  // Function calls throughout (the same in every TF.js bundle).
  const { add, sub, mul, div, sum, concat, expandDims: ex, reshape, relu, elu, transpose, squeeze, slice, broadcastTo } = tf;
  const apply = (p, x) => {
    const shape = x.shape;
    let y = tf.matMul(reshape(x, [-1, shape[shape.length - 1]]), p.w);
    if (p.b) y = add(y, p.b);
    return reshape(y, [...shape.slice(0, -1), p.w.shape[1]]);
  };
  const eluMlp = (i, h, o) => ({ first: linear(i, h), second: linear(h, o) });
  const eluApply = (p, x) => elu(apply(p.second, elu(apply(p.first, x))));

  // The parameters, in the order of the PyTorch twin (the unused read-out counts too).
  const encoder = {
    edgeIn: eluMlp(3, p, p), nodeMid: eluMlp(2 * p, d, d),
    sender: linear(d, p), receiver: linear(d, p, false), skip: linear(p, p, false), out: linear(p, p),
    logits: linear(p, k), anchor: param([1], 0),
  };
  encoder.anchor.assign(tf.tensor([8]));
  const decoder = {
    senderIn: linear(1, m), senderOut: linear(m, m), gate: linear(1, m),
    globalIn: linear(1, m), globalOut: linear(m, m), outHidden: linear(1 + 3 * m, m), out: linear(m, 1),
  };
  eluMlp(history, d, d); // window_nodes
  param([buckets, d], 1); // identity
  const decoderIdentity = param([buckets, m], 1);
  eluMlp(2 * d, d, d); linear(d, 1); linear(2 * d, d); linear(d, classes); // read-out
  const parameters = weights.reduce((a, v) => a + v.size, 0);
  const logPrior = reshape(tf.tensor([Math.log(1 - prior), Math.log(prior)]), [1, 1, 1, 2]);

  const data = (shape, s) => {
    seed = s;
    return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random), shape);
  };
  const stats = data([1, n, n, 3], 1), x = data([batch, n, history], 2), next = data([batch, n], 3);
  const mask1 = tf.ones([1, n]), mask = tf.ones([batch, n]);
  const offdiag = ex(sub(1, tf.eye(n)), 0);
  const ids = tf.tensor(Int32Array.from({ length: batch * n }, (_, j) => 1 + (j % n)), [batch * n], 'int32');
  const oneHotIds = tf.cast(tf.oneHot(ids, buckets), 'float32');

  const encode = () => {
    const beta = slice(stats, [0, 0, 0, 2], [1, n, n, 1]);
    const e1 = eluApply(encoder.edgeIn, stats);
    const w = ex(mul(ex(mask1, 2), offdiag), 3);
    const incoming = div(sum(mul(e1, w), 1), add(sum(w, 1), 1e-6));
    const outgoing = div(sum(mul(e1, w), 2), add(sum(w, 2), 1e-6));
    const nodes = eluApply(encoder.nodeMid, concat([incoming, outgoing], 2));
    const pair = add(ex(apply(encoder.sender, nodes), 2), ex(apply(encoder.receiver, nodes), 1));
    const e2 = elu(apply(encoder.out, elu(add(pair, apply(encoder.skip, e1)))));
    const logits = apply(encoder.logits, e2);
    const strength = mul(tf.abs(beta), encoder.anchor);
    return add(logits, concat([tf.zerosLike(strength), strength], 3));
  };
  const decode = (frames, probs, identity) => {
    const t = frames.shape[2];
    const state = ex(transpose(frames, [0, 2, 1]), 3); // [B, T, N, 1]
    const senders = mul(ex(mask, 2), offdiag); // [B, N, N]
    const weight = mul(squeeze(slice(probs, [0, 0, 0, 1], [batch, n, n, 1]), [3]), senders);
    // The separable message: sum_i w_ij f(x_i), times the receiver's gate g(x_j).
    const sent = apply(decoder.senderOut, relu(apply(decoder.senderIn, state))); // [B, T, N, M]
    const bySender = reshape(transpose(sent, [0, 2, 1, 3]), [batch, n, t * m]);
    const received = transpose(reshape(tf.matMul(transpose(weight, [0, 2, 1]), bySender), [batch, n, t, m]), [0, 2, 1, 3]);
    const aggregated = mul(received, tf.sigmoid(apply(decoder.gate, state))); // [B, T, N, M]
    const present = reshape(mask, [batch, 1, n, 1]);
    const each = mul(relu(apply(decoder.globalIn, state)), present);
    const global = div(sum(each, 2, true), add(sum(present, 2, true), 1e-6));
    const globalAll = broadcastTo(relu(apply(decoder.globalOut, global)), [batch, t, n, m]);
    const ident = broadcastTo(ex(identity, 1), [batch, t, n, m]);
    const features = concat([state, aggregated, globalAll, ident], 3);
    const delta = apply(decoder.out, relu(apply(decoder.outHidden, features)));
    return add(frames, transpose(squeeze(delta, [3]), [0, 2, 1]));
  };
  const loss = () => {
    const logProbs = tf.logSoftmax(encode(), 3);
    const full = concat([x, ex(next, 2)], 2);
    const probs = broadcastTo(tf.exp(logProbs), [batch, n, n, k]);
    // The embedding lookup as a one-hot product: TF.js's wasm backend has no gradient
    // kernel for gather (UnsortedSegmentSum); the values and gradients are the same.
    const identity = reshape(tf.matMul(oneHotIds, decoderIdentity), [batch, n, m]);
    const predicted = decode(slice(full, [0, 0, 0], [batch, n, history]), probs, identity);
    const m3 = ex(mask, 2);
    const mse = div(sum(mul(tf.square(sub(predicted, slice(full, [0, 0, 1], [batch, n, history]))), m3)),
      add(mul(sum(m3), history), 1e-6));
    const kl = sum(mul(tf.exp(logProbs), sub(logProbs, logPrior)), 3);
    const pairMask = mul(mul(ex(mask1, 2), ex(mask1, 1)), offdiag);
    return add(mse, mul(div(sum(mul(kl, pairMask)), add(sum(pairMask), 1e-6)), klWeight));
  };

  const optimizer = tf.train.adam(1e-3);
  const seconds = [];
  for (let s = 0; s < steps; s++) {
    const start = performance.now();
    const cost = optimizer.minimize(loss, true, weights);
    const value = (await cost.data())[0];
    cost.dispose();
    seconds.push((performance.now() - start) / 1000);
    if (!Number.isFinite(value)) throw new Error(`TF.js GNN loss became ${value}`);
  }
  return { parameters, step_seconds: seconds, backend: tf.getBackend() };
}
