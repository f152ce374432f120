//! Windows over several recordings, and how they are cut into batches.

use std::ops::Range;

use ganglion_data::names::canonical_name;
use ganglion_data::preprocess::{Alignment, Batch, Normalizer, Window, WindowSpec, shuffled_batches, windows};
use ganglion_data::{DataError, Recording};

/// Which neuron rows a batch holds.
#[derive(Debug, Clone)]
pub enum NeuronRows {
    /// Each recording's own neurons (batches never mix recordings).
    Own,
    /// One shared neuron set: `rows[r][k]` is aligned neuron `k` in recording `r`.
    Aligned(Alignment),
}

/// Windows `(recording, start)` over a list of recordings.
#[derive(Debug, Clone)]
pub struct WindowSet<'a> {
    recordings: Vec<&'a Recording>,
    spec: WindowSpec,
    items: Vec<(usize, usize)>,
    rows: NeuronRows,
}

impl<'a> WindowSet<'a> {
    /// All windows of `spec` inside `frames(r)` for each recording `r`.
    pub fn new(
        recordings: Vec<&'a Recording>,
        frames: impl Fn(&Recording) -> Range<usize>,
        spec: WindowSpec,
        rows: NeuronRows,
    ) -> Result<Self, DataError> {
        let mut items = Vec::new();
        for (r, rec) in recordings.iter().enumerate() {
            items.extend(windows(rec, frames(rec), spec)?.map(|w| (r, w.start)));
        }
        if matches!(&rows, NeuronRows::Aligned(a) if a.rows.len() != recordings.len()) {
            return Err(DataError::bad_request("the alignment must cover every recording of the window set"));
        }
        Ok(WindowSet { recordings, spec, items, rows })
    }

    /// Only the windows whose last history frame has every continuous signal (frames
    /// with a missing value are neither trained on nor scored).
    pub fn signalled_only(self) -> Self {
        self.keeping(|w| w.signals().is_some())
    }

    /// Only the windows whose last history frame has a behaviour state: frames the
    /// file left unlabelled (NaN) are neither trained on nor scored.
    pub fn labelled_only(self) -> Self {
        self.keeping(|w| w.label().is_some())
    }

    /// Only the windows for which `keep` holds.
    fn keeping(mut self, keep: impl Fn(&Window<'_>) -> bool) -> Self {
        let recordings = &self.recordings;
        let spec = self.spec;
        self.items.retain(|&(r, start)| keep(&Window { recording: recordings[r], start, spec }));
        self
    }

    /// The same windows predicting `horizon` frames, keeping those whose span still lies
    /// inside their recording (for held-out windows, which run to the recording's end).
    pub fn with_horizon(&self, horizon: usize) -> Self {
        let spec = WindowSpec { horizon, ..self.spec };
        let recordings = &self.recordings;
        let items = self.items.iter().copied().filter(|&(r, start)| start + spec.span() <= recordings[r].n_frames());
        WindowSet { recordings: self.recordings.clone(), spec, items: items.collect(), rows: self.rows.clone() }
    }

    /// Number of windows.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when no window fits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Window geometry.
    pub fn spec(&self) -> WindowSpec {
        self.spec
    }

    /// The recordings.
    pub fn recordings(&self) -> &[&'a Recording] {
        &self.recordings
    }

    /// Neurons per batch row set: the aligned count, or `None` when each recording keeps its own.
    pub fn aligned_neurons(&self) -> Option<usize> {
        match &self.rows {
            NeuronRows::Own => None,
            NeuronRows::Aligned(a) => Some(a.len()),
        }
    }

    /// Shuffled batches of window indices for one epoch. With [`NeuronRows::Own`] each
    /// batch holds windows of one recording only.
    pub fn epoch(&self, batch_size: usize, seed: u64) -> Vec<Vec<usize>> {
        let order = shuffled_batches(self.items.len(), 1, seed).concat();
        match self.rows {
            NeuronRows::Aligned(_) => order.chunks(batch_size.max(1)).map(<[usize]>::to_vec).collect(),
            NeuronRows::Own => {
                let mut per: Vec<Vec<usize>> = vec![Vec::new(); self.recordings.len()];
                let mut out = Vec::new();
                for i in order {
                    let r = self.items[i].0;
                    per[r].push(i);
                    if per[r].len() == batch_size.max(1) {
                        out.push(std::mem::take(&mut per[r]));
                    }
                }
                out.extend(per.into_iter().filter(|b| !b.is_empty()));
                out
            }
        }
    }

    /// Every window in order, in batches of at most `batch_size` (per recording with
    /// [`NeuronRows::Own`]).
    pub fn in_order(&self, batch_size: usize) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.items.len() {
            let same = out.last().is_some_and(|b| {
                b.len() < batch_size.max(1)
                    && (matches!(self.rows, NeuronRows::Aligned(_)) || self.items[b[0]].0 == self.items[i].0)
            });
            if same {
                if let Some(b) = out.last_mut() {
                    b.push(i);
                }
            } else {
                out.push(vec![i]);
            }
        }
        out
    }

