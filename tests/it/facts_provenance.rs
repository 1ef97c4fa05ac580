//! Provenance of facts end to end (issue 16): every non-null fact that `cohort parse --json` prints carries the
//! question, rule, line and sentence it was read from, and the sentence holds the number as written; `cohort show`
//! prints each figure beside its sentence and `--explain` lists the candidates. The corpus test is skipped (with a
//! message) when ../shared/corpus is absent.

use cohort::synth::{write_cohort, CohortSpec};
use serde_json::Value;
use std::path::Path;

use crate::common::{json_lines, run_ok};

/// The numbers written in `s` (digits with a decimal point or comma, and number words), in order.
fn numbers_in(s: &str) -> Vec<f64> {
    cohort::domain::facts::numbers(s).iter().map(|n| n.value).collect()
}

/// Checks one report's provenance; returns what is wrong.
fn check_report(r: &Value) -> Vec<String> {
    let id = r["id"].as_str().unwrap_or("?");
    let mut wrong = Vec::new();
    let stated = |fact: &str| match fact {
        "students" => r["students"].as_array().is_some_and(|a| !a.is_empty()),
        other => !r[other].is_null(),
    };
    for fact in ["group", "students", "tests", "coverage", "credits", "most_expensive_service"] {
        if !stated(fact) {
            if !r["provenance"][fact].is_null() {
                wrong.push(format!("{id}: {fact} is null but has provenance"));
            }
            continue;
        }
        let p = &r["provenance"][fact];
        let parts = p["parts"].as_array().cloned().unwrap_or_default();
        if p["rule"].as_str().is_none() || p["question"].as_str().is_none() || parts.is_empty() {
            wrong.push(format!("{id}: {fact} has no provenance: {p}"));
            continue;
        }
        if p["line"].as_u64().unwrap_or(0) == 0 {
            wrong.push(format!("{id}: {fact} provenance has no line"));
        }
        for q in &parts {
            let (sentence, written) = (q["sentence"].as_str().unwrap_or(""), q["written"].as_str().unwrap_or(""));
            if written.is_empty() || !sentence.contains(written) {
                wrong.push(format!("{id}: {fact}: {written:?} is not in its sentence {sentence:?}"));
            }
        }
        // The numbers as written give the value: tests sum their parts; a coverage figure is its number (a range
        // its midpoint).
        let part_value = |q: &Value| {
            let n = numbers_in(q["written"].as_str().unwrap_or(""));
            if n.is_empty() {
                f64::NAN
            } else {
                n.iter().sum::<f64>() / n.len() as f64
            }
        };
        let sum: f64 = parts.iter().map(part_value).sum();
        let value = match fact {
            "tests" | "coverage" => r[fact].as_f64(),
            _ => None,
        };
        if let Some(v) = value {
            if (v - sum).abs() > 0.01 {
                wrong.push(format!("{id}: {fact} is {v} but its parts as written give {sum}: {p}"));
            }
        }
    }
    wrong
}

#[test]
fn every_fact_in_the_corpus_has_provenance_holding_the_number_as_written() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let reports = json_lines(&run_ok(&["parse", corpus.to_str().expect("UTF-8 path"), "--json"]));
    assert!(reports.len() >= 100, "{} reports", reports.len());
    let mut facts = 0;
    let mut wrong = Vec::new();
    for r in &reports {
        facts += ["group", "tests", "coverage", "credits", "most_expensive_service"]
            .iter()
            .filter(|f| !r[**f].is_null())
            .count();
        wrong.extend(check_report(r));
    }
    println!("{} reports, {facts} non-null facts checked", reports.len());
    for w in &wrong {
        println!("{w}");
    }
    assert!(wrong.is_empty(), "{} facts without good provenance", wrong.len());
}

#[test]
fn synthetic_reports_have_provenance_and_show_prints_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let reports = dir.path().join("reports");
    let generated =
        write_cohort(&reports, &CohortSpec { seed: 16, reports: 12, ..Default::default() }).expect("generate");
    let parsed = json_lines(&run_ok(&["parse", reports.to_str().expect("path"), "--json"]));
    for r in &parsed {
        let wrong = check_report(r);
        assert!(wrong.is_empty(), "{wrong:?}");
    }
    let index = dir.path().join("index");
    run_ok(&["ingest", reports.to_str().expect("path"), "--index", index.to_str().expect("path")]);
    let r = parsed
        .iter()
        .find(|r| !r["tests"].is_null() && !r["group"].is_null())
        .expect("a synthetic report with a group and a test count");
    let id = r["id"].as_str().expect("id");
    assert!(generated.iter().any(|g| g.id == id));
    let shown = run_ok(&["show", id, "--index", index.to_str().expect("path")]);
    let sentence = r["provenance"]["tests"]["sentence"].as_str().expect("tests sentence");
    let first_words: String = sentence.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    assert!(shown.contains(&first_words), "the tests sentence {first_words:?} in:\n{shown}");
    assert!(shown.contains(r["provenance"]["tests"]["rule"].as_str().expect("rule")), "{shown}");

    let explained = run_ok(&["show", id, "--index", index.to_str().expect("path"), "--explain"]);
    assert!(explained.contains("facts explained"), "{explained}");
    assert!(explained.contains(&format!("tests = {}", r["tests"])), "{explained}");
    assert!(explained.contains("chosen"), "{explained}");
}
