//! The fact fixtures of `tests/data/fact-fixtures.toml` (issue 16): synthetic answers, one per kind of answer the
//! extractor must read, each with the value and the rule expected. Every fixture is checked, and every failure is
//! listed before the test fails.

use cohort::domain::facts::extract_facts;
use cohort::domain::{Answer, AnswerKey, Facts, Provenance};
use std::path::Path;

fn answer(key: AnswerKey, markdown: &str) -> Answer {
    Answer {
        key: Some(key),
        number: None,
        line: 10,
        prompt: String::new(),
        markdown: markdown.to_string(),
        words: markdown.split_whitespace().count(),
        images: vec![],
        links: vec![],
        answered: true,
        markdown_line: 12,
    }
}

/// The value a fixture's fact got, as TOML would write it, and its provenance.
fn got(facts: &Facts, fact: &str) -> (Option<toml::Value>, Option<Provenance>, Option<String>) {
    let p = &facts.provenance;
    match fact {
        "tests" => (facts.tests.map(|v| toml::Value::Integer(v.into())), p.tests.clone(), None),
        "coverage" => (facts.coverage.map(toml::Value::Float), p.coverage.clone(), None),
        "credits" => (
            facts.credits.map(|c| toml::Value::Float(c.amount)),
            p.credits.clone(),
            facts.credits.map(|c| c.unit.to_string()),
        ),
        "group" => (facts.group.map(|v| toml::Value::Integer(v.into())), p.group.clone(), None),
        "students" => (
            (!facts.students.is_empty()).then_some(toml::Value::Integer(facts.students.len() as i64)),
            p.students.clone(),
            None,
        ),
        other => panic!("unknown fact {other:?} in a fixture"),
    }
}

fn same(expected: &toml::Value, got: &toml::Value) -> bool {
    match (
        expected.as_float().or(expected.as_integer().map(|i| i as f64)),
        got.as_float().or(got.as_integer().map(|i| i as f64)),
    ) {
        (Some(e), Some(g)) => (e - g).abs() < 1e-6,
        _ => false,
    }
}

#[test]
fn every_fixture_gives_its_value_and_rule() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fact-fixtures.toml");
    let text = std::fs::read_to_string(&path).expect("fact-fixtures.toml is readable");
    let table: toml::Table = text.parse().expect("fact-fixtures.toml is TOML");
    let fixtures = table["fixture"].as_array().expect("[[fixture]] entries");
    assert!(fixtures.len() >= 30, "{} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for f in fixtures {
        let fact = f["fact"].as_str().expect("fact");
        let kind = f["kind"].as_str().expect("kind");
        let markdown = f["answer"].as_str().expect("answer");
        let key = match fact {
            "most_expensive_service" => AnswerKey::Credits,
            other => AnswerKey::from_name(other).expect("a fact named after its answer key"),
        };
        let mut answers = vec![answer(key, markdown)];
        if let Some(n) = f.get("members").and_then(toml::Value::as_integer) {
            let ids: Vec<String> = (0..n).map(|i| format!("s2000{i:02}")).collect();
            answers.push(answer(AnswerKey::Students, &ids.join(", ")));
        }
        let facts = extract_facts(&answers).facts;
        let (value, provenance, unit) = got(&facts, fact);
        let expected = f.get("value");
        let ok_value = match (expected, &value) {
            (None, None) => true,
            (Some(e), Some(g)) => same(e, g),
            _ => false,
        };
        let ok_unit = f.get("unit").and_then(toml::Value::as_str) == unit.as_deref();
        let rule = provenance.as_ref().map(|p| p.rule.as_str());
        let ok_rule = f.get("rule").and_then(toml::Value::as_str) == rule;
        // The provenance quotes the words the value was read from.
        let ok_quote = provenance.as_ref().is_none_or(|p| p.parts.iter().all(|q| q.sentence.contains(&q.written)));
        if !(ok_value && ok_unit && ok_rule && ok_quote) {
            failures.push(format!(
                "{fact} / {kind}: expected {:?} {:?} by {:?}, got {value:?} {unit:?} by {rule:?} ({provenance:?})",
                expected,
                f.get("unit"),
                f.get("rule")
            ));
        }
    }
    for failure in &failures {
        println!("FAIL {failure}");
    }
    assert!(failures.is_empty(), "{} of {} fixtures fail", failures.len(), fixtures.len());
}
