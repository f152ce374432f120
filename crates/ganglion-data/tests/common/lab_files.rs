//! Files in the layouts labs really use, written here with hdf5-pure's writer (no
//! Python needed): none of them matches a ganglion preset, so they are read through
//! layouts. The committed copies under `tests/fixtures/lab/` (used by the CLI and the
//! notebook tests) are checked against these writers by `lab_layouts.rs`.

use ganglion_data::Recording;
use ganglion_data::synth::{GraphSource, SynthConfig, synth_worms};
use hdf5_pure::{AttrValue, FileBuilder};

/// Three synthetic worms on the real wiring diagram, recorded at 2.9 frames/s.
pub fn lab_worms() -> Vec<Recording> {
    synth_worms(&SynthConfig {
        n_neurons: 24,
        n_frames: 600,
        n_animals: 3,
        seed: 2020,
        graph: GraphSource::Connectome,
        ..SynthConfig::default()
    })
}

/// The reverse state (label 1) as a 0/1 flag, with the first `gap` frames missing.
fn reversal_flag(r: &Recording, gap: usize) -> Vec<f64> {
    let labels = &r.behaviour().expect("synthetic worms have behaviour").labels;
    labels.iter().enumerate().map(|(t, &l)| if t < gap { f64::NAN } else { f64::from(u8::from(l == 1)) }).collect()
}

/// Forward +0.2, reverse -0.2, turn 0 (mm/s), with a little structure of its own.
fn velocity(r: &Recording) -> Vec<f64> {
    let labels = &r.behaviour().expect("behaviour").labels;
    labels.iter().enumerate().map(|(t, &l)| [0.2, -0.2, 0.0][l as usize] + 0.02 * ((t as f64) * 0.3).sin()).collect()
}

/// Frames x neurons, row-major (how h5py users usually save `traces`).
fn frames_by_neurons(r: &Recording) -> Vec<f64> {
    let (n, t) = (r.n_neurons(), r.n_frames());
    (0..t).flat_map(|f| (0..n).map(move |i| (i, f))).map(|(i, f)| f64::from(r.value(i, f))).collect()
}

fn names_of(r: &Recording) -> Vec<String> {
    r.neurons().iter().map(|n| if n.identified { n.name.clone() } else { String::new() }).collect()
}

/// Layout 1, a lab HDF5 file: `/worm1`, `/worm2`, ... each with `traces` (frames x
/// neurons), `timestamps` (s), `neuron_ids` (text), and `behavior/reversal` (0/1 flag,
/// first frames NaN), `behavior/velocity` (continuous), `behavior/head_angle` (NaN in
/// every frame: a dead channel).
pub fn lab_hdf5(worms: &[Recording]) -> Vec<u8> {
    let mut f = FileBuilder::new();
    for (a, r) in worms.iter().enumerate() {
        let mut g = f.create_group(&format!("worm{}", a + 1));
        let (n, t) = (r.n_neurons() as u64, r.n_frames() as u64);
        g.create_dataset("traces").with_f64_data(&frames_by_neurons(r)).with_shape(&[t, n]);
        let times: Vec<f64> = (0..r.n_frames()).map(|k| k as f64 / r.sampling_rate_hz()).collect();
        g.create_dataset("timestamps").with_f64_data(&times);
        let names = names_of(r);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        g.create_dataset("neuron_ids").with_vlen_strings(&refs);
        let mut b = g.create_group("behavior");
        b.create_dataset("reversal").with_f64_data(&reversal_flag(r, 10));
        b.create_dataset("velocity").with_f64_data(&velocity(r));
        b.create_dataset("head_angle").with_f64_data(&vec![f64::NAN; r.n_frames()]);
        g.add_group(b.finish());
        f.add_group(g.finish());
    }
    f.finish().expect("writes the lab HDF5 file")
}

const MATLAB_HEADER: &[u8] =
    b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  6 10:00:00 2020 HDF5 schema 1.00 .";

fn class(name: &str) -> AttrValue {
    AttrValue::AsciiString(name.into())
}

