//! `cohort dupes` for people and programs: the ranked table, the JSON Lines and CSV rows of the interface contract,
//! the HTML page and the side-by-side view of two reports.

use super::html::{self, PairView, Side};
use super::output::OutputError;
use super::side_by_side::{self, MarkStyle};
use super::style::{count, Style, Tone};
use super::table::Table;
use crate::dupes::run::{Comparison, Source};
use crate::dupes::{text, Pair, ReportMeta, Settings, PASSAGE_FLOOR};
use std::io::{self, Write};
use std::ops::Range;

/// One pair in the JSON Lines output (INTERFACE.md: `a`, `b`, `question`, `similarity`, `shared_words`).
#[derive(Debug, serde::Serialize)]
pub struct PairJson<'a> {
    pub a: &'a str,
    pub b: &'a str,
    /// The question's canonical key, as `question` is in every other command's JSON.
    pub question: &'static str,
    /// The question's number as report `a` writes it (numbers differ between the 27- and 31-question sets).
    pub question_number: Option<u32>,
    /// The same as `question`. Deprecated: kept for one release for scripts written when `question` was the
    /// number.
    pub key: &'static str,
    pub similarity: f64,
    pub shared_words: usize,
    pub longest: usize,
    pub containment: f64,
    pub jaccard: f64,
    pub kind: &'static str,
    pub same_group: bool,
    pub cohort_a: &'a str,
    pub cohort_b: &'a str,
    pub group_a: Option<u32>,
    pub group_b: Option<u32>,
    pub words_a: usize,
    pub words_b: usize,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A pair as its JSON Lines row.
pub fn pair_json<'a>(source: &'a Source, p: &Pair) -> PairJson<'a> {
    let (ma, mb) = (source.meta(p.a), source.meta(p.b));
    PairJson {
        a: &ma.id,
        b: &mb.id,
        question: p.key.as_str(),
        question_number: source.corpus.answers[p.a].number,
        key: p.key.as_str(),
        similarity: round3(p.similarity()),
        shared_words: p.shared_words,
        longest: p.longest,
        containment: round3(p.containment),
        jaccard: round3(p.jaccard),
        kind: p.kind.as_str(),
        same_group: p.same_group,
        cohort_a: &ma.cohort,
        cohort_b: &mb.cohort,
        group_a: ma.group,
        group_b: mb.group,
        words_a: p.words_a,
        words_b: p.words_b,
    }
}

/// The reporting rule in words, for the page and the "nothing found" line.
pub fn rule(s: &Settings) -> String {
    format!(
        "containment ≥ {} with ≥ {} shared words, or one shared passage of ≥ {} words at containment ≥ {:.2}",
        s.min_similarity,
        s.min_shared_words,
        s.min_passage,
        s.min_similarity * PASSAGE_FLOOR
    )
}

pub fn about(meta: &ReportMeta) -> String {
    let group = meta.group.map_or_else(|| "group ?".to_string(), |g| format!("group {g}"));
    let earlier = if meta.earlier { ", earlier cohort" } else { "" };
    format!("{group}, cohort {}{earlier}", meta.cohort)
}

/// Word-index ranges as byte ranges of the markdown they were read from.
pub fn byte_marks(markdown: &str, words: &[Range<usize>]) -> Vec<Range<usize>> {
    let spans = text::word_spans(markdown);
    words
        .iter()
        .filter_map(|r| {
            let first = spans.get(r.start)?;
            let last = spans.get(r.end.checked_sub(1)?)?;
            Some(first.start..last.end)
        })
        .collect()
}

pub fn scores(p: &Pair) -> String {
    format!(
        "containment {:.2} · Jaccard {:.2} · {} shared words · {}",
        p.containment,
        p.jaccard,
        p.shared_words,
        p.kind.as_str()
    )
}

/// The columns of `cohort dupes --csv`: the fields of its JSON Lines rows, in their order.
pub const CSV_COLUMNS: [&str; 18] = [
    "a",
    "b",
    "question",
    "question_number",
    "similarity",
    "shared_words",
    "longest",
    "containment",
    "jaccard",
    "kind",
    "same_group",
    "cohort_a",
    "cohort_b",
    "group_a",
    "group_b",
    "words_a",
    "words_b",
    "key",
];

/// The pairs as CSV: one line per pair with the JSON Lines fields ([`CSV_COLUMNS`]).
pub fn write_csv(out: &mut impl Write, source: &Source, pairs: &[&Pair]) -> Result<(), OutputError> {
    super::csv::write_records(out, &CSV_COLUMNS, pairs.iter().map(|p| pair_json(source, p)))
}

/// The line saying no pair was found, and under which rule.
pub fn nothing_found(settings: &Settings) -> String {
    format!("no answers share enough text ({})", rule(settings))
}

