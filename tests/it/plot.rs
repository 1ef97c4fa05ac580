//! `cohort plot` on a synthetic cohort: every kind renders as PNG and SVG; the PNG has the size asked for and ink
//! where its labels are, labels neither overlap nor leave the figure; the SVG keeps the item labels as text; the
//! data behind the figures agrees with the generator's truth; a saved query draws a figure.

use assert_cmd::Command;
use cohort::domain::template::{checklist_item, CHECKLIST};
use cohort::domain::{ChecklistId, CreditsSpent, ExchangeRates};
use cohort::figures::{FigureRequest, PlotBy, PlotKind};
use cohort::ingest::{ingest, IngestOptions};
use cohort::present::plot::{Figure, PlotError, Rendered, Size, TextBox, TextRole};
use cohort::store::frames::{fact_values, report_completion, Scope};
use cohort::synth::{write_cohort, CohortSpec, SyntheticReport};
use cohort::Index;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const KINDS: [PlotKind; 5] =
    [PlotKind::Checklist, PlotKind::Heatmap, PlotKind::Facts, PlotKind::Weeks, PlotKind::Modules];

/// A synthetic cohort of every year, ingested.
struct Fixture {
    dir: tempfile::TempDir,
    reports: Vec<SyntheticReport>,
}

impl Fixture {
    fn new(reports: usize) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = CohortSpec { seed: 4, reports, ..Default::default() };
        let reports = write_cohort(&dir.path().join("reports"), &spec).expect("write cohort");
        ingest(&[dir.path().join("reports")], &IngestOptions::new(dir.path().join("index"))).expect("ingest");
        Fixture { dir, reports }
    }

    fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn request(&self, kind: PlotKind, by: PlotBy) -> FigureRequest {
        FigureRequest { kind, by, cohorts: vec![], rates: ExchangeRates::default() }
    }

    fn figure_of(&self, req: &FigureRequest) -> Figure {
        Index::open(self.index()).expect("index").figure(req).expect("figure").figure
    }

    fn figure(&self, kind: PlotKind, by: PlotBy) -> Figure {
        self.figure_of(&self.request(kind, by))
    }

    /// Canonical items some generated checklist has, from the generator's truth.
    fn items_in_checklists(&self) -> BTreeSet<ChecklistId> {
        self.reports.iter().flat_map(|r| r.truth.ticks.iter().map(|(id, _)| *id)).collect()
    }
}

/// A pixel of text: darker in every channel than what label boxes sit on (white, band tints, grid lines,
/// heatmap cells), so a box without text in it has none.
fn dark(p: &image::Rgb<u8>) -> bool {
    p.0.iter().all(|c| *c < 140)
}

/// Checks a rendered PNG: its size, ink in every category label's box, every text box inside the figure, and no
/// two text boxes overlapping.
fn check_png(path: &Path, rendered: &Rendered, asked: Size, what: &str) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{what}: {} is not a readable image: {e}", path.display()))
        .to_rgb8();
    assert_eq!((img.width(), img.height()), (asked.width, asked.height), "{what}: size");
    assert_eq!(rendered.size, asked, "{what}");
    let labels: Vec<&TextBox> = rendered.texts.iter().filter(|t| t.role == TextRole::Category).collect();
    assert!(!labels.is_empty(), "{what}: no category labels drawn");
    for t in &rendered.texts {
        assert!(
            t.x0 >= 0 && t.y0 >= 0 && t.x1 <= asked.width as i32 && t.y1 <= asked.height as i32,
            "{what}: {:?} at ({}, {})–({}, {}) is cut off by the {}x{} figure",
            t.text,
            t.x0,
            t.y0,
            t.x1,
            t.y1,
            asked.width,
            asked.height
        );
    }
    for t in &labels {
        let ink = (t.y0.max(0)..t.y1.min(asked.height as i32))
            .flat_map(|y| (t.x0.max(0)..t.x1.min(asked.width as i32)).map(move |x| (x, y)))
            .filter(|&(x, y)| dark(img.get_pixel(x as u32, y as u32)))
            .count();
        assert!(ink >= 3, "{what}: label {:?} has no ink in its box ({} dark pixels)", t.text, ink);
    }
    for (i, a) in rendered.texts.iter().enumerate() {
        for b in &rendered.texts[i + 1..] {
            assert!(!a.overlaps(b), "{what}: {:?} ({:?}) overlaps {:?} ({:?})", a.text, a.role, b.text, b.role);
        }
    }
    // Away from the text the figure is not all ink: a crude check that the background was painted.
    let white = img.pixels().filter(|p| p.0 == [255, 255, 255]).count();
    assert!(white > (asked.width * asked.height / 10) as usize, "{what}: hardly any background");
}

