//! A file's contents as one tree of groups and arrays, whatever the container: plain
//! HDF5 and NWB (groups and datasets as stored), MATLAB v7.3 and v5 (variables, struct
//! fields, struct-array elements as `name(1)`, `name(2)`, ...), so the notebook can show
//! it and a [`Layout`](super::Layout) can point into it by path.
//!
//! Arrays are kept row-major with the shape the file's own tool shows: HDF5's shape for
//! HDF5, MATLAB's size for MATLAB files (their column-major data is reordered here).
//! A plain HDF5 dataset's numeric attributes appear beside it as `dataset@attribute`.

use hdf5_pure::{DType, File, Group};
use serde::Serialize;

use crate::error::{DataError, Result};
use crate::format::matv5::value::MatValue;
use crate::format::{Format, detect};

/// Deeper than any real layout; guards recursion on hostile files.
const MAX_DEPTH: usize = 32;

/// One node of a file's tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A group, struct or cell: named children in file order.
    Group(Vec<(String, Node)>),
    /// A numeric (or logical) array, row-major.
    Numbers {
        /// Size of each axis.
        shape: Vec<usize>,
        /// Values, row-major.
        values: Vec<f64>,
    },
    /// Text: one string, or an array of strings (a cell of char, an HDF5 string dataset).
    Texts {
        /// Size of each axis.
        shape: Vec<usize>,
        /// The strings, row-major.
        values: Vec<String>,
    },
    /// Something a layout cannot use (references, compound tables, objects), described.
    Other(String),
}

/// One row of the tree as the notebook lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Full path, `/`-separated, starting with `/`.
    pub path: String,
    /// `group`, `numbers`, `texts` or `other`.
    pub kind: &'static str,
    /// Array shape (empty for groups and others).
    pub shape: Vec<usize>,
    /// A short description: `3000 x 120 numbers`, `text`, `group of 4`.
    pub detail: String,
}

/// A file read into a [`Node`] tree.
#[derive(Debug, Clone)]
pub struct FileTree {
    root: Node,
    /// The container format.
    pub format: Format,
}

impl FileTree {
    /// Reads an HDF5 (plain, NWB or MATLAB v7.3) or MATLAB v5 file into a tree.
    pub fn read(bytes: &[u8], file_name: Option<&str>) -> Result<FileTree> {
        let format = detect(bytes, file_name).map_err(|e| e.in_file(file_name))?;
        let root = match format {
            Format::Hdf5 if is_matlab_hdf5(bytes) => {
                mat_root(crate::format::hdf5::matlab_variables(bytes).map_err(|e| e.in_file(file_name))?)
            }
            Format::Hdf5 => hdf5_root(bytes).map_err(|e| e.in_file(file_name))?,
            Format::MatV5 => mat_root(crate::format::matv5::variables(bytes).map_err(|e| e.in_file(file_name))?),
            other => {
                return Err(DataError::bad_request(format!(
                    "{} files have a fixed layout; only HDF5, NWB and MATLAB files are opened as a tree",
                    other.name()
                ))
                .in_file(file_name));
            }
        };
        Ok(FileTree { root, format })
    }

    /// Builds a tree from nodes (tests and other containers).
    pub fn from_root(root: Node, format: Format) -> FileTree {
        FileTree { root, format }
    }

    /// Every node below the root, depth first, in file order.
    pub fn entries(&self) -> Vec<Entry> {
        let mut out = Vec::new();
        walk(&self.root, "", &mut out);
        out
    }

    /// The node at `path` (`/a/b`; the root is `/` or empty).
    pub fn get(&self, path: &str) -> Option<&Node> {
        path.split('/').filter(|s| !s.is_empty()).try_fold(&self.root, |node, segment| match node {
            Node::Group(children) => children.iter().find(|(n, _)| n == segment).map(|(_, c)| c),
            _ => None,
        })
    }

    /// Paths of the groups matching `pattern`, where `*` in a segment matches any text
    /// within one path segment (`/worm*`, `/WT_NoStim(*)`, `/processing/ophys/*/*`).
    pub fn matching(&self, pattern: &str) -> Vec<String> {
        let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        let mut out = Vec::new();
        collect_matches(&self.root, "", &segments, &mut out);
        out
    }
}

fn walk(node: &Node, path: &str, out: &mut Vec<Entry>) {
    let Node::Group(children) = node else { return };
    for (name, child) in children {
        let sub = format!("{path}/{name}");
        out.push(Entry { path: sub.clone(), kind: kind(child), shape: shape(child), detail: describe(child) });
        walk(child, &sub, out);
    }
}

fn kind(node: &Node) -> &'static str {
    match node {
        Node::Group(_) => "group",
        Node::Numbers { .. } => "numbers",
        Node::Texts { .. } => "texts",
        Node::Other(_) => "other",
    }
}

