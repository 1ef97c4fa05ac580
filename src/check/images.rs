//! Where an image an answer shows lives: see [`crate::images::target`], shared with the figures that ingest
//! fingerprints and `cohort serve` shows.

pub use crate::images::target::*;
