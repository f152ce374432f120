//! A small flag parser: `--name value` pairs and positional arguments.

use std::collections::HashMap;
use std::str::FromStr;

/// Parsed arguments.
pub struct Args {
    flags: HashMap<String, String>,
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
}

impl Args {
    /// Parses `args`, accepting only the flags in `known`.
    pub fn parse(args: &[String], known: &[&str]) -> Result<Self, String> {
        let mut flags = HashMap::new();
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
                flags.insert(name.to_owned(), value.clone());
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { flags, positional })
    }

    /// A flag's value parsed as `T`, or `default` when absent.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.flags.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("--{name}: {v:?} is not a valid value")),
        }
    }

    /// A flag's text, if given.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }
}
