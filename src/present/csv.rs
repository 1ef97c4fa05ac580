//! CSV output: a header line, then one line per row; a field holding a comma, quote or line break is quoted, and
//! every text cell goes through [`spreadsheet_safe`] (a formula-like cell made inert), whatever the command.

use super::table::Table;
use crate::store::frames::spreadsheet_safe;
use polars::prelude::{DataFrame, PolarsError};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// One CSV line.
pub fn write_line<'a>(out: &mut impl Write, fields: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    let quoted: Vec<String> = fields
        .into_iter()
        .map(spreadsheet_safe)
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.into_owned()
            }
        })
        .collect();
    writeln!(out, "{}", quoted.join(","))
}

/// A table's headers and rows as CSV (the cells as the table shows them).
pub fn write_table(out: &mut impl Write, table: &Table) -> io::Result<()> {
    write_line(out, table.headers.iter().map(String::as_str))?;
    for r in &table.rows {
        write_line(out, r.iter().map(String::as_str))?;
    }
    Ok(())
}

/// A frame as CSV (polars' writer over the frame made spreadsheet-safe: the one way frames become CSV).
pub fn write_frame(out: &mut impl Write, df: &mut DataFrame) -> Result<(), PolarsError> {
    crate::store::frames::write_csv_to(out, df)
}

/// Records (anything that serialises to a JSON object) as CSV with the given columns, in that order: the columns
/// of a command's JSON Lines, so the two formats hold the same fields. A missing field or null is an empty cell, a
/// string its text, a list its items joined by `; `, anything else its JSON.
pub fn write_records<T: Serialize>(
    out: &mut impl Write,
    columns: &[&str],
    records: impl IntoIterator<Item = T>,
) -> Result<(), super::output::OutputError> {
    write_line(out, columns.iter().copied())?;
    for record in records {
        let value = serde_json::to_value(&record)?;
        let cells: Vec<String> = columns.iter().map(|c| field_text(value.get(c))).collect();
        write_line(out, cells.iter().map(String::as_str))?;
    }
    Ok(())
}

fn field_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().map(|i| field_text(Some(i))).collect::<Vec<_>>().join("; "),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_follow_the_columns_and_quote_what_csv_needs() {
        let rows = [serde_json::json!({"b": "x, y", "a": 1, "c": null, "d": ["p", "q"], "e": "=SUM(A1)"})];
        let mut out = Vec::new();
        write_records(&mut out, &["a", "b", "c", "d", "e", "missing"], rows).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "a,b,c,d,e,missing\n1,\"x, y\",,p; q,'=SUM(A1),\n");
    }
}
