//! The command line end to end on synthetic cohorts (and on the real corpus when ../shared is there): ingest,
//! search, stats, reports, show, export, saved queries, demo; incremental ingest and a killed ingest.

use cohort::synth::{write_cohort, CohortSpec, SyntheticReport};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::common::{cohort, json_lines, run_ok};

struct Fixture {
    _dir: tempfile::TempDir,
    reports: PathBuf,
    index: PathBuf,
    generated: Vec<SyntheticReport>,
}

impl Fixture {
    fn new(seed: u64, n: usize) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let reports = dir.path().join("reports");
        let generated =
            write_cohort(&reports, &CohortSpec { seed, reports: n, ..Default::default() }).expect("generate");
        let index = dir.path().join("index");
        Fixture { _dir: dir, reports, index, generated }
    }

    fn index(&self) -> &str {
        self.index.to_str().expect("UTF-8 path")
    }

    fn ingest(&self) -> String {
        let out = cohort()
            .args(["ingest", self.reports.to_str().expect("path"), "--index", self.index()])
            .output()
            .expect("ingest");
        assert!(out.status.success(), "ingest failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

/// Completion counted by hand from `cohort parse --json`: item → (done, reports whose checklist has it).
fn plain_counts(parsed: &[Value]) -> BTreeMap<String, (u64, u64)> {
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for r in parsed {
        for (item, done) in r["ticks"].as_object().expect("ticks") {
            let e = counts.entry(item.clone()).or_default();
            e.1 += 1;
            if done.as_bool() == Some(true) {
                e.0 += 1;
            }
        }
    }
    counts
}

fn stats_counts(stats: &[Value]) -> BTreeMap<String, (u64, u64)> {
    stats
        .iter()
        .map(|r| {
            let (done, total) = (r["done"].as_u64().expect("done"), r["total"].as_u64().expect("total"));
            let rate = r["rate"].as_f64().expect("rate");
            assert!((rate - done as f64 / total as f64).abs() < 1e-12, "rate is done/total: {r}");
            (r["item"].as_str().expect("item").to_string(), (done, total))
        })
        .collect()
}

fn assert_stats_match_parse(reports: &Path, index: &str) {
    let parsed = json_lines(&run_ok(&["parse", reports.to_str().expect("path"), "--json"]));
    let stats = json_lines(&run_ok(&["stats", "checklist", "--json", "--index", index]));
    let expected = plain_counts(&parsed);
    assert!(!expected.is_empty());
    assert_eq!(stats_counts(&stats), expected, "polars completion rates equal a plain count over parse --json");
}

#[test]
fn checklist_stats_equal_a_plain_count_over_parse() {
    let f = Fixture::new(11, 80);
    f.ingest();
    assert_stats_match_parse(&f.reports, f.index());
}

#[test]
fn checklist_stats_equal_a_plain_count_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: {} is absent", corpus.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let index = index.to_str().expect("path");
    run_ok(&["ingest", corpus.to_str().expect("path"), "--index", index]);
    assert_stats_match_parse(&corpus, index);
    let reports = json_lines(&run_ok(&["reports", "--json", "--index", index]));
    assert_eq!(reports.len(), 130, "every corpus report is in the index");
}

#[test]
fn week_and_cohort_groupings_add_up_to_the_items() {
    let f = Fixture::new(12, 60);
    f.ingest();
    let by_item = json_lines(&run_ok(&["stats", "checklist", "--json", "--index", f.index()]));
    let by_week_cohort =
        json_lines(&run_ok(&["stats", "checklist", "--by", "week,cohort", "--json", "--index", f.index()]));
    let sum = |rows: &[Value], k: &str| rows.iter().map(|r| r[k].as_u64().expect("count")).sum::<u64>();
    assert_eq!(sum(&by_item, "total"), sum(&by_week_cohort, "total"));
    assert_eq!(sum(&by_item, "done"), sum(&by_week_cohort, "done"));
    assert!(by_week_cohort.iter().all(|r| r["week"].is_string() && r["cohort"].is_string()));
    let cohorts: Vec<&str> = by_week_cohort.iter().filter_map(|r| r["cohort"].as_str()).collect();
    assert!(cohorts.contains(&"2025") && cohorts.contains(&"2026") && cohorts.contains(&"2023-24"));
}

#[test]
fn search_is_scoped_ranked_and_marked() {
    let f = Fixture::new(13, 80);
    f.ingest();
    let hits = json_lines(&run_ok(&[
        "search",
        "locust",
        "--question",
        "api_testing",
        "--json",
        "--limit",
        "500",
        "--index",
        f.index(),
    ]));
    // Which reports mention locust in their API-testing answer, read by the parser, not the index.
    let parsed = cohort::discover::discover(std::slice::from_ref(&f.reports), Default::default()).0;
    let expected: Vec<String> = parsed
        .iter()
        .filter(|r| {
            r.report
                .answer(cohort::domain::AnswerKey::ApiTesting)
                .is_some_and(|a| a.answered && a.markdown.to_lowercase().contains("locust"))
        })
        .map(|r| r.id.clone())
        .collect();
    assert!(!expected.is_empty(), "the generator writes locust into some load-testing answers");
    let mut got: Vec<String> = hits.iter().map(|h| h["id"].as_str().expect("id").to_string()).collect();
    let mut want = expected.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "exactly the api_testing answers that mention locust");
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().expect("score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    for h in &hits {
        assert_eq!(h["question"], "api_testing");
        assert!(h["snippet"].as_str().expect("snippet").to_lowercase().contains("**locust**"), "marked: {h}");
        for field in ["id", "group", "cohort", "question", "score", "snippet"] {
            assert!(h.get(field).is_some(), "INTERFACE field {field} in {h}");
        }
    }
}

