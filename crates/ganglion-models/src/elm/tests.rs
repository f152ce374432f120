use super::*;

fn published() -> ElmConfig {
    ElmConfig::new(1278, 2)
        .with_num_memory(15)
        .with_routing(Routing::NeuronIo { branches: 45, synapses_per_branch: 100 })
        .with_memory_tau_max(150.0)
}

#[test]
fn parameter_count_matches_the_paper_formula() {
    assert_eq!(published().trainable_parameters(), 6_827);
    assert_eq!(published().with_num_memory(20).trainable_parameters(), 8_002);
    let device = Device::flex();
    let model = published().init(&device);
    // burn counts the frozen floats too: tau_s (4,500) and the memory taus (15).
    assert_eq!(model.num_params() - 4_500 - 15, 6_827);
}

#[test]
fn neuronio_routing_interleaves_and_masks() {
    let w = Routing::NeuronIo { branches: 45, synapses_per_branch: 100 }.wiring(1278);
    assert_eq!(w.input_of.len(), 4500);
    assert_eq!(&w.input_of[..4], &[0, 639, 1, 640]);
    // Branch 1 starts at position ceil(1278 / 45) = 29 -> input (29 % 2) * 639 + 14.
    assert_eq!(w.input_of[100], 639 + 14);
    // The last branch runs past input 1277: those synapses are invalid.
    assert!(!w.valid[4499] && w.valid[0]);
    // Branch k starts at 29k; positions from 1278 on are invalid.
    let expected: usize = (0..45).map(|k: usize| (29 * k + 100).saturating_sub(1278.max(29 * k))).sum();
    assert_eq!(w.valid.iter().filter(|v| !**v).count(), expected);
    assert_eq!(expected, 218);
}

#[test]
fn memory_time_constants_are_log_spaced() {
    let device = Device::flex();
    let taus: Vec<f32> = published().init(&device).tau_m().into_data().iter::<f32>().collect();
    assert!((taus[0] - 1.0).abs() < 1e-3 && (taus[14] - 150.0).abs() < 1e-2, "{taus:?}");
    assert!(taus.windows(2).all(|w| w[1] / w[0] > 1.3));
}

#[test]
fn forward_shapes_and_causality() {
    let device = Device::flex();
    let model = ElmConfig::new(6, 2).with_num_memory(4).init(&device);
    let mut data = vec![0.0f32; 2 * 10 * 6];
    data[2 * 6 + 1] = 1.0; // batch 0, step 2, input 1
    let x = Tensor::<3>::from_data(TensorData::new(data, [2, 10, 6]), &device);
    let y: Vec<f32> = model.forward(x).into_data().iter::<f32>().collect();
    assert_eq!(y.len(), 2 * 10 * 2);
    // Outputs before the input arrives equal the zero-input outputs of batch 1.
    for t in 0..2 {
        for o in 0..2 {
            assert!((y[t * 2 + o] - y[20 + t * 2 + o]).abs() < 1e-6);
        }
    }
    assert!((y[2 * 2] - y[20 + 2 * 2]).abs() > 1e-6, "the spike changes the output from step 2 on");
}

#[test]
fn the_published_checkpoint_loads_and_matches_our_routing() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/elm-branch-m15/neuronio_best_model_state.pt");
    let device = Device::flex();
    let fresh = published().init(&device);
    let loaded = published().init(&device).load_pytorch(&path).expect("loads");
    let (idx, valid) = loaded.wiring();
    let ours = Routing::NeuronIo { branches: 45, synapses_per_branch: 100 }.wiring(1278);
    assert_eq!(idx, ours.input_of.iter().map(|&i| i as i64).collect::<Vec<_>>(), "routing indices");
    assert_eq!(valid, ours.valid, "validity mask");
    let w = loaded.synapse_weights();
    assert_ne!(w, fresh.synapse_weights(), "trained weights replaced the initial 0.5");
    let taus: Vec<f32> = loaded.tau_m().into_data().iter::<f32>().collect();
    assert!(taus.iter().all(|t| (1.0..=150.0).contains(t)), "{taus:?}");
    // A short random spike train gives finite outputs.
    let mut state = 7u64;
    let spikes: Vec<f32> = (0..20 * 1278)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            if (state >> 40) % 100 < 2 { 1.0 } else { 0.0 }
        })
        .collect();
    let y: Vec<f32> = loaded
        .forward(Tensor::from_data(TensorData::new(spikes, [1, 20, 1278]), &device))
        .into_data()
        .iter::<f32>()
        .collect();
    assert!(y.iter().all(|v| v.is_finite()));
}
