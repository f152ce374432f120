//! The study's graph comparisons: the GNN's inferred graph beside the true graph (edge
//! recovery against a correlation baseline) and beside the anatomical wiring diagram.

use ganglion_models::linear::{self, abs_partial_correlation, abs_var1_coefficients};

use super::*;

/// `|Pearson r|` between every pair of neurons over `frames`, `[N * N]` (0 on the diagonal).
pub fn abs_correlation(recording: &Recording, frames: std::ops::Range<usize>) -> Vec<f32> {
    let t = frames.len();
    linear::abs_correlation(&standardised(recording, frames), recording.n_neurons(), t)
}

/// The activity of `frames`, each neuron z-scored, neuron-major `[N, frames]`.
fn standardised(recording: &Recording, frames: std::ops::Range<usize>) -> Vec<f32> {
    let mut out = Vec::with_capacity(recording.n_neurons() * frames.len());
    for i in 0..recording.n_neurons() {
        let t = &recording.trace(i)[frames.clone()];
        let mean = t.iter().map(|&v| f64::from(v)).sum::<f64>() / t.len().max(1) as f64;
        let sd = (t.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / t.len().max(1) as f64).sqrt();
        out.extend(t.iter().map(|&v| ((f64::from(v) - mean) / sd.max(1e-12)) as f32));
    }
    out
}

/// The linear edge rankings beside the correlation: `|partial correlation|` and
/// `|VAR(1) coefficient|` over the test animal's context frames, `[N * N]` each.
fn linear_rankings(test: &Recording) -> (Vec<f32>, Vec<f32>) {
    let frames = context_frames(test);
    let (n, t) = (test.n_neurons(), frames.len());
    let activity = standardised(test, frames);
    (abs_partial_correlation(&activity, n, t), abs_var1_coefficients(&activity, n, t))
}

pub(super) fn edge_comparison(report: &Report, test: &Recording) -> Result<Option<EdgeComparison>, DataError> {
    let (Some(graph), Some(truth)) = (&report.graph, test.connectivity()) else { return Ok(None) };
    let gnn = score_edges(&graph.probability, truth.weights())?;
    let correlation = score_edges(&abs_correlation(test, context_frames(test)), truth.weights())?;
    let (partial, var) = linear_rankings(test);
    Ok(Some(EdgeComparison {
        gnn,
        correlation,
        partial_correlation: Some(score_edges(&partial, truth.weights())?),
        var_coefficient: Some(score_edges(&var, truth.weights())?),
    }))
}

pub(super) fn anatomy_comparison(report: &Report, test: &Recording) -> Result<Option<AnatomyComparison>, DataError> {
    const TOP: usize = 10;
    let Some(graph) = &report.graph else { return Ok(None) };
    let known: std::collections::HashSet<String> =
        connectome::neuron_names().iter().map(|n| canonical_name(n)).collect();
    let keep: Vec<usize> = test
        .neurons()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.identified && known.contains(&canonical_name(&n.name)))
        .map(|(i, _)| i)
        .collect();
    if keep.len() < 3 {
        return Ok(None);
    }
    let n = test.n_neurons();
    let names: Vec<String> = keep.iter().map(|&i| test.neurons()[i].name.clone()).collect();
    let wiring = connectome::weights_among(&names);
    let k = keep.len();
    // Connected either way: a chemical synapse in either direction or a gap junction.
    let connected: Vec<f32> =
        (0..k * k).map(|p| f32::from(u8::from(wiring[p] != 0.0 || wiring[(p % k) * k + p / k] != 0.0))).collect();
    let pairs = connected.iter().enumerate().filter(|(p, c)| p / k != p % k && **c != 0.0).count();
    if pairs == 0 || pairs == k * (k - 1) {
        return Ok(None);
    }
    let sub = |full: &[f32]| -> Vec<f32> { (0..k * k).map(|p| full[keep[p / k] * n + keep[p % k]]).collect() };
    let inferred = sub(&graph.probability);
    let correlation = sub(&abs_correlation(test, context_frames(test)));
    let auroc = score_edges(&inferred, &connected)?.auroc;
    let correlation_auroc = score_edges(&correlation, &connected)?.auroc;
    let (partial, var) = linear_rankings(test);
    let partial_correlation_auroc = Some(score_edges(&sub(&partial), &connected)?.auroc);
    let var_auroc = Some(score_edges(&sub(&var), &connected)?.auroc);
    let mut order: Vec<usize> = (0..k * k).filter(|p| p / k != p % k).collect();
    order.sort_by(|&a, &b| inferred[b].total_cmp(&inferred[a]));
    let top_edges = order
        .into_iter()
        .take(TOP)
        .map(|p| TopEdge {
            from: names[p / k].clone(),
            to: names[p % k].clone(),
            strength: inferred[p],
            anatomical: connected[p] != 0.0,
        })
        .collect();
    Ok(Some(AnatomyComparison {
        neurons: k,
        connected_pairs: pairs,
        auroc,
        correlation_auroc,
        partial_correlation_auroc,
        var_auroc,
        top_edges,
    }))
}
