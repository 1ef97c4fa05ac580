//! Invariants of the parser over inputs nobody wrote by hand: whatever the bytes, parsing returns (a report or an
//! error, never a panic); an answer's text survives parsing; line endings change nothing that is read.
//!
//! Inputs are arbitrary bytes, markdown-ish token soup (to get past the decoder into the heading and answer code),
//! and synthetic reports from the generator, mutated or with text inserted. Fuzzing (`fuzz/`) explores the same
//! entry point for much longer; these run in `cargo test`.

use cohort::domain::facts::extract_facts;
use cohort::domain::{parse_bytes, Report};
use cohort::synth::{generate, CohortSpec, SyntheticReport};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

const PATH: &str = "group_1/reports/README.md";

fn parse(bytes: &[u8]) -> Option<Report> {
    parse_bytes(Path::new(PATH), bytes).ok()
}

/// Synthetic reports of all three course years with their formatting quirks (CRLF, BOM, mojibake, HTML, ...).
fn synthetic() -> &'static [SyntheticReport] {
    static REPORTS: OnceLock<Vec<SyntheticReport>> = OnceLock::new();
    REPORTS.get_or_init(|| generate(&CohortSpec { seed: 31, reports: 24, cohort: None, quirks: true }))
}

/// Pieces of the report template and of the ways groups deviate from it, to be strung together at random.
const TOKENS: &[&str] = &[
    "### Question 1\n",
    "### Question 7\n",
    "### Question 31\n",
    "### 12.\n",
    "## Overall project checklist\n",
    "### Week 1\n",
    "### Week 3\n",
    "## Group information\n",
    "## Coding environment\n",
    "# ",
    "> **Enter the group number you signed up on <learn.inside.dtu.dk>**\n",
    "> **How many tests did you implement and what is the total code coverage?**\n",
    "> **How many credits did you end up using during the project?**\n",
    "> Answer:\n",
    "Answer:",
    "**Answer:**",
    "--- question 3 fill here ---\n",
    "---\n",
    "* [x] Create a git repository (M5)\n",
    "* [ ] Write unit tests related to the data part of your code (M16)\n",
    "- [X] ",
    "- ✅ ",
    "* [ok] ",
    "```\n",
    "```python\n",
    "~~~\n",
    "    indented code\n",
    "<table>\n<tr><td>",
    "</table>\n",
    "<img src=\"figures/a.png\" width=\"50%\">",
    "![alt](figures/b.png)",
    "[link](https://example.org/x)",
    "https://example.org/y ",
    "s123456 ",
    "group 17 ",
    "we wrote 23 tests with 87% coverage ",
    "we spent 130 DKK, 20 USD and 40 EUR in total ",
    "â€™",
    "\u{feff}",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\t",
    " ",
    "|a|b|\n|-|-|\n",
    "1. ",
    "* ",
    "   * ",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "`",
    "*",
    "_",
];

fn token_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => "[a-zA-Z0-9 .,:;%$€-]{0,24}",
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|parts| parts.concat())
}

