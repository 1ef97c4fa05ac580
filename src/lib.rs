//! cohort: search, statistics, duplicate detection and checks over a cohort of markdown exam reports.
//!
//! Layers, each depending only on the ones above it:
//! - [`domain`]: the report model, template knowledge, the parser, fact extraction and the synthetic cohort
//!   generator. It knows nothing of tantivy, polars or the terminal.
//! - [`dupes`]: near-duplicate answers (shingles, common-text masking, exact scoring); domain only.
//! - [`discover`]: finding report files on disk; [`summary`]: the JSON object of a report (the contract).
//! - [`store`]: the tantivy index and the polars frames; [`ingest`] fills them.
//! - [`repo`]: reading git repositories (files of a commit, the deadline rule, history); [`verify`]: the
//!   reports' claims against them, with the evidence rules as data.
//! - [`scrape`]: collecting the reports from the groups' repositories as they stood at the deadline.
//! - [`present`]: tables and text for people; [`cmd`]: one file per subcommand.

// Nothing in the library may `unwrap` (input data must never panic it); invariants use `expect` with a reason.
#![deny(clippy::unwrap_used)]

pub mod check;
pub mod cmd;
pub mod discover;
pub mod domain;
pub mod dupes;
pub mod ingest;
pub mod parallel;
pub mod present;
pub mod repo;
pub mod scrape;
pub mod store;
pub mod summary;
pub mod verify;

pub use domain::{parse_bytes, Report};
pub use ingest::{ingest, IngestOptions, IngestOutcome};