#[test]
fn every_kind_renders_a_png_of_the_size_asked_with_its_labels_inked() {
    let f = Fixture::new(45);
    for kind in KINDS {
        for by in [PlotBy::Cohort, PlotBy::None] {
            let fig = f.figure(kind, by);
            let fitted = fig.default_size().expect("size");
            // Larger than fitted, and smaller (text shrinks), both not the default.
            for asked in [
                Size { width: fitted.width + 37, height: fitted.height + 23 },
                Size { width: fitted.width * 4 / 5, height: fitted.height * 4 / 5 },
            ] {
                let what = format!("{kind:?} by {by:?} at {asked}");
                let path = f.out(&format!("{kind:?}-{by:?}-{}.png", asked.width));
                let rendered = fig.render(&path, Some(asked)).unwrap_or_else(|e| panic!("{what}: {e}"));
                check_png(&path, &rendered, asked, &what);
            }
        }
    }
}

#[test]
fn every_kind_renders_for_the_real_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    ingest(&[corpus], &IngestOptions::new(&index)).expect("ingest the corpus");
    let opened = Index::open(&index).expect("index");
    for kind in KINDS {
        for by in [PlotBy::Cohort, PlotBy::None] {
            for ext in ["png", "svg"] {
                let out = dir.path().join(format!("{kind:?}-{by:?}.{ext}"));
                let req = FigureRequest { kind, by, cohorts: vec![], rates: ExchangeRates::default() };
                let made = opened.figure(&req).expect("figure");
                let rendered = made.figure.render(&out, None).unwrap_or_else(|e| panic!("{kind:?} {by:?} {ext}: {e}"));
                if ext == "png" {
                    check_png(&out, &rendered, rendered.size, &format!("corpus {kind:?} by {by:?}"));
                }
            }
        }
    }
}

#[test]
fn the_checklist_figure_labels_every_item_once_in_template_order() {
    let f = Fixture::new(45);
    let expected: Vec<String> =
        CHECKLIST.iter().filter(|c| f.items_in_checklists().contains(&c.id)).map(|c| c.short.to_string()).collect();
    assert!(expected.len() > 40, "the cohort should cover most items, got {}", expected.len());
    let fig = f.figure(PlotKind::Checklist, PlotBy::Cohort);
    let path = f.out("checklist.png");
    let rendered = fig.render(&path, None).expect("render");
    let mut rows: Vec<&TextBox> = rendered
        .texts
        .iter()
        .filter(|t| t.role == TextRole::Category && !t.text.starts_with("week") && t.text != "extra")
        .collect();
    rows.sort_by_key(|t| t.y0);
    let drawn: Vec<String> = rows.iter().map(|t| t.text.clone()).collect();
    assert_eq!(drawn, expected);
}