fn shape(node: &Node) -> Vec<usize> {
    match node {
        Node::Numbers { shape, .. } | Node::Texts { shape, .. } => shape.clone(),
        _ => Vec::new(),
    }
}

/// What a node is, for people: `3000 x 120 numbers`.
pub fn describe(node: &Node) -> String {
    let size = |s: &[usize]| s.iter().map(usize::to_string).collect::<Vec<_>>().join(" x ");
    match node {
        Node::Group(c) => format!("group of {}", c.len()),
        Node::Numbers { shape, values } if shape.is_empty() || values.len() == 1 => {
            format!("number {}", values.first().map_or_else(|| "(empty)".to_owned(), f64::to_string))
        }
        Node::Numbers { shape, .. } => format!("{} numbers", size(shape)),
        Node::Texts { shape, values } if values.len() == 1 && shape.iter().product::<usize>() <= 1 => {
            format!("text \"{}\"", values[0].chars().take(40).collect::<String>())
        }
        Node::Texts { shape, .. } => format!("{} texts", size(shape)),
        Node::Other(what) => what.clone(),
    }
}

fn collect_matches(node: &Node, path: &str, segments: &[&str], out: &mut Vec<String>) {
    let Some((first, rest)) = segments.split_first() else {
        out.push(if path.is_empty() { "/".into() } else { path.to_owned() });
        return;
    };
    let Node::Group(children) = node else { return };
    for (name, child) in children {
        if glob_segment(first, name) {
            collect_matches(child, &format!("{path}/{name}"), rest, out);
        }
    }
}

