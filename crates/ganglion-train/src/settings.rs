//! What a run is: its task, its model kind and the experiment's settings. This is the
//! one home of each task's names (a model kind's are in ganglion-models' `ModelKind`,
//! re-exported here): the CLI, the URL, the JS API, the notebook's selects and the
//! study's tables all read them here, and each is one exhaustive `match`, so a new
//! variant is a compile error in every place that must say something about it.

use ganglion_data::preprocess::WindowSpec;
pub use ganglion_models::gnn::{DECODER_NAMES, DecoderKind};
pub use ganglion_models::{BaselineKind, MODEL_NAMES, ModelKind};
use serde::{Deserialize, Serialize};

use crate::TrainConfig;

/// What to learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Next-frame forecasting of every neuron.
    Forecast,
    /// Behavioural state of each window.
    Behaviour,
    /// Continuous behaviour signals (velocity, head angle) at each window's last frame,
    /// by regression, scored by R^2 against always answering the training mean.
    Signals,
    /// The ELM's delayed-cue task ([`crate::long_memory`]): which cue a spike train
    /// showed `history` steps before the answer. It makes its own trials and reads no
    /// recording.
    #[serde(rename = "long-memory")]
    LongMemory,
}

impl Task {
    /// Every task, in the order menus list them.
    pub const ALL: [Task; 4] = [Task::Forecast, Task::Behaviour, Task::Signals, Task::LongMemory];

    /// The name the CLI, the URL, the JS API and the settings' JSON write.
    pub const fn name(self) -> &'static str {
        match self {
            Task::Forecast => "forecast",
            Task::Behaviour => "behaviour",
            Task::Signals => "signals",
            Task::LongMemory => "long-memory",
        }
    }

    /// How the notebook's menu names it.
    pub const fn label(self) -> &'static str {
        match self {
            Task::Forecast => "forecast next frame",
            Task::Behaviour => "classify behaviour",
            Task::Signals => "decode continuous signals",
            Task::LongMemory => "long memory (delayed cue)",
        }
    }

    /// How a study's run label names it (`GNN forecast without worm3`).
    pub const fn short_label(self) -> &'static str {
        match self {
            Task::Forecast => "forecast",
            Task::Behaviour => "behaviour",
            Task::Signals => "signals",
            Task::LongMemory => "long memory",
        }
    }

    /// The task named `name` ([`Task::name`]).
    pub fn from_name(name: &str) -> Option<Task> {
        Task::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Task names as the CLI, the URL and the JS API write them.
pub const TASK_NAMES: [(&str, Task); 4] = {
    let mut out = [("", Task::Forecast); 4];
    let mut i = 0;
    while i < out.len() {
        out[i] = (Task::ALL[i].name(), Task::ALL[i]);
        i += 1;
    }
    out
};

/// Settings of an experiment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Experiment {
    /// What to learn.
    pub task: Task,
    /// Which model.
    pub model: ModelKind,
    /// History frames per window (for the long-memory task: steps between the cue and
    /// the answer); [`DEFAULT_HISTORY`] where the settings leave it out (the JS API).
    #[serde(default = "default_history")]
    pub history: usize,
    /// The GNN's message form (the other models ignore it; absent in settings written
    /// before there was a choice, which then get today's default).
    #[serde(default)]
    pub decoder: DecoderKind,
    /// The training loop's settings ([`TrainConfig::default`] for what they leave out).
    #[serde(default)]
    pub train: TrainConfig,
}

/// History frames per window where a run does not say: the default of the CLI, the
/// notebook, the study and the JS API alike.
pub const DEFAULT_HISTORY: usize = 10;

fn default_history() -> usize {
    DEFAULT_HISTORY
}

/// Steps the delayed-cue task shows its cue ([`crate::long_memory`]); a window model
/// reads the cue and the delay after it.
pub const CUE_STEPS: usize = 10;

impl Experiment {
    /// Windows of `history` frames, each predicting the next, every second frame.
    pub fn window_spec(&self) -> WindowSpec {
        WindowSpec { history: self.history, horizon: 1, stride: 2 }
    }

    /// Frames (steps) a window model reads per input: the history, or for the
    /// long-memory task the cue and the delay.
    pub fn input_frames(&self) -> usize {
        match self.task {
            Task::LongMemory => CUE_STEPS + self.history,
            Task::Forecast | Task::Behaviour | Task::Signals => self.history,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiler lists every variant here, so a new one cannot be left out of `ALL`.
    fn position(model: ModelKind) -> usize {
        match model {
            ModelKind::Gnn => 0,
            ModelKind::Mlp => 1,
            ModelKind::Gru => 2,
            ModelKind::Elm => 3,
            ModelKind::BranchElm => 4,
        }
    }

    fn task_position(task: Task) -> usize {
        match task {
            Task::Forecast => 0,
            Task::Behaviour => 1,
            Task::Signals => 2,
            Task::LongMemory => 3,
        }
    }

    #[test]
    fn every_kind_is_listed_once_and_serialises_as_its_name() {
        for (i, m) in ModelKind::ALL.into_iter().enumerate() {
            assert_eq!(position(m), i);
            assert_eq!(serde_json::to_value(m).ok(), Some(serde_json::json!(m.name())));
            assert_eq!(ModelKind::from_name(m.name()), Some(m));
        }
        for (i, t) in Task::ALL.into_iter().enumerate() {
            assert_eq!(task_position(t), i);
            assert_eq!(serde_json::to_value(t).ok(), Some(serde_json::json!(t.name())));
            assert_eq!(Task::from_name(t.name()), Some(t));
        }
        assert_eq!(MODEL_NAMES[4], ("branch-elm", ModelKind::BranchElm));
        assert_eq!(TASK_NAMES[3], ("long-memory", Task::LongMemory));
    }
}
