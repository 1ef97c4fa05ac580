//! Aligned plain-text tables, and the conversion of a polars frame into rows for tables, JSON and CSV output.

use crate::summary::OrderedMap;
use polars::prelude::{AnyValue, DataFrame};
use serde_json::Value;
use std::io::{self, Write};

/// A table of text cells; numbers are right-aligned.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<bool>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
            numeric: vec![false; headers.len()],
        }
    }

    /// The table as CSV: the headers, then the rows, fields quoted where CSV needs it.
    pub fn print_csv(&self, out: &mut impl Write) -> io::Result<()> {
        write_csv_line(out, self.headers.iter().map(String::as_str))?;
        for r in &self.rows {
            write_csv_line(out, r.iter().map(String::as_str))?;
        }
        Ok(())
    }

    pub fn print(&self, out: &mut impl Write) -> io::Result<()> {
        let n = self.headers.len();
        let mut width: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let line = |cells: &[String], out: &mut dyn Write| -> io::Result<()> {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate().take(n) {
                let pad = width[i].saturating_sub(c.chars().count());
                if i > 0 {
                    s.push_str("  ");
                }
                if self.numeric.get(i).copied().unwrap_or(false) {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    if i + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(&self.headers, out)?;
        let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, out)?;
        for r in &self.rows {
            line(r, out)?;
        }
        Ok(())
    }
}

/// A value as a table cell: null as `-`, strings unquoted, floats with two decimals (none when whole).
pub fn cell(v: &AnyValue<'_>) -> String {
    match v {
        AnyValue::Null => "-".into(),
        AnyValue::Float64(f) => format_float(*f),
        AnyValue::Float32(f) => format_float(f64::from(*f)),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => other.to_string(),
    }
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e12 {
        format!("{f:.0}")
    } else {
        format!("{f:.2}")
    }
}

fn json(v: &AnyValue<'_>) -> Value {
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::UInt8(n) => (*n).into(),
        AnyValue::UInt16(n) => (*n).into(),
        AnyValue::UInt32(n) => (*n).into(),
        AnyValue::UInt64(n) => (*n).into(),
        AnyValue::Int8(n) => (*n).into(),
        AnyValue::Int16(n) => (*n).into(),
        AnyValue::Int32(n) => (*n).into(),
        AnyValue::Int64(n) => (*n).into(),
        AnyValue::Float32(f) => serde_json::Number::from_f64(f64::from(*f)).map_or(Value::Null, Value::Number),
        AnyValue::Float64(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        other => Value::String(other.to_string()),
    }
}

/// The frame as a table; float columns are shown with two decimals, rates as percentages.
pub fn table_of(df: &DataFrame) -> Table {
    let headers: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    let numeric = df.dtypes().iter().map(|d| d.is_primitive_numeric()).collect();
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let row = df.get(i).unwrap_or_default();
        rows.push(
            row.iter()
                .zip(&headers)
                .map(|(v, h)| match (h.as_str(), v) {
                    ("rate", AnyValue::Float64(f)) => format!("{:.1}%", f * 100.0),
                    _ => cell(v),
                })
                .collect(),
        );
    }
    Table { headers, rows, numeric }
}

/// The frame as JSON objects, one per row, keys in column order.
pub fn json_rows(df: &DataFrame) -> Vec<OrderedMap<Value>> {
    let names: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    (0..df.height())
        .map(|i| {
            let row = df.get(i).unwrap_or_default();
            OrderedMap(names.iter().cloned().zip(row.iter().map(json)).collect())
        })
        .collect()
}

/// One CSV line: fields with a comma, quote or line break are quoted (quotes doubled).
pub fn write_csv_line<'a>(out: &mut impl Write, fields: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    let quoted: Vec<String> = fields
        .into_iter()
        // Formula-like cells made inert, as in every CSV cohort writes (`frames::spreadsheet_safe`).
        .map(crate::store::frames::spreadsheet_safe)
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
