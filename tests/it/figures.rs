//! Figures: read from the report's own folder only, fingerprinted at ingest, copies between reports found by
//! `cohort dupes --figures` and `check`'s copied-figure, on synthetic reports and (when ../shared is there) on
//! the course's own figures with planted copies.

use crate::common::{add_to_answer, json_lines, report_files, run_ok};
use cohort::synth::figures::{picture, png, Transform};
use cohort::synth::{write_cohort, CohortSpec, Rng};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Writes `bytes` as `name` beside `report` and shows it in the report's `answer`-th answer.
fn show_figure(report: &Path, answer: usize, name: &str, bytes: &[u8]) {
    let folder = report.parent().expect("a folder");
    let path = folder.join(name);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("figure folder");
    std::fs::write(&path, bytes).expect("write figure");
    add_to_answer(report, answer, &format!("![a figure of ours]({name})"));
}

/// (report, figure, other report, other figure) of each JSON row, the smaller report id first (two reports of
/// one cohort come in either order).
fn pairs(rows: &[Value]) -> BTreeSet<(String, String, String, String)> {
    rows.iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_else(|| panic!("{k} in {r}")).to_string();
            let (a, b) = ((s("a"), s("a_figure")), (s("b"), s("b_figure")));
            let (first, second) = if a <= b { (a, b) } else { (b, a) };
            (first.0, first.1, second.0, second.1)
        })
        .collect()
}

/// A planted pair as [`pairs`] lists it.
fn pair(a: &str, a_figure: &str, b: &str, b_figure: &str) -> (String, String, String, String) {
    let (x, y) = ((a.to_string(), a_figure.to_string()), (b.to_string(), b_figure.to_string()));
    let (first, second) = if x <= y { (x, y) } else { (y, x) };
    (first.0, first.1, second.0, second.1)
}

#[test]
fn copies_between_synthetic_reports_are_found_whatever_the_transform_and_nothing_else() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("reports");
    let spec = CohortSpec { seed: 7, reports: 14, quirks: false, ..Default::default() };
    write_cohort(&dir, &spec).expect("cohort");
    let files = report_files(&dir);
    assert_eq!(files.len(), 14);
    // Every report its own picture; reports 6..12 a copy of report 0..6's, each through one transform; a logo
    // in every report (common: never evidence).
    let logo = png(&picture(999, 120, 60)).expect("png");
    for (i, file) in files.iter().enumerate() {
        show_figure(file, 0, "figures/own.png", &png(&picture(i as u64, 480, 300)).expect("png"));
        show_figure(file, 2, "figures/logo.png", &logo);
    }
    let mut planted = BTreeSet::new();
    for (t, transform) in Transform::ALL.iter().enumerate() {
        let source = image::DynamicImage::ImageRgb8(picture(t as u64, 480, 300));
        let name = format!("figures/copied.{}", transform.extension());
        show_figure(&files[t + 6], 1, &name, &transform.apply(&source).expect("transform"));
        let id = |f: &Path| {
            f.parent().and_then(Path::parent).and_then(Path::file_name).map(|n| n.to_string_lossy().to_string())
        };
        planted.insert(pair(&id(&files[t + 6]).expect("id"), &name, &id(&files[t]).expect("id"), "figures/own.png"));
    }
    let dir_s = dir.to_str().expect("utf-8");
    let rows = json_lines(&run_ok(&["dupes", "--figures", dir_s, "--json"]));
    for r in &rows {
        assert_eq!(r["kind"], "figure");
        assert!(r["distance"].as_u64().is_some_and(|d| d <= 20), "{r}");
        assert_eq!(r["same_group"], false);
    }
    assert_eq!(pairs(&rows), planted, "folders: the planted copies and nothing else");

    // The same from an index: ingest fingerprints the figures once.
    let index = work.path().join("index");
    let index_s = index.to_str().expect("utf-8");
    run_ok(&["ingest", dir_s, "--index", index_s]);
    let from_index = json_lines(&run_ok(&["dupes", "--figures", "--index", index_s, "--json"]));
    assert_eq!(pairs(&from_index), planted, "index: the same pairs");
    let csv = run_ok(&["dupes", "--figures", "--index", index_s, "--csv"]);
    assert!(csv.starts_with("kind,a,b,a_figure,b_figure,distance,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + planted.len());
    let table = run_ok(&["dupes", "--figures", "--index", index_s]);
    assert!(table.contains("figures/copied.jpg") && table.contains("figures/own.png"), "{table}");

    // check: both reports of every pair get a copied-figure finding naming the other's path.
    for args in [vec!["check", dir_s], vec!["check", "--index", index_s]] {
        let mut args = args.clone();
        args.extend(["--rule", "copied-figure", "--json"]);
        let findings = json_lines(&run_ok(&args));
        assert_eq!(findings.len(), 2 * planted.len(), "{args:?}: {findings:?}");
        for f in &findings {
            assert_eq!(f["rule"], "copied-figure");
            let message = f["message"].as_str().expect("message");
            assert!(message.contains("figures/own.png") && message.contains("figures/copied."), "{message}");
        }
    }
}

#[test]
fn a_higher_common_threshold_makes_a_shared_logo_evidence_and_a_lower_distance_drops_edited_copies() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("reports");
    write_cohort(&dir, &CohortSpec { seed: 3, reports: 4, quirks: false, ..Default::default() }).expect("cohort");
    let files = report_files(&dir);
    let logo = png(&picture(5, 200, 100)).expect("png");
    for file in &files {
        show_figure(file, 0, "logo.png", &logo);
    }
    let brighter = Transform::Brighter10.apply(&image::DynamicImage::ImageRgb8(picture(6, 400, 300))).expect("copy");
    show_figure(&files[0], 1, "chart.png", &png(&picture(6, 400, 300)).expect("png"));
    show_figure(&files[1], 1, "chart.png", &brighter);
    let dir_s = dir.to_str().expect("utf-8");
    // The pairs of these two figures (the synthetic reports' own placeholder figures are one tiny PNG everywhere).
    let ours = |rows: Vec<Value>| -> Vec<Value> {
        rows.into_iter().filter(|r| ["logo.png", "chart.png"].contains(&r["a_figure"].as_str().unwrap_or(""))).collect()
    };
    // Four reports share the logo: common with --common 3, evidence with the default 5 (6 pairs) besides the chart.
    let rows = ours(json_lines(&run_ok(&["dupes", "--figures", dir_s, "--json"])));
    assert_eq!(rows.len(), 7, "{rows:?}");
    let rows = json_lines(&run_ok(&["dupes", "--figures", dir_s, "--json", "--common", "3"]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0]["a_figure"].as_str(), rows[0]["identical"].as_bool()), (Some("chart.png"), Some(false)));
    let rows = json_lines(&run_ok(&["dupes", "--figures", dir_s, "--json", "--common", "3", "--max-distance", "0"]));
    assert!(rows.is_empty(), "{rows:?}");
}

