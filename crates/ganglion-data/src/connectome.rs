//! The C. elegans hermaphrodite wiring diagram (Varshney et al. 2011, via OpenWorm's
//! ConnectomeToolbox, MIT; `data/connectome/` holds the file and its licence), built in
//! so synthetic worms can use the real graph and inferred graphs can be compared to it.

use crate::names::canonical_name;

const CSV: &str = include_str!("../data/connectome/varshney2011_hermaphrodite.csv");

/// Kind of anatomical connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynapseType {
    /// Chemical synapse, directed pre -> post.
    Chemical,
    /// Gap junction (electrical), listed in both directions where the source does.
    GapJunction,
}

/// One row of the wiring diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synapse {
    /// Presynaptic neuron (connectome spelling, e.g. `VB2`).
    pub pre: String,
    /// Postsynaptic neuron.
    pub post: String,
    /// Chemical or gap junction.
    pub kind: SynapseType,
    /// Number of synapses.
    pub count: u32,
}

/// All connections between somatic neurons (the body-wall-muscle node `BWM` is left out).
pub fn synapses() -> Vec<Synapse> {
    CSV.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split(',');
            let (pre, post, kind, count) = (cells.next()?, cells.next()?, cells.next()?, cells.next()?);
            if pre == "BWM" || post == "BWM" {
                return None;
            }
            let kind = match kind {
                "chemical" => SynapseType::Chemical,
                "gap_junction" => SynapseType::GapJunction,
                _ => return None,
            };
            Some(Synapse { pre: pre.into(), post: post.into(), kind, count: count.trim().parse().ok()? })
        })
        .collect()
}

/// Every neuron name in the wiring diagram, sorted.
pub fn neuron_names() -> Vec<String> {
    let mut names: Vec<String> = synapses().into_iter().flat_map(|s| [s.pre, s.post]).collect();
    names.sort();
    names.dedup();
    names
}

/// Neurons whose chemical synapses are taken as inhibitory (GABAergic: DD, VD, RME,
/// RIS, AVL, DVB). The sign rule for synthetic worms on the real graph.
pub fn is_inhibitory(name: &str) -> bool {
    let n = canonical_name(name);
    ["DD", "VD", "RME", "RIS", "AVL", "DVB"].iter().any(|p| {
        n.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.chars().all(|c| c.is_ascii_digit() || "LRDV".contains(c)))
    })
}

/// Signed weights among `names` (row = source), from synapse counts: `ln(1 + count)`,
/// chemical and gap-junction counts summed, negative for inhibitory sources' chemical
/// synapses. Names are matched in canonical form (`VB02` = `VB2`).
pub fn weights_among(names: &[String]) -> Vec<f32> {
    let n = names.len();
    let index: std::collections::HashMap<String, usize> =
        names.iter().enumerate().map(|(i, s)| (canonical_name(s), i)).collect();
    let mut w = vec![0.0f32; n * n];
    for s in synapses() {
        let (Some(&i), Some(&j)) = (index.get(&canonical_name(&s.pre)), index.get(&canonical_name(&s.post))) else {
            continue;
        };
        if i == j {
            continue;
        }
        let sign = if s.kind == SynapseType::Chemical && is_inhibitory(&s.pre) { -1.0 } else { 1.0 };
        w[i * n + j] += sign * (1.0 + s.count as f32).ln();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiring_diagram_has_the_documented_size() {
        let all = synapses();
        let chemical = all.iter().filter(|s| s.kind == SynapseType::Chemical).count();
        assert!(chemical > 2000 && chemical <= 2309, "{chemical}");
        assert_eq!(neuron_names().len(), 279);
        assert!(is_inhibitory("DD01") && is_inhibitory("RMEL") && !is_inhibitory("AVAL"));
    }

    #[test]
    fn weights_match_by_canonical_name() {
        let names = vec!["AVAL".to_string(), "AVAR".to_string(), "VA08".to_string()];
        let w = weights_among(&names);
        assert!(w.iter().any(|&v| v != 0.0));
        assert_eq!(w[0], 0.0, "no self loops");
    }
}
