//! Facts with the sentences they were read from, and the candidates behind them (`cohort show`, `--explain`).

use crate::domain::facts::FactExplanation;
use crate::domain::Provenance;

/// One line of a sentence for the terminal: whitespace collapsed, cut at `max` characters.
fn one_line(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// One fact of a report as `cohort show` and the group page list it: its name, its value as shown, and where it
/// was read (none when the report does not state it, or the index predates provenance).
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    /// The summary's field (`tests`, `most_expensive_service`, ...).
    pub fact: &'static str,
    /// The name people read ("most expensive").
    pub name: &'static str,
    /// The value as shown (`-` when not stated).
    pub value: String,
    pub provenance: Option<Provenance>,
}

/// The figures of a report (its JSON summary, INTERFACE.md), each with the rule that decided it and the sentence
/// it was read from.
pub fn fact_rows(summary: &serde_json::Value) -> Vec<FactRow> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "-".to_string(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let credits = match &summary["credits"] {
        serde_json::Value::Null => "-".to_string(),
        c => format!("{} {}", c["amount"], c["unit"].as_str().unwrap_or("")),
    };
    let coverage = match &summary["coverage"] {
        serde_json::Value::Null => "-".to_string(),
        c => format!("{c}%"),
    };
    let figures = [
        ("group", text(&summary["group"])),
        ("tests", text(&summary["tests"])),
        ("coverage", coverage),
        ("credits", credits),
        ("most_expensive_service", text(&summary["most_expensive_service"])),
    ];
    figures
        .into_iter()
        .map(|(fact, value)| FactRow {
            fact,
            name: if fact == "most_expensive_service" { "most expensive" } else { fact },
            value,
            provenance: serde_json::from_value(summary["provenance"][fact].clone()).ok(),
        })
        .collect()
}

/// The facts of [`fact_rows`] for the terminal: one line per fact, then one indented line per further part of a
/// sum.
pub fn fact_lines(summary: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for FactRow { name, value, provenance, .. } in fact_rows(summary) {
        match provenance {
            Some(p) => {
                out.push(format!(
                    "  {name:<15} {value:<12} {:<19} line {:>4}: \"{}\"",
                    p.rule.as_str(),
                    p.line,
                    one_line(&p.sentence, 110)
                ));
                for q in p.parts.iter().skip(1) {
                    out.push(format!(
                        "  {:<15} {:<12} {:<19} line {:>4}: \"{}\"",
                        "",
                        format!("+ {}", q.written),
                        "",
                        q.line,
                        one_line(&q.sentence, 110)
                    ));
                }
            }
            None => out.push(format!("  {name:<15} {value}")),
        }
    }
    out
}

/// Every fact with its value or why it has none, then every candidate: where it is, what it was read as, and
/// whether it was chosen, summed or lost, and why.
pub fn explanation_lines(explained: &[FactExplanation]) -> Vec<String> {
    let mut out = Vec::new();
    for e in explained {
        let head = match (&e.value, e.rule) {
            (Some(v), Some(rule)) => format!("{} = {v}  ({rule})", e.fact),
            (Some(v), None) => format!("{} = {v}", e.fact),
            (None, _) => format!("{} = none  ({})", e.fact, e.note.as_deref().unwrap_or("nothing stated")),
        };
        out.push(format!("  {head}{}", e.question.map(|q| format!("  [answer {q}]")).unwrap_or_default()));
        if e.candidates.is_empty() {
            out.push("      no candidates".to_string());
        }
        for c in &e.candidates {
            out.push(format!(
                "      {:<7} {:<14} line {:>4}  {}: {}",
                c.verdict.as_str(),
                one_line(&c.quote.written, 14),
                c.quote.line,
                c.read_as,
                c.why
            ));
            out.push(format!("              \"{}\"", one_line(&c.quote.sentence, 120)));
        }
    }
    out
}
