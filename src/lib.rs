//! cohort: search, statistics, duplicate detection and checks over a cohort of markdown exam reports.
//!
//! [`Index`] is the way into an index folder: reports, frames, searches, statistics, figures, the manifest and
//! the pseudonym key. [`ingest()`] builds one from folders of reports:
//!
//! ```
//! use cohort::store::frames::{ChecklistBy, Scope};
//! use cohort::synth::{write_cohort, CohortSpec};
//! use cohort::{ingest, Index, IngestOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A throwaway index of twelve synthetic reports (`cohort ingest DIR` makes one of real reports).
//! let work = tempfile::tempdir()?;
//! let reports = work.path().join("reports");
//! write_cohort(&reports, &CohortSpec { seed: 1, reports: 12, ..Default::default() })?;
//! ingest(&[reports], &IngestOptions::new(work.path().join("index")))?;
//!
//! // Completion per checklist item: done / reports whose own checklist has the item.
//! let index = Index::open(work.path().join("index"))?;
//! let completion = index.checklist_completion(&[ChecklistBy::Item], &Scope::default())?;
//! let items = completion.column("item")?.str()?;
//! let rates = completion.column("rate")?.f64()?;
//! for (item, rate) in items.iter().zip(rates.iter()) {
//!     println!("{:<24} {:>5.1}%", item.unwrap_or("-"), 100.0 * rate.unwrap_or(0.0));
//! }
//! # assert!(completion.height() > 10);
//! # Ok(())
//! # }
//! ```
//!
//! Layers, each depending only on the ones above it:
//! - [`domain`]: the report model, template knowledge, the parser and fact extraction. It knows nothing of
//!   tantivy, polars or the terminal. [`synth`] generates synthetic cohorts from the same template knowledge.
//! - [`dupes`]: near-duplicate answers (shingles, common-text masking, exact scoring); domain only.
//! - [`discover`]: finding report files on disk; [`corpus`]: reading them all at once; [`summary`]: the JSON
//!   object of a report (the contract).
//! - [`store`]: the tantivy index and the polars frames; [`mod@ingest`] fills them; [`Index`] reads them.
//! - [`check`]: the rules of `cohort check`; [`figures`]: the data of `cohort plot`; [`query`]: saved queries.
//! - [`repo`]: reading git repositories (files of a commit, the deadline rule, history); [`verify`]: the
//!   reports' claims against them, with the evidence rules as data.
//! - [`serve`]: `cohort serve`, read-only web pages over an index (one more client of the calls above).
//! - [`scrape`]: collecting the reports from the groups' repositories as they stood at the deadline.
//! - [`present`]: tables, JSON Lines, CSV, figures and text for people.
//!
//! The `cohort` command (`src/main.rs` and `src/cmd/`) turns its arguments into these types, makes one call and
//! prints; it is not part of the library.

// Nothing in the library may `unwrap` (input data must never panic it); invariants use `expect` with a reason.
#![deny(clippy::unwrap_used)]

pub mod check;
pub mod cohort_label;
pub mod corpus;
pub mod discover;
pub mod domain;
pub mod dupes;
pub mod error;
pub mod figures;
pub mod images;
pub mod index;
pub mod ingest;
pub mod nouns;
pub mod parallel;
pub mod present;
pub mod pseudonymise;
pub mod query;
pub mod repo;
pub mod scrape;
pub mod serve;
pub mod store;
pub mod string_enum;
pub mod suggest;
pub mod summary;
pub mod synth;
pub mod verify;

pub use domain::{parse_bytes, Report};
pub use index::Index;
pub use ingest::{ingest, IngestOptions, IngestOutcome};
