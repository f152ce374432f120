//! The run settings the page shows, kept in the URL's query string so a link reproduces
//! a run setup (pure logic, tested natively).

use ganglion_train::TrainConfig;
use ganglion_train::experiment::{DECODER_NAMES, DEFAULT_HISTORY, DecoderKind, Experiment, ModelKind, Task};

use crate::protocol::BackendChoice;

/// What the user chose in the train panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// What to learn.
    pub task: Task,
    /// Which model.
    pub model: ModelKind,
    /// Optimiser steps.
    pub steps: usize,
    /// History frames per window.
    pub history: usize,
    /// Windows per batch.
    pub batch: usize,
    /// Adam learning rate.
    pub learning_rate: f64,
    /// Device preference.
    pub backend: BackendChoice,
    /// The GNN's message form.
    pub decoder: DecoderKind,
}

impl Default for Settings {
    /// The run defaults every surface shares ([`TrainConfig::default`], [`DEFAULT_HISTORY`]).
    fn default() -> Self {
        let train = TrainConfig::default();
        Settings {
            task: Task::Forecast,
            model: ModelKind::Gnn,
            steps: train.max_steps,
            history: DEFAULT_HISTORY,
            batch: train.batch_size,
            learning_rate: train.learning_rate,
            backend: BackendChoice::Auto,
            decoder: DecoderKind::default(),
        }
    }
}

/// The long-memory task's default delay between cue and answer.
pub const LONG_MEMORY_DELAY: usize = 100;
/// Backend names as they appear in the URL and the selects.
pub const BACKENDS: [(&str, BackendChoice); 2] = [("auto", BackendChoice::Auto), ("cpu", BackendChoice::Cpu)];

/// The URL name of `value` in `table`.
pub fn name_of<T: PartialEq + Copy>(table: &[(&'static str, T)], value: T) -> &'static str {
    table.iter().find(|(_, v)| *v == value).map_or("", |(n, _)| n)
}

/// The value named `name` in `table`.
pub fn value_of<T: Copy>(table: &[(&'static str, T)], name: &str) -> Option<T> {
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

impl Settings {
    /// Switches the task, keeping the other settings sensible for it: the long-memory
    /// task has no neuron graph (the GNN gives way to the ELM) and its default delay is
    /// [`LONG_MEMORY_DELAY`] steps rather than 10 history frames.
    pub fn with_task(self, task: Task) -> Self {
        let default = Settings::default();
        let mut s = Settings { task, ..self };
        if task == Task::LongMemory && self.task != Task::LongMemory {
            if s.model == ModelKind::Gnn {
                s.model = ModelKind::Elm;
            }
            if s.history == default.history {
                s.history = LONG_MEMORY_DELAY;
            }
        } else if task != Task::LongMemory && self.task == Task::LongMemory && s.history == LONG_MEMORY_DELAY {
            s.history = default.history;
        }
        s
    }

    /// Reads `task=..&model=..&steps=..&history=..&batch=..&lr=..&backend=..&decoder=..`; anything missing or
    /// invalid keeps its default.
    pub fn from_query(query: &str) -> Self {
        let mut s = Settings::default();
        for pair in query.trim_start_matches('?').split('&') {
            let Some((key, value)) = pair.split_once('=') else { continue };
            match key {
                "task" => s.task = Task::from_name(value).unwrap_or(s.task),
                "model" => s.model = ModelKind::from_name(value).unwrap_or(s.model),
                "backend" => s.backend = value_of(&BACKENDS, value).unwrap_or(s.backend),
                "decoder" => s.decoder = value_of(&DECODER_NAMES, value).unwrap_or(s.decoder),
                "steps" => s.steps = value.parse().ok().filter(|v| (1..=100_000).contains(v)).unwrap_or(s.steps),
                "history" => s.history = value.parse().ok().filter(|v| (2..=500).contains(v)).unwrap_or(s.history),
                "batch" => s.batch = value.parse().ok().filter(|v| (1..=1024).contains(v)).unwrap_or(s.batch),
                "lr" => {
                    s.learning_rate =
                        value.parse().ok().filter(|v: &f64| *v > 0.0 && *v < 1.0).unwrap_or(s.learning_rate)
                }
                _ => {}
            }
        }
        s
    }

    /// The query string (without `?`).
    pub fn to_query(&self) -> String {
        format!(
            "task={}&model={}&steps={}&history={}&batch={}&lr={}&backend={}&decoder={}",
            self.task.name(),
            self.model.name(),
            self.steps,
            self.history,
            self.batch,
            self.learning_rate,
            name_of(&BACKENDS, self.backend),
            self.decoder.name()
        )
    }

    /// The experiment these settings describe: reports every 5 steps and validates four
    /// times in the run (the loss curve's validation points).
    pub fn experiment(&self) -> Experiment {
        Experiment {
            task: self.task,
            model: self.model,
            history: self.history,
            decoder: self.decoder,
            train: TrainConfig {
                max_steps: self.steps,
                batch_size: self.batch,
                learning_rate: self.learning_rate,
                report_every: 5,
                validate_every: self.steps.div_ceil(4),
                ..TrainConfig::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_round_trips_and_bad_values_keep_defaults() {
        let s = Settings {
            task: Task::Behaviour,
            model: ModelKind::Gru,
            steps: 40,
            history: 20,
            batch: 4,
            learning_rate: 0.01,
            backend: BackendChoice::Cpu,
            decoder: DecoderKind::Pairwise,
        };
        assert_eq!(Settings::from_query(&format!("?{}", s.to_query())), s);
        let bad = Settings::from_query("task=dance&steps=-3&lr=7&history=1&batch=0&model=gnn&extra");
        assert_eq!(bad, Settings::default());
        let elm = Settings::from_query("task=long-memory&model=branch-elm&history=300");
        assert_eq!((elm.task, elm.model, elm.history), (Task::LongMemory, ModelKind::BranchElm, 300));
    }

    #[test]
    fn switching_to_long_memory_picks_an_elm_and_a_long_delay_and_back() {
        let long = Settings::default().with_task(Task::LongMemory);
        assert_eq!((long.model, long.history), (ModelKind::Elm, LONG_MEMORY_DELAY));
        let back = long.with_task(Task::Forecast);
        assert_eq!((back.model, back.history), (ModelKind::Elm, Settings::default().history));
        let chosen = Settings { model: ModelKind::Gru, history: 40, ..Settings::default() }.with_task(Task::LongMemory);
        assert_eq!((chosen.model, chosen.history), (ModelKind::Gru, 40), "the user's own choices stay");
    }
}
