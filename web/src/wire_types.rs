//! The TypeScript declarations of every type that crosses to JavaScript (the experiment
//! settings, reports and scores, train events, recording info, the study's report and the
//! metric table), generated from the Rust types by ts-rs into `web/js/wire.d.ts`, which
//! `web/js/ganglion.d.ts` re-exports. The test fails when the committed file is stale;
//! `cargo xtask types` rewrites it. Native only (ts-rs is not compiled for wasm).

use std::collections::BTreeMap;
use std::path::Path;

use ganglion_train::TrainEvent;
use ganglion_train::experiment::{Experiment, Report};
use ganglion_train::study::{StudyConfig, StudyReport};
use ts_rs::{Config, TS, TypeVisitor};

use crate::export::MetricTable;
use crate::protocol::RecordingInfo;

/// Where the declarations live, relative to the web crate.
const WIRE_TS: &str = "js/wire.d.ts";

/// Set to rewrite the file instead of comparing it (`cargo xtask types` sets it).
pub const WRITE_VARIABLE: &str = "GANGLION_WRITE_TYPES";

const HEADER: &str = "// Generated from the Rust wire types by ts-rs (web/src/wire_types.rs): do not edit.
// Regenerate with `cargo xtask types`; a test fails while this file is stale.
";

/// Every declarable type reached from the roots, by name (so each is declared once and
/// the file's order does not depend on the visiting order).
struct Declarations<'a> {
    config: &'a Config,
    by_name: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives and containers have no file of their own: they are written inline.
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(self.config);
        if self.by_name.contains_key(&name) {
            return;
        }
        let declaration = format!("{}export {}\n", T::docs().unwrap_or_default(), T::decl(self.config));
        self.by_name.insert(name, declaration);
        T::visit_dependencies(self);
    }
}

/// The text of `web/js/wire.d.ts`.
fn declarations() -> String {
    // Integers cross as JSON numbers, never as BigInt.
    let config = Config::new().with_large_int("number");
    let mut found = Declarations { config: &config, by_name: BTreeMap::new() };
    found.visit::<Experiment>();
    found.visit::<Report>();
    found.visit::<TrainEvent>();
    found.visit::<StudyConfig>();
    found.visit::<StudyReport>();
    found.visit::<MetricTable>();
    found.visit::<RecordingInfo>();
    let mut out = String::from(HEADER);
    for declaration in found.by_name.values() {
        out.push('\n');
        out.push_str(declaration);
    }
    out
}

#[test]
fn the_committed_declarations_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(WIRE_TS);
    let fresh = declarations();
    if std::env::var_os(WRITE_VARIABLE).is_some() {
        std::fs::write(&path, &fresh).expect("writes web/js/wire.d.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "web/js/wire.d.ts is stale: a wire type changed; run `cargo xtask types` to regenerate it"
    );
}

#[test]
fn the_declarations_name_every_scores_kind_and_no_bigint() {
    let text = declarations();
    for kind in ["\"forecast\"", "\"behaviour\"", "\"signals\""] {
        assert!(text.contains(&format!("\"kind\": {kind}")), "Scores lacks kind {kind}");
    }
    assert!(!text.contains("bigint"), "integers must be numbers");
    assert!(text.contains("export type Report = "), "{text}");
}