#[test]
fn svg_keeps_the_item_labels_as_text() {
    let f = Fixture::new(45);
    let expected: Vec<&str> = f.items_in_checklists().iter().map(|id| checklist_item(*id).short).collect();
    let text_element = regex::Regex::new(r"(?s)<text[^>]*>\s*(.*?)\s*</text>").expect("regex");
    for kind in [PlotKind::Checklist, PlotKind::Heatmap] {
        let path = f.out(&format!("{kind:?}.svg"));
        f.figure(kind, PlotBy::Cohort).render(&path, None).expect("render");
        let svg = std::fs::read_to_string(&path).expect("read svg");
        assert!(svg.starts_with("<svg"), "{kind:?}: not an SVG");
        let texts: BTreeSet<String> =
            text_element.captures_iter(&svg).map(|c| c[1].replace("&apos;", "'").replace("&amp;", "&")).collect();
        for label in &expected {
            assert!(texts.contains(*label), "{kind:?}: no <text> for {label:?}");
        }
        assert!(texts.iter().any(|t| t.contains("reports")), "{kind:?}: the figure does not say how many reports");
    }
}

#[test]
fn heatmap_columns_agree_with_the_truth_and_are_sorted_by_completion() {
    let f = Fixture::new(45);
    let index = Index::open(f.index()).expect("index");
    let reports = index.reports_frame().expect("reports");
    let checklist = index.checklist_frame().expect("checklist");
    let df = report_completion(&reports, &checklist, true, &Scope::default()).expect("query");
    assert_eq!(df.height(), f.reports.len());
    let ids: Vec<String> =
        df.column("id").expect("id").str().expect("str").iter().map(|s| s.unwrap_or("").to_string()).collect();
    let done: Vec<u32> = df.column("done").expect("done").u32().expect("u32").iter().map(|v| v.unwrap_or(0)).collect();
    let total: Vec<u32> =
        df.column("total").expect("total").u32().expect("u32").iter().map(|v| v.unwrap_or(0)).collect();
    let truth: HashMap<&str, &SyntheticReport> = f.reports.iter().map(|r| (r.id.as_str(), r)).collect();
    for ((id, d), t) in ids.iter().zip(&done).zip(&total) {
        let r = truth.get(id.as_str()).unwrap_or_else(|| panic!("{id} is not a generated report"));
        let distinct: BTreeSet<ChecklistId> = r.truth.ticks.iter().map(|(i, _)| *i).collect();
        let ticked: BTreeSet<ChecklistId> = r.truth.ticks.iter().filter(|(_, d)| *d).map(|(i, _)| *i).collect();
        assert_eq!((*d, *t), (ticked.len() as u32, distinct.len() as u32), "{id}");
    }

    let Figure::Heatmap(h) = f.figure(PlotKind::Heatmap, PlotBy::Cohort) else { panic!("not a heatmap") };
    assert_eq!(h.blocks.len(), BTreeSet::from_iter(f.reports.iter().map(|r| r.truth.cohort)).len());
    assert_eq!(h.blocks.iter().map(|b| b.columns.len()).sum::<usize>(), f.reports.len());
    for block in &h.blocks {
        let rates: Vec<f64> = block.columns.iter().map(|c| c.rate.unwrap_or(-1.0)).collect();
        assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{:?}: not sorted by completion: {rates:?}", block.label);
    }
}

#[test]
fn modules_and_weeks_are_each_one_category() {
    let f = Fixture::new(45);
    for kind in [PlotKind::Weeks, PlotKind::Modules] {
        let Figure::Rates(r) = f.figure(kind, PlotBy::Cohort) else { panic!("not rates") };
        let distinct: BTreeSet<&String> = r.categories.iter().collect();
        assert_eq!(distinct.len(), r.categories.len(), "{kind:?}: a category drawn twice: {:?}", r.categories);
        assert_eq!(r.rates.len(), r.categories.len());
        assert!(r.rates.iter().all(|row| row.iter().any(Option::is_some)), "{kind:?}: an empty category");
    }
    let Figure::Rates(weeks) = f.figure(PlotKind::Weeks, PlotBy::None) else { panic!("not rates") };
    assert_eq!(weeks.categories, ["week 1", "week 2", "week 3", "extra"]);
}

