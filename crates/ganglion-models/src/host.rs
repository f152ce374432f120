//! Moving a trained model to the CPU without a blocking read.
//!
//! Saving a checkpoint reads every parameter, and burn's store reads synchronously,
//! which a browser's WebGPU device cannot do. [`to_host`] first reads every parameter
//! with `into_data_async` and rebuilds the same model on the CPU device (flex), whose
//! reads never block; saving that copy then works on every device.

use burn::module::{ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

/// One parameter, flattened so parameters of every rank fit in one list.
enum Flat {
    Float(Tensor<1>),
    Int(Tensor<1, Int>),
    Bool(Tensor<1, Bool>),
}

impl Flat {
    async fn read(self) -> Result<TensorData, String> {
        let data = match self {
            Flat::Float(t) => t.into_data_async().await,
            Flat::Int(t) => t.into_data_async().await,
            Flat::Bool(t) => t.into_data_async().await,
        };
        data.map_err(|e| format!("reading a parameter back failed: {e:?}"))
    }
}

/// Collects every parameter, in visiting order.
#[derive(Default)]
struct Gather(Vec<Flat>);

impl ModuleVisitor for Gather {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(Flat::Float(param.val().flatten(0, D - 1)));
    }
    fn visit_int<const D: usize>(&mut self, param: &Param<Tensor<D, Int>>) {
        self.0.push(Flat::Int(param.val().flatten(0, D - 1)));
    }
    fn visit_bool<const D: usize>(&mut self, param: &Param<Tensor<D, Bool>>) {
        self.0.push(Flat::Bool(param.val().flatten(0, D - 1)));
    }
}

/// Replaces every parameter, in the same order, with its read-back values on `device`.
struct Place {
    values: std::vec::IntoIter<TensorData>,
    device: Device,
}

impl Place {
    fn next(&mut self) -> TensorData {
        // `to_host` gathered exactly one value per parameter in this same order.
        self.values.next().unwrap_or_else(|| unreachable!("one value per parameter"))
    }
}

impl ModuleMapper for Place {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let data = self.next();
        let device = self.device.clone();
        param.map(|t| Tensor::<1>::from_data(data, &device).reshape(t.shape()))
    }
    fn map_int<const D: usize>(&mut self, param: Param<Tensor<D, Int>>) -> Param<Tensor<D, Int>> {
        let data = self.next();
        let device = self.device.clone();
        param.map(|t| Tensor::<1, Int>::from_data(data, &device).reshape(t.shape()))
    }
    fn map_bool<const D: usize>(&mut self, param: Param<Tensor<D, Bool>>) -> Param<Tensor<D, Bool>> {
        let data = self.next();
        let device = self.device.clone();
        param.map(|t| Tensor::<1, Bool>::from_data(data, &device).reshape(t.shape()))
    }
}

/// The same model with every parameter on the CPU device (flex), read back without
/// blocking.
pub async fn to_host<M: Module>(model: M) -> Result<M, String> {
    let mut gather = Gather::default();
    model.visit(&mut gather);
    let mut values = Vec::with_capacity(gather.0.len());
    for flat in gather.0 {
        values.push(flat.read().await?);
    }
    Ok(model.map(&mut Place { values: values.into_iter(), device: Device::flex() }))
}
