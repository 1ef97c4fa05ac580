//! One set of output flags on every command (issue 17, "One set of flags" and "Colour on a terminal"): `--csv` on
//! every table, `--json` fields as the interface contract lists them, data alone on standard output, colour only
//! when asked or on a terminal, counted nouns in the summaries, and the demo tour's commands as printed. Each test
//! runs the binary.

use cohort::synth::{write_cohort, CohortSpec, SyntheticReport};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{add_to_answer, cohort, git, json_lines};

/// A synthetic cohort ingested, a git repository for its first report, and a saved query.
struct Setup {
    _dir: tempfile::TempDir,
    reports: PathBuf,
    index: String,
    repos: PathBuf,
    cache: PathBuf,
    query: PathBuf,
    generated: Vec<SyntheticReport>,
}

fn setup(seed: u64, n: usize) -> Setup {
    setup_with(seed, n, |_, _| ())
}

/// A setup whose reports `edit` changes before the ingest.
fn setup_with(seed: u64, n: usize, edit: impl Fn(&Path, &[SyntheticReport])) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let reports = dir.path().join("reports");
    let generated =
        write_cohort(&reports, &CohortSpec { seed, reports: n, ..Default::default() }).expect("generate reports");
    edit(&reports, &generated);
    let index = dir.path().join("index").to_string_lossy().into_owned();
    let out = cohort().args(["ingest", reports.to_str().expect("utf-8"), "--index", &index]).output().expect("run");
    assert!(out.status.success(), "ingest: {}", String::from_utf8_lossy(&out.stderr));
    // Each report's repository: the template on day one, then (days later, so it is the group's work) a test
    // file, a Dockerfile and a workflow.
    let repos = dir.path().join("repos");
    for r in &generated {
        let repo = repos.join(&r.id);
        std::fs::create_dir_all(&repo).expect("mkdir");
        std::fs::write(repo.join("README.md"), "# project\n").expect("write");
        git(&repo, &["init", "-q"], "2026-01-02T10:00:00Z");
        git(&repo, &["add", "-A"], "2026-01-02T10:00:00Z");
        git(&repo, &["commit", "-q", "-m", "template"], "2026-01-02T10:00:00Z");
        std::fs::create_dir_all(repo.join("tests")).expect("mkdir");
        std::fs::create_dir_all(repo.join(".github/workflows")).expect("mkdir");
        std::fs::write(repo.join("tests/test_data.py"), "def test_shapes():\n    assert 1 + 1 == 2\n").expect("write");
        std::fs::write(repo.join("Dockerfile"), "FROM python:3.12-slim\n").expect("write");
        let workflow = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest tests\n";
        std::fs::write(repo.join(".github/workflows/tests.yaml"), workflow).expect("write");
        git(&repo, &["add", "-A"], "2026-01-06T10:00:00Z");
        git(&repo, &["commit", "-q", "-m", "work"], "2026-01-06T10:00:00Z");
    }
    let query = dir.path().join("by-week.toml");
    std::fs::write(&query, "kind = \"checklist\"\nby = [\"week\", \"cohort\"]\n").expect("write query");
    let cache = dir.path().join("cache");
    Setup { reports, index, repos, cache, query, generated, _dir: dir }
}

impl Setup {
    /// Every command that prints rows, with what it needs to run here (`--index`, paths, repositories).
    fn commands(&self) -> Vec<(&'static str, Vec<String>)> {
        let i = self.index.clone();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
        let group = self.generated[0].truth.facts.group.expect("a synthetic report states its group").to_string();
        let reports = self.reports.to_string_lossy().into_owned();
        vec![
            ("search", s(&["search", "model", "--all", "--index", &i])),
            ("search --groups", s(&["search", "model", "--groups", "--index", &i])),
            ("stats checklist", s(&["stats", "checklist", "--by", "item,cohort", "--index", &i])),
            ("stats checklist --pivot", s(&["stats", "checklist", "--by", "item", "--pivot", "cohort", "--index", &i])),
            ("stats facts", s(&["stats", "facts", "--by", "cohort", "--index", &i])),
            ("reports", s(&["reports", "--index", &i])),
            ("show", s(&["show", &group, "--index", &i])),
            ("show --question", s(&["show", &group, "--question", "tests", "--index", &i])),
            ("keys questions", s(&["keys", "questions"])),
            ("keys checklist", s(&["keys", "checklist"])),
            ("check", s(&["check", "--index", &i])),
            ("check PATH", s(&["check", &reports])),
            ("dupes", s(&["dupes", "--index", &i])),
            ("dupes PATH", s(&["dupes", &reports])),
            ("run", s(&["run", self.query.to_str().expect("utf-8"), "--index", &i])),
            (
                "verify",
                s(&[
                    "verify",
                    "--index",
                    &i,
                    "--repos",
                    self.repos.to_str().expect("utf-8"),
                    "--cache",
                    self.cache.to_str().expect("utf-8"),
                ]),
            ),
        ]
    }
}

