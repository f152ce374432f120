//! Checkpoints: a model's kind, config and weights in one byte buffer (the browser keeps
//! bytes in IndexedDB or hands them to the user as a file), versioned.
//!
//! Layout: the 8 magic bytes `GNGLCKPT`, a little-endian `u32` header length, the JSON
//! header `{ "version", "model", "config" }`, then the weights in burn's burnpack format.

use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};

/// The checkpoint layout this build writes and reads.
pub const CHECKPOINT_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"GNGLCKPT";

/// Why a checkpoint could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckpointError {
    /// The bytes are not a ganglion checkpoint.
    #[error("not a ganglion checkpoint: {0}")]
    NotACheckpoint(String),
    /// Written by a newer or older layout.
    #[error("checkpoint version {found} is not supported (this build reads version {supported})")]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// Weights of another model.
    #[error("this checkpoint holds a {found} model, not a {expected} model")]
    WrongModel {
        /// The model asked for.
        expected: String,
        /// The model in the file.
        found: String,
    },
    /// The weights do not fit the model built from the config.
    #[error("the weights do not fit the model: {0}")]
    Weights(String),
}

/// The JSON header of a checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Layout version.
    pub version: u32,
    /// Model kind, for example `relational-gnn`.
    pub model: String,
    /// The model's config, to rebuild it before loading the weights.
    pub config: serde_json::Value,
}

/// Writes `model` (of kind `kind`, built from `config`) to bytes.
pub fn save<M: Module>(model: &M, kind: &str, config: &impl Serialize) -> Result<Vec<u8>, CheckpointError> {
    let header = Header {
        version: CHECKPOINT_VERSION,
        model: kind.to_owned(),
        config: serde_json::to_value(config).map_err(|e| CheckpointError::Weights(e.to_string()))?,
    };
    let json = serde_json::to_vec(&header).map_err(|e| CheckpointError::Weights(e.to_string()))?;
    let mut store = BurnpackStore::from_bytes(None);
    model.save_into(&mut store).map_err(|e| CheckpointError::Weights(e.to_string()))?;
    let weights = store.get_bytes().map_err(|e| CheckpointError::Weights(e.to_string()))?;
    let mut out = Vec::with_capacity(12 + json.len() + weights.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&weights);
    Ok(out)
}

/// [`save`] for a model on any device: its parameters are first read back without
/// blocking (see [`crate::host`]), as a browser's WebGPU device requires.
pub async fn save_async<M: Module>(model: M, kind: &str, config: &impl Serialize) -> Result<Vec<u8>, CheckpointError> {
    let on_host = crate::host::to_host(model).await.map_err(CheckpointError::Weights)?;
    save(&on_host, kind, config)
}

/// Reads the header, checking magic, version and (when given) the model kind.
pub fn read_header<'a>(bytes: &'a [u8], expected: Option<&str>) -> Result<(Header, &'a [u8]), CheckpointError> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| CheckpointError::NotACheckpoint("it does not start with GNGLCKPT".into()))?;
    let len = rest.get(..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let (json, weights) = match len {
        Some(n) if rest.len() >= 4 + n => (&rest[4..4 + n], &rest[4 + n..]),
        _ => return Err(CheckpointError::NotACheckpoint("the header is truncated".into())),
    };
    let header: Header = serde_json::from_slice(json)
        .map_err(|e| CheckpointError::NotACheckpoint(format!("the header is not valid: {e}")))?;
    if header.version != CHECKPOINT_VERSION {
        return Err(CheckpointError::UnsupportedVersion { found: header.version, supported: CHECKPOINT_VERSION });
    }
    if let Some(kind) = expected.filter(|k| *k != header.model) {
        return Err(CheckpointError::WrongModel { expected: kind.to_owned(), found: header.model });
    }
    Ok((header, weights))
}

/// Loads the weights of a checkpoint of kind `kind` into `model` (built from the
/// checkpoint's config, see [`read_header`]).
pub fn load<M: Module>(mut model: M, kind: &str, bytes: &[u8]) -> Result<M, CheckpointError> {
    let (_, weights) = read_header(bytes, Some(kind))?;
    let mut store = BurnpackStore::from_bytes(Some(burn::tensor::Bytes::from_bytes_vec(weights.to_vec())));
    model.load_from(&mut store).map_err(|e| CheckpointError::Weights(e.to_string()))?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RelationalGnnConfig, WindowMlpConfig};

    #[test]
    fn round_trip_gives_the_same_outputs_and_mismatches_are_named() {
        let device = Device::flex();
        let config = WindowMlpConfig::new(4, 5, 4);
        let model = config.init(&device);
        let bytes = save(&model, "window-mlp", &config).expect("saves");
        let (header, _) = read_header(&bytes, None).expect("header");
        let rebuilt: WindowMlpConfig = serde_json::from_value(header.config).expect("config");
        let loaded = load(rebuilt.init(&device), "window-mlp", &bytes).expect("loads");
        let x = Tensor::<3>::ones([2, 4, 5], &device);
        let a: Vec<f32> = model.forward(x.clone()).into_data().iter::<f32>().collect();
        let b: Vec<f32> = loaded.forward(x).into_data().iter::<f32>().collect();
        assert_eq!(a, b);

        let gnn = RelationalGnnConfig::new(5).init(&device);
        assert_eq!(
            load(gnn.clone(), "relational-gnn", &bytes).expect_err("wrong kind"),
            CheckpointError::WrongModel { expected: "relational-gnn".into(), found: "window-mlp".into() }
        );
        assert!(matches!(
            load(WindowMlpConfig::new(9, 5, 9).init(&device), "window-mlp", &bytes),
            Err(CheckpointError::Weights(_))
        ));
        assert!(matches!(load(gnn, "relational-gnn", b"hello"), Err(CheckpointError::NotACheckpoint(_))));
        let mut future = bytes.clone();
        let at = future.windows(11).position(|w| w == b"\"version\":1").expect("version field");
        future[at + 10] = b'9';
        assert_eq!(
            read_header(&future, None).expect_err("future version"),
            CheckpointError::UnsupportedVersion { found: 9, supported: CHECKPOINT_VERSION }
        );
    }
}
