//! cohort: search, statistics, duplicate detection and checks over a cohort of markdown exam reports.
//!
//! Layers, each depending only on the ones above it:
//! - [`domain`]: the report model, template knowledge, the parser, fact extraction and the synthetic cohort
//!   generator. It knows nothing of tantivy, polars or the terminal.
//! - [`discover`]: finding report files on disk; [`summary`]: the JSON object of a report (the contract).
//! - [`store`]: the tantivy index and the polars frames; [`ingest`] fills them.
//! - [`present`]: tables and text for people; [`cmd`]: one file per subcommand.

pub mod cmd;
pub mod discover;
pub mod domain;
pub mod ingest;
pub mod present;
pub mod store;
pub mod summary;

pub use domain::{parse_bytes, Report};
pub use ingest::{ingest, IngestOptions, IngestOutcome};
