//! Accuracy, confusion matrix and macro-F1.

use serde::{Deserialize, Serialize};

/// Fraction of predictions equal to the truth.
pub fn accuracy(predicted: &[u32], truth: &[u32]) -> f64 {
    let n = predicted.len().min(truth.len());
    if n == 0 {
        return f64::NAN;
    }
    predicted.iter().zip(truth).filter(|(p, t)| p == t).count() as f64 / n as f64
}

/// `counts[truth][predicted]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConfusionMatrix {
    /// Rows are the true class, columns the predicted class.
    pub counts: Vec<Vec<u64>>,
}

impl ConfusionMatrix {
    /// Counts over `n_classes` classes (labels at or above it are ignored).
    pub fn new(predicted: &[u32], truth: &[u32], n_classes: usize) -> Self {
        let mut counts = vec![vec![0u64; n_classes]; n_classes];
        for (&p, &t) in predicted.iter().zip(truth) {
            if let Some(cell) = counts.get_mut(t as usize).and_then(|row| row.get_mut(p as usize)) {
                *cell += 1;
            }
        }
        ConfusionMatrix { counts }
    }

    /// F1 per class (NaN for a class that neither occurs nor is predicted).
    pub fn f1_per_class(&self) -> Vec<f64> {
        let k = self.counts.len();
        (0..k)
            .map(|c| {
                let tp = self.counts[c][c] as f64;
                let predicted: u64 = (0..k).map(|t| self.counts[t][c]).sum();
                let actual: u64 = self.counts[c].iter().sum();
                if predicted + actual == 0 { f64::NAN } else { 2.0 * tp / (predicted + actual) as f64 }
            })
            .collect()
    }

    /// Mean F1 over the classes that occur or are predicted.
    pub fn macro_f1(&self) -> f64 {
        let f1: Vec<f64> = self.f1_per_class().into_iter().filter(|v| !v.is_nan()).collect();
        if f1.is_empty() { f64::NAN } else { f1.iter().sum::<f64>() / f1.len() as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_and_macro_f1() {
        let truth = [0, 0, 1, 1, 2];
        let pred = [0, 1, 1, 1, 0];
        assert!((accuracy(&pred, &truth) - 0.6).abs() < 1e-12);
        let cm = ConfusionMatrix::new(&pred, &truth, 3);
        assert_eq!(cm.counts, vec![vec![1, 1, 0], vec![0, 2, 0], vec![1, 0, 0]]);
        let f1 = cm.f1_per_class();
        assert!((f1[0] - 0.5).abs() < 1e-12 && (f1[1] - 0.8).abs() < 1e-12 && f1[2] == 0.0);
        assert!((cm.macro_f1() - 1.3 / 3.0).abs() < 1e-12);
    }
}
