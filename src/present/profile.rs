//! `cohort show`: one group's whole profile (members, facts, ticks, answers with word counts, warnings), from
//! the index's frames.

use super::style::{count, Style, Tone};
use super::table::cell;
use crate::index::Index;
use crate::store::StoreError;
use polars::prelude::{col, lit, DataFrame, IntoLazy, PolarsError};
use std::io::{self, Write};

/// Why a profile could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Index(#[from] StoreError),
    #[error("unexpected frame layout; re-run `cohort ingest` to rebuild the index")]
    Frame(#[from] PolarsError),
    #[error("a report summary in the index is not JSON; re-run `cohort ingest` to rebuild the index")]
    Summary(#[from] serde_json::Error),
    #[error("cannot write the profile")]
    Io(#[from] io::Error),
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>, PolarsError> {
    Ok(df.column(name)?.str()?.iter().map(|s| s.unwrap_or("").to_string()).collect())
}

fn values(df: &DataFrame, name: &str) -> Result<Vec<String>, PolarsError> {
    let c = df.column(name)?;
    Ok((0..df.height()).map(|i| c.get(i).map_or_else(|_| "-".to_string(), |v| cell(&v))).collect())
}

/// The profile of every report in `reports` (rows of the reports frame, as [`Index::reports_of`] gives them); with
/// `explain`, every candidate behind each fact too ([`crate::domain::facts::explain_facts`]).
pub fn write_profiles(
    out: &mut impl Write,
    index: &Index,
    reports: &DataFrame,
    explain: bool,
    style: Style,
) -> Result<(), ProfileError> {
    for summary in strings(reports, "summary")? {
        let s: serde_json::Value = serde_json::from_str(&summary)?;
        let id = s["id"].as_str().unwrap_or_default().to_string();
        let answers = index.answers_of(&id)?;
        write_profile(out, &s, &index.checklist_of(&id)?, &answers, style)?;
        // An index written before figures were read has no figures frame: nothing to list.
        if let Ok(figures) = index.figures_frame() {
            write_figures(out, &figures, &id, style)?;
        }
        if explain {
            writeln!(out, "facts explained (every candidate):")?;
            let models = crate::store::frames::answer_models(&answers)?;
            for line in super::provenance::explanation_lines(&crate::domain::facts::explain_facts(&models)) {
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The images a report's answers show: each with its path, pixel size and bytes, or why it was not read.
pub fn write_figures(out: &mut impl Write, figures: &DataFrame, id: &str, style: Style) -> Result<(), ProfileError> {
    let mine = figures.clone().lazy().filter(col("id").eq(lit(id))).collect()?;
    if mine.height() == 0 {
        return Ok(());
    }
    writeln!(out, "figures: {}", mine.height())?;
    let (question, line, target, state, reason) = (
        strings(&mine, "question")?,
        values(&mine, "line")?,
        strings(&mine, "target")?,
        strings(&mine, "state")?,
        strings(&mine, "reason")?,
    );
    let (width, height, bytes) = (values(&mine, "width")?, values(&mine, "height")?, values(&mine, "bytes")?);
    for i in 0..mine.height() {
        let what = match state[i].as_str() {
            "ok" => {
                let kb =
                    bytes[i].parse::<u64>().map_or_else(|_| bytes[i].clone(), |b| format!("{} KB", b.div_ceil(1024)));
                format!("{}×{}, {kb}", width[i], height[i])
            }
            "remote" => "on the web, not read".to_string(),
            "embedded" => "embedded in the report (data:)".to_string(),
            _ => style.paint(Tone::Warn, &format!("not read: {}", reason[i])),
        };
        writeln!(out, "  line {:<5} {:<16} {}  {what}", line[i], question[i], terminal_safe(&target[i]))?;
    }
    writeln!(out)?;
    Ok(())
}

/// A file name as a terminal may show it: control characters (escape sequences, newlines) as `?`.
fn terminal_safe(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// One report's profile: its summary, its checklist rows and its answer rows.
pub fn write_profile(
    out: &mut impl Write,
    s: &serde_json::Value,
    checklist: &DataFrame,
    answers: &DataFrame,
    style: Style,
) -> Result<(), ProfileError> {
    let id = s["id"].as_str().unwrap_or_default();
    let text =
        |v: &serde_json::Value| if v.is_null() { "-".to_string() } else { v.to_string().trim_matches('"').to_string() };
    let title = format!("# {}  (group {}, cohort {})", id, text(&s["group"]), text(&s["cohort"]));
    writeln!(out, "{}", style.heading(&title))?;
    writeln!(out, "file:      {}", text(&s["path"]))?;
    writeln!(
        out,
        "template:  {} questions, checklist {}",
        text(&s["template"]).trim_end_matches('q'),
        text(&s["checklist_generation"])
    )?;
    let members: Vec<String> = s["students"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    writeln!(out, "members:   {}", if members.is_empty() { "-".into() } else { members.join(", ") })?;
    // Each figure with the rule that decided it and the sentence it was read from.
    writeln!(out, "facts:")?;
    for line in super::provenance::fact_lines(s) {
        writeln!(out, "{line}")?;
    }

    let items = strings(checklist, "item")?;
    let weeks = values(checklist, "week")?;
    let done: Vec<bool> = checklist.column("done")?.bool()?.iter().map(|d| d.unwrap_or(false)).collect();
    writeln!(out, "\nchecklist: {}/{} ticked", done.iter().filter(|d| **d).count(), done.len())?;
    let mut week_names: Vec<&String> = weeks.iter().collect();
    week_names.dedup();
    for w in week_names {
        let (yes, no): (Vec<_>, Vec<_>) = (0..items.len()).filter(|&i| &weeks[i] == w).partition(|&i| done[i]);
        let list = |v: &[usize]| v.iter().map(|&i| items[i].as_str()).collect::<Vec<_>>().join(", ");
        writeln!(out, "  {w:<6} done:    {}", list(&yes))?;
        if !no.is_empty() {
            writeln!(out, "  {:<6} {} {}", "", style.paint(Tone::Warn, "missing:"), list(&no))?;
        }
    }

    writeln!(out, "\nanswers:")?;
    let qs = strings(answers, "question")?;
    let nums = values(answers, "number")?;
    let words = values(answers, "words")?;
    let images = values(answers, "images")?;
    let answered: Vec<bool> = answers.column("answered")?.bool()?.iter().map(|d| d.unwrap_or(false)).collect();
    for i in 0..qs.len() {
        let state = if answered[i] { String::new() } else { style.paint(Tone::Warn, "  (unanswered)") };
        let imgs = match images[i].parse::<usize>() {
            Ok(0) => String::new(),
            Ok(n) => format!(", {}", count(n, "image", "images")),
            Err(_) => format!(", {} images", images[i]),
        };
        let unit = if words[i] == "1" { "word" } else { "words" };
        writeln!(out, "  Q{:<3} {:<16} {:>4} {unit}{imgs}{state}", nums[i], qs[i], words[i])?;
    }
    let warnings = s["warnings"].as_array().cloned().unwrap_or_default();
    writeln!(out, "\nwarnings: {}", warnings.len())?;
    for w in warnings {
        writeln!(out, "  {}", style.paint(Tone::Warn, w.as_str().unwrap_or_default()))?;
    }
    writeln!(out)?;
    Ok(())
}