/// Layout 2, a MATLAB v7.3 struct array `imaging(1..W)` with fields `F` (frames x
/// neurons), `labels` (cell of names), `fps`, and `reversal` (logical), as MATLAB's
/// `save -v7.3` stores it: fields are reference datasets into `#refs#`, arrays transposed.
pub fn lab_mat73(worms: &[Recording]) -> Vec<u8> {
    let mut f = FileBuilder::new();
    let mut header = MATLAB_HEADER.to_vec();
    header.resize(116, b' ');
    header.extend_from_slice(&[0; 8]);
    header.extend_from_slice(&[0x00, 0x02, b'I', b'M']);
    f.with_userblock(512).with_userblock_content(&header);
    let mut refs = f.create_group("#refs#");
    let mut fields: Vec<(&str, Vec<String>)> =
        vec![("F", Vec::new()), ("labels", Vec::new()), ("fps", Vec::new()), ("reversal", Vec::new())];
    for (a, r) in worms.iter().enumerate() {
        let (n, t) = (r.n_neurons() as u64, r.n_frames() as u64);
        // MATLAB frames x neurons is stored as HDF5 [neurons, frames]: neuron-major.
        let activity: Vec<f64> = r.activity().iter().map(|&v| f64::from(v)).collect();
        let name = format!("F{a}");
        refs.create_dataset(&name)
            .with_f64_data(&activity)
            .with_shape(&[n, t])
            .set_attr("MATLAB_class", class("double"));
        fields[0].1.push(format!("#refs#/{name}"));
        let mut cell = Vec::new();
        for (i, label) in names_of(r).iter().enumerate() {
            let item = format!("name{a}_{i}");
            let units: Vec<u16> = label.encode_utf16().collect();
            let ds = refs.create_dataset(&item);
            if units.is_empty() {
                ds.with_u64_data(&[0, 0])
                    .set_attr("MATLAB_class", class("char"))
                    .set_attr("MATLAB_empty", AttrValue::U8(1));
            } else {
                ds.with_u16_data(&units).with_shape(&[units.len() as u64, 1]).set_attr("MATLAB_class", class("char"));
            }
            cell.push(format!("#refs#/{item}"));
        }
        let cell_name = format!("labels{a}");
        let cell_refs: Vec<&str> = cell.iter().map(String::as_str).collect();
        refs.create_dataset(&cell_name)
            .with_path_references(&cell_refs)
            .with_shape(&[cell.len() as u64, 1])
            .set_attr("MATLAB_class", class("cell"));
        fields[1].1.push(format!("#refs#/{cell_name}"));
        let fps = format!("fps{a}");
        refs.create_dataset(&fps)
            .with_f64_data(&[r.sampling_rate_hz()])
            .with_shape(&[1, 1])
            .set_attr("MATLAB_class", class("double"));
        fields[2].1.push(format!("#refs#/{fps}"));
        let flag: Vec<u8> = reversal_flag(r, 0).iter().map(|&v| v as u8).collect();
        let rev = format!("reversal{a}");
        refs.create_dataset(&rev).with_u8_data(&flag).with_shape(&[t, 1]).set_attr("MATLAB_class", class("logical"));
        fields[3].1.push(format!("#refs#/{rev}"));
    }
    f.add_group(refs.finish());
    let mut imaging = f.create_group("imaging");
    imaging.set_attr("MATLAB_class", class("struct"));
    for (field, targets) in &fields {
        let paths: Vec<&str> = targets.iter().map(String::as_str).collect();
        imaging.create_dataset(field).with_path_references(&paths).with_shape(&[paths.len() as u64, 1]);
    }
    f.add_group(imaging.finish());
    f.finish().expect("writes the MATLAB v7.3 struct array")
}

/// Layout 3, an NWB ophys file with one `RoiResponseSeries` per animal under
/// `processing/ophys/Fluorescence/` (data time x ROIs, `starting_time` with a `rate`),
/// whose `rois` count from 1 into the `PlaneSegmentation`'s `label` column (a lab
/// convention the NWB preset does not assume), and a `behavior/moving` series with no
/// value at all (a NaN-only channel).
pub fn lab_nwb(worms: &[Recording]) -> Vec<u8> {
    let mut f = FileBuilder::new();
    f.set_attr("nwb_version", AttrValue::AsciiString("2.6.0".into()));
    let mut table: Vec<String> = Vec::new();
    let mut rois: Vec<Vec<i64>> = Vec::new();
    for r in worms {
        let mut idx = Vec::new();
        for name in names_of(r) {
            let k = match table.iter().position(|t| !name.is_empty() && *t == name) {
                Some(k) => k,
                None => {
                    table.push(name);
                    table.len() - 1
                }
            };
            idx.push(k as i64 + 1);
        }
        rois.push(idx);
    }
    let mut processing = f.create_group("processing");
    let mut ophys = processing.create_group("ophys");
    let mut fluorescence = ophys.create_group("Fluorescence");
    for (a, r) in worms.iter().enumerate() {
        let mut s = fluorescence.create_group(&format!("worm{}", a + 1));
        s.set_attr("neurodata_type", AttrValue::AsciiString("RoiResponseSeries".into()));
        let (n, t) = (r.n_neurons() as u64, r.n_frames() as u64);
        s.create_dataset("data").with_f64_data(&frames_by_neurons(r)).with_shape(&[t, n]);
        s.create_dataset("starting_time").with_f64_data(&[0.0]).set_attr("rate", AttrValue::F64(r.sampling_rate_hz()));
        s.create_dataset("rois").with_i64_data(&rois[a]);
        s.create_dataset("moving").with_f64_data(&vec![f64::NAN; r.n_frames()]);
        fluorescence.add_group(s.finish());
    }
    ophys.add_group(fluorescence.finish());
    let mut segmentation = ophys.create_group("ImageSegmentation");
    let mut plane = segmentation.create_group("PlaneSegmentation");
    let labels: Vec<&str> = table.iter().map(String::as_str).collect();
    plane.create_dataset("label").with_vlen_strings(&labels);
    segmentation.add_group(plane.finish());
    ophys.add_group(segmentation.finish());
    processing.add_group(ophys.finish());
    f.add_group(processing.finish());
    f.finish().expect("writes the NWB file")
}
