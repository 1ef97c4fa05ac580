//! Answers written as quote lines (issue 23): a report whose every answer sits in the template's `>` block after
//! `> Answer:` reads like its twin written plainly: the same group, members and facts, the same search hits and
//! the same dupes pairs. Every report here is written in our own words.

use crate::common::{json_lines, run_ok};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The questions the fixture reports answer: (number in the 31-question set, prompt in our own words).
const PROMPTS: &[(u32, &str)] = &[
    (1, "Which group number did your team register under?"),
    (2, "Give the study number of every member of the team."),
    (7, "How many tests did you write and what do they check?"),
    (8, "What is your total code coverage, and would full coverage make you trust the code?"),
    (16, "How did you go about debugging, and did you profile anything?"),
    (27, "How many credits did you end up using, and which service cost the most?"),
    (30, "What were the biggest struggles of the project, and how did you overcome these?"),
];

const WORDS: &[&str] = &[
    "river", "lantern", "copper", "meadow", "signal", "harbour", "pebble", "orchard", "violet", "engine", "shadow",
    "canvas", "thunder", "marble", "pillow", "falcon", "ember", "glacier", "quartz", "saddle", "tunnel", "willow",
    "anchor", "bramble", "cobalt", "dune", "fern", "granite", "hollow", "ivory", "juniper", "kettle", "lagoon",
];

/// `n` sentences of 8 to 14 words drawn from `WORDS` by a small generator seeded with `seed`.
fn prose(seed: u64, n: usize) -> String {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    let mut next = |m: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    (0..n)
        .map(|_| {
            let len = 8 + next(7) as usize;
            let words: Vec<&str> = (0..len).map(|_| WORDS[next(WORDS.len() as u64) as usize]).collect();
            let mut s = words.join(" ");
            s[..1].make_ascii_uppercase();
            s + "."
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The answers of one group, by question number.
fn answers(seed: u64, group: u32) -> Vec<(u32, String)> {
    let ids = (0..3).map(|i| format!("s{}", 230_000 + group * 10 + i)).collect::<Vec<_>>().join(", ");
    vec![
        (1, group.to_string()),
        (2, ids),
        (
            7,
            format!("We wrote {} tests in total:\n\n- 5 for the data pipeline\n- {} for the network", 5 + group, group),
        ),
        (8, format!("Our total code coverage is **{}%**, measured with pytest-cov.", 60 + group)),
        (16, prose(seed * 7 + 1, 5)),
        (27, format!("In total we spent {}.40 USD, most of it on Cloud Run.", group)),
        (30, prose(seed * 7 + 2, 6) + "\n\nA sentence with the word zephyrcloud in it."),
    ]
}

/// A report; `quoted` writes every answer line inside the template's quote block.
fn report(answers: &[(u32, String)], quoted: bool) -> String {
    let mut md = String::from("# Exam report\n\n## Group information\n\n");
    for (n, prompt) in PROMPTS {
        let answer = &answers.iter().find(|(k, _)| k == n).expect("an answer per prompt").1;
        let body = if quoted {
            let lines: Vec<String> =
                answer.lines().map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect();
            format!(">\n{}", lines.join("\n"))
        } else {
            format!("\n{answer}")
        };
        md += &format!("### Question {n}\n\n> **{prompt}**\n>\n> Answer:\n{body}\n\n");
    }
    md
}

/// Four reports in `root`: g01 (quoted or not), g02 copying g01's struggles answer, g03 and g04 on their own.
fn cohort(root: &Path, quoted: bool) {
    let mut all: Vec<(String, Vec<(u32, String)>)> =
        (1..=4).map(|g| (format!("g{g:02}"), answers(g as u64, g))).collect();
    let copied = all[0].1.iter().find(|(n, _)| *n == 30).expect("struggles").1.clone();
    if let Some(a) = all[1].1.iter_mut().find(|(n, _)| *n == 30) {
        a.1 = copied;
    }
    for (i, (id, answers)) in all.iter().enumerate() {
        let dir = root.join(id);
        std::fs::create_dir_all(&dir).expect("report folder");
        std::fs::write(dir.join("README.md"), report(answers, quoted && i == 0)).expect("write report");
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// What a report's JSON says of its facts and answers.
fn facts_of(row: &Value) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = ["group", "students", "tests", "coverage", "credits", "most_expensive_service"]
        .iter()
        .map(|k| (k.to_string(), row[*k].clone()))
        .collect();
    for (key, a) in row["answers"].as_object().expect("answers") {
        out.push((format!("answered {key}"), a["answered"].clone()));
    }
    out
}

#[test]
fn a_report_written_in_quote_lines_reads_like_its_plain_twin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (plain, quoted) = (dir.path().join("plain"), dir.path().join("quoted"));
    cohort(&plain, false);
    cohort(&quoted, true);
    let text = std::fs::read_to_string(quoted.join("g01/README.md")).expect("read");
    assert!(text.contains("> Answer:\n>\n> 1\n"), "the fixture quotes its answers:\n{text}");

    // Group, members and facts.
    let parse = |root: &Path| {
        json_lines(&run_ok(&["parse", path(root), "--json"]))
            .into_iter()
            .find(|r| r["id"].as_str().is_some_and(|id| id.contains("g01")))
            .expect("g01 parsed")
    };
    let (p, q) = (parse(&plain), parse(&quoted));
    assert_eq!(p["group"], 1);
    assert_eq!(p["students"].as_array().map(Vec::len), Some(3));
    assert_eq!(p["tests"], 6);
    assert_eq!(p["coverage"], 61.0);
    assert_eq!(p["credits"]["amount"], 1.4);
    assert_eq!(facts_of(&q), facts_of(&p));
    assert_eq!(q["warnings"], p["warnings"]);

    // Search hits and dupes pairs, through an index each.
    let hits = |root: &Path| -> BTreeSet<(String, String)> {
        let index = root.with_extension("index");
        run_ok(&["ingest", path(root), "--index", path(&index)]);
        json_lines(&run_ok(&["search", "zephyrcloud", "--json", "--limit", "100", "--index", path(&index)]))
            .iter()
            .map(|h| (h["id"].as_str().unwrap_or("").to_string(), h["question"].as_str().unwrap_or("").to_string()))
            .collect()
    };
    let (hp, hq) = (hits(&plain), hits(&quoted));
    assert_eq!(hp.len(), 4, "{hp:?}");
    assert_eq!(hq, hp);
    let pairs = |root: &Path| -> BTreeSet<(String, String, String)> {
        json_lines(&run_ok(&["dupes", path(root), "--json"]))
            .iter()
            .map(|r| {
                let (a, b) = (r["a"].as_str().unwrap_or("").to_string(), r["b"].as_str().unwrap_or("").to_string());
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                (a, b, r["key"].as_str().unwrap_or("").to_string())
            })
            .collect()
    };
    let (dp, dq) = (pairs(&plain), pairs(&quoted));
    assert!(dp.iter().any(|(a, b, k)| a.contains("g01") && b.contains("g02") && k == "struggles"), "{dp:?}");
    assert_eq!(dq, dp);
}
