//! `cohort dupes [PATH...] [--against PATH...] [--json] [--html FILE] [--show A B [--question KEY]]`: near-duplicate
//! answers across groups and years (the algorithm is in [`crate::dupes`]).

use crate::discover::{assign_ids, candidates, read, Found, Limits, Problem, Read};
use crate::domain::template::template_number;
use crate::domain::{AnswerKey, QuestionSet};
use crate::dupes::{self, text, Corpus, Pair, ReportMeta, Settings};
use crate::present::html::{self, PairView, Side};
use crate::present::side_by_side::{self, MarkStyle};
use crate::present::table::Table;
use crate::store::{frames, Generation, IndexDir};
use anyhow::{bail, Context};
use polars::prelude::{col, lit, DataFrame, IntoLazy, ParquetReader, SerReader};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const DEFAULTS: Settings = Settings::DEFAULT;

const HELP: &str = "\
How it works: answers are compared per question (canonical key) as sets of 5-word shingles (lower case; \
punctuation, markdown marks, link targets, URLs and HTML tags removed). For each pair of answers from different \
reports, containment = shared shingles / the smaller answer's shingles (a copied half inside an own answer scores \
high) and Jaccard = shared shingles / all shingles of the two. A pair is reported when containment >= \
--min-similarity and it shares >= --min-shared-words words, or when it shares one passage of >= --min-passage \
consecutive words and containment >= 0.6 x --min-similarity.

Not evidence: text found in more than --common reports (template examples, stock phrases), the text of --base \
files (give it the blank templates), and answers with fewer than --min-words words left after that. Two reports \
of one group (a common student, or the same group number in one cohort) are listed but flagged \"same group\".

Defaults were chosen on the course's reports with copies planted by ../shared/bench/plant_dupes.py (4 seeds, 240 \
pairs: exact, edited, reordered, half-inserted): recall 99%, precision 100%; the two pairs missed sit in a report \
whose answers are all quoted, which the parser reads as unanswered. See BENCHMARKS.md, \"Duplicates\".

