//! The integration tests, as one test binary (one link of polars and tantivy instead of one per file): a module per
//! theme. `cargo test --release --test it MODULE` runs one theme.

mod common;

mod adversarial;
mod check;
mod cli;
mod cli_formats;
mod cli_staff;
mod corpus_conformance;
mod corpus_facts;
mod dupes;
mod facts_fixtures;
mod facts_provenance;
mod figures;
mod formats;
mod hostile_repos;
mod plot;
mod properties;
mod quote_answers;
mod readme;
mod reliability;
mod scrape;
mod serve;
mod serve_abuse;
mod serve_figures;
mod synth_roundtrip;
mod templates;
mod tick_marks;
mod tick_states;
mod verify_corpus;
mod verify_evidence;
mod verify_planted;
mod verify_repos;
