//! MATLAB v7.3 files: HDF5 with MATLAB conventions, converted to the same
//! [`MatValue`] tree as v5 files so one layout reader serves both.
//!
//! Conventions handled: the `MATLAB_class` attribute on every object; arrays stored
//! transposed (HDF5 shape = MATLAB dims reversed, data column-major); char as uint16
//! code units; cells and struct-array fields as datasets of object references into
//! `#refs#`; `MATLAB_empty` for empty values.

use hdf5_pure::{DType, Dataset, File, Group, Object};

use super::super::LoadOptions;
use super::super::matrix::le_floats_as_f64;
use super::super::matv5::value::MatValue;
use super::super::worm_struct::recordings_from_variables;
use super::{attr_number, attr_text, hdf5_err, read_floats};
use crate::error::{DataError, Result};
use crate::recording::Recording;

const MAX_DEPTH: usize = 32;

pub(super) fn load(file: &File, bytes: &[u8], options: &LoadOptions) -> Result<Vec<Recording>> {
    recordings_from_variables(variables(file, bytes)?, options)
}

/// The file's top-level variables (everything but `#refs#` and `#subsystem#`).
pub(super) fn variables(file: &File, bytes: &[u8]) -> Result<Vec<(String, MatValue)>> {
    let root = file.root();
    let mut vars = Vec::new();
    for name in root.groups().map_err(hdf5_err("/"))? {
        if name.starts_with('#') {
            continue;
        }
        let group = root.group(&name).map_err(hdf5_err(&name))?;
        vars.push((name.clone(), group_value(&group, bytes, &name, 0)?));
    }
    for name in root.datasets().map_err(hdf5_err("/"))? {
        if name.starts_with('#') {
            continue;
        }
        let ds = root.dataset(&name).map_err(hdf5_err(&name))?;
        vars.push((name.clone(), dataset_value(&ds, bytes, &name, 0)?));
    }
    Ok(vars)
}

fn class_of_dataset(ds: &Dataset) -> Option<String> {
    ds.attrs().ok()?.get("MATLAB_class").and_then(attr_text)
}

fn is_empty_marker(ds: &Dataset) -> bool {
    ds.attrs().ok().and_then(|a| a.get("MATLAB_empty").and_then(attr_number)).is_some_and(|v| v != 0.0)
}

/// A struct stored as a group: fields are its children. When the fields are reference
/// datasets, the struct is an array with one element per reference.
fn group_value(group: &Group, bytes: &[u8], path: &str, depth: usize) -> Result<MatValue> {
    if depth > MAX_DEPTH {
        return Err(DataError::malformed("MATLAB v7.3 .mat", "values nested too deep").in_field(path));
    }
    let mut fields: Vec<String> = Vec::new();
    let mut columns: Vec<Vec<MatValue>> = Vec::new();
    let mut n_elements: Option<usize> = None;
    for name in group.datasets().map_err(hdf5_err(path))? {
        let sub = format!("{path}/{name}");
        let ds = group.dataset(&name).map_err(hdf5_err(&sub))?;
        let is_ref_field = matches!(ds.dtype(), Ok(DType::ObjectReference)) && class_of_dataset(&ds).is_none();
        let column = if is_ref_field {
            dereference(&ds, &sub)?
                .iter()
                .map(|o| object_value(o, bytes, &sub, depth + 1))
                .collect::<Result<Vec<_>>>()?
        } else {
            vec![dataset_value(&ds, bytes, &sub, depth + 1)?]
        };
        match n_elements {
            None => n_elements = Some(column.len()),
            Some(n) if n != column.len() => {
                return Err(DataError::shape(format!("{n} struct elements"), format!("{}", column.len())).in_field(sub));
            }
            Some(_) => {}
        }
        fields.push(name);
        columns.push(column);
    }
    for name in group.groups().map_err(hdf5_err(path))? {
        let sub = format!("{path}/{name}");
        let child = group.group(&name).map_err(hdf5_err(&sub))?;
        let value = group_value(&child, bytes, &sub, depth + 1)?;
        let n = *n_elements.get_or_insert(1);
        fields.push(name);
        columns.push(vec![value; n]);
    }
    let n = n_elements.unwrap_or(1);
    let elements = (0..n).map(|i| columns.iter().map(|c| c[i].clone()).collect()).collect();
    Ok(MatValue::Struct { dims: vec![1, n], fields, elements })
}

fn dereference(ds: &Dataset, path: &str) -> Result<Vec<Object>> {
    ds.dereference().map_err(hdf5_err(path))
}

fn object_value(object: &Object, bytes: &[u8], path: &str, depth: usize) -> Result<MatValue> {
    match object {
        Object::Group(g) => group_value(g, bytes, path, depth),
        Object::Dataset(d) => dataset_value(d, bytes, path, depth),
        _ => Ok(MatValue::Unsupported("an HDF5 object of an unknown kind".into())),
    }
}

fn dataset_value(ds: &Dataset, bytes: &[u8], path: &str, depth: usize) -> Result<MatValue> {
    if depth > MAX_DEPTH {
        return Err(DataError::malformed("MATLAB v7.3 .mat", "values nested too deep").in_field(path));
    }
    let shape = ds.shape().map_err(hdf5_err(path))?;
    let dims: Vec<usize> = shape.iter().rev().map(|&d| usize::try_from(d).unwrap_or(usize::MAX)).collect();
    let class = class_of_dataset(ds).unwrap_or_default();
    if is_empty_marker(ds) {
        return Ok(match class.as_str() {
            "char" => MatValue::Char(String::new()),
            "cell" => MatValue::Cell { dims: vec![0, 0], items: vec![] },
            _ => MatValue::Numeric { dims: vec![0, 0], data: vec![] },
        });
    }
    match class.as_str() {
        "cell" => {
            let items = dereference(ds, path)?
                .iter()
                .map(|o| object_value(o, bytes, path, depth + 1))
                .collect::<Result<Vec<_>>>()?;
            Ok(MatValue::Cell { dims, items })
        }
        "char" => {
            let units = ds.read_u16().map_err(hdf5_err(path))?;
            Ok(MatValue::Char(String::from_utf16_lossy(&units).trim_end_matches('\0').to_owned()))
        }
        _ => match ds.dtype().map_err(hdf5_err(path))? {
            DType::String | DType::VariableLengthString => {
                let strings = ds.read_string().map_err(hdf5_err(path))?;
                Ok(MatValue::Cell { dims, items: strings.into_iter().map(MatValue::Char).collect() })
            }
            DType::ObjectReference => {
                let items = dereference(ds, path)?
                    .iter()
                    .map(|o| object_value(o, bytes, path, depth + 1))
                    .collect::<Result<Vec<_>>>()?;
                Ok(MatValue::Cell { dims, items })
            }
            numeric if super::is_numeric(&numeric) => {
                let data =
                    read_floats(ds, bytes, path, le_floats_as_f64, |d| d.read_f64_rows(0, 1), Dataset::read_f64)?;
                Ok(MatValue::Numeric { dims, data })
            }
            other => Ok(MatValue::Unsupported(format!("an HDF5 dataset of type {other}"))),
        },
    }
}