#[test]
fn phrases_are_exact_and_words_are_stemmed() {
    let f = Fixture::new(14, 80);
    f.ingest();
    let answers: Vec<(String, String)> =
        cohort::discover::discover(std::slice::from_ref(&f.reports), Default::default())
            .0
            .iter()
            .flat_map(|r| {
                r.report.answers.iter().filter(|a| a.answered).map(|a| (r.id.clone(), a.markdown.to_lowercase()))
            })
            .collect();
    // A phrase: every hit's answer has the words adjacent, in order.
    let hits = json_lines(&run_ok(&["search", "\"load tested\"", "--json", "--limit", "1000", "--index", f.index()]));
    let exact = |id: &str| {
        answers.iter().any(|(i, t)| {
            i == id
                && t.split_whitespace()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| w[0] == "load" && w[1].trim_matches(|c: char| !c.is_alphanumeric()) == "tested")
        })
    };
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(exact(h["id"].as_str().expect("id")), "phrase hit without the phrase: {h}");
    }
    // Stemming: "deploy" finds answers that only say "deployed".
    let hits = json_lines(&run_ok(&["search", "deploy", "--json", "--limit", "1000", "--index", f.index()]));
    assert!(hits.iter().any(|h| h["snippet"].as_str().expect("snippet").to_lowercase().contains("**deployed**")));
}

#[test]
fn search_filters_by_cohort_and_group() {
    let f = Fixture::new(15, 60);
    f.ingest();
    let hits = json_lines(&run_ok(&[
        "search",
        "docker",
        "--cohort",
        "2025",
        "--json",
        "--limit",
        "1000",
        "--index",
        f.index(),
    ]));
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["cohort"] == "2025"));
    let g = hits[0]["group"].as_u64().expect("group");
    let hits = json_lines(&run_ok(&["search", "docker", "--group", &g.to_string(), "--json", "--index", f.index()]));
    assert!(!hits.is_empty() && hits.iter().all(|h| h["group"].as_u64() == Some(g)));
    let out = cohort().args(["search", "x", "--question", "nonsense", "--index", f.index()]).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown question key"));
}

