//! `cohort show GROUP` and `--question KEY`: the answers' own text, each line with its line number in the report
//! file, so staff can read an answer and point at it in the file.

use super::output::{write_json_lines, Format, OutputError};
use super::profile::ProfileError;
use super::style::Style;
use crate::index::Index;
use polars::prelude::DataFrame;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// One answer's text, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerText {
    pub id: String,
    pub cohort: String,
    pub group: Option<u32>,
    /// Canonical question key, or `extra`.
    pub question: String,
    pub number: Option<u32>,
    /// The report file, as the index lists it.
    pub file: PathBuf,
    /// The line of the question in the file.
    pub question_line: u32,
    pub answered: bool,
    pub lines: Vec<NumberedLine>,
}

/// One line of an answer with its 1-based line number in the file (`None` when the file no longer has it: it
/// changed or moved since the ingest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberedLine {
    pub line: Option<usize>,
    pub text: String,
}

/// Numbers the lines of an answer (as stored: trimmed, placeholders dropped) by finding them, in order, in the file
/// from the question's line on.
pub fn number_lines(file_text: Option<&str>, question_line: usize, markdown: &str) -> Vec<NumberedLine> {
    let file_lines: Vec<&str> = file_text.map(|t| t.lines().collect()).unwrap_or_default();
    let mut next = question_line.saturating_sub(1);
    markdown
        .lines()
        .map(|l| {
            let wanted = l.trim();
            let found = if wanted.is_empty() {
                // A blank line is the one after the previous line found, when that one is blank too.
                file_lines.get(next).filter(|f| f.trim().is_empty()).map(|_| next)
            } else {
                file_lines.iter().skip(next).position(|f| f.trim() == wanted || f.contains(wanted)).map(|p| next + p)
            };
            if let Some(at) = found {
                next = at + 1;
            }
            NumberedLine { line: found.map(|at| at + 1), text: l.to_string() }
        })
        .collect()
}

/// The answers of the reports in `reports` (rows of the reports frame), of one question or all.
pub fn answer_texts(
    index: &Index,
    reports: &DataFrame,
    question: Option<&str>,
) -> Result<Vec<AnswerText>, ProfileError> {
    let manifest = index.manifest()?;
    let ids = reports.column("id")?.str()?.clone();
    let mut out = Vec::new();
    for id in ids.iter().flatten() {
        let answers = index.answers_of(id)?;
        let file = manifest.entries.iter().find(|e| e.id == id).map(|e| e.file.clone()).unwrap_or_default();
        let text = std::fs::read(&file).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        let cohort = answers.column("cohort")?.str()?.clone();
        let group = answers.column("group")?.u32()?.clone();
        let keys = answers.column("question")?.str()?.clone();
        let numbers = answers.column("number")?.u32()?.clone();
        let lines = answers.column("line")?.u32()?.clone();
        let answered = answers.column("answered")?.bool()?.clone();
        let markdown = answers.column("markdown")?.str()?.clone();
        for i in 0..answers.height() {
            let key = keys.get(i).unwrap_or("extra");
            if question.is_some_and(|q| q != key) {
                continue;
            }
            let question_line = lines.get(i).unwrap_or(0);
            out.push(AnswerText {
                id: id.to_string(),
                cohort: cohort.get(i).unwrap_or("").to_string(),
                group: group.get(i),
                question: key.to_string(),
                number: numbers.get(i),
                file: file.clone(),
                question_line,
                answered: answered.get(i).unwrap_or(false),
                lines: number_lines(text.as_deref(), question_line as usize, markdown.get(i).unwrap_or("")),
            });
        }
    }
    Ok(out)
}

/// The columns of `cohort show --csv`: one row per line of an answer, the answer's fields beside it.
pub const CSV_COLUMNS: [&str; 10] =
    ["id", "cohort", "group", "question", "number", "file", "question_line", "answered", "line", "text"];

/// The answers' text for people (`  412 | text`), as JSON Lines (one object per answer) or as CSV (one row per
/// line, [`CSV_COLUMNS`]).
pub fn write_answer_texts(
    out: &mut impl Write,
    answers: &[AnswerText],
    format: Format,
    style: Style,
) -> Result<(), OutputError> {
    match format {
        Format::JsonLines => return write_json_lines(out, answers),
        Format::Csv => {
            let rows = answers.iter().flat_map(|a| {
                a.lines.iter().map(move |l| {
                    serde_json::json!({
                        "id": a.id, "cohort": a.cohort, "group": a.group, "question": a.question,
                        "number": a.number, "file": a.file, "question_line": a.question_line,
                        "answered": a.answered, "line": l.line, "text": l.text,
                    })
                })
            });
            return super::csv::write_records(out, &CSV_COLUMNS, rows);
        }
        Format::Table => {}
    }
    let width = answers.iter().flat_map(|a| &a.lines).filter_map(|l| l.line).max().unwrap_or(1).to_string().len();
    for a in answers {
        let number = a.number.map_or_else(|| "Q?".to_string(), |n| format!("Q{n}"));
        let head = format!("{number} {}  ({}, {}:{})", a.question, a.id, a.file.display(), a.question_line);
        writeln!(out, "{}", style.heading(&head))?;
        if !a.answered {
            writeln!(out, "{}", style.faint("  (unanswered)"))?;
        }
        for l in &a.lines {
            let n = l.line.map_or_else(|| "?".to_string(), |n| n.to_string());
            writeln!(out, "{} | {}", style.faint(&format!("{n:>width$}")), l.text)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_in_order_after_the_question() {
        let file = "# Q1\nintro\n\nAnswer:\n\nWe used DVC.\n\nIt worked.\n# Q2\nIt worked.\n";
        let numbered = number_lines(Some(file), 1, "We used DVC.\n\nIt worked.");
        let got: Vec<Option<usize>> = numbered.iter().map(|l| l.line).collect();
        assert_eq!(got, vec![Some(6), Some(7), Some(8)]);
        let moved = number_lines(None, 1, "We used DVC.");
        assert_eq!(moved[0].line, None);
    }
}
