//! Presentation: human-readable text and tables, and the output formats. Depends on the domain and the summaries,
//! never the reverse.

pub mod answers;
pub mod check;
pub mod csv;
pub mod dupes;
pub mod figure_pairs;
pub mod html;
pub mod json;
pub mod keys;
pub mod listing;
pub mod output;
pub mod plot;
pub mod profile;
pub mod provenance;
pub mod side_by_side;
pub mod style;
pub mod table;
pub mod text;
pub mod verify;
