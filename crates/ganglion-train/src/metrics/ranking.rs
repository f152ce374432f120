//! Threshold-free scores of a ranking against binary truth (edge recovery).

/// Area under the ROC curve: the probability that a random positive scores above a
/// random negative (ties count half). NaN without both classes.
pub fn auroc(scores: &[f32], positive: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len().min(positive.len())).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut rank_sum, mut n_pos) = (0.0f64, 0usize);
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            if positive[k] {
                rank_sum += mid_rank;
                n_pos += 1;
            }
        }
        i = j + 1;
    }
    let n_neg = order.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return f64::NAN;
    }
    (rank_sum - (n_pos * (n_pos + 1)) as f64 / 2.0) / (n_pos * n_neg) as f64
}

/// Average precision: mean precision at the rank of each positive, best score first.
pub fn average_precision(scores: &[f32], positive: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len().min(positive.len())).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut hits, mut sum) = (0usize, 0.0f64);
    for (rank, &k) in order.iter().enumerate() {
        if positive[k] {
            hits += 1;
            sum += hits as f64 / (rank + 1) as f64;
        }
    }
    if hits == 0 { f64::NAN } else { sum / hits as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_reversed_and_tied_rankings() {
        let truth = [false, false, true, true];
        assert_eq!(auroc(&[0.1, 0.2, 0.8, 0.9], &truth), 1.0);
        assert_eq!(auroc(&[0.9, 0.8, 0.2, 0.1], &truth), 0.0);
        assert_eq!(auroc(&[0.5; 4], &truth), 0.5);
        assert!((auroc(&[0.1, 0.3, 0.2, 0.9], &truth) - 0.75).abs() < 1e-12);
        assert_eq!(average_precision(&[0.1, 0.2, 0.8, 0.9], &truth), 1.0);
        assert!(
            (average_precision(&[0.9, 0.1, 0.8, 0.2], &[false, false, true, true]) - (0.5 + 2.0 / 3.0) / 2.0).abs()
                < 1e-12
        );
        assert!(auroc(&[0.1], &[true]).is_nan());
    }
}