Examples:
  cohort dupes reports/2026 --against reports/2025 reports/2024 --html dupes.html
  cohort dupes --index index --json --base templates/*.md
  cohort dupes reports/2026 --show group_12 group_31 --question struggles";

/// `cohort dupes`: near-duplicate answers, ranked.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = HELP)]
pub struct Args {
    /// Folders (or files) of reports to compare. Without any, the reports in the index are compared.
    pub paths: Vec<PathBuf>,
    /// Earlier cohorts (folders of reports, or an index folder) to compare against, not among themselves.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// Index folder (used when no folders are given).
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Report pairs whose containment (shared shingles / the smaller answer's) is at least this.
    #[arg(long, value_name = "X", default_value_t = DEFAULTS.min_similarity)]
    pub min_similarity: f64,
    /// ... and sharing at least this many words.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.min_shared_words)]
    pub min_shared_words: usize,
    /// Also report pairs sharing one passage of at least N consecutive words, down to 0.6 × --min-similarity.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.min_passage)]
    pub min_passage: usize,
    /// Words per shingle.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.shingle)]
    pub shingle: usize,
    /// A passage found in more than N reports (in one question's answers) is common text and ignored. The work
    /// grows with N² per shared passage: raise it with care on large corpora.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.max_reports)]
    pub common: usize,
    /// Answers with fewer words outside ignored text are not compared.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.min_words)]
    pub min_words: usize,
    /// Template files whose text is never evidence of copying.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub base: Vec<PathBuf>,
    /// Only this question (canonical key, e.g. tests, deploy, struggles).
    #[arg(long, value_name = "KEY")]
    pub question: Option<String>,
    /// One JSON object per pair (JSON Lines), as in the interface contract.
    #[arg(long)]
    pub json: bool,
    /// Also write a self-contained HTML page of all pairs with the shared passages highlighted.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print the answers of reports A and B side by side with the shared passages marked.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub show: Vec<String>,
    /// Terminal width for --show (default: $COLUMNS, else 120).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Worker threads (default: the machine's cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Skip report files larger than this many megabytes.
    #[arg(long, default_value_t = 20)]
    pub max_file_mb: u64,
}

/// The corpus to search, with each answer's markdown when a page or side-by-side view needs it.
#[derive(Default)]
struct Source {
    corpus: Corpus,
    /// Parallel to `corpus.answers`; empty when not kept.
    markdown: Vec<String>,
}

impl Source {
    fn append(&mut self, other: Source) {
        self.corpus.append(other.corpus);
        self.markdown.extend(other.markdown);
    }
}

/// An answer worth comparing: a template question, answered.
fn keyed_answers(report: &crate::domain::Report) -> impl Iterator<Item = (AnswerKey, Option<u32>, &str)> {
    report.answers.iter().filter(|a| a.answered).filter_map(move |a| {
        let key = a.key?;
        Some((key, a.number.or_else(|| template_number(report.questions, key)), a.markdown.as_str()))
    })
}

/// Reads folders of reports on `threads` threads, keeping only what the search needs.
fn read_folders(paths: &[PathBuf], earlier: bool, limits: Limits, keep_text: bool, threads: usize) -> (Source, Vec<Problem>) {
    let (cands, mut problems) = candidates(paths);
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(c) = cands.get(i) else { break };
                match read(c, limits) {
                    Read::Report(found) => {
                        let mut found = *found;
                        let mut part = Source::default();
                        let meta = ReportMeta {
                            id: String::new(),
                            cohort: found.report.inferred_cohort().to_string(),
                            group: found.report.facts.group,
                            students: found.report.facts.students.clone(),
                            earlier,
                        };
                        let answers: Vec<_> = keyed_answers(&found.report).collect();
                        if keep_text {
                            part.markdown.extend(answers.iter().map(|(_, _, md)| md.to_string()));
                        }
                        part.corpus.add(meta, answers);
                        // The parsed report is large; ids need only its path.
                        found.report.answers = Vec::new();
                        found.report.checklist = Vec::new();
                        found.report.warnings = Vec::new();
                        done.lock().unwrap_or_else(|e| e.into_inner()).push((i, found, part));
                    }
                    Read::NotAReport => {}
                    Read::Problem(p) => failed.lock().unwrap_or_else(|e| e.into_inner()).push((i, p)),
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _, _)| *i);
    let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    failed.sort_by_key(|(i, _)| *i);
    problems.extend(failed.into_iter().map(|(_, p)| p));
    let (mut found, parts): (Vec<Found>, Vec<Source>) = done.into_iter().map(|(_, f, p)| (f, p)).unzip();
    assign_ids(&mut found);
    let mut source = Source::default();
    for (f, mut part) in found.into_iter().zip(parts) {
        part.corpus.reports[0].id = f.id;
        source.append(part);
    }
    (source, problems)
}

/// Reads the columns the search needs of one frame of an index.
fn read_frame(dir: &Path, generation: &Generation, name: &str, columns: &[&str]) -> anyhow::Result<DataFrame> {
    let path = generation.frame_path(name);
    let file = std::fs::File::open(&path).with_context(|| format!("{}: cannot open; re-ingest to rebuild the index at {}", path.display(), dir.display()))?;
    ParquetReader::new(file)
        .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
        .finish()
        .with_context(|| format!("{}: cannot read the {name} frame; re-ingest to rebuild the index at {}", path.display(), dir.display()))
}

/// One column of a frame as strings (or numbers), or an error saying the index needs rebuilding.
macro_rules! column {
    ($df:expr, $name:literal, $ty:ident, $dir:expr) => {
        $df.column($name)
            .and_then(|c| c.$ty().cloned())
            .with_context(|| format!("{}: unexpected frame layout ({}); re-ingest to rebuild the index", $dir.display(), $name))?
    };
}

/// Reads the answers of an index's frames, turning them into words on `threads` threads.
fn read_index(dir: &Path, earlier: bool, keep_text: bool, threads: usize) -> anyhow::Result<Source> {
    let generation = IndexDir::new(dir).require_current()?;
    let reports = read_frame(dir, &generation, frames::REPORTS, &["id", "students", "template"])?;
    let answers = read_frame(dir, &generation, frames::ANSWERS, &["id", "cohort", "group", "question", "number", "answered", "markdown"])?;
    let answers = answers
        .lazy()
        .filter(col("answered").and(col("question").neq(lit("extra"))))
        .collect()
        .with_context(|| format!("{}: cannot filter the answers frame; re-ingest to rebuild the index", dir.display()))?;
    let (r_id, r_students, r_template) =
        (column!(reports, "id", str, dir), column!(reports, "students", str, dir), column!(reports, "template", str, dir));
    let mut report_info: HashMap<&str, (Vec<String>, Option<QuestionSet>)> = HashMap::new();
    for ((id, students), template) in r_id.iter().zip(r_students.iter()).zip(r_template.iter()) {
        let Some(id) = id else { continue };
        let students = students.map(|s| s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()).unwrap_or_default();
        report_info.insert(id, (students, template.and_then(QuestionSet::from_name)));
    }
    let id = column!(answers, "id", str, dir);
    let cohort = column!(answers, "cohort", str, dir);
    let group = column!(answers, "group", u32, dir);
    let question = column!(answers, "question", str, dir);
    let number = column!(answers, "number", u32, dir);
    let markdown = column!(answers, "markdown", str, dir);
    // Each report's rows, reports in the order they first appear in the frame.
    let mut order: Vec<&str> = Vec::new();
    let mut rows_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, rid) in id.iter().enumerate() {
        let Some(rid) = rid else { continue };
        rows_of
            .entry(rid)
            .or_insert_with(|| {
                order.push(rid);
                Vec::new()
            })
            .push(i);
    }
    let read_report = |part: &mut Source, rid: &str| {
        let rows = &rows_of[rid];
        let first = rows[0];
        let (students, set) = report_info.get(rid).cloned().unwrap_or_default();
        let meta = ReportMeta {
            id: rid.to_string(),
            cohort: cohort.get(first).unwrap_or("").to_string(),
            group: group.get(first),
            students,
            earlier,
        };
        let answers: Vec<(AnswerKey, Option<u32>, &str)> = rows
            .iter()
            .filter_map(|&i| {
                let key = AnswerKey::from_name(question.get(i)?)?;
                let n = number.get(i).or_else(|| set.and_then(|s| template_number(s, key)));
                Some((key, n, markdown.get(i).unwrap_or("")))
            })
            .collect();
        if keep_text {
            part.markdown.extend(answers.iter().map(|(_, _, md)| md.to_string()));
        }
        part.corpus.add(meta, answers);
    };
    // Contiguous chunks, one per thread, appended in order: the result does not depend on the thread count.
    let chunk = order.len().div_ceil(threads.max(1)).max(1);
    let read_report = &read_report;
    let parts: Vec<Source> = std::thread::scope(|scope| {
        let handles: Vec<_> = order
            .chunks(chunk)
            .map(|ids| {
                scope.spawn(move || {
                    let mut part = Source::default();
                    for rid in ids {
                        read_report(&mut part, rid);
                    }
                    part
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut source = Source::default();
    for part in parts {
        source.append(part);
    }
    Ok(source)
}

/// Reads folders, or an index when the path holds one.
fn read_any(paths: &[PathBuf], earlier: bool, limits: Limits, keep_text: bool, threads: usize) -> anyhow::Result<(Source, Vec<Problem>)> {
    let mut source = Source::default();
    let mut problems = Vec::new();
    let mut folders = Vec::new();
    for p in paths {
        if p.is_dir() && IndexDir::new(p).current()?.is_some() {
            source.append(read_index(p, earlier, keep_text, threads)?);
        } else {
            folders.push(p.clone());
        }
    }
    if !folders.is_empty() {
        let (s, p) = read_folders(&folders, earlier, limits, keep_text, threads);
        source.append(s);
        problems.extend(p);
    }
    Ok((source, problems))
}

/// One pair in the JSON Lines output (INTERFACE.md: `a`, `b`, `question`, `similarity`, `shared_words`).
#[derive(serde::Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    /// The question's number as report `a` writes it (numbers differ between the 27- and 31-question sets;
    /// `key` names the question whatever the set).
    question: Option<u32>,
    key: &'static str,
    similarity: f64,
    shared_words: usize,
    longest: usize,
    containment: f64,
    jaccard: f64,
    kind: &'static str,
    same_group: bool,
    cohort_a: &'a str,
    cohort_b: &'a str,
    group_a: Option<u32>,
    group_b: Option<u32>,
    words_a: usize,
    words_b: usize,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn about(meta: &ReportMeta) -> String {
    let group = meta.group.map_or_else(|| "group ?".to_string(), |g| format!("group {g}"));
    let earlier = if meta.earlier { ", earlier cohort" } else { "" };
    format!("{group}, cohort {}{earlier}", meta.cohort)
}

/// Word-index ranges as byte ranges of the markdown they were read from.
fn byte_marks(markdown: &str, words: &[Range<usize>]) -> Vec<Range<usize>> {
    let spans = text::word_spans(markdown);
    words
        .iter()
        .filter_map(|r| {
            let first = spans.get(r.start)?;
            let last = spans.get(r.end.checked_sub(1)?)?;
            Some(first.start..last.end)
        })
        .collect()
}

fn scores(p: &Pair) -> String {
    format!(
        "containment {:.2} · Jaccard {:.2} · {} shared words · {}",
        p.containment,
        p.jaccard,
        p.shared_words,
        p.kind.as_str()
    )
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match run_dupes(args) {
        // `cohort dupes | head` closes the pipe early; that is not an error worth a message.
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let kind = e
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
        .or_else(|| e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind));
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

fn run_dupes(args: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.min_similarity) {
        bail!("--min-similarity must be between 0 and 1, got {}", args.min_similarity);
    }
    if !(2..=20).contains(&args.shingle) {
        bail!("--shingle must be between 2 and 20 words, got {}", args.shingle);
    }
    if args.common < 2 {
        bail!("--common must be at least 2 (a passage in two reports is what a copy looks like), got {}", args.common);
    }
    let question = match &args.question {
        Some(q) => Some(AnswerKey::from_name(q).with_context(|| {
            let keys: Vec<&str> = AnswerKey::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown question key {q:?}; one of: {}", keys.join(", "))
        })?),
        None => None,
    };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let limits = Limits { max_file_bytes: args.max_file_mb * 1_000_000 };
    let keep_text = args.html.is_some() || !args.show.is_empty();

    let (mut source, mut problems) = if args.paths.is_empty() {
        (read_index(&args.index, false, keep_text, threads)?, Vec::new())
    } else {
        read_any(&args.paths, false, limits, keep_text, threads)?
    };
    if !args.against.is_empty() {
        let (earlier, p) = read_any(&args.against, true, limits, keep_text, threads)?;
        source.append(earlier);
        problems.extend(p);
    }
    for p in &problems {
        eprintln!("cohort: skipped {p}");
    }
    if source.corpus.reports.iter().all(|r| r.earlier) {
        let place = if args.paths.is_empty() { args.index.display().to_string() } else { list(&args.paths) };
        eprintln!("cohort: no reports found in {place}");
        return Ok(ExitCode::from(1));
    }

    let mut base_texts = Vec::new();
    for f in &args.base {
        let bytes = std::fs::read(f).with_context(|| format!("{}: cannot read the --base file", f.display()))?;
        base_texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut settings = Settings {
        shingle: args.shingle,
        max_reports: args.common,
        min_words: args.min_words,
        min_similarity: args.min_similarity,
        min_shared_words: args.min_shared_words,
        min_passage: args.min_passage,
    };
    let base = dupes::base_shingles(base_texts.iter().map(String::as_str), &settings);

    if !args.show.is_empty() {
        return show(&args, &source, &base, &mut settings, question, threads);
    }

    let outcome = dupes::find(&source.corpus, &base, &settings, None, threads);
    let pairs: Vec<&Pair> = outcome.pairs.iter().filter(|p| question.map_or(true, |q| p.key == q)).collect();
    let corpus = &source.corpus;
    let meta = |answer: usize| &corpus.reports[corpus.answers[answer].report];

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        for p in &pairs {
            let (ma, mb) = (meta(p.a), meta(p.b));
            let row = PairJson {
                a: &ma.id,
                b: &mb.id,
                question: corpus.answers[p.a].number,
                key: p.key.as_str(),
                similarity: round3(p.similarity()),
                shared_words: p.shared_words,
                longest: p.longest,
                containment: round3(p.containment),
                jaccard: round3(p.jaccard),
                kind: p.kind.as_str(),
                same_group: p.same_group,
                cohort_a: &ma.cohort,
                cohort_b: &mb.cohort,
                group_a: ma.group,
                group_b: mb.group,
                words_a: p.words_a,
                words_b: p.words_b,
            };
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        }
    } else if pairs.is_empty() {
        writeln!(out, "no answers share enough text ({})", rule(&settings))?;
    } else {
        let mut table = Table::new(&["#", "a", "b", "question", "containment", "jaccard", "shared words", "kind", "note"]);
        table.numeric = vec![true, false, false, false, true, true, true, false, false];
        for (i, p) in pairs.iter().enumerate() {
            let note = if p.same_group { "same group" } else if meta(p.b).earlier { "earlier cohort" } else { "" };
            table.rows.push(vec![
                (i + 1).to_string(),
                meta(p.a).id.clone(),
                meta(p.b).id.clone(),
                p.key.as_str().to_string(),
                format!("{:.2}", p.containment),
                format!("{:.2}", p.jaccard),
                p.shared_words.to_string(),
                p.kind.as_str().to_string(),
                note.to_string(),
            ]);
        }
        table.print(&mut out)?;
        writeln!(out, "\ncohort dupes --show A B --question KEY prints a pair side by side.")?;
    }
    out.flush()?;
    let current = corpus.reports.iter().filter(|r| !r.earlier).count();
    eprintln!(
        "{} pairs among {} answers of {} reports{}; {} common passages ignored (in more than {} reports)",
        pairs.len(),
        corpus.answers.len(),
        current,
        if current < corpus.reports.len() { format!(" (+{} earlier)", corpus.reports.len() - current) } else { String::new() },
        outcome.common_shingles,
        settings.max_reports
    );

    if let Some(path) = &args.html {
        let views: Vec<PairView<'_>> = pairs
            .iter()
            .map(|p| {
                let side = |answer: usize, passages: &[Range<usize>]| {
                    let md = source.markdown.get(answer).map_or("", String::as_str);
                    Side { id: &meta(answer).id, about: about(meta(answer)), markdown: md, marks: byte_marks(md, passages) }
                };
                PairView {
                    question: p.key.as_str(),
                    scores: scores(p),
                    note: p.same_group.then(|| "same group (not copying)".to_string()),
                    a: side(p.a, &p.passages_a),
                    b: side(p.b, &p.passages_b),
                }
            })
            .collect();
        let intro = format!(
            "{} pairs of answers sharing passages ({}; text in more than {} reports ignored). Shared passages are highlighted.",
            views.len(),
            rule(&settings),
            settings.max_reports
        );
        let page = html::page("cohort dupes", &intro, &views);
        std::fs::write(path, page).with_context(|| format!("{}: cannot write the HTML page", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The reporting rule in words, for the page and the "nothing found" line.
fn rule(s: &Settings) -> String {
    format!(
        "containment ≥ {} with ≥ {} shared words, or one shared passage of ≥ {} words at containment ≥ {:.2}",
        s.min_similarity,
        s.min_shared_words,
        s.min_passage,
        s.min_similarity * dupes::PASSAGE_FLOOR
    )
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// `--show A B [--question KEY]`.
fn show(
    args: &Args,
    source: &Source,
    base: &dupes::ShingleSet,
    settings: &mut Settings,
    question: Option<AnswerKey>,
    threads: usize,
) -> anyhow::Result<ExitCode> {
    let corpus = &source.corpus;
    let find_report = |id: &str| -> anyhow::Result<usize> {
        if let Some(i) = corpus.reports.iter().position(|r| r.id == id) {
            return Ok(i);
        }
        let near: Vec<&str> = corpus.reports.iter().map(|r| r.id.as_str()).filter(|r| r.contains(id)).take(5).collect();
        if near.is_empty() {
            bail!("no report with id {id:?}; `cohort dupes` lists the ids of pairs");
        }
        bail!("no report with id {id:?}; did you mean {}?", near.join(", "))
    };
    let (ra, rb) = (find_report(&args.show[0])?, find_report(&args.show[1])?);
    // Without --question: the questions where the pair is reported, or, when there are none, every question where
    // the two share anything at all.
    let reported: Vec<AnswerKey> = dupes::find(corpus, base, settings, Some((ra, rb)), threads).pairs.iter().map(|p| p.key).collect();
    // Marks show whatever the two share, however little, still ignoring common and template text.
    settings.min_similarity = 0.0;
    settings.min_shared_words = 1;
    settings.min_passage = 1;
    settings.min_words = 0;
    let outcome = dupes::find(corpus, base, settings, Some((ra, rb)), threads);
    let width = args.width.or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())).unwrap_or(120);
    let style = if std::io::stdout().is_terminal() { MarkStyle::Terminal } else { MarkStyle::Brackets };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let answer_of = |report: usize, key: AnswerKey| corpus.answers.iter().position(|a| a.report == report && a.key == key);
    let mut shown = 0;
    let keys: Vec<AnswerKey> = match question {
        Some(q) => vec![q],
        None if !reported.is_empty() => reported,
        None => {
            if !outcome.pairs.is_empty() {
                writeln!(out, "{} and {} are not reported as a pair; what they share below the thresholds:\n", args.show[0], args.show[1])?;
            }
            outcome.pairs.iter().map(|p| p.key).collect()
        }
    };
    for key in keys {
        let pair = outcome.pairs.iter().find(|p| p.key == key);
        let (a, b, pa, pb, line) = match pair {
            // A on the left, as asked, whichever order the search found them in.
            Some(p) if corpus.answers[p.a].report == ra => (Some(p.a), Some(p.b), p.passages_a.clone(), p.passages_b.clone(), scores(p)),
            Some(p) => (Some(p.b), Some(p.a), p.passages_b.clone(), p.passages_a.clone(), scores(p)),
            None => (answer_of(ra, key), answer_of(rb, key), Vec::new(), Vec::new(), "no shared passages".to_string()),
        };
        let text = |i: Option<usize>| i.and_then(|i| source.markdown.get(i)).map_or("(no answer)", String::as_str);
        let title = |i: Option<usize>, fallback: usize| {
            let m = &corpus.reports[i.map_or(fallback, |i| corpus.answers[i].report)];
            format!("{} ({})", m.id, about(m))
        };
        let (ma, mb) = (text(a), text(b));
        writeln!(out, "== {key}: {line}")?;
        side_by_side::write(
            &mut out,
            (&title(a, ra), ma, &byte_marks(ma, &pa)),
            (&title(b, rb), mb, &byte_marks(mb, &pb)),
            width,
            style,
        )?;
        writeln!(out)?;
        shown += 1;
    }
    if shown == 0 {
        writeln!(out, "{} and {} share no passages outside common text; add --question KEY to see one answer pair", args.show[0], args.show[1])?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
