//! Which model: every kind ganglion trains, with the names the CLI, the URL, the JS API,
//! the notebook's menus, the study's tables, the checkpoint header and the benchmarks
//! write. Each is one exhaustive `match`, so a new kind is a compile error in every place
//! that must say something about it.

use serde::{Deserialize, Serialize};

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// The relational GNN (each animal's own neurons).
    Gnn,
    /// The window MLP (named neurons every animal shares).
    Mlp,
    /// The GRU (named neurons every animal shares).
    Gru,
    /// The ELM neuron (named neurons every animal shares).
    Elm,
    /// The branched ELM neuron (named neurons every animal shares).
    #[serde(rename = "branch-elm")]
    BranchElm,
}

impl ModelKind {
    /// Every model kind, in the order menus list them.
    pub const ALL: [ModelKind; 5] =
        [ModelKind::Gnn, ModelKind::Mlp, ModelKind::Gru, ModelKind::Elm, ModelKind::BranchElm];

    /// The name the CLI, the URL, the JS API and the settings' JSON write.
    pub const fn name(self) -> &'static str {
        match self {
            ModelKind::Gnn => "gnn",
            ModelKind::Mlp => "mlp",
            ModelKind::Gru => "gru",
            ModelKind::Elm => "elm",
            ModelKind::BranchElm => "branch-elm",
        }
    }

    /// How the notebook's menu names it.
    pub const fn label(self) -> &'static str {
        match self {
            ModelKind::Gnn => "relational GNN",
            _ => self.short_label(),
        }
    }

    /// How tables and run labels name it.
    pub const fn short_label(self) -> &'static str {
        match self {
            ModelKind::Gnn => "GNN",
            ModelKind::Mlp => "MLP",
            ModelKind::Gru => "GRU",
            ModelKind::Elm => "ELM",
            ModelKind::BranchElm => "Branch-ELM",
        }
    }

    /// The model name a checkpoint's header records.
    pub const fn checkpoint_kind(self) -> &'static str {
        match self {
            ModelKind::Gnn => "relational-gnn",
            ModelKind::Mlp => "window-mlp",
            ModelKind::Gru => "window-gru",
            ModelKind::Elm => "elm",
            ModelKind::BranchElm => "branch-elm",
        }
    }

    /// The model kind named `name` ([`ModelKind::name`]).
    pub fn from_name(name: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Model names as the CLI, the URL and the JS API write them.
pub const MODEL_NAMES: [(&str, ModelKind); 5] = {
    let mut out = [("", ModelKind::Gnn); 5];
    let mut i = 0;
    while i < out.len() {
        out[i] = (ModelKind::ALL[i].name(), ModelKind::ALL[i]);
        i += 1;
    }
    out
};

/// The baselines every forecast stands beside, in the order tables list them: what a
/// neuroscientist tries before any trained model. Every report, the study, the CLI's
/// tables, the page, the trainer element and the notebook cell read this one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum BaselineKind {
    /// The next frame equals the last one.
    Persistence,
    /// The pooled linear AR(H) ([`crate::linear::LinearAr`]): `H + 1` coefficients shared
    /// by every neuron of every training animal.
    LinearAr,
    /// VAR(H) over a fixed neuron set ([`crate::linear::Var`]), where the run has one
    /// (the named neurons every animal shares, or one recording's own neurons).
    Var,
}

impl BaselineKind {
    /// Every baseline, in the order tables list them.
    pub const ALL: [BaselineKind; 3] = [BaselineKind::Persistence, BaselineKind::LinearAr, BaselineKind::Var];

    /// The name the JSON, the CSV and the JS API write.
    pub const fn name(self) -> &'static str {
        match self {
            BaselineKind::Persistence => "persistence",
            BaselineKind::LinearAr => "linear-ar",
            BaselineKind::Var => "var",
        }
    }

    /// How tables name it.
    pub const fn label(self) -> &'static str {
        match self {
            BaselineKind::Persistence => "persistence",
            BaselineKind::LinearAr => "linear AR",
            BaselineKind::Var => "VAR",
        }
    }
}
