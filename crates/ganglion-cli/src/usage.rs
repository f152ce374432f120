//! The usage text `ganglion help` prints.

use ganglion_train::experiment::{DECODER_NAMES, MODEL_NAMES, TASK_NAMES};

/// The usage text, with the tasks, models and decoders ganglion-train names (so a new
/// one appears here without an edit).
pub fn usage() -> String {
    let names = |list: &mut dyn Iterator<Item = &str>| list.collect::<Vec<_>>().join("|");
    let tasks = names(&mut TASK_NAMES.iter().map(|(n, _)| *n));
    let models = names(&mut MODEL_NAMES.iter().map(|(n, _)| *n));
    let decoders = names(&mut DECODER_NAMES.iter().map(|(n, _)| *n));
    format!(
        "usage:
  ganglion inspect [--rate HZ] [LAYOUT FLAGS] FILE...
  ganglion tree FILE...   (the groups and datasets of an HDF5, NWB or MATLAB file)
  ganglion synth --out DIR [--preset toy|realistic] [--neurons N] [--frames T] [--animals A] [--seed S]
                 [--graph random|connectome]
                 (realistic: worms whose statistics match real whole-brain recordings, 1.67 Hz,
                 7 animals of 800 frames on the wiring diagram; toy: the quick original worms)
  ganglion train --task {tasks} --model {models}
                 [--steps N] [--history H] [--seed S] [--rate HZ] [--report FILE.json] [--learning-rate LR]
                 [--decoder {decoders}]
                 [--save MODEL.ganglion] FILE...
                 (trains on all animals but the last and scores it; with one recording, trains on its
                 first 2/3 and scores the rest; long-memory makes its own spike trials, needs no
                 FILE, and --history is the delay between cue and answer)
  ganglion eval --model MODEL.ganglion [--rate HZ] [--report FILE.json] FILE...
                 (scores a saved model on the second half of the last recording; the GNN infers
                 that animal's graph from the first half; a long-memory model needs no FILE)
  ganglion study --out DIR [--models gnn,mlp,gru] [--steps N] [--history H] [--seed S] [--learning-rate LR]
                 [--decoder {decoders}] [--behaviour-task yes|no] [--rate HZ] [LAYOUT FLAGS] FILE...
                 (leave-one-animal-out over every animal in the files: forecast and behaviour
                 scores with mean and spread, the inferred graph against the wiring diagram;
                 writes study.json, study.md, summary.csv, folds.csv, study.svg and the
                 layout used to DIR; --decoder is the GNN's message form, separable by default)
layout flags (for files in a lab's own layout; `ganglion tree FILE` shows the paths):
  --layout FILE.json       a layout preset (the notebook's \"download layout\" writes one)
  --activity PATH          the activity matrix; --time-axis 0|1 says which axis is time
  --animals PATTERN        groups holding one animal each (`/worm*`, `/data(*)`)
  --time PATH | --rate-path PATH | --rate HZ     time vector (s), rate dataset, or rate
  --names PATH [--name-index PATH] [--name-base 0|1]   neuron names (and indices into them;
                           --name-base also says how a names table counts columns, default 0)
  --names-file MAP.csv     names from a separate `column,name` file (JSON also read) for every file;
  --names-file FILE=MAP    or a table per file (repeat the flag), or
  --names-file DIR         a folder of tables named after the files (worm3.csv or worm3_names.csv)
  --names-pattern 'names/{{stem}}.csv'   each file's table, beside the file
  --behaviour KIND:PATH[,...]   binary, labels, flags, or continuous[:T1:T2 thresholds]"
    )
}

#[cfg(test)]
mod tests {
    use ganglion_train::experiment::{ModelKind, Task};

    /// A task or model added to ganglion-train is offered by `ganglion help` with no edit here.
    #[test]
    fn the_usage_names_every_task_and_model() {
        let text = super::usage();
        for task in Task::ALL {
            assert!(text.contains(task.name()), "usage lacks the task {}", task.name());
        }
        for model in ModelKind::ALL {
            assert!(text.contains(model.name()), "usage lacks the model {}", model.name());
        }
    }
}