#[test]
fn reingest_does_no_work_and_follows_changes() {
    let f = Fixture::new(16, 40);
    assert!(f.ingest().contains("40 added"));
    let second = f.ingest();
    assert!(second.contains("up to date"), "{second}");
    // Change one report, remove another, add a new one.
    let changed = f.reports.join(&f.generated[0].id).join("reports/README.md");
    let text = std::fs::read_to_string(&changed).expect("read");
    std::fs::write(&changed, text.replacen("Answer:", "Answer: zebracorn", 1)).expect("write");
    std::fs::remove_dir_all(f.reports.join(&f.generated[1].id)).expect("remove");
    let new_dir = f.reports.join("late_group/reports");
    std::fs::create_dir_all(&new_dir).expect("mkdir");
    std::fs::copy(f.reports.join(&f.generated[2].id).join("reports/README.md"), new_dir.join("README.md"))
        .expect("copy");
    let third = f.ingest();
    assert!(third.contains("1 added, 1 changed, 1 removed, 38 unchanged; 40 reports"), "{third}");
    let hits = json_lines(&run_ok(&["search", "zebracorn", "--json", "--index", f.index()]));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], f.generated[0].id.as_str());
    let ids: Vec<String> = json_lines(&run_ok(&["reports", "--json", "--index", f.index()]))
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    assert!(!ids.contains(&f.generated[1].id) && ids.contains(&"late_group".to_string()));
    let gone = json_lines(&run_ok(&["search", "docker", "--json", "--limit", "1000", "--index", f.index()]));
    assert!(gone.iter().all(|h| h["id"] != f.generated[1].id.as_str()), "a removed report is not found");
}

#[test]
fn reports_json_is_what_parse_printed() {
    let f = Fixture::new(17, 30);
    f.ingest();
    let mut parsed = json_lines(&run_ok(&["parse", f.reports.to_str().expect("path"), "--json"]));
    let mut listed = json_lines(&run_ok(&["reports", "--json", "--index", f.index()]));
    let key = |v: &Value| v["id"].as_str().expect("id").to_string();
    parsed.sort_by_key(key);
    listed.sort_by_key(key);
    assert_eq!(parsed, listed);
    for field in [
        "id",
        "path",
        "cohort",
        "template",
        "checklist_generation",
        "group",
        "students",
        "tests",
        "coverage",
        "credits",
        "ticks",
        "answers",
        "warnings",
    ] {
        assert!(listed[0].get(field).is_some(), "INTERFACE field {field}");
    }
}

#[test]
fn show_prints_a_group_profile() {
    let f = Fixture::new(18, 30);
    f.ingest();
    let r = f
        .generated
        .iter()
        .find(|r| r.truth.facts.group.is_some() && !r.truth.facts.students.is_empty())
        .expect("a group");
    let g = r.truth.facts.group.expect("group").to_string();
    let out = run_ok(&["show", &g, "--index", f.index()]);
    assert!(out.contains(&format!("# {}", r.id)), "{out}");
    for s in &r.truth.facts.students {
        assert!(out.contains(s.as_str()), "member {s} in {out}");
    }
    assert!(out.contains("checklist:") && out.contains("answers:") && out.contains("warnings:"));
    let missing = cohort().args(["show", "99999", "--index", f.index()]).output().expect("run");
    assert!(!missing.status.success());
}

