//! `ganglion`: the native command line for reproducible runs.
//!
//! ```text
//! ganglion inspect FILE...                       what each file holds
//! ganglion tree FILE...                          an HDF5/NWB/MATLAB file's groups and datasets
//! ganglion synth --out DIR [--neurons N] [--frames T] [--animals A] [--seed S] [--graph random|connectome]
//! ganglion train --task TASK --model MODEL [--steps N] [--history H]
//!                [--seed S] [--rate HZ] [--report FILE.json] [--save MODEL.ganglion] FILE...
//! ganglion eval --model MODEL.ganglion [--rate HZ] [--report FILE.json] FILE...
//! ganglion study --out DIR [--models gnn,mlp,gru] [--steps N] [--history H] [--seed S] FILE...
//! ```
//! `ganglion help` lists the tasks and models (from ganglion-train's names, so a new one
//! appears without an edit). `train` trains on every animal but the last and scores the last one (never seen);
//! `eval` scores a model `train --save` wrote on another recording.
//! Every error exits non-zero with a readable message.

mod args;
mod commands;
mod figure;
mod layout_flags;
mod names;
mod usage;

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = match argv.split_first() {
        Some((command, rest)) => match command.as_str() {
            "inspect" => commands::inspect(rest),
            "tree" => commands::tree(rest),
            "synth" => commands::synth(rest),
            "train" => commands::train(rest),
            "eval" => commands::eval(rest),
            "study" => commands::study(rest),
            "help" | "--help" | "-h" => {
                println!("{}", usage::usage());
                Ok(())
            }
            other => Err(format!("unknown command {other:?}\n{}", usage::usage())),
        },
        None => Err(usage::usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ganglion: {message}");
            ExitCode::FAILURE
        }
    }
}
