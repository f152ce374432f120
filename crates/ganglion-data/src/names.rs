//! Neuron names: which names identify a cell, generated names for the rest, and the
//! normalisation used to match names across animals and against the connectome.

/// The name to keep for a file's raw neuron label, or `None` when the label does not
/// identify a cell: empty, or a bare number (an ROI index, as in the Kato et al. data).
pub fn identified_name(raw: &str) -> Option<String> {
    let name = raw.trim().trim_matches('\0').trim();
    if name.is_empty() || name.chars().all(|c| c.is_ascii_digit() || c == '.') { None } else { Some(name.to_owned()) }
}

/// The stable name given to the unidentified neuron in row `index`.
pub fn generated_name(index: usize) -> String {
    format!("unnamed_{index}")
}

/// Canonical form for matching: upper case, leading zeros of the number removed
/// (`VB02` and `vb2` both become `VB2`), as imaging data and connectomes differ there.
pub fn canonical_name(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    let mut out = String::with_capacity(upper.len());
    let mut chars = upper.chars().peekable();
    let mut in_number = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let leading_zero = !in_number && c == '0' && chars.peek().is_some_and(|n| n.is_ascii_digit());
            if !leading_zero {
                out.push(c);
                in_number = true;
            }
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_empty_labels_are_unidentified() {
        assert_eq!(identified_name(" AVAL "), Some("AVAL".into()));
        assert_eq!(identified_name("12"), None);
        assert_eq!(identified_name(""), None);
    }

    #[test]
    fn canonical_names_drop_leading_zeros() {
        assert_eq!(canonical_name("VB02"), "VB2");
        assert_eq!(canonical_name("db01"), "DB1");
        assert_eq!(canonical_name("VB10"), "VB10");
        assert_eq!(canonical_name("AS00"), "AS0");
        assert_eq!(canonical_name("AVAL"), "AVAL");
    }
}
