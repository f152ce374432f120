//! ganglion's ELM against an independent PyTorch implementation of the same equations
//! (`tests/reference/elm_reference.py`), both running the published Branch-ELM
//! checkpoint on the same deterministic spike input for 300 steps.

use burn::prelude::*;
use ganglion_models::{ElmConfig, Routing};

fn repo(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

#[test]
fn published_branch_elm_matches_the_pytorch_reference() {
    let text = std::fs::read_to_string(repo("tests/reference/elm_branch_m15_forward.json")).expect("fixture");
    let reference: serde_json::Value = serde_json::from_str(&text).expect("json");
    let count = |key: &str| reference[key].as_u64().expect("a count") as usize;
    let (batch, steps, inputs) = (count("batch"), count("steps"), count("inputs"));
    let expected: Vec<f32> =
        reference["output"].as_array().expect("outputs").iter().map(|v| v.as_f64().expect("number") as f32).collect();

    // The same spike rule as the script.
    let mut x = vec![0f32; batch * steps * inputs];
    for b in 0..batch {
        for t in 0..steps {
            for c in 0..inputs {
                if (b * 7919 + t * 104_729 + c * 1_299_709) % 97 < 3 {
                    x[(b * steps + t) * inputs + c] = 1.0;
                }
            }
        }
    }
    assert_eq!(x.iter().sum::<f32>() as u64, reference["input_spikes"].as_u64().expect("count"));

    let device = Device::flex();
    let model = ElmConfig::new(inputs, 2)
        .with_num_memory(15)
        .with_routing(Routing::NeuronIo { branches: 45, synapses_per_branch: 100 })
        .with_memory_tau_max(150.0)
        .init(&device)
        .load_pytorch(repo("tests/fixtures/elm-branch-m15/neuronio_best_model_state.pt"))
        .expect("checkpoint loads");
    let input = Tensor::<3>::from_data(TensorData::new(x, [batch, steps, inputs]), &device);
    let output: Vec<f32> = model.forward(input).into_data().iter::<f32>().collect();
    assert_eq!(output.len(), expected.len());
    let worst = output.iter().zip(&expected).map(|(a, b)| (a - b).abs() / b.abs().max(1.0)).fold(0f32, f32::max);
    println!("ELM vs PyTorch reference: largest difference {worst:.2e} over {} outputs", output.len());
    assert!(worst < 1e-4, "largest relative difference {worst}");
}
