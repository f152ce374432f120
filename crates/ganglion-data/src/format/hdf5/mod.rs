//! HDF5 files: MATLAB v7.3 `.mat` and NWB, read with the pure-Rust `hdf5-pure`.

mod mat73;
mod nwb;

use std::collections::HashMap;

use hdf5_pure::{AttrValue, File, Group};

use super::LoadOptions;
use crate::error::{DataError, Result};
use crate::recording::Recording;

pub(super) const HDF5: &str = "HDF5";

pub(super) fn load(bytes: &[u8], options: &LoadOptions) -> Result<Vec<Recording>> {
    let file = File::from_bytes(bytes.to_vec()).map_err(|e| DataError::malformed(HDF5, e))?;
    let root = file.root();
    let attrs = attributes(&root, "/")?;
    let groups = root.groups().map_err(|e| DataError::malformed(HDF5, e))?;
    let is_nwb = attrs.contains_key("nwb_version") || groups.iter().any(|g| g == "processing" || g == "acquisition");
    if is_nwb { nwb::load(&file, options) } else { mat73::load(&file, options) }
}

fn hdf5_err(path: &str) -> impl Fn(hdf5_pure::Error) -> DataError + '_ {
    move |e| DataError::malformed(HDF5, e).in_field(path)
}

fn attributes(group: &Group, path: &str) -> Result<HashMap<String, AttrValue>> {
    group.attrs().map_err(hdf5_err(path))
}

/// A string attribute's text, whichever string encoding the writer chose.
fn attr_text(value: &AttrValue) -> Option<String> {
    match value {
        AttrValue::String(s) | AttrValue::AsciiString(s) => Some(s.clone()),
        AttrValue::StringSized { value, .. } | AttrValue::AsciiStringSized { value, .. } => Some(value.clone()),
        AttrValue::StringArray(v) => v.first().cloned(),
        AttrValue::U8Array(b) => Some(String::from_utf8_lossy(b).trim_end_matches('\0').to_owned()),
        _ => None,
    }
}

/// A numeric attribute's first value.
fn attr_number(value: &AttrValue) -> Option<f64> {
    match value {
        AttrValue::F64(v) => Some(*v),
        AttrValue::F32(v) => Some(f64::from(*v)),
        AttrValue::I64(v) => Some(*v as f64),
        AttrValue::I32(v) => Some(f64::from(*v)),
        AttrValue::U64(v) => Some(*v as f64),
        AttrValue::U32(v) => Some(f64::from(*v)),
        AttrValue::U8(v) => Some(f64::from(*v)),
        AttrValue::F64Array(v) => v.first().copied(),
        _ => None,
    }
}
