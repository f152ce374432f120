//! ganglion-models: the neural-population models, written against burn's device API
//! (no backend type parameter: the `Device` is chosen at run time), so one model trains
//! natively (flex on the CPU, wgpu) and in the browser (WebGPU, flex in wasm).
//!
//! - [`RelationalGnn`]: an NRI-style relational graph network. Its encoder infers, for
//!   every ordered pair of neurons, the probability of an interaction; its
//!   message-passing decoder predicts the next frame along the inferred edges; a graph
//!   read-out head classifies behaviour.
//! - [`WindowMlp`], [`WindowGru`]: structure-agnostic baselines over an aligned neuron set.
//! - [`Elm`]: the Expressive Leaky Memory neuron and its branched variant, exactly as in
//!   Spieler et al. (ICLR 2024).
//!
//! Shapes are documented on every `forward`; `B` = batch, `N` = neurons, `H` = history
//! frames, `K` = classes or edge types.

pub mod baselines;
pub mod checkpoint;
pub mod elm;
pub mod gnn;
pub mod host;
mod layers;
pub mod workload;

pub use baselines::{WindowGru, WindowGruConfig, WindowMlp, WindowMlpConfig};
pub use elm::{Elm, ElmConfig, Routing};

pub use gnn::{RelationalGnn, RelationalGnnConfig};
