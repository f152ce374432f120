use super::*;

#[test]
fn same_seed_same_worms_other_seed_other_worms() {
    let config = SynthConfig { n_neurons: 12, n_frames: 300, ..Default::default() };
    assert_eq!(synth_worms(&config), synth_worms(&config));
    let other = SynthConfig { seed: 8, ..config.clone() };
    assert_ne!(synth_worms(&config)[0].activity(), synth_worms(&other)[0].activity());
}

#[test]
fn animals_differ_in_observed_neurons_and_length_but_share_the_graph() {
    let config = SynthConfig { n_neurons: 30, n_frames: 400, n_animals: 3, ..Default::default() };
    let worms = synth_worms(&config);
    assert_eq!(worms[0].n_neurons(), 30);
    assert!(worms[1].n_neurons() < 30 && worms[2].n_neurons() < 30);
    assert!(worms.iter().any(|w| w.n_frames() != 400));
    // The same pair of named neurons has the same weight in every animal.
    let (w0, w1) = (&worms[0], &worms[1]);
    for a in w1.neurons() {
        for b in w1.neurons() {
            let (i1, j1) = (w1.neuron_index(&a.name).unwrap(), w1.neuron_index(&b.name).unwrap());
            let (i0, j0) = (w0.neuron_index(&a.name).unwrap(), w0.neuron_index(&b.name).unwrap());
            assert_eq!(w1.connectivity().unwrap().weight(i1, j1), w0.connectivity().unwrap().weight(i0, j0));
        }
    }
}

#[test]
fn every_behaviour_state_occurs_and_command_neurons_follow_it() {
    let config = SynthConfig { n_neurons: 16, n_frames: 2000, n_animals: 1, ..Default::default() };
    let worm = &synth_worms(&config)[0];
    let b = worm.behaviour().expect("synthetic worms have behaviour");
    for s in 0..3u32 {
        let share = b.labels.iter().filter(|&&l| l == s).count() as f64 / b.labels.len() as f64;
        assert!(share > 0.03, "state {s} occurs in {share:.3} of frames");
    }
    // AVAL (a reverse command neuron) is more active in reverse than in forward.
    let aval = worm.trace(worm.neuron_index("AVAL").expect("named"));
    let mean_in = |s: u32| {
        let v: Vec<f32> = aval.iter().zip(&b.labels).filter(|(_, l)| **l == s).map(|(v, _)| *v).collect();
        v.iter().sum::<f32>() / v.len() as f32
    };
    assert!(mean_in(1) > mean_in(0) + 0.3, "reverse {} vs forward {}", mean_in(1), mean_in(0));
}

#[test]
fn connectome_graph_uses_real_synapses() {
    let config = SynthConfig {
        n_neurons: 40,
        n_frames: 100,
        n_animals: 1,
        graph: GraphSource::Connectome,
        ..Default::default()
    };
    let family = worm_family(&config);
    let edges = family.weights.iter().filter(|w| **w != 0.0).count();
    assert!(edges > 40, "{edges} edges among 40 neurons");
    let worm = &synth_worms(&config)[0];
    assert!(worm.activity().iter().all(|v| v.is_finite()));
}