#[test]
fn export_writes_parquet_and_csv_and_pseudonymises() {
    let f = Fixture::new(19, 30);
    f.ingest();
    let out = tempfile::tempdir().expect("temp");
    let out_s = out.path().to_str().expect("path");
    run_ok(&["export", "--out", out_s, "--pseudonymise", "--index", f.index()]);
    for name in ["reports", "checklist", "answers"] {
        let file = std::fs::File::open(out.path().join(format!("{name}.parquet"))).expect("parquet");
        use polars::prelude::SerReader;
        let df = polars::prelude::ParquetReader::new(file).finish().expect("readable parquet");
        assert!(df.height() > 0, "{name}");
        let csv = std::fs::read_to_string(out.path().join(format!("{name}.csv"))).expect("csv");
        for r in &f.generated {
            for s in &r.truth.facts.students {
                assert!(!csv.contains(s.as_str()), "{s} pseudonymised in {name}.csv");
            }
        }
    }
    // Stable: a second export gives the same pseudonyms.
    let first = std::fs::read_to_string(out.path().join("reports.csv")).expect("csv");
    run_ok(&["export", "--out", out_s, "--pseudonymise", "--index", f.index()]);
    assert_eq!(first, std::fs::read_to_string(out.path().join("reports.csv")).expect("csv"));
}

#[test]
fn every_saved_query_runs() {
    let f = Fixture::new(20, 40);
    f.ingest();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    // Plot queries write their figure here rather than into the working folder.
    let figures = tempfile::tempdir().expect("temp dir");
    let figure = figures.path().join("figure.svg");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("queries/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let args = [
                "run",
                path.to_str().expect("path"),
                "--json",
                "--index",
                f.index(),
                "--out",
                figure.to_str().expect("path"),
            ];
            let out = cohort().args(args).output().expect("run");
            assert!(out.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
            n += 1;
        }
    }
    assert!(n >= 3, "at least three saved queries ship");
}

