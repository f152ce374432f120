//! Load benchmark, ganglion side: reads each file the Python side wrote, `REPEATS`
//! times, through `ganglion_data::load` (file read included, as numpy's is).
//!
//! usage: cargo bench -p ganglion-data --bench load -- FORMAT=PATH... --repeats R
//! Prints one JSON object per line: {"format", "seconds": [...], "neurons", "frames"}.

use std::time::Instant;

use ganglion_data::{LoadOptions, load};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let repeats = args
        .iter()
        .position(|a| a == "--repeats")
        .and_then(|i| args.get(i + 1))
        .and_then(|r| r.parse().ok())
        .unwrap_or(5usize);
    for spec in args.iter().filter(|a| a.contains('=')) {
        let (format, path) = spec.split_once('=').unwrap_or_default();
        let options =
            LoadOptions { file_name: Some(path.to_owned()), sampling_rate_hz: Some(2.9), ..Default::default() };
        let read = || -> Result<(usize, usize), String> {
            let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let recs = load(&bytes, &options).map_err(|e| e.to_string())?;
            let first = recs.first().ok_or("no recording")?;
            Ok((first.n_neurons(), first.n_frames()))
        };
        let (neurons, frames) = match read() {
            Ok(shape) => shape,
            Err(e) => {
                eprintln!("load bench: {format}: {e}");
                std::process::exit(1);
            }
        };
        let seconds: Vec<f64> = (0..repeats)
            .map(|_| {
                let start = Instant::now();
                let _ = std::hint::black_box(read());
                start.elapsed().as_secs_f64()
            })
            .collect();
        let list: Vec<String> = seconds.iter().map(|s| format!("{s:.6}")).collect();
        println!(
            "{{\"format\":\"{format}\",\"neurons\":{neurons},\"frames\":{frames},\"seconds\":[{}]}}",
            list.join(",")
        );
    }
}
