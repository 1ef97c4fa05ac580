//! The command line as staff use it (issue 17): cohorts as course years, the search language, honest counts and
//! exit statuses, answers on screen, one set of flags. Each test runs the binary.

use cohort::synth::{write_cohort, CohortSpec, SyntheticReport};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{add_to_answer, cohort, json_lines, run_ok};

const URL: &str = "http://localhost:8000/predict";

/// Synthetic reports with sentences of our own put into some answers.
struct Fixture {
    _dir: tempfile::TempDir,
    reports: PathBuf,
    index: String,
    generated: Vec<SyntheticReport>,
}

impl Fixture {
    fn new(seed: u64, n: usize) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let reports = dir.path().join("reports");
        let generated = write_cohort(&reports, &CohortSpec { seed, reports: n, quirks: false, ..Default::default() })
            .expect("generate");
        let index = dir.path().join("index").to_string_lossy().into_owned();
        Fixture { _dir: dir, reports, index, generated }
    }

    fn file(&self, i: usize) -> PathBuf {
        self.reports.join(&self.generated[i].id).join("reports/README.md")
    }

    fn ingest(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["ingest", self.reports.to_str().expect("path"), "--index", &self.index];
        args.extend(extra);
        cohort().args(&args).output().expect("run")
    }

    fn search(&self, args: &[&str]) -> std::process::Output {
        cohort().arg("search").args(args).args(["--index", &self.index]).output().expect("run")
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every (report id, question) whose answer text, as `cohort show --json` prints it, contains `needle`.
fn answers_containing(f: &Fixture, needle: &str) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for r in &f.generated {
        for a in json_lines(&run_ok(&["show", &r.id, "--json", "--index", &f.index])) {
            let text: Vec<&str> =
                a["lines"].as_array().expect("lines").iter().map(|l| l["text"].as_str().expect("text")).collect();
            if text.join("\n").to_lowercase().contains(&needle.to_lowercase()) {
                found.insert((
                    a["id"].as_str().expect("id").to_string(),
                    a["question"].as_str().expect("q").to_string(),
                ));
            }
        }
    }
    found
}

fn hit_keys(hits: &[Value]) -> BTreeSet<(String, String)> {
    hits.iter()
        .map(|h| (h["id"].as_str().expect("id").to_string(), h["question"].as_str().expect("q").to_string()))
        .collect()
}

