//! A MATLAB value tree, the common ground of the v5 reader and the v7.3 (HDF5) reader.

/// One MATLAB value. Numeric arrays keep MATLAB's dims and column-major data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MatValue {
    /// double, single, integer and logical arrays, widened to f64.
    Numeric { dims: Vec<usize>, data: Vec<f64> },
    /// A char array, as text.
    Char(String),
    /// A cell array.
    Cell { dims: Vec<usize>, items: Vec<MatValue> },
    /// A struct array: `elements[i][f]` is field `fields[f]` of element `i`.
    Struct { dims: Vec<usize>, fields: Vec<String>, elements: Vec<Vec<MatValue>> },
    /// Something ganglion does not read (sparse, objects, function handles), described.
    Unsupported(String),
}

impl MatValue {
    /// Field `name` of struct element `index`.
    pub fn field(&self, index: usize, name: &str) -> Option<&MatValue> {
        match self {
            MatValue::Struct { fields, elements, .. } => {
                let f = fields.iter().position(|n| n == name)?;
                elements.get(index)?.get(f)
            }
            _ => None,
        }
    }

    /// Number of struct elements (0 for other values).
    pub fn struct_len(&self) -> usize {
        match self {
            MatValue::Struct { elements, .. } => elements.len(),
            _ => 0,
        }
    }

    /// What this is, for error messages.
    pub fn describe(&self) -> String {
        match self {
            MatValue::Numeric { dims, .. } => format!("a numeric array of size {}", dims_text(dims)),
            MatValue::Char(_) => "text".into(),
            MatValue::Cell { dims, .. } => format!("a cell array of size {}", dims_text(dims)),
            MatValue::Struct { dims, .. } => format!("a struct array of size {}", dims_text(dims)),
            MatValue::Unsupported(what) => what.clone(),
        }
    }

    /// Text content: a char array, or a cell holding exactly one (Kato `IDs` entries
    /// are cells of candidate names).
    pub fn as_text(&self) -> Option<String> {
        match self {
            MatValue::Char(s) => Some(s.clone()),
            MatValue::Cell { items, .. } if items.len() == 1 => items[0].as_text(),
            MatValue::Numeric { data, .. } if data.is_empty() => Some(String::new()),
            _ => None,
        }
    }

    /// A list of strings from a cell array of char (non-text entries become empty).
    pub fn as_strings(&self) -> Option<Vec<String>> {
        match self {
            MatValue::Cell { items, .. } => Some(items.iter().map(|v| v.as_text().unwrap_or_default()).collect()),
            _ => None,
        }
    }

    /// A numeric vector or scalar's values.
    pub fn as_numbers(&self) -> Option<&[f64]> {
        match self {
            MatValue::Numeric { data, .. } => Some(data),
            _ => None,
        }
    }
}

/// `3x100` style, as MATLAB prints sizes.
pub(crate) fn dims_text(dims: &[usize]) -> String {
    dims.iter().map(usize::to_string).collect::<Vec<_>>().join("x")
}