/// How similar a pair looks on a terminal: an exact copy red, any other pair yellow, two reports of one group dim
/// (they are not copying).
fn pair_tone(p: &Pair) -> Tone {
    if p.same_group {
        Tone::Faint
    } else if p.kind == crate::dupes::Kind::Exact {
        Tone::Bad
    } else {
        Tone::Warn
    }
}

/// The ranked table of pairs (nothing when there are none: the caller says so with [`nothing_found`]).
pub fn write_table(out: &mut impl Write, source: &Source, pairs: &[&Pair], style: Style) -> io::Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut table = Table::new(&["#", "a", "b", "question", "containment", "jaccard", "shared words", "kind", "note"]);
    table.numeric = vec![true, false, false, false, true, true, true, false, false];
    for (i, p) in pairs.iter().enumerate() {
        let note = if p.same_group {
            "same group"
        } else if source.meta(p.b).earlier {
            "earlier cohort"
        } else {
            ""
        };
        let tone = pair_tone(p);
        let plain = |s: String| (s, Tone::Plain);
        table.push_toned(vec![
            plain((i + 1).to_string()),
            plain(source.meta(p.a).id.clone()),
            plain(source.meta(p.b).id.clone()),
            plain(p.key.as_str().to_string()),
            (format!("{:.2}", p.containment), tone),
            (format!("{:.2}", p.jaccard), tone),
            plain(p.shared_words.to_string()),
            (p.kind.as_str().to_string(), tone),
            (note.to_string(), Tone::Faint),
        ]);
    }
    table.print_styled(out, style)
}

/// What was compared and ignored, in one line.
pub fn summary_line(source: &Source, pairs: usize, common_shingles: usize, settings: &Settings) -> String {
    let corpus = &source.corpus;
    let current = corpus.reports.iter().filter(|r| !r.earlier).count();
    format!(
        "{} among {} of {}{}; {} ignored (in more than {})",
        count(pairs, "pair", "pairs"),
        count(corpus.answers.len(), "answer", "answers"),
        count(current, "report", "reports"),
        if current < corpus.reports.len() {
            format!(" (+{} earlier)", corpus.reports.len() - current)
        } else {
            String::new()
        },
        count(common_shingles, "common passage", "common passages"),
        count(settings.max_reports, "report", "reports")
    )
}

/// The self-contained HTML page of all pairs with the shared passages highlighted.
pub fn page(source: &Source, pairs: &[&Pair], settings: &Settings) -> String {
    let views: Vec<PairView<'_>> = pairs
        .iter()
        .map(|p| {
            let side = |answer: usize, passages: &[Range<usize>]| {
                let md = source.markdown.get(answer).map_or("", String::as_str);
                Side {
                    id: &source.meta(answer).id,
                    about: about(source.meta(answer)),
                    markdown: md,
                    marks: byte_marks(md, passages),
                }
            };
            PairView {
                question: p.key.as_str(),
                scores: scores(p),
                note: p.same_group.then(|| "same group (not copying)".to_string()),
                a: side(p.a, &p.passages_a),
                b: side(p.b, &p.passages_b),
            }
        })
        .collect();
    let intro = format!(
        "{} sharing passages ({}; text in more than {} reports ignored). Shared passages are highlighted.",
        count(views.len(), "pair of answers", "pairs of answers"),
        rule(settings),
        settings.max_reports
    );
    html::page("cohort dupes", &intro, &views)
}

/// Two reports' answers side by side, question by question, the shared passages marked.
pub fn write_comparison(
    out: &mut impl Write,
    source: &Source,
    c: &Comparison,
    names: (&str, &str),
    width: usize,
    style: MarkStyle,
) -> io::Result<()> {
    let corpus = &source.corpus;
    if c.below_thresholds {
        writeln!(
            out,
            "{} and {} are not reported as a pair; what they share below the thresholds:\n",
            names.0, names.1
        )?;
    }
    for q in &c.questions {
        let line = q.pair.as_ref().map_or_else(|| "no shared passages".to_string(), scores);
        let text = |i: Option<usize>| i.and_then(|i| source.markdown.get(i)).map_or("(no answer)", String::as_str);
        let title = |i: Option<usize>, fallback: usize| {
            let m = &corpus.reports[i.map_or(fallback, |i| corpus.answers[i].report)];
            format!("{} ({})", m.id, about(m))
        };
        let (ma, mb) = (text(q.a), text(q.b));
        writeln!(out, "== {}: {line}", q.key)?;
        side_by_side::write(
            out,
            (&title(q.a, c.a), ma, &byte_marks(ma, &q.passages.0)),
            (&title(q.b, c.b), mb, &byte_marks(mb, &q.passages.1)),
            width,
            style,
        )?;
        writeln!(out)?;
    }
    if c.questions.is_empty() {
        writeln!(
            out,
            "{} and {} share no passages outside common text; add --question KEY to see one answer pair",
            names.0, names.1
        )?;
    }
    Ok(())
}
