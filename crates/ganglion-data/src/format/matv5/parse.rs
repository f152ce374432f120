//! Data-element parsing for MATLAB v5 files.

use super::value::MatValue;
use crate::error::{DataError, Problem, Result};

const MAT: &str = "MATLAB v5 .mat";
const MAX_DEPTH: usize = 32;
/// Decompressed data may not exceed this many bytes (about 1 GiB).
const MAX_INFLATED: usize = 1 << 30;

const MI_INT8: u32 = 1;
const MI_UINT8: u32 = 2;
const MI_INT16: u32 = 3;
const MI_UINT16: u32 = 4;
const MI_INT32: u32 = 5;
const MI_UINT32: u32 = 6;
const MI_SINGLE: u32 = 7;
const MI_DOUBLE: u32 = 9;
const MI_INT64: u32 = 12;
const MI_UINT64: u32 = 13;
const MI_MATRIX: u32 = 14;
const MI_COMPRESSED: u32 = 15;
const MI_UTF8: u32 = 16;
const MI_UTF16: u32 = 17;
const MI_UTF32: u32 = 18;

const MX_CELL: u8 = 1;
const MX_STRUCT: u8 = 2;
const MX_OBJECT: u8 = 3;
const MX_CHAR: u8 = 4;
const MX_SPARSE: u8 = 5;

fn bad(detail: impl std::fmt::Display) -> DataError {
    DataError::malformed(MAT, detail)
}

/// A cursor over one buffer, in the file's byte order.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    big_endian: bool,
}

/// One data element: its type and payload.
struct Element<'a> {
    kind: u32,
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn u32_at(&self, at: usize) -> Result<u32> {
        let b: [u8; 4] = self
            .buf
            .get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| bad(format!("file ends inside a tag at byte {at}")))?;
        Ok(if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }

    fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Reads the next element (handling the 4-byte small-element form and padding).
    fn next(&mut self) -> Result<Element<'a>> {
        let first = self.u32_at(self.pos)?;
        if first >> 16 != 0 {
            let (kind, len) = (first & 0xffff, (first >> 16) as usize);
            if len > 4 {
                return Err(bad(format!("small data element at byte {} claims {len} bytes", self.pos)));
            }
            let start = self.pos + 4;
            let data = self.buf.get(start..start + len).ok_or_else(|| bad("file ends inside a small element"))?;
            self.pos += 8;
            return Ok(Element { kind, data });
        }
        let len = self.u32_at(self.pos + 4)? as usize;
        let start = self.pos + 8;
        let data = start
            .checked_add(len)
            .and_then(|end| self.buf.get(start..end))
            .ok_or_else(|| bad(format!("element at byte {} claims {len} bytes, past the end of the file", self.pos)))?;
        let padded = if first == MI_COMPRESSED { len } else { len.div_ceil(8) * 8 };
        self.pos = start.saturating_add(padded);
        Ok(Element { kind: first, data })
    }
}

/// Reads all top-level variables as `(name, value)`.
pub(crate) fn read_variables(bytes: &[u8]) -> Result<Vec<(String, MatValue)>> {
    if bytes.len() < 128 {
        return Err(bad("shorter than the 128-byte header"));
    }
    let big_endian = &bytes[126..128] == b"MI";
    let mut reader = Reader { buf: &bytes[128..], pos: 0, big_endian };
    let mut out = Vec::new();
    while !reader.at_end() {
        let element = reader.next()?;
        let (name, value) = top_level(element, big_endian)?;
        out.push((name, value));
    }
    Ok(out)
}

fn top_level(element: Element<'_>, big_endian: bool) -> Result<(String, MatValue)> {
    match element.kind {
        MI_COMPRESSED => {
            let inflated = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(element.data, MAX_INFLATED)
                .map_err(|e| bad(format!("a compressed variable does not inflate ({:?})", e.status)))?;
            let mut inner = Reader { buf: &inflated, pos: 0, big_endian };
            let element = inner.next()?;
            if element.kind == MI_COMPRESSED {
                return Err(bad("nested compressed elements"));
            }
            top_level(element, big_endian)
        }
        MI_MATRIX => matrix(element.data, big_endian, 0),
        other => Err(bad(format!("top-level element of type {other}, expected a matrix"))),
    }
}

