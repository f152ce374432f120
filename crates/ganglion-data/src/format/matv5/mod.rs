//! MATLAB `.mat` version 5 (the format of v5, v6 and v7 files): a small reader of
//! tagged data elements into a [`MatValue`] tree.
//!
//! Why our own: the crates.io readers either read no structs or cell arrays, or refuse
//! the header scipy writes (see `shared/data/formats.md`). This one reads numeric,
//! logical, char, cell and struct arrays, compressed or not, in either byte order; it
//! bounds recursion, decompression and allocation by the input's size.

mod parse;
pub(crate) mod value;

use super::LoadOptions;
use super::worm_struct::recordings_from_variables;
use crate::error::Result;
use crate::recording::Recording;

/// True when the 128-byte header has the v5 version and endian marks.
pub(super) fn is_mat_v5(bytes: &[u8]) -> bool {
    bytes.len() >= 128 && matches!(&bytes[124..128], [0x00, 0x01, b'I', b'M'] | [0x01, 0x00, b'M', b'I'])
}

pub(super) fn load(bytes: &[u8], options: &LoadOptions) -> Result<Vec<Recording>> {
    recordings_from_variables(variables(bytes)?, options)
}

/// The file's top-level variables as value trees.
pub(crate) fn variables(bytes: &[u8]) -> Result<Vec<(String, value::MatValue)>> {
    parse::read_variables(bytes)
}
