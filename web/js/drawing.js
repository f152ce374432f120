// @ts-check
// Drawing shared by the custom elements (elements.js) and the notebook widget
// (python/ganglion/widget.js): no imports, so the widget can load it from a blob URL.

/** Puts an RGBA image (`{ width, height, data }`, as the worker draws them) on a canvas. */
export function paint(canvas, image) {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d').putImageData(new ImageData(image.data, image.width, image.height), 0, 0);
}

/** The points of an SVG polyline in a 100 x 100 viewBox: the loss curve, `[step, loss]` pairs. */
export function lossCurve(points) {
  if (points.length < 2) return '';
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const at = (p) => `${((p[0] - x0) / (x1 - x0 || 1)) * 100},${100 - ((p[1] - y0) / (y1 - y0 || 1)) * 100}`;
  return `<polyline points="${points.map(at).join(' ')}"/>`;
}

/** The result table's rows from the worker's metric table (the notebook's own rows, made in Rust).
 * @param {import('./wire.js').MetricTable} metrics @param {boolean} withMlp */
function metricRows(metrics, withMlp) {
  const f = (v) => (typeof v === 'number' ? v.toFixed(4) : '-');
  const linear = metrics.linear != null;
  return metrics.rows.map((r) => [r.label, f(r.model), f(r.floor), ...(linear ? [f(r.linear)] : []), ...(withMlp ? [f(r.mlp)] : [])]);
}

/** The result table (`part="metrics"`): metric, the model, the floor, the linear AR (forecasts) and the MLP when one was trained beside it.
 * @param {import('./wire.js').MetricTable} metrics @param {string} model @param {boolean} withMlp */
export function metricTable(metrics, model, withMlp) {
  const linear = metrics.linear != null ? `<th>${metrics.linear}</th>` : '';
  const head = `<tr><th></th><th>${model}</th><th>${metrics.floor}</th>${linear}${withMlp ? '<th>MLP</th>' : ''}</tr>`;
  const rows = metricRows(metrics, withMlp).map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`);
  return `<table part="metrics">${head}${rows.join('')}</table>`;
}
