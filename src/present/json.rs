//! JSON Lines output: one JSON object per line, nothing else on standard output.

use crate::summary::OrderedMap;
use polars::prelude::{AnyValue, DataFrame};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

/// Writes each item as one line of JSON.
pub fn write_json_lines<T: Serialize>(
    out: &mut impl Write,
    items: impl IntoIterator<Item = T>,
) -> Result<(), super::output::OutputError> {
    for item in items {
        serde_json::to_writer(&mut *out, &item)?;
        writeln!(out)?;
    }
    Ok(())
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
