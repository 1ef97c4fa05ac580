//! Tick marks (issue 23): every mark `docs/ticks.md` lists reads as the table there says, beside other marks and as
//! a report's only mark beside empty boxes; a report using one unusual mark consistently has the completion rates
//! of its `[x]` twin; a report with five or more marks cohort cannot place says so.

use cohort::discover::{discover, Limits};
use cohort::domain::{parse_bytes, TickState, WarningKind};
use cohort::synth::{write_cohort, CohortSpec};
use serde_json::Value;
use std::path::Path;

use crate::common::{json_lines, run_ok};

/// Checklist items in our own words, each with its module tag.
const ITEMS: &[&str] = &[
    "Set up a git repository for the project (M5)",
    "Give every member write access to the repository (M5)",
    "Start the file layout from a cookiecutter template (M6)",
    "Write one or more docker files for the code (M10)",
    "Profile the code to find what is slow (M12)",
    "Measure the code coverage (M16)",
];

/// A report holding only a checklist, one box per mark given.
fn checklist(marks: &[&str]) -> String {
    let mut md = String::from("# Report\n\n## Overall project checklist\n\n### Week 1\n\n");
    for (mark, item) in marks.iter().zip(ITEMS) {
        md += &format!("* [{mark}] {item}\n");
    }
    md
}

fn states(md: &str) -> Vec<TickState> {
    let report = parse_bytes(Path::new("marks.md"), md.as_bytes()).expect("a checklist is a report");
    report.checklist.iter().map(|i| i.state).collect()
}

fn state_named(s: &str) -> TickState {
    match s {
        "done" => TickState::Done,
        "not-done" => TickState::NotDone,
        "partial" => TickState::Partial,
        "unclear" => TickState::Unclear,
        other => panic!("unknown state {other:?} in docs/ticks.md"),
    }
}

#[test]
fn every_mark_in_the_docs_reads_as_the_docs_say() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ticks.md")).expect("docs");
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in docs.lines().filter(|l| l.starts_with("| `[")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let mark = cells[0].trim_matches('`').strip_prefix('[').and_then(|m| m.strip_suffix(']')).expect("[mark]");
        rows += 1;
        // Beside a done box and an empty one, the table decides.
        let among = states(&checklist(&[mark, "x", " "]))[0];
        if among != state_named(cells[1]) {
            failures.push(format!("[{mark}] among other marks: {among:?}, docs say {}", cells[1]));
        }
        // As the report's only mark, on two boxes beside an empty one, the report's usage decides.
        if cells[2] != "—" {
            let alone = states(&checklist(&[mark, mark, " "]));
            if alone[..2] != [state_named(cells[2]); 2] {
                failures.push(format!("[{mark}] as the only mark: {alone:?}, docs say {}", cells[2]));
            }
        }
    }
    assert!(rows >= 40, "{rows} marks in docs/ticks.md");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn marks_cohort_cannot_place_are_named_in_a_warning() {
    let warned = |marks: &[&str]| {
        let report = parse_bytes(Path::new("marks.md"), checklist(marks).as_bytes()).expect("report");
        report
            .warnings
            .into_iter()
            .filter(|w| w.kind == WarningKind::Checklist && w.message.contains("cannot place"))
            .collect::<Vec<_>>()
    };
    let w = warned(&["?", "?", "?", "!", "!", "x"]);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.contains("[?] (3)") && w[0].message.contains("[!] (2)"), "{}", w[0].message);
    assert!(warned(&["?", "?", "?", "!", "x", " "]).is_empty(), "four unclear boxes are not worth a warning");
    // One unusual mark beside empty boxes is placed: done, and no warning.
    assert!(warned(&["!", "!", "!", "!", "!", " "]).is_empty());
}

#[test]
fn answers_denying_the_items_make_a_reports_own_mark_not_done() {
    let md = checklist(&["o", "o", " ", " ", " ", " "]).replace(
        "# Report\n",
        "# Report\n\n### Question 1\n\n> **Which group number?**\n>\n> Answer:\n\n3\n\n### Question 10\n\n> **Did you use DVC to keep track of your data?**\n>\n> Answer:\n\nWe never made a git repository and gave no member write access.\n",
    );
    let s = states(&md);
    assert_eq!(s[..2], [TickState::NotDone; 2], "{s:?}");
}

/// Every ticked box of a synthetic report given `mark` instead (bare emoji ticks become boxes).
fn remark(text: &str, mark: &str) -> String {
    let ticked = regex::Regex::new(r"(?m)^(\s*[-*]\s+)(?:\[(?:x|X|✅|ok| check )\]|✅)").expect("regex");
    let crossed = regex::Regex::new(r"(?m)^(\s*[-*]\s+)❌").expect("regex");
    let text = ticked.replace_all(text, |c: &regex::Captures<'_>| format!("{}[{mark}]", &c[1]));
    crossed.replace_all(&text, "${1}[ ]").into_owned()
}

#[test]
fn one_unusual_mark_used_consistently_gives_the_rates_of_its_x_twin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = dir.path().join("x");
    write_cohort(&original, &CohortSpec { seed: 23, reports: 10, ..Default::default() }).expect("generate");
    let rates = |root: &Path| -> Vec<(String, Value, Value)> {
        let index = root.with_extension("index");
        run_ok(&["ingest", root.to_str().expect("path"), "--index", index.to_str().expect("path")]);
        let rows = json_lines(&run_ok(&["stats", "checklist", "--json", "--index", index.to_str().expect("path")]));
        rows.iter().map(|r| (r["item"].to_string(), r["done"].clone(), r["total"].clone())).collect()
    };
    let want = rates(&original);
    assert!(want.iter().any(|(_, done, _)| done.as_u64() > Some(0)), "{want:?}");
    let (found, _) = discover(std::slice::from_ref(&original), Limits::default());
    for mark in ["*", "•", "√", "o", "!"] {
        let twin = dir.path().join(format!("twin-{}", mark.len()));
        for f in &found {
            let from = f.root.join(&f.relative);
            let to = twin.join(&f.relative);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
            let text = std::fs::read_to_string(&from).expect("read");
            std::fs::write(&to, remark(&text, mark)).expect("write");
        }
        // Reports that tick every box or fewer than two have no empty box to tell the mark by: only a mark the
        // table knows as done reads as done there, so the unusual marks are compared where the rule applies.
        let (twins, _) = discover(std::slice::from_ref(&twin), Limits::default());
        for (a, b) in found.iter().zip(&twins) {
            let done = a.report.checklist.iter().filter(|i| i.done).count();
            let n = a.report.checklist.len();
            if done >= 2 && done < n || matches!(mark, "*" | "•" | "√") {
                let da: Vec<bool> = a.report.checklist.iter().map(|i| i.done).collect();
                let db: Vec<bool> = b.report.checklist.iter().map(|i| i.done).collect();
                assert_eq!(da, db, "[{mark}] in {}", b.relative.display());
            }
        }
        if matches!(mark, "*" | "•" | "√") {
            assert_eq!(rates(&twin), want, "[{mark}]");
        }
    }
}
