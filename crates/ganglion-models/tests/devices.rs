//! The same weights give the same outputs on flex (the CPU device) and on wgpu (Vulkan;
//! Mesa's lavapipe on machines without a GPU, which the README's test command installs):
//! the relational GNN's graph and forecast, and the published Branch-ELM over 100 steps.

use burn::prelude::*;
use ganglion_models::checkpoint;
use ganglion_models::{ElmConfig, RelationalGnnConfig, Routing};

use ganglion_models::workload::values;

fn wgpu() -> Device {
    Device::wgpu_options()
        .init()
        .unwrap_or_else(|e| panic!("no wgpu adapter ({e}); on Debian, install mesa-vulkan-drivers for lavapipe"))
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().iter::<f32>().collect()
}

/// Largest difference relative to the largest magnitude.
fn relative_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    let scale = a.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max) / scale
}

#[test]
fn gnn_and_elm_give_the_same_outputs_on_flex_and_wgpu() {
    let _serial = crate::one_at_a_time();
    let (cpu, gpu) = (Device::flex(), wgpu());
    let (n, h) = (12, 6);

    let config = RelationalGnnConfig::new(h);
    let on_cpu = config.init(&cpu);
    let bytes = checkpoint::save(&on_cpu, "relational-gnn", &config).expect("saves");
    let on_gpu = checkpoint::load(config.init(&gpu), "relational-gnn", &bytes).expect("loads");
    let outputs = |model: &ganglion_models::RelationalGnn, device: &Device| {
        let stats = Tensor::<4>::from_data(TensorData::new(values(n * n * 3, 1), [1, n, n, 3]), device);
        let x = Tensor::<3>::from_data(TensorData::new(values(2 * n * h, 2), [2, n, h]), device);
        let graph = model.infer(stats, Tensor::ones([1, n], device));
        let ids =
            Tensor::<2, Int>::from_data(TensorData::new((0..2 * n as i64).map(|k| k % 7).collect(), [2, n]), device);
        let forecast = model.forecast(x, ids, Tensor::ones([2, n], device), &graph);
        (read(model.edge_probability(&graph)), read(forecast))
    };
    let ((p_cpu, f_cpu), (p_gpu, f_gpu)) = (outputs(&on_cpu, &cpu), outputs(&on_gpu, &gpu));
    let (dp, df) = (relative_difference(&p_cpu, &p_gpu), relative_difference(&f_cpu, &f_gpu));
    println!("GNN flex vs wgpu: edge probability {dp:.1e}, forecast {df:.1e} (relative)");
    assert!(dp < 1e-4 && df < 1e-4, "edge probability {dp}, forecast {df}");

    let checkpoint = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/elm-branch-m15/neuronio_best_model_state.pt");
    let elm = |device: &Device| {
        ElmConfig::new(1278, 2)
            .with_num_memory(15)
            .with_routing(Routing::NeuronIo { branches: 45, synapses_per_branch: 100 })
            .with_memory_tau_max(150.0)
            .init(device)
            .load_pytorch(&checkpoint)
            .expect("published checkpoint")
    };
    let (steps, inputs) = (100, 1278);
    let spikes: Vec<f32> = values(steps * inputs, 3).into_iter().map(|v| f32::from(u8::from(v > 0.9))).collect();
    let run = |device: &Device| {
        read(elm(device).forward(Tensor::from_data(TensorData::new(spikes.clone(), [1, steps, inputs]), device)))
    };
    let d = relative_difference(&run(&cpu), &run(&gpu));
    println!("Branch-ELM flex vs wgpu over {steps} steps: {d:.1e} (relative)");
    assert!(d < 1e-4, "ELM {d}");
}