/// One edit to a file's bytes, at positions given as fractions of its length (so they stay in range).
#[derive(Debug, Clone)]
enum Mutation {
    Insert { at: f64, bytes: Vec<u8> },
    InsertToken { at: f64, token: &'static str },
    Delete { at: f64, len: usize },
    Duplicate { at: f64, len: usize },
    Truncate { at: f64 },
    SetByte { at: f64, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (0.0..1.0, prop::sample::select(TOKENS)).prop_map(|(at, token)| Mutation::InsertToken { at, token }),
        (0.0..1.0, 1..2000usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0.0..1.0, 1..2000usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (0.0..1.0).prop_map(|at| Mutation::Truncate { at }),
        (0.0..1.0, any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let pos = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
    match m {
        Mutation::Insert { at, bytes: new } => {
            let p = pos(*at, bytes.len());
            bytes.splice(p..p, new.iter().copied());
        }
        Mutation::InsertToken { at, token } => {
            let p = pos(*at, bytes.len());
            bytes.splice(p..p, token.bytes());
        }
        Mutation::Delete { at, len } => {
            let p = pos(*at, bytes.len());
            let end = (p + len).min(bytes.len());
            bytes.drain(p..end);
        }
        Mutation::Duplicate { at, len } => {
            let p = pos(*at, bytes.len());
            let end = (p + len).min(bytes.len());
            let copy = bytes[p..end].to_vec();
            bytes.splice(end..end, copy);
        }
        Mutation::Truncate { at } => {
            let p = pos(*at, bytes.len());
            bytes.truncate(p);
        }
        Mutation::SetByte { at, byte } => {
            if !bytes.is_empty() {
                let p = pos(*at, bytes.len() - 1);
                bytes[p] = *byte;
            }
        }
    }
}

/// The report as JSON, to compare two parses as a whole (answers, checklist, facts and warnings with lines).
fn as_json(r: &Report) -> serde_json::Value {
    serde_json::to_value(r).expect("a report serialises")
}

/// The text with every line ending replaced: `pick(i)` says which of LF, CRLF or a lone CR ends line `i`.
fn with_line_endings(lf_text: &str, pick: impl Fn(usize) -> &'static str) -> String {
    let lines: Vec<&str> = lf_text.split('\n').collect();
    let mut out = String::with_capacity(lf_text.len() * 2);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            // A lone CR before an empty line ended by LF would read as one CRLF: the empty line would vanish.
            let ending = match pick(i - 1) {
                "\r" if line.is_empty() => "\r\n",
                e => e,
            };
            out.push_str(ending);
        }
        out.push_str(line);
    }
    out
}

fn lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Where `line` (1-based) starts in `text` (lines counted on `\n`, as the decoder's output numbers them).
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn parse_never_panics_on_markdown_soup(text in token_soup()) {
        if let Some(report) = parse(text.as_bytes()) {
            // Whatever was read is consistent with itself: lines point into the file, answered answers have text.
            let lines = lf(&text).split('\n').count();
            for a in &report.answers {
                prop_assert!(a.line >= 1 && a.line <= lines, "answer line {} of {lines}", a.line);
                prop_assert!(!a.answered || !a.markdown.trim().is_empty());
            }
            for w in &report.warnings {
                prop_assert!(w.line.map_or(true, |l| l >= 1 && l <= lines), "warning {w} beyond {lines} lines");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_mutated_reports(
        which in 0..24usize,
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let mut bytes = synthetic()[which].markdown.clone().into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let _ = parse(&bytes);
    }

    /// A sentence added to an answer is in that answer's markdown, in no other answer, and adds its words to that
    /// answer's count and no other's.
    #[test]
    fn every_answered_question_keeps_its_text(
        which in 0..24usize,
        pick_answer in any::<prop::sample::Index>(),
        pick_line in any::<prop::sample::Index>(),
        words in prop::collection::vec("[a-z]{3,9}", 3..12),
    ) {
        let r = &synthetic()[which];
        let before = parse(r.markdown.as_bytes()).expect("a synthetic report parses");
        let answered: Vec<usize> = (0..before.answers.len()).filter(|&i| before.answers[i].answered && before.answers[i].key.is_some()).collect();
        prop_assume!(!answered.is_empty());
        let i = answered[pick_answer.index(answered.len())];
        let answer = &before.answers[i];
        // A line of the answer as it stands in the file (not one the decoder repaired), after its heading. Lines
        // are counted on `\n`, which is right for LF and CRLF files alike (the generator writes no lone CR).
        let after_heading = line_start(&r.markdown, answer.line).expect("heading line");
        // Whole lines only: a wrapped prompt can hold the same words as a line of the answer.
        let region = &r.markdown[after_heading..];
        let candidates: Vec<usize> = answer
            .markdown
            .lines()
            .filter(|l| l.trim().len() >= 12)
            .filter_map(|l| {
                let needle = format!("\n{l}");
                region
                    .match_indices(&needle)
                    .map(|(at, _)| at + needle.len())
                    .find(|&end| matches!(region.as_bytes().get(end), Some(b'\n' | b'\r')))
                    .map(|end| after_heading + end)
            })
            .collect();
        prop_assume!(!candidates.is_empty());
        let at = candidates[pick_line.index(candidates.len())];
        let sentence = format!("Zyxqua {}.", words.join(" "));
        let mut edited = r.markdown.clone();
        edited.insert_str(at, &format!("\n{sentence}\n"));

        let after = parse(edited.as_bytes()).expect("the edited report parses");
        prop_assert_eq!(after.answers.len(), before.answers.len());
        let holding: Vec<usize> = (0..after.answers.len()).filter(|&k| after.answers[k].markdown.contains(&sentence)).collect();
        prop_assert_eq!(&holding, &vec![i], "the sentence {:?} inserted at byte {} of {} (answer {:?})", sentence, at, r.id, answer.key);
        for (k, (a, b)) in before.answers.iter().zip(&after.answers).enumerate() {
            let added = if k == i { words.len() + 1 } else { 0 };
            prop_assert_eq!(b.words, a.words + added, "word count of answer {:?}", a.key);
            prop_assert_eq!(a.key, b.key);
        }
    }

    /// LF, CRLF, lone CR or any mix of them: the same report is read, to the line numbers of its warnings.
    #[test]
    fn line_endings_change_nothing(which in 0..24usize, endings in prop::collection::vec(0..3u8, 64)) {
        let text = lf(&synthetic()[which].markdown);
        let unix = parse(text.as_bytes()).expect("a synthetic report parses");
        let windows = parse(with_line_endings(&text, |_| "\r\n").as_bytes()).expect("CRLF parses");
        let mixed_text = with_line_endings(&text, |i| ["\n", "\r\n", "\r"][usize::from(endings[i % endings.len()])]);
        let mixed = parse(mixed_text.as_bytes()).expect("mixed endings parse");
        let words = |r: &Report| r.answers.iter().map(|a| (a.key, a.words)).collect::<Vec<_>>();
        prop_assert_eq!(words(&unix), words(&windows));
        prop_assert_eq!(words(&unix), words(&mixed));
        prop_assert_eq!(&unix.facts, &windows.facts);
        prop_assert_eq!(&unix.facts, &mixed.facts);
        prop_assert_eq!(as_json(&unix), as_json(&windows));
        prop_assert_eq!(as_json(&unix), as_json(&mixed));
    }

    /// The same on text that is not a well-formed report.
    #[test]
    fn line_endings_change_nothing_in_markdown_soup(text in token_soup()) {
        let text = lf(&text);
        let unix = parse(text.as_bytes());
        let windows = parse(with_line_endings(&text, |_| "\r\n").as_bytes());
        prop_assert_eq!(unix.as_ref().map(as_json), windows.as_ref().map(as_json));
    }
}

/// Fact extraction called directly (as a library user would) on answers whose markdown kept CRLF endings reads
/// the same facts as on LF.
#[test]
fn facts_are_stable_under_crlf() {
    let mut stated = 0;
    for r in synthetic() {
        let report = parse(r.markdown.as_bytes()).expect("a synthetic report parses");
        let mut crlf = report.answers.clone();
        for a in &mut crlf {
            a.markdown = a.markdown.replace('\n', "\r\n");
        }
        let from_lf = extract_facts(&report.answers);
        assert_eq!(from_lf.facts, report.facts, "{}", r.id);
        assert_eq!(extract_facts(&crlf).facts, from_lf.facts, "{}: facts under CRLF", r.id);
        stated += usize::from(from_lf.facts.tests.is_some()) + usize::from(from_lf.facts.credits.is_some());
    }
    assert!(stated > 10, "the reports state facts to compare ({stated})");
}

// ---------------------------------------------------------------------------------------------------------------
// Pathological slowness found while building the adversarial corpus (issue 8), now fixed. Each input is a few
// megabytes, well under the 20 MB file cap: a parser linear in its input reads it in a fraction of a second, while
// the quadratic code this guards against took minutes, so one such file stalled a whole ingest. The deadline is a
// hang guard, not a measurement.
// ---------------------------------------------------------------------------------------------------------------

/// Parses on another thread; fails when no result comes within `HANG_GUARD`.
fn parses_without_stalling(what: &str, text: String) {
    const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(60);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(parse(text.as_bytes()).is_some());
    });
    match rx.recv_timeout(HANG_GUARD) {
        Ok(parsed) => assert!(parsed, "{what}: read as a report"),
        Err(_) => panic!("{what}: still parsing after {HANG_GUARD:?}"),
    }
}

/// Each test count re-scans the rest of its sentence for the clause after it (facts.rs, `test_mentions`).
#[test]
fn a_long_tests_answer_does_not_stall_the_parser() {
    let answer = "we wrote 12 tests and 13 tests ".repeat(64_000);
    parses_without_stalling("2 MB tests answer", format!("### Question 7\n> How many tests\n> Answer:\n{answer}\n"));
}

/// Each percentage lower-cases its whole sentence and scans its whole line (facts.rs, `coverage_rank`).
#[test]
fn a_long_coverage_answer_does_not_stall_the_parser() {
    let answer = "coverage 12% ".repeat(320_000);
    parses_without_stalling(
        "4 MB coverage answer",
        format!("### Question 8\n> What is the total code coverage\n> Answer:\n{answer}\n"),
    );
}

/// Each heading line inside a block searches every block and every heading (parse.rs,
/// `recover_hidden_question_headings`).
#[test]
fn many_headings_under_html_blocks_do_not_stall_the_parser() {
    let body = "<div>\n### Question 3\n\n".repeat(200_000);
    parses_without_stalling("4 MB of HTML blocks", format!("### Question 1\n> Answer:\n{body}"));
}

proptest! {
    /// The fast word count (table over bytes, Unicode whitespace decoded only where it can be) counts exactly what
    /// `split_whitespace` counts, on text mixing ASCII, accented letters and every kind of Unicode space.
    #[test]
    fn word_count_equals_split_whitespace(
        parts in prop::collection::vec(
            prop_oneof![
                Just(" "), Just("\t"), Just("\n"), Just("\r\n"), Just("\u{b}"), Just("\u{c}"), Just("\u{85}"),
                Just("\u{a0}"), Just("\u{1680}"), Just("\u{2003}"), Just("\u{2028}"), Just("\u{202f}"), Just("\u{3000}"),
                Just("\u{200b}"), Just("’"), Just("—"), Just("æøå"), Just("word"), Just("x"), Just("🚀"), Just("\u{e2}"),
            ],
            0..40,
        ),
    ) {
        let text: String = parts.concat();
        prop_assert_eq!(cohort::domain::words::count_words(&text), text.split_whitespace().count());
    }
}