#[test]
fn credits_are_converted_at_the_stated_rate() {
    let f = Fixture::new(45);
    let reports = Index::open(f.index()).expect("index").reports_frame().expect("reports");
    let rates = ExchangeRates { usd_per_dkk: 0.5, usd_per_eur: 2.0 };
    let df = fact_values(&reports, &rates, &Scope::default()).expect("query");
    let usd: HashMap<String, Option<f64>> = df
        .column("id")
        .expect("id")
        .str()
        .expect("str")
        .iter()
        .zip(df.column("credits_usd").expect("credits").f64().expect("f64").iter())
        .map(|(id, v)| (id.unwrap_or("").to_string(), v))
        .collect();
    let mut converted = BTreeSet::new();
    for r in &f.reports {
        let want = r.truth.facts.credits.map(|c: CreditsSpent| rates.to_usd(c));
        let got = usd.get(&r.id).copied().flatten();
        match (want, got) {
            (Some(w), Some(g)) => assert!((w - g).abs() < 0.01, "{}: expected {w} USD, got {g}", r.id),
            (None, None) => {}
            _ => panic!("{}: expected {want:?}, got {got:?}", r.id),
        }
        if let Some(c) = r.truth.facts.credits {
            converted.insert(c.unit.as_str());
        }
    }
    assert!(converted.contains("DKK"), "the cohort should state some credits in DKK: {converted:?}");

    let mut req = f.request(PlotKind::Facts, PlotBy::Cohort);
    req.rates.usd_per_dkk = 0.5;
    let Figure::Facts(facts) = f.figure_of(&req) else { panic!("not facts") };
    let credits = facts.panels.iter().find(|p| p.title.contains("credits")).expect("credits panel");
    assert!(credits.title.contains("1 DKK = 0.5 USD"), "{}", credits.title);
}

#[test]
fn unknown_format_and_too_small_sizes_are_clear_errors() {
    let f = Fixture::new(12);
    let fig = f.figure(PlotKind::Checklist, PlotBy::Cohort);
    let err = fig.render(&f.out("fig.jpg"), None).expect_err("jpg");
    assert!(matches!(err, PlotError::UnknownFormat { .. }), "{err}");
    assert!(err.to_string().contains("fig.jpg") && err.to_string().contains(".svg or .png"), "{err}");
    let err = fig.render(&f.out("tiny.png"), Some(Size { width: 200, height: 150 })).expect_err("tiny");
    assert!(err.to_string().contains("too small") && err.to_string().contains("--size"), "{err}");
    assert!(!f.out("tiny.png").exists(), "nothing is written for a figure that cannot be drawn");

    let out = Command::cargo_bin("cohort")
        .expect("binary")
        .args(["plot", "heatmap", "--out"])
        .arg(f.out("fig.gif"))
        .arg("--index")
        .arg(f.index())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fig.gif") && stderr.contains(".svg or .png"), "{stderr}");
}

#[test]
fn the_shipped_saved_query_draws_a_figure() {
    let f = Fixture::new(12);
    let query = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries/completion-by-item-plot.toml");
    let out = f.out("saved.png");
    let run = Command::cargo_bin("cohort")
        .expect("binary")
        .arg("run")
        .arg(&query)
        .arg("--index")
        .arg(f.index())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let img = image::open(&out).expect("a PNG").to_rgb8();
    assert!(img.width() > 500 && img.height() > 500, "{}x{}", img.width(), img.height());
    // The "wrote ..." line is a summary: standard error.
    assert!(String::from_utf8_lossy(&run.stderr).contains("12 reports"));

    // --json describes the figure instead.
    let svg = f.out("saved.svg");
    let run = Command::cargo_bin("cohort")
        .expect("binary")
        .arg("run")
        .arg(&query)
        .args(["--json", "--index"])
        .arg(f.index())
        .arg("--out")
        .arg(&svg)
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let line: serde_json::Value = serde_json::from_slice(&run.stdout).expect("one JSON object");
    assert_eq!(line["format"], "svg");
    assert_eq!(line["reports"], 12);
    let head = std::fs::read_to_string(&svg).expect("svg");
    assert!(head.starts_with(&format!("<svg width=\"{}\" height=\"{}\"", line["width"], line["height"])), "{line}");
}
