//! The data side of every task: normalisation, sliding windows, splits, alignment of
//! several animals by neuron name, and batching. Windows and splits borrow the
//! [`Recording`](crate::Recording); only a batch copies values, once, into the
//! contiguous layout a model reads.

mod align;
mod batch;
mod normalize;
mod split;
mod window;

pub use align::{AlignMode, Alignment};
pub use batch::{Batch, shuffled_batches};
pub use normalize::Normalizer;
pub use split::{AnimalSplit, TimeSplit, leave_one_animal_out, split_by_time};
pub use window::{Window, WindowSpec, windows};