fn run(args: &[String], extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = cohort();
    c.args(args).args(extra);
    c.env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run cohort")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// CSV records (RFC 4180: quoted fields may hold commas, quotes doubled and line breaks).
fn csv_records(s: &str) -> Vec<Vec<String>> {
    let mut records = vec![];
    let mut record = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted field: {s}");
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// `--csv` works on every command that prints a table: a header, then rows with as many fields; the rows are the
/// `--json` rows (same count, and the columns the JSON has).
#[test]
fn every_table_comes_as_csv_with_the_json_rows() {
    let s = setup(1731, 8);
    for (name, args) in s.commands() {
        let csv = run(&args, &["--csv"], &[]);
        assert!(csv.status.success(), "{name} --csv: {}", text(&csv.stderr));
        let records = csv_records(&text(&csv.stdout));
        assert!(records.len() > 1, "{name} --csv printed no rows: {}", text(&csv.stdout));
        let header = &records[0];
        for r in &records[1..] {
            assert_eq!(r.len(), header.len(), "{name}: a row with another number of fields than the header: {r:?}");
        }
        let json = run(&args, &["--json"], &[]);
        assert!(json.status.success(), "{name} --json: {}", text(&json.stderr));
        let rows = json_lines(&text(&json.stdout));
        // Rows of the same kind as the CSV's: verify's verdicts, show's answer lines, check's reports.
        let comparable: Vec<&Value> = match name {
            "verify" => rows.iter().filter(|r| r["record"] == "verdict").collect(),
            _ => rows.iter().collect(),
        };
        match name {
            "show" | "show --question" => {
                let lines: usize = rows.iter().map(|r| r["lines"].as_array().map_or(0, Vec::len)).sum();
                assert_eq!(records.len() - 1, lines, "{name}: one CSV row per answer line");
            }
            // --csv is the table per report; --json the findings.
            "check" | "check PATH" => {
                assert_eq!(records.len() - 1, s.generated.len(), "{name}: a row per report checked");
                let ids: std::collections::BTreeSet<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
                let id_column = header.iter().position(|h| h == "id").expect("an id column");
                for id in ids {
                    assert!(records.iter().any(|r| r[id_column] == id), "{name}: {id} has findings but no row");
                }
            }
            // keys --json lists both tables; --csv one.
            "keys questions" => assert_eq!(records.len() - 1, rows.iter().filter(|r| r.get("key").is_some()).count()),
            "keys checklist" => assert_eq!(records.len() - 1, rows.iter().filter(|r| r.get("id").is_some()).count()),
            // the reports table shows a few of the JSON fields, one row per report
            _ => {
                assert_eq!(records.len() - 1, comparable.len(), "{name}: as many CSV rows as JSON rows");
                if name != "reports" {
                    for column in header {
                        assert!(
                            comparable[0].get(column).is_some(),
                            "{name}: CSV column {column:?} is not a JSON field: {}",
                            comparable[0]
                        );
                    }
                }
            }
        }
    }
}

/// `--csv` is in the `--help` of every command that prints a table.
#[test]
fn every_table_command_offers_csv_and_color() {
    for cmd in [
        &["search"][..],
        &["stats", "checklist"],
        &["stats", "facts"],
        &["reports"],
        &["show"],
        &["keys"],
        &["check"],
        &["dupes"],
        &["verify"],
        &["run"],
    ] {
        let help = text(&cohort().args(cmd).arg("--help").output().expect("help").stdout);
        assert!(help.contains("--csv"), "{cmd:?} --help: {help}");
        assert!(help.contains("--json"), "{cmd:?} --help: {help}");
        assert!(help.contains("--color <WHEN>"), "{cmd:?} --help: {help}");
    }
}

/// A CSV cell that a spreadsheet would run as a formula is made inert in the new tables too.
#[test]
fn csv_cells_are_spreadsheet_safe() {
    let s = setup_with(1732, 3, |dir, reports| {
        add_to_answer(&dir.join(&reports[0].id).join("reports/README.md"), 6, "=HYPERLINK(\"http://example.invalid\")");
    });
    let group = s.generated[0].truth.facts.group.expect("group").to_string();
    let out = run(&["show".into(), group, "--csv".into(), "--index".into(), s.index.clone()], &[], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.contains("'=HYPERLINK"), "the formula is made inert: {csv}");
    for record in csv_records(&csv) {
        assert!(record.iter().all(|f| !f.starts_with('=')), "{record:?}");
    }
}

/// JSON types as INTERFACE.md (and docs/interface.md) names them.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Int,
    Num,
    Bool,
    List,
    Object,
}

fn has_kind(v: &Value, kind: Kind, nullable: bool) -> bool {
    if v.is_null() {
        return nullable;
    }
    match kind {
        Kind::Str => v.is_string(),
        Kind::Int => v.is_u64() || v.is_i64(),
        Kind::Num => v.is_number(),
        Kind::Bool => v.is_boolean(),
        Kind::List => v.is_array(),
        Kind::Object => v.is_object(),
    }
}

/// (field, type, may be null), per command, as the contract lists them (INTERFACE.md; the fields it leaves to
/// docs/interface.md, docs/verify.md and docs/facts.md are taken from there).
fn contract(name: &str) -> Vec<(&'static str, Kind, bool)> {
    use Kind::*;
    match name {
        "reports" | "parse" => vec![
            ("id", Str, false),
            ("path", Str, false),
            ("cohort", Str, false),
            ("template", Str, false),
            ("checklist_generation", Str, false),
            ("group", Int, true),
            ("students", List, false),
            ("tests", Int, true),
            ("coverage", Num, true),
            ("credits", Object, true),
            ("ticks", Object, false),
            ("answers", Object, false),
            ("warnings", List, false),
            ("provenance", Object, false),
            ("tick_states", Object, false),
        ],
        "search" => vec![
            ("id", Str, false),
            ("group", Int, true),
            ("cohort", Str, false),
            ("question", Str, false),
            ("number", Int, true),
            ("score", Num, false),
            ("snippet", Str, false),
            ("text", Str, false),
            ("matches", List, false),
        ],
        "search --groups" => {
            vec![("cohort", Str, false), ("group", Int, true), ("id", Str, false), ("hits", Int, false)]
        }
        "stats checklist" => vec![
            ("item", Str, false),
            ("cohort", Str, false),
            ("done", Int, false),
            ("total", Int, false),
            ("rate", Num, true),
            ("partial", Int, false),
            ("partial_as", Str, false),
        ],
        "stats checklist --pivot" => vec![("item", Str, false)],
        "stats facts" => vec![
            ("fact", Str, false),
            ("cohort", Str, false),
            ("n", Int, false),
            ("mean", Num, true),
            ("sum", Num, true),
            ("median", Num, true),
            ("min", Num, true),
            ("max", Num, true),
        ],
        "show" | "show --question" => vec![
            ("id", Str, false),
            ("cohort", Str, false),
            ("group", Int, true),
            ("question", Str, false),
            ("number", Int, true),
            ("file", Str, false),
            ("question_line", Int, false),
            ("answered", Bool, false),
            ("lines", List, false),
        ],
        "keys questions" => {
            vec![("key", Str, false), ("number_27", Int, true), ("number_31", Int, true), ("asks_for", Str, false)]
        }
        "keys checklist" => vec![
            ("id", Str, false),
            ("cl_2023", Int, true),
            ("cl_2025", Int, true),
            ("cl_2026", Int, true),
            ("module", Str, true),
            ("short", Str, false),
        ],
        "check" | "check PATH" => {
            vec![("id", Str, false), ("question", Str, true), ("rule", Str, false), ("message", Str, false)]
        }
        // INTERFACE.md: `question` is the canonical key wherever it appears (search, check, show); dupes too.
        "dupes" | "dupes PATH" => vec![
            ("a", Str, false),
            ("b", Str, false),
            ("question", Str, false),
            ("question_number", Int, true),
            ("similarity", Num, false),
            ("shared_words", Int, false),
        ],
        "run" => vec![
            ("week", Str, false),
            ("cohort", Str, false),
            ("done", Int, false),
            ("total", Int, false),
            ("rate", Num, true),
        ],
        "verify repository" => vec![
            ("record", Str, false),
            ("id", Str, false),
            ("group", Int, true),
            ("repository", Str, false),
            ("status", Str, false),
            ("error", Str, true),
            ("commit", Str, true),
            ("commit_source", Str, true),
            ("commit_time", Str, true),
            ("branch", Str, true),
            ("commits", Int, true),
            ("authors", Int, true),
            ("author_names", List, false),
            ("author_commits", List, false),
            ("bot_commits", Int, true),
            ("group_size", Int, false),
            ("first_commit_time", Str, true),
            ("last_commit_time", Str, true),
            ("commits_after_deadline", Int, true),
            ("unmerged_branches", List, false),
            ("notes", List, false),
        ],
        "verify verdict" => vec![
            ("record", Str, false),
            ("id", Str, false),
            ("group", Int, true),
            ("item", Str, false),
            ("claimed", Bool, false),
            ("verdict", Str, false),
            ("class", Str, false),
            ("flagged", Bool, false),
            ("path", Str, true),
            ("line", Int, true),
            ("evidence", Str, true),
            ("snippet", Str, true),
            ("branch", Str, true),
            ("note", Str, true),
            ("stated", Int, true),
            ("counted", Int, true),
            ("removed_by", Str, true),
        ],
        other => panic!("no contract listed for {other}"),
    }
}

fn assert_contract(name: &str, rows: &[Value]) {
    assert!(!rows.is_empty(), "{name}: no rows");
    for row in rows {
        for (field, kind, nullable) in contract(name) {
            let v = row.get(field).unwrap_or_else(|| panic!("{name}: no field {field:?} in {row}"));
            assert!(has_kind(v, kind, nullable), "{name}: {field:?} should be {kind:?} (null: {nullable}): {row}");
        }
    }
}

/// Every `--json` output has the fields the contract lists, with the types it says; `dupes`'s `question` is the
/// key (as everywhere) and its number is `question_number`.
#[test]
fn json_fields_and_types_follow_the_contract() {
    let s = setup(1733, 8);
    let mut parse = vec!["parse".to_string(), s.reports.to_string_lossy().into_owned()];
    parse.push("--json".into());
    let parsed = json_lines(&text(&run(&parse, &[], &[]).stdout));
    assert_contract("parse", &parsed);
    for (name, args) in s.commands() {
        let out = run(&args, &["--json"], &[]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let rows = json_lines(&text(&out.stdout));
        match name {
            "verify" => {
                let (repos, verdicts): (Vec<Value>, Vec<Value>) =
                    rows.into_iter().partition(|r| r["record"] == "repository");
                assert_contract("verify repository", &repos);
                assert_contract("verify verdict", &verdicts);
                assert!(repos.iter().any(|r| r["status"] == "ok"), "the repository built here is read");
                let kinds = ["supported", "partial", "no-evidence", "only-on-branch", "unclaimed", "not-decidable"];
                assert!(verdicts
                    .iter()
                    .all(|v| kinds.contains(&v["verdict"].as_str().unwrap_or("")) || v["item"] == "tests"));
            }
            "keys questions" => {
                assert_contract(name, &rows.into_iter().filter(|r| r.get("key").is_some()).collect::<Vec<_>>())
            }
            "keys checklist" => {
                assert_contract(name, &rows.into_iter().filter(|r| r.get("id").is_some()).collect::<Vec<_>>())
            }
            "dupes" | "dupes PATH" => {
                assert_contract(name, &rows);
                let keys = cohort::domain::AnswerKey::NAMES;
                for r in &rows {
                    assert!(keys.contains(&r["question"].as_str().unwrap_or("")), "question is a key: {r}");
                    assert_eq!(r["key"], r["question"], "key stays for one release: {r}");
                }
            }
            "check" | "check PATH" => {
                assert_contract(name, &rows);
                let rules = cohort::check::Rule::NAMES;
                assert!(rows.iter().all(|r| rules.contains(&r["rule"].as_str().unwrap_or(""))));
            }
            _ => assert_contract(name, &rows),
        }
    }
}

/// With `--json`, standard output holds JSON objects and nothing else; the counts are on standard error.
#[test]
fn json_runs_print_only_json_lines_on_stdout() {
    let s = setup(1734, 6);
    for (name, args) in s.commands() {
        let out = run(&args, &["--json"], &[]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(!stdout.is_empty(), "{name}");
        for line in stdout.lines() {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {line}"));
            assert!(v.is_object(), "{name}: {line}");
        }
    }
    // The summaries these commands print go to standard error, with `--json` as without.
    let i = s.index.as_str();
    for (args, summary) in [
        (&["reports", "--index", i][..], "6 reports"),
        (&["check", "--index", i], "6 reports checked"),
        (&["dupes", "--index", i], " among "),
        (&["search", "model", "--index", i], "answers match"),
    ] {
        for format in [&["--json"][..], &[]] {
            let out = cohort().args(args).args(format).output().expect("run");
            assert!(text(&out.stderr).contains(summary), "{args:?} {format:?}: {}", text(&out.stderr));
            assert!(!text(&out.stdout).contains(summary), "{args:?} {format:?}: the summary is not data");
        }
    }
}

/// Colour with `--color always`, none when piped (the default here), none with `--color never` or `NO_COLOR`
/// even when asked for `auto`; the same text either way once the escapes are taken out.
#[test]
fn colour_on_every_table_command_only_when_asked_or_on_a_terminal() {
    let s = setup(1735, 8);
    let strip = |t: &str| {
        let mut out = String::new();
        let mut chars = t.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                // ESC [ ... m
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    for (name, args) in s.commands() {
        let args = if name == "check" { [args, vec!["--list".to_string()]].concat() } else { args };
        let piped = run(&args, &[], &[]);
        assert!(piped.status.success(), "{name}: {}", text(&piped.stderr));
        let piped = text(&piped.stdout);
        assert!(!piped.contains('\x1b'), "{name}: escape codes in piped output");
        let always = text(&run(&args, &["--color", "always"], &[]).stdout);
        assert!(always.contains("\x1b["), "{name} --color always: no colour");
        // Without colour a search marks its matches with `**`.
        let unmarked = |t: &str| if name.starts_with("search") { t.replace("**", "") } else { t.to_string() };
        assert!(unmarked(&strip(&always)) == unmarked(&piped), "{name}: colour changes only the escapes");
        assert!(!text(&run(&args, &["--color", "never"], &[]).stdout).contains('\x1b'), "{name}");
        assert!(!text(&run(&args, &["--color", "auto"], &[("NO_COLOR", "1")]).stdout).contains('\x1b'), "{name}");
    }
    // `parse` prints reports and their warnings, no table: coloured the same way.
    let parse = ["parse".to_string(), s.reports.to_string_lossy().into_owned()];
    let piped = text(&run(&parse, &[], &[]).stdout);
    let always = text(&run(&parse, &["--color", "always"], &[]).stdout);
    assert!(!piped.contains('\x1b') && always.contains("\x1b[1m"), "{always}");
    assert_eq!(strip(&always), piped);
}

/// Findings, verdicts and similar pairs get their tone: a supported claim green, a finding yellow or red.
#[test]
fn colours_say_what_a_row_means() {
    let s = setup(1736, 8);
    let cmds = s.commands();
    let args = |name: &str| cmds.iter().find(|(n, _)| *n == name).map(|(_, a)| a.clone()).expect("command");
    let verify = text(&run(&args("verify"), &["--color", "always"], &[]).stdout);
    assert!(verify.contains("\x1b[32msupported\x1b[0m"), "{verify}");
    let check = text(&run(&args("check"), &["--list", "--color", "always"], &[]).stdout);
    assert!(check.contains("\x1b[33mwords") || check.contains("\x1b[33munanswered"), "{check}");
    let dupes = text(&run(&args("dupes"), &["--color", "always"], &[]).stdout);
    assert!(dupes.contains("\x1b[33m") || dupes.contains("\x1b[1;31m"), "{dupes}");
}

/// Counts agree with their nouns: "1 report", not "1 reports".
#[test]
fn summaries_say_one_report_and_one_answer() {
    let s = setup_with(1737, 1, |dir, reports| {
        add_to_answer(&dir.join(&reports[0].id).join("reports/README.md"), 6, "We named the cluster zyxquartz.");
    });
    let i = s.index.as_str();
    let reports = s.reports.to_str().expect("utf-8");
    let err = |args: &[&str]| text(&cohort().args(args).output().expect("run").stderr);
    assert!(err(&["reports", "--index", i]).contains("1 report\n"), "{}", err(&["reports", "--index", i]));
    assert!(err(&["check", "--index", i]).starts_with("1 report checked, "), "{}", err(&["check", "--index", i]));
    let dupes = err(&["dupes", reports]);
    assert!(dupes.contains(" of 1 report;") && dupes.contains("0 pairs among"), "{dupes}");
    assert!(!dupes.contains("1 reports") && !dupes.contains("1 answers"), "{dupes}");
    let parse = err(&["parse", reports]);
    assert!(parse.contains("1 report read, 0 files skipped"), "{parse}");
    // One answer holds a word of our own: one hit.
    let search = err(&["search", "zyxquartz", "--index", i]);
    assert!(search.contains("1 answer matches"), "{search}");
    let verify = err(&[
        "verify",
        "--index",
        i,
        "--repos",
        s.repos.to_str().expect("utf-8"),
        "--cache",
        s.cache.to_str().expect("utf-8"),
    ]);
    assert!(verify.contains("1 report, 1 repository read, 0 not read"), "{verify}");
    let evidence = text(
        &cohort()
            .args([
                "verify",
                "--index",
                i,
                "--repos",
                s.repos.to_str().expect("utf-8"),
                "--cache",
                s.cache.to_str().expect("utf-8"),
                "--json",
                "--item",
                "tests",
            ])
            .output()
            .expect("run")
            .stdout,
    );
    assert!(evidence.contains("\"1 test function, 1 case with parametrize expanded\""), "{evidence}");
}

/// `--cohort` picks reports in `check --index`, `dupes` on an index and `verify --index` as in search and stats,
/// repeatable, and an unknown one is an error naming the known ones.
#[test]
fn cohort_filters_check_dupes_and_verify_on_an_index() {
    let s = setup(1738, 12);
    let i = s.index.as_str();
    let reports = json_lines(&text(&cohort().args(["reports", "--json", "--index", i]).output().expect("run").stdout));
    let mut cohorts: Vec<&str> = reports.iter().filter_map(|r| r["cohort"].as_str()).collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    assert!(cohorts.len() >= 2, "the synthetic cohort spans years: {cohorts:?}");
    let of = |c: &str| reports.iter().filter(|r| r["cohort"] == c).count();
    let checked = |extra: &[&str]| {
        let out = cohort().args(["check", "--index", i]).args(extra).output().expect("run");
        text(&out.stderr)
    };
    let one = checked(&["--cohort", cohorts[0]]);
    assert!(
        one.starts_with(&format!("{} checked", cohort::nouns::count(of(cohorts[0]), "report", "reports"))),
        "{one}"
    );
    let two = checked(&["--cohort", cohorts[0], "--cohort", cohorts[1]]);
    let both = of(cohorts[0]) + of(cohorts[1]);
    assert!(two.starts_with(&format!("{both} reports checked")), "{two}");
    let pairs =
        text(&cohort().args(["dupes", "--json", "--index", i, "--cohort", cohorts[0]]).output().expect("run").stdout);
    for p in json_lines(&pairs) {
        assert_eq!(p["cohort_a"], cohorts[0]);
        assert_eq!(p["cohort_b"], cohorts[0]);
    }
    let verify = |extra: &[&str]| {
        let repos = s.repos.to_str().expect("utf-8");
        let cache = s.cache.to_str().expect("utf-8");
        cohort().args(["verify", "--index", i, "--repos", repos, "--cache", cache]).args(extra).output().expect("run")
    };
    let records = json_lines(&text(&verify(&["--json", "--cohort", cohorts[0]]).stdout));
    let ids: std::collections::BTreeSet<&str> =
        reports.iter().filter(|r| r["cohort"] == cohorts[0]).filter_map(|r| r["id"].as_str()).collect();
    let verified: std::collections::BTreeSet<&str> =
        records.iter().filter(|r| r["record"] == "repository").filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(verified, ids, "verify --cohort: the reports of that cohort");
    let unknown = verify(&["--cohort", "1999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("unknown cohort \"1999\""), "{}", text(&unknown.stderr));
    for cmd in [&["check", "--index", i][..], &["dupes", "--index", i]] {
        let out = cohort().args(cmd).args(["--cohort", "1999"]).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        assert!(text(&out.stderr).contains("unknown cohort \"1999\""), "{}", text(&out.stderr));
    }
}

/// `by` means the same in a saved query as `--by` on the command line: `by = ["cohort"]` groups facts per cohort,
/// as `stats facts --by cohort` does (and the older `by_cohort = true` still does).
#[test]
fn saved_queries_group_by_like_the_command_line() {
    let s = setup(1739, 6);
    let i = s.index.as_str();
    let cli = text(
        &cohort().args(["stats", "facts", "--by", "cohort", "--json", "--index", i]).output().expect("run").stdout,
    );
    let dir = s.query.parent().expect("folder");
    for (name, body) in
        [("by.toml", "kind = \"facts\"\nby = [\"cohort\"]\n"), ("old.toml", "kind = \"facts\"\nby_cohort = true\n")]
    {
        std::fs::write(dir.join(name), body).expect("write");
        let out = cohort()
            .args(["run", dir.join(name).to_str().expect("utf-8"), "--json", "--index", i])
            .output()
            .expect("run");
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), cli, "{name}");
    }
    std::fs::write(dir.join("week.toml"), "kind = \"facts\"\nby = [\"week\"]\n").expect("write");
    let out =
        cohort().args(["run", dir.join("week.toml").to_str().expect("utf-8"), "--index", i]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("per cohort or not at all"), "{}", text(&out.stderr));
}

/// The demo tour prints `$ cohort ...` lines; each runs as printed against the index it keeps, and none uses a
/// hidden old flag.
#[test]
fn the_demo_tour_prints_commands_that_run() {
    let dir = tempfile::tempdir().expect("temp");
    let keep = dir.path().join("demo");
    let out =
        cohort().args(["demo", "--reports", "20", "--keep", keep.to_str().expect("utf-8")]).output().expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tour = text(&out.stdout);
    let commands: Vec<&str> = tour.lines().filter_map(|l| l.strip_prefix("$ cohort ")).collect();
    assert!(commands.len() >= 4, "{tour}");
    assert!(commands.contains(&"stats facts --by cohort"), "{commands:?}");
    assert!(!tour.contains("--by-cohort"), "{tour}");
    let index = keep.join("index");
    for c in commands {
        // The tour's words, split as a shell would (no command of the tour quotes anything).
        assert!(!c.contains(['"', '\'']), "{c}");
        let out = cohort().args(c.split_whitespace()).arg("--index").arg(&index).output().expect("run");
        assert!(out.status.success(), "`cohort {c}`: {}", text(&out.stderr));
        assert!(!out.stdout.is_empty(), "`cohort {c}` printed nothing");
    }
}
