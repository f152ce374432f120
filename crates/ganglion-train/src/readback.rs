//! Reading tensors back from the device, always asynchronously: on WebGPU in a browser
//! a blocking read is impossible, and natively the same futures resolve at once under
//! any executor. Every read in this crate goes through here.

use burn::prelude::*;
use ganglion_data::DataError;

fn failed(e: impl std::fmt::Debug) -> DataError {
    DataError::device(format!("reading values back failed: {e:?}"))
}

/// The tensor's values as `f32`, row-major.
pub async fn floats<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, DataError> {
    Ok(t.into_data_async().await.map_err(failed)?.iter::<f32>().collect())
}

/// The tensor's values as `i64`, row-major.
pub async fn ints<const D: usize>(t: Tensor<D, Int>) -> Result<Vec<i64>, DataError> {
    Ok(t.into_data_async().await.map_err(failed)?.iter::<i64>().collect())
}

/// The sum of a tensor's values (one small read).
pub async fn sum<const D: usize>(t: Tensor<D>) -> Result<f64, DataError> {
    Ok(floats(t.sum()).await?.first().copied().map_or(f64::NAN, f64::from))
}
