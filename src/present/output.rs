//! Where command output goes: the three formats every listing comes in (an aligned table for people,
//! [`super::table`]; JSON Lines, [`super::json`]; CSV, [`super::csv`]), and the one rule for a reader that stops
//! reading.

use super::style::Style;
use super::table::table_of;
use polars::prelude::{DataFrame, PolarsError};
use std::io::{self, Write};

pub use super::json::write_json_lines;

/// How a listing is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// An aligned plain-text table.
    #[default]
    Table,
    /// One JSON object per line.
    JsonLines,
    /// CSV with a header line.
    Csv,
}

impl Format {
    /// The format the usual `--json` / `--csv` flags ask for (`--json` wins; the command line forbids both).
    pub fn from_flags(json: bool, csv: bool) -> Format {
        if json {
            Format::JsonLines
        } else if csv {
            Format::Csv
        } else {
            Format::Table
        }
    }
}

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write the output")]
    Io(#[from] io::Error),
    #[error("cannot write the output as JSON")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the output as CSV")]
    Csv(#[from] PolarsError),
}

/// Standard output, buffered (flush it before returning).
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Writes a frame as a table (nulls as `-`; headers bold with colour), JSON Lines (one object per row) or CSV.
pub fn write_frame(out: &mut impl Write, df: &mut DataFrame, format: Format, style: Style) -> Result<(), OutputError> {
    match format {
        Format::JsonLines => write_json_lines(out, super::json::json_rows(df))?,
        Format::Csv => super::csv::write_frame(out, df)?,
        Format::Table => table_of(df).print_styled(out, style)?,
    }
    Ok(())
}

/// Whether an error (or any error it was caused by) is a reader that stopped reading (`cohort ... | head`):
/// that ends the output early and is not worth a message.
pub fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(e) = next {
        let kind = if let Some(io) = e.downcast_ref::<io::Error>() {
            Some(io.kind())
        } else if let Some(json) = e.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(PolarsError::IO { error, .. }) = e.downcast_ref::<PolarsError>() {
            Some(error.kind())
        } else {
            None
        };
        if kind == Some(io::ErrorKind::BrokenPipe) {
            return true;
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_found_anywhere_in_the_chain() {
        let pipe = || io::Error::new(io::ErrorKind::BrokenPipe, "closed");
        assert!(is_broken_pipe(&OutputError::Io(pipe())));
        assert!(is_broken_pipe(&OutputError::Json(serde_json::Error::io(pipe()))));
        assert!(!is_broken_pipe(&OutputError::Io(io::Error::new(io::ErrorKind::NotFound, "gone"))));
    }
}