#[test]
fn group_list_fills_and_corrects_groups() {
    let f = Fixture::new(21, 10);
    let r = &f.generated[0];
    let csv = f.reports.parent().expect("parent").join("group_info.csv");
    std::fs::write(&csv, format!("group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n777,s100001,,,,,https://github.com/x/{}\n", r.id)).expect("csv");
    // The list names the repository as x/<id>: the report's folder must be named x__<id> to match.
    std::fs::rename(f.reports.join(&r.id), f.reports.join(format!("x__{}", r.id))).expect("rename");
    run_ok(&[
        "ingest",
        f.reports.to_str().expect("path"),
        "--index",
        f.index(),
        "--groups",
        csv.to_str().expect("path"),
    ]);
    let listed = json_lines(&run_ok(&["reports", "--json", "--index", f.index()]));
    let mine = listed.iter().find(|v| v["id"] == format!("x__{}", r.id).as_str()).expect("the report");
    assert_eq!(mine["group"], 777);
    if r.truth.facts.group.is_some_and(|g| g != 777) {
        assert!(mine["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("group list"))));
    }
}

#[test]
fn an_ingest_killed_at_any_moment_leaves_the_previous_index_answering() {
    let f = Fixture::new(22, 30);
    f.ingest();
    let before = run_ok(&["reports", "--json", "--index", f.index()]);
    let bigger = tempfile::tempdir().expect("temp");
    write_cohort(bigger.path(), &CohortSpec { seed: 99, reports: 400, ..Default::default() }).expect("generate");
    let exe = assert_cmd::cargo::cargo_bin("cohort");
    // Deterministic "random" moments, from immediately to well past the parse.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..6 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let delay = Duration::from_millis(5 + state % 300);
        let mut child = std::process::Command::new(&exe)
            .args(["ingest", bigger.path().to_str().expect("path"), "--index", f.index()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Searches keep answering while the ingest runs.
        let until = std::time::Instant::now() + delay;
        while std::time::Instant::now() < until {
            run_ok(&["search", "docker", "--json", "--limit", "3", "--index", f.index()]);
        }
        let finished = child.try_wait().expect("wait").is_some();
        let _ = child.kill();
        let _ = child.wait();
        let now = run_ok(&["reports", "--json", "--index", f.index()]);
        if finished {
            // The ingest won the race: the new index is live and complete (30 old + 400 new reports). Only
            // acceptable once several ingests have been killed half-way.
            assert!(round >= 3, "the ingest finished in {delay:?}, before it could be killed: make the cohort bigger");
            assert_eq!(json_lines(&now).len(), 430, "round {round}");
            return;
        }
        assert_eq!(now, before, "round {round} ({delay:?}): the previous index is still the live one");
        // Frames and search agree with each other.
        let stats = json_lines(&run_ok(&["stats", "checklist", "--json", "--index", f.index()]));
        assert_eq!(stats_counts(&stats), plain_counts(&json_lines(&before)));
        assert!(!json_lines(&run_ok(&["search", "docker", "--json", "--index", f.index()])).is_empty());
    }
    // The next ingest (after kills that left a stale lock and half-written generations) completes.
    let out = cohort()
        .args(["ingest", bigger.path().to_str().expect("path"), "--index", f.index()])
        .output()
        .expect("ingest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_lines(&run_ok(&["reports", "--json", "--index", f.index()])).len(), 430);
    let gens = std::fs::read_dir(&f.index)
        .expect("index")
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().starts_with("gen-")))
        .count();
    assert!(gens <= 2, "half-written generations are cleaned up ({gens} left)");
}

#[test]
fn demo_tours_the_generated_cohort() {
    let out = run_ok(&["demo", "--reports", "30"]);
    for part in
        ["Generated 30 synthetic reports", "$ cohort stats checklist", "$ cohort search", "$ cohort show", "checklist:"]
    {
        assert!(out.contains(part), "demo prints {part:?}:\n{out}");
    }
}

#[test]
fn readme_and_help_name_the_same_commands() {
    let help = run_ok(&["--help"]);
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command line is indented by two spaces; a wrapped description line by more.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 8, "{help}");
    for c in commands {
        assert!(
            readme.contains(&format!("cohort {c}")) || readme.contains(&format!("-- {c}")),
            "README shows `cohort {c}`"
        );
    }
    assert!(
        readme.starts_with("# cohort\n\n```sh\ncargo run --release -- demo"),
        "README starts with the two commands"
    );
}

#[test]
fn parse_reports_every_bad_file_and_keeps_going() {
    let f = Fixture::new(23, 5);
    let bad = f.reports.join("broken/reports");
    std::fs::create_dir_all(&bad).expect("mkdir");
    std::fs::write(bad.join("README.md"), [0x89, b'P', b'N', b'G', 0, 0, 1, 2]).expect("write");
    let out = cohort().args(["parse", f.reports.to_str().expect("path"), "--json"]).output().expect("run");
    assert!(out.status.success());
    assert_eq!(json_lines(&String::from_utf8_lossy(&out.stdout)).len(), 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken/reports/README.md") && err.contains("binary"), "{err}");
}

#[test]
fn symbolic_links_out_of_the_folder_are_not_followed() {
    let f = Fixture::new(24, 3);
    // A report outside the folder given, reachable only through a link inside it.
    let outside = tempfile::tempdir().expect("temp");
    let elsewhere = outside.path().join("elsewhere/reports");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::fs::copy(f.reports.join(&f.generated[0].id).join("reports/README.md"), elsewhere.join("README.md"))
        .expect("copy");
    std::os::unix::fs::symlink(outside.path().join("elsewhere"), f.reports.join("sneaky")).expect("symlink");
    let out = cohort().args(["parse", f.reports.to_str().expect("path"), "--json"]).output().expect("run");
    assert!(out.status.success());
    let ids: Vec<String> = json_lines(&String::from_utf8_lossy(&out.stdout))
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids.len(), 3, "only the reports inside the folder: {ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("sneaky")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sneaky") && err.contains("leads outside"), "{err}");
}

/// `cohort parse DIR --json | head -1`: the reader going away is the end of the output, not an error.
#[test]
fn a_reader_that_stops_reading_is_not_an_error() {
    let f = Fixture::new(41, 200);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cohort"))
        .args(["parse", f.reports.to_str().expect("path"), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cohort");
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().expect("stdout"), &mut first).expect("some output");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
    assert!(!stderr.contains("error"), "{stderr}");
}
