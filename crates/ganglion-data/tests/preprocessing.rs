//! Windows, splits, alignment and batches over synthetic worms.

use ganglion_data::preprocess::{
    AlignMode, Alignment, Batch, Normalizer, WindowSpec, leave_one_animal_out, shuffled_batches, split_by_time, windows,
};
use ganglion_data::synth::{SynthConfig, synth_worms};

fn worms() -> Vec<ganglion_data::Recording> {
    synth_worms(&SynthConfig { n_neurons: 30, n_frames: 300, n_animals: 3, ..Default::default() })
}

#[test]
fn windows_borrow_the_recording_and_cover_the_range() {
    let w = &worms()[0];
    let spec = WindowSpec { history: 10, horizon: 2, stride: 5 };
    let all: Vec<_> = windows(w, 0..100, spec).expect("valid").collect();
    assert_eq!(all.len(), (100 - 12) / 5 + 1);
    let last = all.last().expect("some");
    assert!(last.start + spec.span() <= 100);
    assert!(std::ptr::eq(all[0].history(3).as_ptr(), w.trace(3).as_ptr()), "a view, not a copy");
    assert_eq!(all[1].target(0), &w.trace(0)[15..17]);
    assert_eq!(all[0].label(), Some(w.behaviour().expect("labels").labels[9]));
    assert_eq!(windows(w, 0..5, spec).expect("valid").count(), 0);
    assert!(windows(w, 0..1000, spec).is_err());
}

#[test]
fn time_split_keeps_order_and_gaps() {
    let s = split_by_time(300, 0.6, 0.2, 12).expect("valid");
    assert_eq!(s.train.start, 0);
    assert!(s.train.end + 12 <= s.validation.start);
    assert!(s.validation.end + 12 <= s.test.start);
    assert_eq!(s.test.end, 300);
    assert!(split_by_time(300, 0.9, 0.3, 0).is_err());
}

#[test]
fn leave_one_out_holds_each_animal_once() {
    let all = worms();
    let folds: Vec<_> = leave_one_animal_out(&all).collect();
    assert_eq!(folds.len(), 3);
    for (i, f) in folds.iter().enumerate() {
        assert!(std::ptr::eq(f.test, &all[i]));
        assert_eq!(f.train.len(), 2);
        assert!(f.train.iter().all(|r| !std::ptr::eq(*r, f.test)));
    }
}

#[test]
fn alignment_by_name_union_and_intersection() {
    let all = worms();
    let refs: Vec<_> = all.iter().collect();
    let union = Alignment::new(&refs, AlignMode::Union);
    let inter = Alignment::new(&refs, AlignMode::Intersection);
    assert_eq!(union.len(), 30, "all animals draw from the same 30 named neurons");
    assert!(inter.len() < 30 && inter.len() >= 14, "{}", inter.len());
    for (r, rec) in all.iter().enumerate() {
        assert!(inter.rows[r].iter().all(Option::is_some));
        for (k, row) in union.rows[r].iter().enumerate() {
            if let Some(i) = row {
                assert_eq!(rec.neurons()[*i].name, union.names[k]);
            }
        }
        assert_eq!(union.mask(r).iter().filter(|m| **m).count(), rec.n_neurons());
    }
}

#[test]
fn batches_normalise_with_training_statistics_and_mask_absent_neurons() {
    let all = worms();
    let refs: Vec<_> = all.iter().collect();
    let align = Alignment::new(&refs, AlignMode::Union);
    let spec = WindowSpec { history: 8, horizon: 1, stride: 8 };
    let norm = Normalizer::fit(all.iter().map(|r| (r, 0..200)));
    let ws: Vec<_> = all.iter().map(|r| windows(r, 0..200, spec).expect("valid").next().expect("one")).collect();
    let rows: Vec<&[Option<usize>]> = (0..3).map(|r| align.rows[r].as_slice()).collect();
    let batch = Batch::new(&ws, Some(&rows), Some(&norm)).expect("builds");
    assert_eq!(batch.inputs.len(), 3 * 30 * 8);
    let masked = batch.mask.iter().filter(|m| **m == 0.0).count();
    assert_eq!(masked, 90 - all.iter().map(|r| r.n_neurons()).sum::<usize>());
    let (mean, std) = norm.stats(&all[0], 0);
    assert!((batch.inputs[0] - (all[0].trace(0)[0] - mean) / std).abs() < 1e-6);
    assert_eq!(batch.labels.as_ref().map(Vec::len), Some(3));
    assert!(Batch::new(&ws, None, None).is_err(), "different neuron sets need an alignment");

    let b = shuffled_batches(10, 4, 1);
    assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 4, 2]);
    let mut flat: Vec<usize> = b.concat();
    flat.sort_unstable();
    assert_eq!(flat, (0..10).collect::<Vec<_>>());
    assert_eq!(shuffled_batches(10, 4, 1), b, "seeded");
}
