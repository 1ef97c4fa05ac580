//! Arbitrary bytes as a report file: decoding, the parser, fact extraction (run by `parse_bytes`) and the JSON
//! summary ingest writes for every report must never panic, whatever a student committed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(report) = cohort::parse_bytes(Path::new("group_1/reports/README.md"), bytes) {
        let summary = cohort::summary::summarise("group_1", "group_1/reports/README.md", report.inferred_cohort(), &report);
        let _ = serde_json::to_string(&summary);
    }
});