    /// Window `i` as a view.
    pub fn window(&self, i: usize) -> Window<'a> {
        let (r, start) = self.items[i];
        Window { recording: self.recordings[r], start, spec: self.spec }
    }

    /// The recording all the given windows come from, for batches of
    /// [`NeuronRows::Own`] sets (`None` for aligned sets).
    pub fn batch_recording(&self, indices: &[usize]) -> Option<usize> {
        match self.rows {
            NeuronRows::Own => indices.first().map(|&i| self.items[i].0),
            NeuronRows::Aligned(_) => None,
        }
    }

    /// Builds the batch of the given window indices on `device`.
    pub fn tensors(
        &self,
        indices: &[usize],
        normalizer: &Normalizer,
        device: &burn::prelude::Device,
    ) -> Result<crate::BatchTensors, DataError> {
        Ok(self.batch_with_tensors(indices, normalizer, device)?.1)
    }

    /// The batch (host values) and its tensors on `device`, for callers that need both.
    pub fn batch_with_tensors(
        &self,
        indices: &[usize],
        normalizer: &Normalizer,
        device: &burn::prelude::Device,
    ) -> Result<(Batch, crate::BatchTensors), DataError> {
        let batch = self.batch(indices, normalizer)?;
        let tensors = crate::BatchTensors::new(&batch, self.batch_recording(indices), self.name_ids(indices), device);
        Ok((batch, tensors))
    }

    /// `[windows, neurons]` name buckets of the given windows' neuron rows.
    pub fn name_ids(&self, indices: &[usize]) -> Vec<i64> {
        let bucket = |name: &ganglion_data::Neuron| {
            ganglion_models::gnn::name_bucket(name.identified.then(|| canonical_name(&name.name)).as_deref())
        };
        match &self.rows {
            NeuronRows::Own => {
                indices.iter().flat_map(|&i| self.recordings[self.items[i].0].neurons().iter().map(bucket)).collect()
            }
            NeuronRows::Aligned(a) => {
                let row: Vec<i64> = a
                    .names
                    .iter()
                    .map(|n| ganglion_models::gnn::name_bucket((!n.contains(':')).then_some(n.as_str())))
                    .collect();
                indices.iter().flat_map(|_| row.iter().copied()).collect()
            }
        }
    }

    /// Builds the batch of the given window indices.
    pub fn batch(&self, indices: &[usize], normalizer: &Normalizer) -> Result<Batch, DataError> {
        let windows: Vec<Window<'_>> = indices.iter().map(|&i| self.window(i)).collect();
        match &self.rows {
            NeuronRows::Own => Batch::new(&windows, None, Some(normalizer)),
            NeuronRows::Aligned(a) => {
                let rows: Vec<&[Option<usize>]> = indices.iter().map(|&i| a.rows[self.items[i].0].as_slice()).collect();
                Batch::new(&windows, Some(&rows), Some(normalizer))
            }
        }
    }
}