/// `*` matches any run of characters; everything else literally.
fn glob_segment(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

/// MATLAB v7.3 files start with MATLAB's text header in a 512-byte userblock.
fn is_matlab_hdf5(bytes: &[u8]) -> bool {
    bytes.starts_with(b"MATLAB")
}

fn hdf5_root(bytes: &[u8]) -> Result<Node> {
    let file = File::from_bytes(bytes.to_vec()).map_err(|e| DataError::malformed("HDF5", e))?;
    hdf5_group(&file.root(), "", 0)
}

fn hdf5_group(group: &Group, path: &str, depth: usize) -> Result<Node> {
    let err = |p: &str| {
        let p = p.to_owned();
        move |e: hdf5_pure::Error| DataError::malformed("HDF5", e).in_field(if p.is_empty() { "/".into() } else { p })
    };
    if depth > MAX_DEPTH {
        return Err(DataError::malformed("HDF5", "groups nested too deep").in_field(path.to_owned()));
    }
    let mut children = Vec::new();
    for name in group.groups().map_err(err(path))? {
        let sub = format!("{path}/{name}");
        let child = group.group(&name).map_err(err(&sub))?;
        children.push((name, hdf5_group(&child, &sub, depth + 1)?));
    }
    for name in group.datasets().map_err(err(path))? {
        let sub = format!("{path}/{name}");
        let ds = group.dataset(&name).map_err(err(&sub))?;
        let shape: Vec<usize> =
            ds.shape().map_err(err(&sub))?.iter().map(|&d| usize::try_from(d).unwrap_or(usize::MAX)).collect();
        let node = match ds.dtype().map_err(err(&sub))? {
            numeric if crate::format::hdf5::is_numeric(&numeric) => {
                Node::Numbers { shape, values: ds.read_f64().map_err(err(&sub))? }
            }
            DType::String | DType::VariableLengthString => {
                Node::Texts { shape, values: ds.read_string().map_err(err(&sub))? }
            }
            DType::Enum(_) => Node::Other("an enumeration".into()),
            DType::Compound(fields) => Node::Other(format!("a table of {} columns", fields.len())),
            DType::ObjectReference => Node::Other("object references".into()),
            other => Node::Other(format!("values of type {other}")),
        };
        // Numeric attributes (NWB's `starting_time@rate`) become siblings a layout can name.
        let numeric_attributes: Vec<(String, f64)> = ds
            .attrs()
            .map(|attrs| {
                attrs.iter().filter_map(|(k, v)| crate::format::hdf5::attr_number(v).map(|x| (k.clone(), x))).collect()
            })
            .unwrap_or_default();
        children.push((name.clone(), node));
        let mut numeric_attributes = numeric_attributes;
        numeric_attributes.sort_by(|a, b| a.0.cmp(&b.0));
        for (attr, value) in numeric_attributes {
            children.push((format!("{name}@{attr}"), Node::Numbers { shape: vec![1], values: vec![value] }));
        }
    }
    Ok(Node::Group(children))
}

fn mat_root(variables: Vec<(String, MatValue)>) -> Node {
    let mut children = Vec::new();
    for (name, value) in variables {
        push_mat(&mut children, name, value, 0);
    }
    Node::Group(children)
}

/// Adds a MATLAB value under `name`; a struct array adds one child per element,
/// `name(1)`, `name(2)`, ...
fn push_mat(out: &mut Vec<(String, Node)>, name: String, value: MatValue, depth: usize) {
    if depth > MAX_DEPTH {
        out.push((name, Node::Other("values nested too deep".into())));
        return;
    }
    match value {
        MatValue::Struct { fields, elements, .. } if elements.len() != 1 => {
            for (i, element) in elements.into_iter().enumerate() {
                out.push((format!("{name}({})", i + 1), struct_node(&fields, element, depth)));
            }
        }
        MatValue::Struct { fields, mut elements, .. } => {
            let element = elements.pop().unwrap_or_default();
            out.push((name, struct_node(&fields, element, depth)));
        }
        MatValue::Numeric { dims, data } => {
            let values = column_major_to_row_major(&dims, data);
            out.push((name, Node::Numbers { shape: dims, values }));
        }
        MatValue::Char(text) => out.push((name, Node::Texts { shape: vec![1], values: vec![text] })),
        MatValue::Cell { dims, items } => {
            let node = match items.iter().map(MatValue::as_text).collect::<Option<Vec<String>>>() {
                Some(values) if !items.is_empty() => {
                    let order = column_major_order(&dims);
                    let values = if order.len() == values.len() {
                        order.iter().map(|&i| values[i].clone()).collect()
                    } else {
                        values
                    };
                    Node::Texts { shape: dims, values }
                }
                _ => {
                    let mut children = Vec::new();
                    for (i, item) in items.into_iter().enumerate() {
                        push_mat(&mut children, format!("{{{}}}", i + 1), item, depth + 1);
                    }
                    Node::Group(children)
                }
            };
            out.push((name, node));
        }
        MatValue::Unsupported(what) => out.push((name, Node::Other(what))),
    }
}

fn struct_node(fields: &[String], element: Vec<MatValue>, depth: usize) -> Node {
    let mut children = Vec::new();
    for (field, value) in fields.iter().zip(element) {
        push_mat(&mut children, field.clone(), value, depth + 1);
    }
    Node::Group(children)
}

/// For each row-major position, the column-major index holding its value.
fn column_major_order(dims: &[usize]) -> Vec<usize> {
    let total: usize = dims.iter().product();
    let mut order = Vec::with_capacity(total);
    let mut index = vec![0usize; dims.len()];
    for _ in 0..total {
        let mut linear = 0usize;
        let mut stride = 1usize;
        for (k, &d) in dims.iter().enumerate() {
            linear += index[k] * stride;
            stride *= d;
        }
        order.push(linear);
        for k in (0..dims.len()).rev() {
            index[k] += 1;
            if index[k] < dims[k] {
                break;
            }
            index[k] = 0;
        }
    }
    order
}

fn column_major_to_row_major(dims: &[usize], data: Vec<f64>) -> Vec<f64> {
    if dims.iter().filter(|&&d| d > 1).count() <= 1 {
        return data; // vectors and scalars read the same either way
    }
    let order = column_major_order(dims);
    if order.len() != data.len() {
        return data;
    }
    order.iter().map(|&i| data[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_within_one_segment() {
        assert!(glob_segment("worm*", "worm12"));
        assert!(glob_segment("WT(*)", "WT(3)"));
        assert!(glob_segment("*", "anything"));
        assert!(!glob_segment("worm*", "animal1"));
        assert!(!glob_segment("a*b*c", "acb"));
        assert!(glob_segment("a*b*c", "aXbYc"));
    }

    #[test]
    fn matlab_matrices_become_row_major_with_matlab_size() {
        // MATLAB [1 2 3; 4 5 6] is stored column-major as 1 4 2 5 3 6.
        let v = column_major_to_row_major(&[2, 3], vec![1., 4., 2., 5., 3., 6.]);
        assert_eq!(v, vec![1., 2., 3., 4., 5., 6.]);
    }

    #[test]
    fn struct_arrays_list_one_group_per_element_and_match_by_pattern() {
        let worm = |v: f64| vec![MatValue::Numeric { dims: vec![1, 1], data: vec![v] }];
        let value =
            MatValue::Struct { dims: vec![1, 2], fields: vec!["fps".into()], elements: vec![worm(1.0), worm(2.0)] };
        let tree = FileTree::from_root(mat_root(vec![("WT".into(), value)]), Format::MatV5);
        assert_eq!(tree.matching("/WT(*)"), vec!["/WT(1)".to_string(), "/WT(2)".to_string()]);
        assert_eq!(tree.get("/WT(2)/fps"), Some(&Node::Numbers { shape: vec![1, 1], values: vec![2.0] }));
        assert_eq!(tree.entries().len(), 4);
    }
}
