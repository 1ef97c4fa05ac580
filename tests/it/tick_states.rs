//! Honest ticks end to end (issue 16): partial and unclear marks are their own states in the JSON (`tick_states`
//! beside the boolean `ticks`) and in the rates (`--partial-as`); plain marks read exactly as before.

use cohort::discover::{discover, Limits};
use cohort::domain::TickState;
use cohort::synth::{write_cohort, CohortSpec};
use serde_json::Value;
use std::path::Path;

use crate::common::{json_lines, run_ok};

/// The rule plain marks always followed: blank or a cross is not done, `x`, `X` or a tick emoji is done.
fn plain_mark_done(mark: &str) -> Option<bool> {
    let m = mark.trim();
    let cross = |c: char| matches!(c, '❌' | '✗' | '✘' | '✖' | '❎' | '\u{FE0F}' | ' ' | '⬜' | '🔲' | '🟥');
    match m {
        "" => Some(false),
        "x" | "X" => Some(true),
        _ if !m.is_ascii() && m.chars().count() <= 2 => Some(!m.chars().all(cross)),
        _ => None,
    }
}

#[test]
fn plain_marks_read_as_before_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let (found, _) = discover(&[corpus], Limits::default());
    let (mut plain, mut other) = (0, 0);
    for f in &found {
        for item in &f.report.checklist {
            match plain_mark_done(&item.mark) {
                // A done mark followed by "partially" is partial; every other plain mark reads as it always did.
                Some(done) if item.state != TickState::Partial => {
                    plain += 1;
                    assert_eq!(item.done, done, "{}: [{}] {}", f.id, item.mark, item.text);
                    assert_eq!(item.state == TickState::Done, done);
                }
                _ => other += 1,
            }
        }
    }
    println!("{plain} plain marks as before; {other} other marks");
    assert!(plain > 1000);
}

#[test]
fn json_tick_states_agree_with_ticks_and_rates_count_partial_as_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let reports = dir.path().join("reports");
    write_cohort(&reports, &CohortSpec { seed: 21, reports: 6, ..Default::default() }).expect("generate");
    // One report marks its first done box as partly done.
    let (found, _) = discover(std::slice::from_ref(&reports), Limits::default());
    let target =
        found.iter().find(|f| f.report.checklist.iter().any(|i| i.done && i.mark == "x")).expect("a ticked report");
    let item = target.report.checklist.iter().find(|i| i.done && i.mark == "x").expect("a ticked box");
    let item_id = item.id.expect("a known item").as_str();
    let path = target.root.join(&target.relative);
    let text = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == item.line { l.replacen("[x]", "[~]", 1) } else { l.to_string() })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");

    let parsed = json_lines(&run_ok(&["parse", reports.to_str().expect("path"), "--json"]));
    for r in &parsed {
        let ticks = r["ticks"].as_object().expect("ticks");
        let states = r["tick_states"].as_object().expect("tick_states");
        assert_eq!(ticks.len(), states.len());
        for (k, done) in ticks {
            assert_eq!(done.as_bool(), Some(states[k] == "done"), "{k}");
        }
    }
    let r = parsed.iter().find(|r| r["id"] == target.id.as_str()).expect("the edited report");
    assert_eq!(r["tick_states"][item_id], "partial");
    assert_eq!(r["ticks"][item_id], false);

    let index = dir.path().join("index");
    let index = index.to_str().expect("path");
    run_ok(&["ingest", reports.to_str().expect("path"), "--index", index]);
    let row = |partial_as: &str| -> Value {
        let rows = json_lines(&run_ok(&["stats", "checklist", "--json", "--index", index, "--partial-as", partial_as]));
        rows.into_iter().find(|r| r["item"] == item_id).expect("the item's row")
    };
    let (not_done, done, skip) = (row("not-done"), row("done"), row("skip"));
    assert_eq!(not_done["partial"], 1);
    assert_eq!(not_done["partial_as"], "not-done");
    assert_eq!(done["done"].as_u64(), not_done["done"].as_u64().map(|d| d + 1));
    assert_eq!(done["total"], not_done["total"]);
    assert_eq!(skip["total"].as_u64(), not_done["total"].as_u64().map(|t| t - 1));
    assert_eq!(skip["done"], not_done["done"]);
}