fn url_fixture() -> Fixture {
    let f = Fixture::new(1701, 6);
    add_to_answer(&f.file(0), 20, &format!("We served the model at {URL} during the demo."));
    add_to_answer(&f.file(1), 21, &format!("Try `curl -X POST {URL}/` on your own machine."));
    add_to_answer(&f.file(2), 20, "The health check answers at http://localhost:8000/health and nothing else.");
    add_to_answer(&f.file(3), 22, "Only localhost, on port 8000, has a predict endpoint.");
    let out = f.ingest(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

/// Search language: a URL and `host:port` are text, matched exactly; the count says how many.
#[test]
fn a_url_finds_exactly_the_answers_that_contain_it() {
    let f = url_fixture();
    let expected = answers_containing(&f, URL);
    assert_eq!(expected.len(), 2, "the fixture puts the URL into two answers: {expected:?}");
    let out = f.search(&[URL, "--all", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(hit_keys(&json_lines(&stdout(&out))), expected);
    assert!(stderr(&out).contains("2 answers match"), "{}", stderr(&out));

    let expected = answers_containing(&f, "localhost:8000");
    assert_eq!(expected.len(), 3, "{expected:?}");
    let out = f.search(&["localhost:8000", "--all", "--json"]);
    assert_eq!(hit_keys(&json_lines(&stdout(&out))), expected);
}

/// JSON hits carry the passage as written with the matches as character offsets, and the old starred snippet.
#[test]
fn json_hits_carry_match_offsets() {
    let f = url_fixture();
    let hits = json_lines(&stdout(&f.search(&["localhost:8000", "--json"])));
    assert!(!hits.is_empty());
    for h in &hits {
        let text: Vec<char> = h["text"].as_str().expect("text").chars().collect();
        let matches = h["matches"].as_array().expect("matches");
        assert!(!matches.is_empty(), "{h}");
        for m in matches {
            let (s, e) = (m[0].as_u64().expect("start") as usize, m[1].as_u64().expect("end") as usize);
            let word: String = text[s..e].iter().collect::<String>().to_lowercase();
            assert!(word == "localhost" || word == "8000", "{word:?} in {h}");
        }
        assert!(h["snippet"].as_str().expect("snippet").contains("**"), "{h}");
    }
}

/// Search language: -term (also first), prefix*, OR in any case, field filters, unknown fields as text.
#[test]
fn negation_prefix_or_and_fields_do_what_the_help_says() {
    let f = url_fixture();
    let total = |args: &[&str]| -> usize {
        let out = f.search(&[args, &["--all", "--json"]].concat());
        assert_ne!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        json_lines(&stdout(&out)).len()
    };
    let localhost = total(&["localhost"]);
    assert_eq!(localhost, 4);
    assert_eq!(total(&["localhost -health"]), 3);
    assert_eq!(total(&["-health localhost"]), 3, "a query may start with -");
    assert_eq!(total(&["localh*"]), 4);
    assert_eq!(total(&["health or predict"]), total(&["health OR predict"]));
    assert_eq!(total(&["health OR zzzqqq"]), total(&["health"]));
    let group = f.generated[0].truth.facts.group.expect("group");
    assert_eq!(total(&[&format!("localhost group:{group}")]), total(&["localhost", "--group", &group.to_string()]));
    assert_eq!(total(&["question:deploy the"]), total(&["the", "--question", "deploy"]));
    let out = f.search(&["nosuchfield:value"]);
    assert_eq!(out.status.code(), Some(1), "an unknown field is text, found nowhere: {}", stderr(&out));
}

/// Parse errors say where; 3,000 `(` is a clear error with exit 2, not a crash.
#[test]
fn query_mistakes_are_errors_with_their_column() {
    let f = url_fixture();
    let deep = "(".repeat(3000);
    let out = f.search(&[&deep]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("column 33") && err.contains("nested more than 32 levels"), "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    for (q, column) in
        [("deploy \"load test", "column 8"), ("a OR", "column 5"), ("(docker", "column 1"), ("docker)", "column 7")]
    {
        let out = f.search(&[q]);
        assert_eq!(out.status.code(), Some(2), "{q}");
        assert!(stderr(&out).contains(column), "{q}: {}", stderr(&out));
    }
}

/// Results say how many exist and how many are shown; --limit, --all, --groups.
#[test]
fn counts_limits_and_groups() {
    let f = url_fixture();
    let out = f.search(&["localhost", "--limit", "1"]);
    assert_eq!(stdout(&out).lines().filter(|l| l.starts_with("group")).count(), 1);
    assert!(stderr(&out).contains("4 answers match; showing the best 1"), "{}", stderr(&out));
    let out = f.search(&["localhost", "--all"]);
    assert_eq!(stdout(&out).lines().filter(|l| l.starts_with("group")).count(), 4);
    let groups = json_lines(&stdout(&f.search(&["localhost", "--groups", "--json"])));
    assert_eq!(groups.len(), 4, "four reports have a matching answer: {groups:?}");
    assert_eq!(groups.iter().map(|g| g["hits"].as_u64().expect("hits")).sum::<u64>(), 4);
    let csv = stdout(&f.search(&["localhost", "--groups", "--csv"]));
    assert_eq!(csv.lines().next(), Some("cohort,group,id,hits"));
    let out = f.search(&[URL]);
    assert!(stderr(&out).contains("2 answers match"), "{}", stderr(&out));
    let one = f.search(&["http://localhost:8000/health"]);
    assert!(stderr(&one).contains("1 answer matches"), "singular: {}", stderr(&one));
    let none = f.search(&["zzzqqqxx"]);
    assert_eq!(none.status.code(), Some(1), "nothing found is status 1");
}

/// Colour on request, never when piped by default.
#[test]
fn colour_only_on_a_terminal_or_when_asked() {
    let f = url_fixture();
    assert!(!stdout(&f.search(&["localhost"])).contains('\x1b'), "piped: no colour");
    assert!(stdout(&f.search(&["localhost", "--color", "always"])).contains("\x1b["), "--color always");
    assert!(!stdout(&f.search(&["localhost", "--color", "never"])).contains('\x1b'));
}

/// `ingest /nonexistent` exits 2 and creates nothing; an empty folder is an error with a reason.
#[test]
fn missing_paths_and_empty_ingests_are_errors_that_leave_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let out = cohort().current_dir(dir.path()).args(["ingest", "/nonexistent"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent: no such file or folder"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0, "nothing created");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let out = cohort().current_dir(dir.path()).args(["ingest", "empty"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no reports found in empty"), "{}", stderr(&out));
    assert!(!dir.path().join("index").exists(), "no index made for nothing");
    for cmd in [&["check", "/nonexistent"][..], &["dupes", "/nonexistent"]] {
        let out = cohort().args(cmd).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        assert!(stderr(&out).contains("no such file or folder"), "{cmd:?}: {}", stderr(&out));
    }
}

/// An unknown cohort or question key exits 2 naming the known ones (and the likely one).
#[test]
fn unknown_cohorts_and_keys_are_errors_naming_the_known_ones() {
    let f = Fixture::new(1702, 4);
    assert!(f.ingest(&["--cohort", "2025"]).status.success());
    for cmd in [
        vec!["search", "docker", "--cohort", "2035"],
        vec!["stats", "checklist", "--cohort", "2035"],
        vec!["stats", "facts", "--cohort", "2035"],
        vec!["reports", "--cohort", "2035"],
        vec!["show", "1", "--cohort", "2035"],
    ] {
        let out = cohort().args(&cmd).args(["--index", &f.index]).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let err = stderr(&out);
        assert!(err.contains("unknown cohort \"2035\"") && err.contains("known cohorts: 2025"), "{cmd:?}: {err}");
        assert!(err.contains("did you mean \"2025\""), "{err}");
    }
    let out = f.search(&["docker", "--question", "deplyo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean \"deploy\"") && stderr(&out).contains("api_testing"),
        "{}",
        stderr(&out)
    );
}

fn cohorts_listed(index: &str) -> Vec<String> {
    json_lines(&run_ok(&["reports", "--json", "--index", index]))
        .iter()
        .map(|r| r["cohort"].as_str().expect("c").to_string())
        .collect()
}

/// Cohort = course year: one --cohort per folder; else the source.json commit year; else the template, said to
/// be a guess.
#[test]
fn cohorts_are_course_years() {
    let dir = tempfile::tempdir().expect("temp");
    let (a, b) = (dir.path().join("2024"), dir.path().join("2025"));
    write_cohort(&a, &CohortSpec { seed: 1703, reports: 3, ..Default::default() }).expect("gen");
    write_cohort(&b, &CohortSpec { seed: 1704, reports: 4, ..Default::default() }).expect("gen");
    let index = dir.path().join("index").to_string_lossy().into_owned();
    let out = cohort()
        .args([
            "ingest",
            a.to_str().expect("p"),
            b.to_str().expect("p"),
            "--cohort",
            "2024",
            "--cohort",
            "2025",
            "--index",
            &index,
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("claimed by"), "{}", stderr(&out));
    let mut labels = cohorts_listed(&index);
    labels.sort();
    assert_eq!(labels, ["2024", "2024", "2024", "2025", "2025", "2025", "2025"]);

    // Three labels for two folders is a mistake, said before anything is read.
    let out = cohort()
        .args([
            "ingest",
            a.to_str().expect("p"),
            b.to_str().expect("p"),
            "--cohort",
            "1",
            "--cohort",
            "2",
            "--cohort",
            "3",
            "--index",
            &index,
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("3 cohort labels for 2 folders"), "{}", stderr(&out));

    // A scraped folder: the commit year (a January commit belongs to that year's course).
    let scraped = dir.path().join("scraped");
    let made = write_cohort(&scraped, &CohortSpec { seed: 1705, reports: 2, ..Default::default() }).expect("gen");
    for r in &made {
        std::fs::write(scraped.join(&r.id).join("source.json"), r#"{"commit_time": "2027-01-21T23:59:00+01:00"}"#)
            .expect("w");
    }
    let index2 = dir.path().join("index2").to_string_lossy().into_owned();
    let out = cohort().args(["ingest", scraped.to_str().expect("p"), "--index", &index2]).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(cohorts_listed(&index2), ["2027", "2027"]);
    assert!(!stderr(&out).contains("guess"), "{}", stderr(&out));

    // Nothing to go by: the template's label, and stderr says it is a guess.
    let index3 = dir.path().join("index3").to_string_lossy().into_owned();
    let out = cohort().args(["ingest", a.to_str().expect("p"), "--index", &index3]).output().expect("run");
    assert!(stderr(&out).contains("3 reports are labelled by template generation, a guess"), "{}", stderr(&out));

    // check and dupes take --cohort too.
    let out = cohort().args(["check", a.to_str().expect("p"), "--cohort", "2031"]).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.lines().filter(|l| l.contains(" 2031 ")).count() >= 3, "{table}");
    let csv = run_ok(&["check", a.to_str().expect("p"), "--cohort", "2031", "--csv"]);
    let mut rows = csv.lines();
    assert!(rows.next().is_some_and(|h| h.starts_with("group,id,cohort,")), "{csv}");
    assert_eq!(rows.filter(|r| r.split(',').nth(2) == Some("2031")).count(), 3, "{csv}");
    let out = cohort().args(["dupes", a.to_str().expect("p"), "--cohort", "2031", "--json"]).output().expect("run");
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A year folder that is a symbolic link is followed; links into another folder named are followed once; a link
/// out of every folder named is still refused.
#[test]
fn links_to_folders_named_are_followed() {
    let dir = tempfile::tempdir().expect("temp");
    let real = dir.path().join("real2025");
    write_cohort(&real, &CohortSpec { seed: 1706, reports: 3, ..Default::default() }).expect("gen");
    let link = dir.path().join("2025");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let parsed = json_lines(&run_ok(&["parse", link.to_str().expect("p"), "--json"]));
    assert_eq!(parsed.len(), 3);
    // A folder holding a link into another folder named alongside: read once, not refused.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::os::unix::fs::symlink(&real, other.join("shared")).expect("symlink");
    let out = cohort()
        .args(["parse", other.to_str().expect("p"), real.to_str().expect("p"), "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&stdout(&out)).len(), 3, "each report once");
    assert!(!stderr(&out).contains("leads outside"), "{}", stderr(&out));
    let out = cohort().args(["parse", other.to_str().expect("p"), "--json"]).output().expect("run");
    assert!(stderr(&out).contains("leads outside"), "a link out of every folder named is refused: {}", stderr(&out));
}

/// `show GROUP --question KEY` prints the answer's text with the line numbers it has in the report file.
#[test]
fn show_prints_answers_with_their_file_line_numbers() {
    let f = url_fixture();
    let id = &f.generated[0].id;
    let answers = json_lines(&run_ok(&["show", id, "--json", "--index", &f.index]));
    assert!(answers.len() > 20);
    let file = std::fs::read_to_string(f.file(0)).expect("read");
    let file_lines: Vec<&str> = file.lines().collect();
    let mut checked = 0;
    for a in &answers {
        for l in a["lines"].as_array().expect("lines") {
            let text = l["text"].as_str().expect("text").trim();
            let n = l["line"].as_u64().expect("every line is found in the unchanged file") as usize;
            assert!(file_lines[n - 1].contains(text), "line {n}: {:?} vs {text:?}", file_lines[n - 1]);
            checked += 1;
        }
    }
    assert!(checked > 20);
    let one = json_lines(&run_ok(&["show", id, "--question", "deploy", "--json", "--index", &f.index]));
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["question"], "deploy");
    let text = run_ok(&["show", id, "--question", "deploy", "--index", &f.index]);
    assert!(text.starts_with("Q"), "{text}");
    assert!(text.lines().nth(1).is_some_and(|l| l.contains(" | ")), "{text}");
    let out = cohort().args(["show", id, "--question", "deploi", "--index", &f.index]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean \"deploy\""));
}

/// `cohort keys` lists every question key and checklist id the parser knows.
#[test]
fn keys_lists_question_keys_and_checklist_ids() {
    let rows = json_lines(&run_ok(&["keys", "--json"]));
    let keys: BTreeSet<&str> = rows.iter().filter_map(|r| r["key"].as_str()).collect();
    for k in cohort::domain::AnswerKey::NAMES {
        assert!(keys.contains(k), "{k}");
    }
    let ids: BTreeSet<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    for k in cohort::domain::ChecklistId::NAMES {
        assert!(ids.contains(k), "{k}");
    }
    assert!(run_ok(&["keys", "checklist", "--csv"]).starts_with("id,CL-2023,CL-2025,CL-2026"));
}

/// `stats checklist --by item --pivot cohort` is the long table spread into columns; facts have sums.
#[test]
fn pivot_and_sums() {
    let f = Fixture::new(1707, 30);
    assert!(f.ingest(&[]).status.success());
    let long = json_lines(&run_ok(&["stats", "checklist", "--by", "item,cohort", "--json", "--index", &f.index]));
    let wide = json_lines(&run_ok(&[
        "stats",
        "checklist",
        "--by",
        "item",
        "--pivot",
        "cohort",
        "--json",
        "--index",
        &f.index,
    ]));
    assert!(!long.is_empty());
    for row in &long {
        let item = row["item"].as_str().expect("item");
        let cohort = row["cohort"].as_str().expect("cohort");
        let w = wide.iter().find(|w| w["item"] == item).expect("item in the pivot");
        assert_eq!(w[cohort], row["rate"], "{item} {cohort}");
    }
    let facts = json_lines(&run_ok(&["stats", "facts", "--by", "cohort", "--json", "--index", &f.index]));
    for r in &facts {
        if let (Some(n), Some(mean), Some(sum)) = (r["n"].as_f64(), r["mean"].as_f64(), r["sum"].as_f64()) {
            assert!((n * mean - sum).abs() < 1e-6 * sum.abs().max(1.0), "{r}");
        }
    }
    let csv = run_ok(&["reports", "--csv", "--index", &f.index]);
    assert!(csv.starts_with("id,cohort,"), "{csv}");
    assert_eq!(csv.lines().count(), 31);
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/corpus is not there");
        None
    }
}

/// On the real corpus: `localhost:8000` finds the 22 answers that contain it.
#[test]
fn corpus_host_port_finds_its_answers() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("temp");
    let index = dir.path().join("index").to_string_lossy().into_owned();
    run_ok(&["ingest", corpus.to_str().expect("p"), "--index", &index]);
    let hits = json_lines(&run_ok(&["search", "localhost:8000", "--all", "--json", "--index", &index]));
    assert_eq!(hits.len(), 22);
    let url = json_lines(&run_ok(&["search", URL, "--all", "--json", "--index", &index]));
    assert!(!url.is_empty() && url.len() < hits.len(), "{}", url.len());
}

/// The corpus split into year folders by each folder's meta.json date: ingest with one --cohort per folder and
/// check with --cohort label every report with its year and claim no group twice falsely.
#[test]
fn corpus_in_year_folders_is_labelled_by_year() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("temp");
    let mut years: BTreeSet<String> = BTreeSet::new();
    let mut per_year: std::collections::BTreeMap<String, usize> = Default::default();
    let mut year_of: std::collections::BTreeMap<String, String> = Default::default();
    for entry in std::fs::read_dir(&corpus).expect("ls") {
        let path = entry.expect("entry").path();
        let Ok(meta) = std::fs::read_to_string(path.join("meta.json")) else { continue };
        let meta: Value = serde_json::from_str(&meta).expect("meta.json");
        // Folders without a date cannot be put in a year (as a person splitting the corpus would skip them).
        let Some(year) = meta["report_last_changed"].as_str().and_then(|d| d.get(..4)).map(str::to_string) else {
            continue;
        };
        let target = dir.path().join(&year).join(path.file_name().expect("name"));
        std::fs::create_dir_all(&target).expect("mkdir");
        for f in std::fs::read_dir(&path).expect("ls") {
            let f = f.expect("file").path();
            if f.is_file() {
                std::fs::copy(&f, target.join(f.file_name().expect("name"))).expect("copy");
            }
        }
        year_of.insert(path.file_name().expect("name").to_string_lossy().into_owned(), year.clone());
        years.insert(year.clone());
        *per_year.entry(year).or_default() += 1;
    }
    let index = dir.path().join("index").to_string_lossy().into_owned();
    let mut args: Vec<String> = vec!["ingest".into()];
    args.extend(years.iter().map(|y| dir.path().join(y).to_string_lossy().into_owned()));
    for y in &years {
        args.extend(["--cohort".to_string(), y.clone()]);
    }
    args.extend(["--index".to_string(), index.clone()]);
    let out = cohort().args(&args).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("claimed by 2 reports"), "{}", stderr(&out));
    let listed = json_lines(&run_ok(&["reports", "--json", "--index", &index]));
    assert_eq!(listed.len(), year_of.len());
    for r in &listed {
        let path = r["path"].as_str().expect("path");
        let folder = path.split('/').next().expect("folder");
        assert_eq!(Some(r["cohort"].as_str().expect("cohort")), year_of.get(folder).map(String::as_str), "{path}");
    }
    let mut counted: std::collections::BTreeMap<String, usize> = Default::default();
    for c in cohorts_listed(&index) {
        *counted.entry(c).or_default() += 1;
    }
    assert_eq!(counted, per_year);
    for y in &years {
        let out =
            cohort().args(["check", dir.path().join(y).to_str().expect("p"), "--cohort", y]).output().expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
        let table = stdout(&out);
        assert!(!table.contains("claimed by") && !stderr(&out).contains("claimed by"));
        let labelled = table.lines().filter(|l| l.split_whitespace().nth(2) == Some(y.as_str())).count();
        assert_eq!(labelled, per_year[y], "{y}: every report labelled with its year");
    }
}
