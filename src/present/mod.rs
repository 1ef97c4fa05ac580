//! Presentation: human-readable text and tables. Depends on the domain and the summaries, never the reverse.

pub mod html;
pub mod plot;
pub mod provenance;
pub mod side_by_side;
pub mod table;
pub mod text;
