//! Behaviour channels of a layout: how one dataset becomes per-frame states or a
//! continuous signal.

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// What a behaviour channel holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// Integer state codes per frame (`states` or `states_from` name them).
    Labels,
    /// A 0/1 flag per frame (a reversal flag): two states, "not <name>" and "<name>".
    Binary,
    /// A group of 0/1 flags, one child per state (Kato's `States`): each frame takes the
    /// first state whose flag is set.
    Flags,
    /// A continuous signal (velocity, head angle): binned into states at `thresholds`,
    /// or, without thresholds, kept as a signal to predict directly.
    Continuous,
}

/// One behaviour channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// The dataset (a vector, or a matrix with `column`), or for flags the group.
    pub path: String,
    /// What the values are.
    pub kind: ChannelKind,
    /// Display name; absent: the path's last segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// For a frames x channels (or channels x frames) matrix: which channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// State names (labels: in code order; flags: the order to test them in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<String>,
    /// A text dataset naming the label codes (Kato's `States_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub states_from: Option<String>,
    /// The first label code (0 or 1); absent: 1 when the codes run from 1 to the number
    /// of named states, else 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<i64>,
    /// Ascending cut points that bin a continuous signal into states.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<f64>,
}

impl Channel {
    /// A channel of `kind` at `path`, everything else default.
    pub fn new(path: impl Into<String>, kind: ChannelKind) -> Channel {
        Channel {
            path: path.into(),
            kind,
            name: None,
            column: None,
            states: Vec::new(),
            states_from: None,
            base: None,
            thresholds: Vec::new(),
        }
    }

    /// A group of flags tested in the order of `states`.
    pub fn flags<const N: usize>(path: &str, states: [&str; N]) -> Vec<Channel> {
        vec![Channel {
            states: states.iter().map(|s| s.to_string()).collect(),
            ..Channel::new(path, ChannelKind::Flags)
        }]
    }

    /// The channel's display name.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => n.clone(),
            _ => {
                let last = self.path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("behaviour").to_owned();
                match self.column {
                    Some(c) => format!("{last}[{c}]"),
                    None => last,
                }
            }
        }
    }

    /// The channel's per-frame values from a dataset of `shape`.
    pub(super) fn frames(&self, shape: &[usize], values: &[f64], n_frames: usize) -> Result<Vec<f64>> {
        let wrong = || {
            DataError::shape(
                format!("{n_frames} values (one per frame){}", if self.column.is_some() { " per channel" } else { "" }),
                shape.iter().map(usize::to_string).collect::<Vec<_>>().join(" x "),
            )
        };
        match self.column {
            None if values.len() == n_frames => Ok(values.to_vec()),
            None => Err(wrong()),
            Some(c) => {
                let [rows, cols] = *shape else { return Err(wrong()) };
                if rows == n_frames && c < cols {
                    Ok((0..rows).map(|r| values[r * cols + c]).collect())
                } else if cols == n_frames && c < rows {
                    Ok(values[c * cols..(c + 1) * cols].to_vec())
                } else {
                    Err(wrong())
                }
            }
        }
    }

    /// Labels (-1 = unlabelled) and state names, or `None` for a signal to predict as is.
    pub(super) fn states(&self, values: &[f64]) -> Result<Option<(Vec<i64>, Vec<String>)>> {
        let name = self.label();
        match self.kind {
            ChannelKind::Binary => {
                let labels = values.iter().map(|&v| if v.is_finite() { i64::from(v != 0.0) } else { -1 }).collect();
                Ok(Some((labels, vec![format!("not {name}"), name])))
            }
            ChannelKind::Continuous if self.thresholds.is_empty() => Ok(None),
            ChannelKind::Continuous => {
                if self.thresholds.windows(2).any(|w| w[0] >= w[1]) || self.thresholds.iter().any(|t| !t.is_finite()) {
                    return Err(DataError::wrong_type("ascending finite thresholds", format!("{:?}", self.thresholds))
                        .in_field("thresholds"));
                }
                let t = &self.thresholds;
                let mut states = vec![format!("{name} < {}", t[0])];
                states.extend(t.windows(2).map(|w| format!("{} <= {name} < {}", w[0], w[1])));
                states.push(format!("{name} >= {}", t[t.len() - 1]));
                let labels = values
                    .iter()
                    .map(|&v| if v.is_finite() { t.iter().filter(|&&c| v >= c).count() as i64 } else { -1 })
                    .collect();
                Ok(Some((labels, states)))
            }
            ChannelKind::Labels => {
                let codes: Vec<Option<i64>> =
                    values.iter().map(|&v| (v.is_finite() && v.fract() == 0.0).then_some(v as i64)).collect();
                if let Some(i) = values.iter().zip(&codes).position(|(v, c)| v.is_finite() && c.is_none()) {
                    return Err(DataError::wrong_type("integer state codes", format!("{} at frame {i}", values[i])));
                }
                let max = codes.iter().flatten().copied().max().unwrap_or(0);
                let min = codes.iter().flatten().copied().min().unwrap_or(0);
                let base = self
                    .base
                    .unwrap_or(i64::from(min >= 1 && !self.states.is_empty() && max == self.states.len() as i64));
                if let Some(i) = codes.iter().position(|c| c.is_some_and(|c| c < base)) {
                    return Err(DataError::wrong_type(
                        format!("codes from {base}"),
                        format!("{} at frame {i}", values[i]),
                    ));
                }
                let labels: Vec<i64> = codes.iter().map(|c| c.map_or(-1, |c| c - base)).collect();
                let states = if self.states.is_empty() {
                    (0..=(max - base).max(0)).map(|k| format!("{name} {}", k + base)).collect()
                } else {
                    self.states.clone()
                };
                Ok(Some((labels, states)))
            }
            ChannelKind::Flags => Err(DataError::bad_request("a flags channel is read from its group")),
        }
    }
}
