//! Line charts in SVG: the live loss curve, predicted vs true traces, a neuron's trace,
//! and the node-link view of the inferred graph.

use leptos::prelude::*;

use crate::client::Run;

const W: f64 = 480.0;
const H: f64 = 160.0;

/// `points` attribute of a polyline for `(x, y)` pairs, x in `0..=x_max`, y between
/// `lo` and `hi`.
fn polyline(points: impl Iterator<Item = (f64, f64)>, x_max: f64, lo: f64, hi: f64) -> String {
    let span = (hi - lo).max(1e-12);
    points
        .filter(|(_, y)| y.is_finite())
        .map(|(x, y)| format!("{:.1},{:.1}", x / x_max.max(1e-12) * W, H - (y - lo) / span * (H - 8.0) - 4.0))
        .collect::<Vec<_>>()
        .join(" ")
}

fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

fn joined(values: &[(usize, f64)]) -> String {
    values.iter().map(|(_, v)| format!("{v:.5}")).collect::<Vec<_>>().join(",")
}

/// Training and validation loss against steps, redrawn at every report.
#[component]
pub fn LossChart(
    /// The run.
    run: RwSignal<Run>,
) -> impl IntoView {
    move || {
        run.with(|r| {
            let (lo, hi) = range(r.train_loss.iter().chain(&r.validation_loss).map(|p| p.1));
            let x_max = r.total.max(1) as f64;
            let line = |s: &[(usize, f64)]| polyline(s.iter().map(|&(x, y)| (x as f64, y)), x_max, lo, hi);
            let label = if lo.is_finite() { format!("loss {lo:.3} to {hi:.3}") } else { "no loss yet".into() };
            view! {
                <figure class="chart">
                    <svg
                        viewBox=format!("0 0 {W} {H}")
                        data-testid="loss-chart"
                        data-train=joined(&r.train_loss)
                        data-validation=joined(&r.validation_loss)
                        role="img"
                        aria-label="training and validation loss"
                    >
                        <polyline class="train" points=line(&r.train_loss) />
                        <polyline class="validation" points=line(&r.validation_loss) />
                    </svg>
                    <figcaption>
                        <span class="key train">"train"</span>
                        " "
                        <span class="key validation">"validation"</span>
                        {format!(" · {label}")}
                    </figcaption>
                </figure>
            }
        })
    }
}

/// One or two traces over the same frames (`truth` solid, `predicted` dashed).
#[component]
pub fn Traces(
    /// Title above the chart.
    title: String,
    /// The solid trace.
    truth: Vec<f32>,
    /// An optional dashed trace.
    #[prop(optional)]
    predicted: Option<Vec<f32>>,
) -> impl IntoView {
    let all = truth.iter().chain(predicted.iter().flatten()).map(|v| f64::from(*v));
    let (lo, hi) = range(all);
    let x_max = truth.len().saturating_sub(1).max(1) as f64;
    let line = |v: &[f32]| polyline(v.iter().enumerate().map(|(i, y)| (i as f64, f64::from(*y))), x_max, lo, hi);
    let dashed = predicted.as_deref().map(line);
    view! {
        <figure class="chart small">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img">
                <polyline class="truth" points=line(&truth) />
                {dashed.map(|points| view! { <polyline class="predicted" points=points /> })}
            </svg>
        </figure>
    }
}

/// The inferred graph as nodes on a circle and its strongest edges as lines (green when
/// the edge is in the known graph, grey when not or unknown).
#[component]
pub fn NodeLink(
    /// Neuron names.
    names: Vec<String>,
    /// `[N * N]` edge probabilities, row = sender.
    probability: Vec<f32>,
    /// Known weights, same layout.
    truth: Option<Vec<f32>>,
) -> impl IntoView {
    let n = names.len();
    let size = 360.0;
    let radius = size / 2.0 - 30.0;
    let at = |i: usize| {
        let a = i as f64 / n.max(1) as f64 * std::f64::consts::TAU;
        (size / 2.0 + radius * a.cos(), size / 2.0 + radius * a.sin())
    };
    let mut pairs: Vec<(usize, f32)> =
        (0..n * n).filter(|k| k / n != k % n && *k < probability.len()).map(|k| (k, probability[k])).collect();
    // The strongest edges without sorting all N^2 pairs (91,204 at 302 neurons).
    let shown = (2 * n).min(400).min(pairs.len());
    if shown > 0 && shown < pairs.len() {
        pairs.select_nth_unstable_by(shown - 1, |a, b| b.1.total_cmp(&a.1));
    }
    pairs.truncate(shown);
    pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
    let edges = pairs
        .into_iter()
        .map(|(k, p)| {
            let ((x1, y1), (x2, y2)) = (at(k / n), at(k % n));
            let known = truth.as_ref().is_some_and(|t| t.get(k).is_some_and(|w| *w != 0.0));
            let class = if known { "edge known" } else { "edge" };
            view! { <line class=class x1=x1 y1=y1 x2=x2 y2=y2 stroke-opacity=format!("{:.2}", 0.15 + 0.85 * p) /> }
        })
        .collect_view();
    let nodes = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (x, y) = at(i);
            view! {
                <g class="node">
                    <circle cx=x cy=y r="4" />
                    {(n <= 40).then(|| view! { <text x=x + 6.0 y=y - 6.0>{name.clone()}</text> })}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="node-link" viewBox=format!("0 0 {size} {size}") data-testid="graph-links" role="img"
            aria-label="strongest inferred interactions">
            {edges}
            {nodes}
        </svg>
    }
}
