//! A small flag parser: `--name value` pairs and positional arguments. A flag given
//! twice is an error (the second would silently win), except the few in [`REPEATABLE`].

use std::collections::HashMap;
use std::str::FromStr;

/// Flags that may be given more than once (`--names-file A.h5=a.csv --names-file ...`).
pub const REPEATABLE: [&str; 1] = ["names-file"];

/// Parsed arguments.
pub struct Args {
    flags: HashMap<String, Vec<String>>,
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
}

impl Args {
    /// Parses `args`, accepting only the flags in `known`.
    pub fn parse(args: &[String], known: &[&str]) -> Result<Self, String> {
        let mut flags: HashMap<String, Vec<String>> = HashMap::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !known.contains(&name) {
                    return Err(format!(
                        "unknown flag --{name} (known: {})",
                        known.iter().map(|k| format!("--{k}")).collect::<Vec<_>>().join(", ")
                    ));
                }
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                let values = flags.entry(name.to_owned()).or_default();
                if !values.is_empty() && !REPEATABLE.contains(&name) {
                    return Err(format!("--{name} is given twice (once is enough)"));
                }
                values.push(value.clone());
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { flags, positional })
    }

    /// A flag's value parsed as `T`, or `default` when absent.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.text(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("--{name}: {v:?} is not a valid value")),
        }
    }

    /// A flag's text, if given.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.flags.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// Every value of a repeatable flag, in order.
    pub fn all(&self, name: &str) -> &[String] {
        self.flags.get(name).map_or(&[], Vec::as_slice)
    }
}
