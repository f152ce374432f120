//! ganglion-models: the neural-population models, written against burn's device API
//! (no backend type parameter: the `Device` is chosen at run time), so one model trains
//! natively (flex on the CPU, wgpu) and in the browser (WebGPU, flex in wasm).
//!
//! - [`RelationalGnn`]: an NRI-style relational graph network. Its encoder infers, for
//!   every ordered pair of neurons, the probability of an interaction; its
//!   message-passing decoder predicts the next frame along the inferred edges; a graph
//!   read-out head classifies behaviour.
//! - [`WindowMlp`], [`WindowGru`]: structure-agnostic baselines over an aligned neuron set.
//! - [`linear`]: the linear autoregressive baselines (AR and VAR, closed form) and the
//!   linear edge rankings; [`BaselineKind`] lists every baseline a forecast stands beside.
//! - [`Elm`]: the Expressive Leaky Memory neuron and its branched variant, exactly as in
//!   Spieler et al. (ICLR 2024).
//!
//! Shapes are documented on every `forward`; `B` = batch, `N` = neurons, `H` = history
//! frames, `K` = classes or edge types.
//!
//! **Allocator.** A training step allocates and frees tensors of tens of megabytes (the
//! GNN's pairwise messages). glibc's allocator serves blocks that large with fresh
//! `mmap`s and returns them on free, so every step paid for page faults and for the
//! kernel zeroing the pages again: half of the GNN's step at 100 neurons. With the
//! `mimalloc` feature (for native targets: Cargo.toml offers the dependency only there)
//! this crate installs mimalloc as the program's global allocator, which keeps freed
//! pages for the next step: the GNN's step at 100 neurons went from 164 to 79 ms, at
//! 302 from 2.0 to 0.89 s
//! (`cargo bench -p ganglion-models --bench training`, same machine, same run). The CLI,
//! the benchmarks and the tests turn it on; a program embedding the crate keeps its own
//! allocator unless it asks for this one. In wasm the heap is the module's own memory and
//! nothing changes.
#![deny(missing_docs)]

pub mod baselines;
pub mod checkpoint;
pub mod elm;
pub mod gnn;
pub mod host;
mod kind;
mod layers;
pub mod linear;
pub mod workload;

pub use baselines::{WindowGru, WindowGruConfig, WindowMlp, WindowMlpConfig};
pub use elm::{Elm, ElmConfig, Routing};

pub use gnn::{RelationalGnn, RelationalGnnConfig};
pub use kind::{BaselineKind, MODEL_NAMES, ModelKind};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