/// The course's own figures with copies planted: each of 20 figures copied into another report after one
/// transform (taken in turn), on several seeds. `cohort dupes --figures` must find at least 19 of the 20 with at
/// most 2 other pairs.
#[test]
fn planted_copies_of_the_course_figures_are_found() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is not here (the course's reports and their figures)");
        return;
    }
    // The figures the reports show and cohort reads, with their report folder; a figure already close to one of
    // another report (the template's) is not planted.
    let mut readable: Vec<(String, String)> = Vec::new();
    let mut answering: Vec<String> = Vec::new();
    for file in report_files(&corpus) {
        let folder = file.parent().expect("folder");
        let name = folder.file_name().expect("name").to_string_lossy().to_string();
        let bytes = std::fs::read(&file).expect("read");
        let Ok(report) = cohort::parse_bytes(&file, &bytes) else { continue };
        if String::from_utf8_lossy(&bytes).contains("Answer:") {
            answering.push(name.clone());
        }
        for f in cohort::images::report_figures(&report, folder) {
            if let cohort::images::FigureState::Read { path, print } = f.state {
                if print.hashes.is_some() && !readable.iter().any(|(n, p)| n == &name && p == &path) {
                    readable.push((name.clone(), path));
                }
            }
        }
    }
    assert!(readable.len() >= 40, "{} readable figures", readable.len());
    let work = tempfile::tempdir().expect("tempdir");
    let baseline =
        |dir: &Path| pairs(&json_lines(&run_ok(&["dupes", "--figures", dir.to_str().expect("utf-8"), "--json"])));
    let before = baseline(&corpus);
    for seed in [1u64, 2, 3] {
        let dir = work.path().join(format!("seed{seed}"));
        copy_tree(&corpus, &dir);
        let mut rng = Rng::new(seed);
        let mut pool = readable.clone();
        let mut planted = Vec::new();
        for (k, transform) in Transform::ALL.iter().cycle().take(20).enumerate() {
            let (source, path) = pool.swap_remove(rng.below(pool.len()));
            let target = loop {
                let t = &answering[rng.below(answering.len())];
                if t != &source {
                    break t.clone();
                }
            };
            // By its bytes: some corpus figures named .png are JPEGs.
            let bytes = std::fs::read(corpus.join(&source).join(&path)).expect("read a corpus figure");
            let image = image::load_from_memory(&bytes).expect("decode a corpus figure");
            let name = format!("figures/planted_{k}.{}", transform.extension());
            show_figure(&dir.join(&target).join("README.md"), 0, &name, &transform.apply(&image).expect("transform"));
            planted.push((target, source, name, path, *transform));
        }
        let found = pairs(&json_lines(&run_ok(&["dupes", "--figures", dir.to_str().expect("utf-8"), "--json"])));
        let wanted: Vec<_> = planted.iter().map(|(t, s, n, o, _)| pair(t, n, s, o)).collect();
        let missed: Vec<_> = planted
            .iter()
            .zip(&wanted)
            .filter(|(_, w)| !found.contains(w))
            .map(|((t, s, _, o, tr), _)| format!("{s}/{o} -> {t} ({tr})"))
            .collect();
        let others: Vec<_> = found.iter().filter(|p| !wanted.contains(p) && !before.contains(p)).collect();
        eprintln!(
            "seed {seed}: {} of 20 planted copies found; missed {missed:?}; other pairs {others:?}",
            20 - missed.len()
        );
        assert!(missed.len() <= 1, "seed {seed}: missed {missed:?}");
        assert!(
            others.len() + before.len() <= 2,
            "seed {seed}: other pairs {others:?} (and {before:?} before planting)"
        );
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}
