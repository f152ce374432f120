//! Aligning several animals by neuron name.
//!
//! Identified neurons are matched by canonical name (`VB02` = `VB2`). Unnamed neurons
//! never match across animals: with [`AlignMode::Union`] each keeps its own slot, with
//! [`AlignMode::Intersection`] they are left out.

use std::collections::HashMap;

use crate::names::canonical_name;
use crate::recording::Recording;

/// How to combine the neuron sets of several animals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignMode {
    /// Every neuron of every animal; absent ones are masked.
    Union,
    /// Only identified neurons every animal has.
    Intersection,
}

/// A shared neuron order and, per recording, where each shared neuron is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// Names of the aligned neurons (canonical for identified ones,
    /// `<animal>:<name>` for unnamed ones).
    pub names: Vec<String>,
    /// `rows[r][k]`: row of aligned neuron `k` in recording `r`, or `None` if absent.
    pub rows: Vec<Vec<Option<usize>>>,
}

impl Alignment {
    /// Aligns the recordings, in their order.
    pub fn new(recordings: &[&Recording], mode: AlignMode) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        let mut count: Vec<usize> = Vec::new();
        for (r, rec) in recordings.iter().enumerate() {
            for n in rec.neurons() {
                let key = if n.identified {
                    canonical_name(&n.name)
                } else if mode == AlignMode::Union {
                    format!("{}:{}", rec.animal_id().map_or_else(|| format!("recording{r}"), str::to_owned), n.name)
                } else {
                    continue;
                };
                let k = *slot.entry(key.clone()).or_insert_with(|| {
                    names.push(key);
                    count.push(0);
                    names.len() - 1
                });
                count[k] += 1;
            }
        }
        if mode == AlignMode::Intersection {
            let keep: Vec<usize> = (0..names.len()).filter(|&k| count[k] == recordings.len()).collect();
            names = keep.iter().map(|&k| names[k].clone()).collect();
        }
        let rows = recordings
            .iter()
            .map(|rec| {
                let mut by_key: HashMap<String, usize> = HashMap::new();
                for (i, n) in rec.neurons().iter().enumerate() {
                    let key = if n.identified {
                        canonical_name(&n.name)
                    } else {
                        format!("{}:{}", rec.animal_id().unwrap_or_default(), n.name)
                    };
                    by_key.insert(key, i);
                }
                names.iter().map(|name| by_key.get(name).copied()).collect()
            })
            .collect();
        Alignment { names, rows }
    }

    /// Number of aligned neurons.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no neuron is shared.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Which aligned neurons recording `r` has.
    pub fn mask(&self, r: usize) -> Vec<bool> {
        self.rows[r].iter().map(Option::is_some).collect()
    }
}
