//! HDF5 files: MATLAB v7.3 `.mat` and NWB, read with the pure-Rust `hdf5-pure`.

mod mat73;
mod nwb;

use std::collections::HashMap;

use hdf5_pure::{AttrValue, DType, Dataset, Datatype, DatatypeByteOrder, File, Group, Layout};

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
    if is_nwb { nwb::load(&file, bytes, options) } else { mat73::load(&file, bytes, options) }
}

/// Whether a dataset of this type reads as numbers (floats and integers of any width).
pub(crate) fn is_numeric(dtype: &DType) -> bool {
    matches!(
        dtype,
        DType::F32
            | DType::F64
            | DType::I8
            | DType::I16
            | DType::I32
            | DType::I64
            | DType::U8
            | DType::U16
            | DType::U32
            | DType::U64
    )
}

/// A MATLAB v7.3 file's top-level variables as value trees.
pub(crate) fn matlab_variables(bytes: &[u8]) -> Result<Vec<(String, super::matv5::value::MatValue)>> {
    let file = File::from_bytes(bytes.to_vec()).map_err(|e| DataError::malformed(HDF5, e))?;
    mat73::variables(&file, bytes)
}

/// A float dataset's values. A contiguous little-endian float dataset decodes straight
/// from the file's bytes (several times faster than the general reader on a
/// whole-worm recording), after checking its first row against the library's own
/// decoding; anything else goes through `hdf5-pure`.
fn read_floats<T: Copy + PartialEq>(
    ds: &Dataset,
    bytes: &[u8],
    path: &str,
    fast: impl Fn(&[u8], usize) -> Option<Vec<T>>,
    rows: impl Fn(&Dataset) -> std::result::Result<Vec<T>, hdf5_pure::Error>,
    whole: impl Fn(&Dataset) -> std::result::Result<Vec<T>, hdf5_pure::Error>,
) -> Result<Vec<T>> {
    let contiguous = || -> Option<Vec<T>> {
        let Ok(Layout::Contiguous { address: Some(address), size }) = ds.layout() else { return None };
        let Ok(Datatype::FloatingPoint { size: width, byte_order: DatatypeByteOrder::LittleEndian, .. }) =
            ds.datatype()
        else {
            return None;
        };
        let count = ds.shape().ok()?.iter().try_fold(1u64, |a, &d| a.checked_mul(d))?;
        if count.checked_mul(u64::from(width))? != size {
            return None;
        }
        let start = usize::try_from(address).ok()?;
        let raw = bytes.get(start..start.checked_add(usize::try_from(size).ok()?)?)?;
        let values = fast(raw, width as usize)?;
        let check = rows(ds).ok()?;
        (check.len() <= values.len() && values[..check.len()] == check[..]).then_some(values)
    };
    match contiguous() {
        Some(values) => Ok(values),
        None => whole(ds).map_err(hdf5_err(path)),
    }
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
pub(crate) fn attr_number(value: &AttrValue) -> Option<f64> {
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
