//! Presentation: human-readable text and tables. Depends on the domain and the summaries, never the reverse.

pub mod table;
pub mod text;