/// Parses the payload of a miMATRIX element into `(name, value)`.
fn matrix(data: &[u8], big_endian: bool, depth: usize) -> Result<(String, MatValue)> {
    if depth > MAX_DEPTH {
        return Err(bad(format!("values nested more than {MAX_DEPTH} deep")));
    }
    if data.is_empty() {
        return Ok((String::new(), MatValue::Numeric { dims: vec![0, 0], data: vec![] }));
    }
    let mut r = Reader { buf: data, pos: 0, big_endian };
    let flags = r.next()?;
    let flag_word = numbers(&flags, big_endian)?.first().copied().unwrap_or(0.0) as u32;
    let class = (flag_word & 0xff) as u8;
    let complex = flag_word & 0x0800 != 0;
    let dims: Vec<usize> =
        numbers(&r.next()?, big_endian)?.into_iter().map(|d| if d >= 0.0 { d as usize } else { usize::MAX }).collect();
    let count =
        dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).ok_or_else(|| bad("array size overflows"))?;
    let name = String::from_utf8_lossy(r.next()?.data).into_owned();
    let value = match class {
        MX_CELL => {
            let items = (0..count)
                .map(|_| {
                    let e = r.next()?;
                    expect_matrix(&e)?;
                    matrix(e.data, big_endian, depth + 1).map(|(_, v)| v)
                })
                .collect::<Result<Vec<_>>>()?;
            MatValue::Cell { dims, items }
        }
        MX_STRUCT | MX_OBJECT => {
            if class == MX_OBJECT {
                r.next()?; // class name
            }
            let name_len = numbers(&r.next()?, big_endian)?.first().copied().unwrap_or(0.0) as usize;
            let raw = r.next()?.data;
            let fields: Vec<String> = if name_len == 0 {
                vec![]
            } else {
                raw.chunks(name_len)
                    .map(|c| String::from_utf8_lossy(c.split(|&b| b == 0).next().unwrap_or(&[])).into_owned())
                    .collect()
            };
            let mut elements = Vec::with_capacity(count.min(data.len()));
            for _ in 0..count {
                let mut values = Vec::with_capacity(fields.len());
                for _ in 0..fields.len() {
                    let e = r.next()?;
                    expect_matrix(&e)?;
                    values.push(matrix(e.data, big_endian, depth + 1)?.1);
                }
                elements.push(values);
            }
            MatValue::Struct { dims, fields, elements }
        }
        MX_CHAR => MatValue::Char(text(&r.next()?, big_endian)?),
        MX_SPARSE => MatValue::Unsupported("a sparse matrix".into()),
        6..=15 => {
            let values = numbers(&r.next()?, big_endian)?;
            if values.len() != count {
                return Err(DataError::shape(format!("{count} values"), format!("{}", values.len())).in_field(name));
            }
            if complex {
                MatValue::Unsupported("a complex array".into())
            } else {
                MatValue::Numeric { dims, data: values }
            }
        }
        other => MatValue::Unsupported(format!("a MATLAB value of class {other}")),
    };
    Ok((name, value))
}

fn expect_matrix(e: &Element<'_>) -> Result<()> {
    if e.kind == MI_MATRIX {
        Ok(())
    } else {
        Err(DataError::new(Problem::Malformed {
            format: MAT,
            detail: format!("expected a matrix element, found type {}", e.kind),
        }))
    }
}

/// Decodes a numeric element of any storage type to f64.
fn numbers(e: &Element<'_>, big_endian: bool) -> Result<Vec<f64>> {
    macro_rules! decode {
        ($t:ty) => {{
            const N: usize = std::mem::size_of::<$t>();
            e.data
                .chunks_exact(N)
                .map(|c| {
                    let mut b = [0u8; N];
                    b.copy_from_slice(c);
                    (if big_endian { <$t>::from_be_bytes(b) } else { <$t>::from_le_bytes(b) }) as f64
                })
                .collect()
        }};
    }
    Ok(match e.kind {
        MI_INT8 => decode!(i8),
        MI_UINT8 | MI_UTF8 => decode!(u8),
        MI_INT16 => decode!(i16),
        MI_UINT16 | MI_UTF16 => decode!(u16),
        MI_INT32 => decode!(i32),
        MI_UINT32 | MI_UTF32 => decode!(u32),
        MI_SINGLE => decode!(f32),
        MI_DOUBLE => decode!(f64),
        MI_INT64 => decode!(i64),
        MI_UINT64 => decode!(u64),
        other => return Err(bad(format!("expected numeric data, found element type {other}"))),
    })
}

/// Decodes char data (UTF-8 bytes or UTF-16/32 code units).
fn text(e: &Element<'_>, big_endian: bool) -> Result<String> {
    match e.kind {
        MI_UTF8 | MI_UINT8 | MI_INT8 => Ok(String::from_utf8_lossy(e.data).into_owned()),
        MI_UINT16 | MI_UTF16 => {
            let units: Vec<u16> = numbers(e, big_endian)?.into_iter().map(|v| v as u16).collect();
            Ok(String::from_utf16_lossy(&units))
        }
        _ => Ok(numbers(e, big_endian)?.into_iter().map(|v| char::from_u32(v as u32).unwrap_or('\u{fffd}')).collect()),
    }
}
