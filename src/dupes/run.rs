//! `cohort dupes` as library calls: read the reports to compare (folders, or an index's answers frame), the
//! template text that is never evidence, and look at one pair closely.

use super::{base_shingles, find, link_passages, masked_words, Corpus, Pair, ReportMeta, Settings, ShingleSet};
use crate::cohort_label::Labels;
use crate::corpus::{self, Ids, Input};
use crate::discover::{Limits, Problem};
use crate::domain::template::template_number;
use crate::domain::{AnswerKey, QuestionSet, Report};
use crate::dupes::figures::FigureMark;
use crate::images::{report_figures, FigureState, ReportFigure};
use crate::index::Index;
use crate::store::{frames, IndexDir, StoreError};
use polars::prelude::{col, lit, DataFrame, IntoLazy, PolarsError};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DupesError {
    /// A path that does not exist, or labels that do not fit the folders.
    #[error("{0}")]
    Input(String),
    #[error("--min-similarity must be between 0 and 1, got {0}")]
    Similarity(f64),
    #[error("--shingle must be between 2 and 20 words, got {0}")]
    Shingle(usize),
    #[error("--common must be at least 2 (a passage in two reports is what a copy looks like), got {0}")]
    Common(usize),
    #[error("{}", crate::suggest::unknown("question key", key, &AnswerKey::NAMES.iter().map(|k| k.to_string()).collect::<Vec<_>>()))]
    UnknownQuestion { key: String },
    #[error(transparent)]
    Index(#[from] StoreError),
    #[error("{}: cannot filter the answers frame; re-ingest to rebuild the index", index.display())]
    FilterFrame { index: PathBuf, source: PolarsError },
    #[error("{}: unexpected frame layout ({column}); re-ingest to rebuild the index", index.display())]
    Layout { index: PathBuf, column: &'static str, source: PolarsError },
    #[error("{}: cannot read the --base file", path.display())]
    Base { path: PathBuf, source: std::io::Error },
    #[error("no report with id {id:?}; `cohort dupes` lists the ids of pairs")]
    NoReport { id: String },
    #[error("no report with id {id:?}; did you mean {}?", near.join(", "))]
    NoReportNear { id: String, near: Vec<String> },
}

type Result<T> = std::result::Result<T, DupesError>;

/// Checks the thresholds before anything is read.
pub fn check_settings(s: &Settings) -> Result<()> {
    if !(0.0..=1.0).contains(&s.min_similarity) {
        return Err(DupesError::Similarity(s.min_similarity));
    }
    if !(2..=20).contains(&s.shingle) {
        return Err(DupesError::Shingle(s.shingle));
    }
    if s.max_reports < 2 {
        return Err(DupesError::Common(s.max_reports));
    }
    Ok(())
}

/// A question key as the command line names it.
pub fn question_key(name: &str) -> Result<AnswerKey> {
    AnswerKey::from_name(name).ok_or_else(|| DupesError::UnknownQuestion { key: name.to_string() })
}

/// The corpus to search, with each answer's markdown when a page or side-by-side view needs it.
#[derive(Debug, Default)]
pub struct Source {
    pub corpus: Corpus,
    /// Parallel to `corpus.answers`; empty when not kept.
    pub markdown: Vec<String>,
    /// The figures read from the reports' folders (`report` indexes `corpus.reports`), when asked for.
    pub figures: Vec<FigureMark>,
}

impl Source {
    pub fn append(&mut self, other: Source) {
        let offset = self.corpus.reports.len();
        self.corpus.append(other.corpus);
        self.markdown.extend(other.markdown);
        self.figures.extend(other.figures.into_iter().map(|mut f| {
            f.report += offset;
            f
        }));
    }

    /// The report an answer belongs to.
    pub fn meta(&self, answer: usize) -> &ReportMeta {
        &self.corpus.reports[self.corpus.answers[answer].report]
    }

    /// Whether there is nothing to compare (no report, or only earlier cohorts').
    pub fn nothing_current(&self) -> bool {
        self.corpus.reports.iter().all(|r| r.earlier)
    }
}

/// How to read the reports.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    pub limits: Limits,
    /// Keep each answer's markdown (for a page or a side-by-side view).
    pub keep_text: bool,
    pub threads: usize,
    /// Read and fingerprint the figures the reports show (`cohort dupes --figures`).
    pub figures: bool,
}

/// An answer worth comparing: a template question, answered.
fn keyed_answers(report: &Report) -> impl Iterator<Item = (AnswerKey, Option<u32>, &str)> {
    report.answers.iter().filter(|a| a.answered).filter_map(move |a| {
        let key = a.key?;
        Some((key, a.number.or_else(|| template_number(report.questions, key)), a.markdown.as_str()))
    })
}

/// Reads folders of reports, keeping only what the search needs.
pub fn read_folders(paths: &[PathBuf], earlier: bool, how: Reading, labels: &Labels) -> (Source, Vec<Problem>) {
    let input = Input::Paths(paths.to_vec());
    let read = corpus::load(&input, how.limits, how.threads, Ids::PerRoot, |_, found| {
        let mut part = Source::default();
        let meta = ReportMeta {
            id: String::new(),
            cohort: found.report.inferred_cohort().to_string(),
            group: found.report.facts.group,
            students: found.report.facts.students.clone(),
            earlier,
        };
        let answers: Vec<_> = keyed_answers(&found.report).collect();
        if how.keep_text {
            part.markdown.extend(answers.iter().map(|(_, _, md)| md.to_string()));
        }
        part.corpus.add(meta, answers);
        if how.figures {
            let folder = found.root.join(&found.relative);
            let folder = folder.parent().unwrap_or(&found.root);
            part.figures = marks_of(0, &report_figures(&found.report, folder));
        }
        // The parsed report is large; ids need only its path.
        found.report.answers = Vec::new();
        found.report.checklist = Vec::new();
        found.report.warnings = Vec::new();
        part
    });
    // Folders never fail as a whole (an index does); what cannot be read is a problem.
    let Ok((loaded, problems)) = read else { return (Source::default(), Vec::new()) };
    let mut source = Source::default();
    for l in loaded {
        let mut part = l.kept;
        if let Some((label, _)) = labels.known(&l.found.root.join(&l.found.relative), &l.found.root) {
            part.corpus.reports[0].cohort = label;
        }
        part.corpus.reports[0].id = l.found.id;
        source.append(part);
    }
    (source, problems)
}

/// The figures read from a report's folder (one per path), as the comparison sees them.
fn marks_of(report: usize, figures: &[ReportFigure]) -> Vec<FigureMark> {
    let mut marks: Vec<FigureMark> = Vec::new();
    for f in figures {
        if let FigureState::Read { path, print } = &f.state {
            if !marks.iter().any(|m| &m.path == path) {
                marks.push(FigureMark {
                    report,
                    path: path.clone(),
                    content: print.content.clone(),
                    hashes: print.hashes,
                });
            }
        }
    }
    marks
}

/// Reads the columns the search needs of one frame of an index (checked against the index's checksums).
fn read_frame(_dir: &Path, index: &Index, name: &'static str, columns: &[&str]) -> Result<DataFrame> {
    Ok(index.frame_columns(name, columns)?)
}

/// One column of a frame as strings (or numbers), or an error saying the index needs rebuilding.
macro_rules! column {
    ($df:expr, $name:literal, $ty:ident, $dir:expr) => {
        $df.column($name).and_then(|c| c.$ty().cloned()).map_err(|source| DupesError::Layout {
            index: $dir.to_path_buf(),
            column: $name,
            source,
        })?
    };
}

/// Reads the answers of an index's frames, turning them into words on `threads` threads.
/// With `only` cohorts named, just their answers.
pub fn read_index(dir: &Path, earlier: bool, how: Reading, only: &[String]) -> Result<Source> {
    let (keep_text, threads) = (how.keep_text, how.threads);
    let index = Index::open(dir)?;
    let reports = read_frame(dir, &index, frames::REPORTS, &["id", "students", "template"])?;
    let answers = read_frame(
        dir,
        &index,
        frames::ANSWERS,
        &["id", "cohort", "group", "question", "number", "answered", "markdown"],
    )?;
    let mut wanted = col("answered").and(col("question").neq(lit("extra")));
    if let Some(any) = only.iter().map(|c| col("cohort").eq(lit(c.clone()))).reduce(|a, b| a.or(b)) {
        wanted = wanted.and(any);
    }
    let answers = answers
        .lazy()
        .filter(wanted)
        .collect()
        .map_err(|source| DupesError::FilterFrame { index: dir.to_path_buf(), source })?;
    let (r_id, r_students, r_template) = (
        column!(reports, "id", str, dir),
        column!(reports, "students", str, dir),
        column!(reports, "template", str, dir),
    );
    let mut report_info: HashMap<&str, (Vec<String>, Option<QuestionSet>)> = HashMap::new();
    for ((id, students), template) in r_id.iter().zip(r_students.iter()).zip(r_template.iter()) {
        let Some(id) = id else { continue };
        let students =
            students.map(|s| s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()).unwrap_or_default();
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
    // One part per report, appended in the frame's order: the result does not depend on the thread count.
    let parts = crate::parallel::map_in_order_on(threads, &order, |rid| {
        let mut part = Source::default();
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
        part
    });
    let mut source = Source::default();
    for part in parts {
        source.append(part);
    }
    if how.figures {
        let position: HashMap<&str, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        source.figures = index.figures()?.iter().filter_map(|f| Some(f.mark(*position.get(f.id.as_str())?))).collect();
    }
    Ok(source)
}

/// Reads folders, or an index when the path holds one.
pub fn read_any(paths: &[PathBuf], earlier: bool, how: Reading, labels: &Labels) -> Result<(Source, Vec<Problem>)> {
    let mut source = Source::default();
    let mut problems = Vec::new();
    let mut folders = Vec::new();
    for p in paths {
        if p.is_dir() && IndexDir::new(p).current()?.is_some() {
            source.append(read_index(p, earlier, how, &[])?);
        } else {
            folders.push(p.clone());
        }
    }
    if !folders.is_empty() {
        let (s, p) = read_folders(&folders, earlier, how, labels);
        source.append(s);
        problems.extend(p);
    }
    Ok((source, problems))
}

/// Reads what is compared: `paths` (folders or indexes; the index at `index` when there are none), then the
/// earlier cohorts of `against`, compared with the others but not among themselves. `cohorts` labels the folders
/// of `paths` (none, one for all, or one per folder; see [`crate::cohort_label`]).
pub fn read_compared(
    paths: &[PathBuf],
    index: &Path,
    against: &[PathBuf],
    how: Reading,
    cohorts: &[String],
) -> Result<(Source, Vec<Problem>)> {
    crate::ingest::require_paths(paths).map_err(|e| DupesError::Input(e.to_string()))?;
    crate::ingest::require_paths(against).map_err(|e| DupesError::Input(e.to_string()))?;
    let labels = Labels::new(paths, cohorts).map_err(|e| DupesError::Input(e.to_string()))?;
    let (mut source, mut problems) = if paths.is_empty() {
        // Read from an index, the reports already have their labels: `cohorts` picks among them.
        Index::open(index)?.check_cohorts(cohorts).map_err(|e| DupesError::Input(e.to_string()))?;
        (read_index(index, false, how, cohorts)?, Vec::new())
    } else {
        read_any(paths, false, how, &labels)?
    };
    if !against.is_empty() {
        let (earlier, p) = read_any(against, true, how, &Labels::default())?;
        source.append(earlier);
        problems.extend(p);
    }
    Ok((source, problems))
}

/// The shingles of the template files given as `--base`: never evidence of copying.
pub fn read_base(files: &[PathBuf], settings: &Settings) -> Result<ShingleSet> {
    let mut texts = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).map_err(|source| DupesError::Base { path: f.clone(), source })?;
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(base_shingles(texts.iter().map(String::as_str), settings))
}

/// The figures the template files given as `--base` show (read from their folders): never evidence of copying.
pub fn read_base_figures(files: &[PathBuf]) -> Result<Vec<FigureMark>> {
    let mut marks = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).map_err(|source| DupesError::Base { path: f.clone(), source })?;
        // A template that cannot be parsed shows no figures cohort can read.
        let Ok(report) = crate::domain::parse_bytes(f, &bytes) else { continue };
        let folder = f.parent().unwrap_or(Path::new("."));
        marks.extend(marks_of(0, &report_figures(&report, folder)));
    }
    Ok(marks)
}

/// One question of a close look at two reports.
#[derive(Debug, Clone)]
pub struct Shown {
    pub key: AnswerKey,
    /// The two answers (report A's first), when the reports have them.
    pub a: Option<usize>,
    pub b: Option<usize>,
    /// The shared passages of A's and B's answer, as word ranges.
    pub passages: (Vec<Range<usize>>, Vec<Range<usize>>),
    /// The number of each passage, the same for a passage of A and its copy in B ([`super::link_passages`]).
    pub passage_ids: (Vec<usize>, Vec<usize>),
    /// Template or common text of A's and B's answer (ignored by the search, never marked as shared), as word
    /// ranges ([`super::masked_words`]).
    pub template: (Vec<Range<usize>>, Vec<Range<usize>>),
    /// The pair as found (its scores), when the two share anything.
    pub pair: Option<Pair>,
}

/// Two reports side by side: which questions to show and what they share.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Report indices in the corpus.
    pub a: usize,
    pub b: usize,
    /// True when the pair is not reported and the questions are those where the two share anything at all.
    pub below_thresholds: bool,
    pub questions: Vec<Shown>,
}

/// Looks at two reports closely: the questions where the pair is reported (or `question`), or, when there are
/// none, every question where the two share anything at all; with what they share, however little, still
/// ignoring common and template text.
pub fn compare(
    corpus: &Corpus,
    base: &ShingleSet,
    settings: &Settings,
    ids: (&str, &str),
    question: Option<AnswerKey>,
    threads: usize,
) -> Result<Comparison> {
    let find_report = |id: &str| -> Result<usize> {
        if let Some(i) = corpus.reports.iter().position(|r| r.id == id) {
            return Ok(i);
        }
        let near: Vec<String> =
            corpus.reports.iter().map(|r| r.id.clone()).filter(|r| r.contains(id)).take(5).collect();
        if near.is_empty() {
            return Err(DupesError::NoReport { id: id.to_string() });
        }
        Err(DupesError::NoReportNear { id: id.to_string(), near })
    };
    let (ra, rb) = (find_report(ids.0)?, find_report(ids.1)?);
    let reported: Vec<AnswerKey> =
        find(corpus, base, settings, Some((ra, rb)), threads).pairs.iter().map(|p| p.key).collect();
    let loose = Settings { min_similarity: 0.0, min_shared_words: 1, min_passage: 1, min_words: 0, ..*settings };
    let outcome = find(corpus, base, &loose, Some((ra, rb)), threads);
    let answer_of =
        |report: usize, key: AnswerKey| corpus.answers.iter().position(|a| a.report == report && a.key == key);
    let (keys, below_thresholds) = match question {
        Some(q) => (vec![q], false),
        None if !reported.is_empty() => (reported, false),
        None => (outcome.pairs.iter().map(|p| p.key).collect(), !outcome.pairs.is_empty()),
    };
    let no_common = ShingleSet::default();
    let questions = keys
        .into_iter()
        .map(|key| {
            let pair = outcome.pairs.iter().find(|p| p.key == key).cloned();
            // A on the left, as asked, whichever order the search found them in.
            let (a, b, passages) = match &pair {
                Some(p) if corpus.answers[p.a].report == ra => {
                    (Some(p.a), Some(p.b), (p.passages_a.clone(), p.passages_b.clone()))
                }
                Some(p) => (Some(p.b), Some(p.a), (p.passages_b.clone(), p.passages_a.clone())),
                None => (answer_of(ra, key), answer_of(rb, key), Default::default()),
            };
            let words = |answer: Option<usize>| answer.map_or(&[][..], |i| corpus.answers[i].words.as_slice());
            let common = outcome.common.get(&key).unwrap_or(&no_common);
            let masked = |h: u64| common.contains(&h) || base.contains(&h);
            let template = (
                masked_words(words(a), settings.shingle, masked, &passages.0),
                masked_words(words(b), settings.shingle, masked, &passages.1),
            );
            let passage_ids =
                link_passages((words(a), passages.0.as_slice()), (words(b), passages.1.as_slice()), settings.shingle);
            Shown { key, a, b, passages, passage_ids, template, pair }
        })
        .collect();
    Ok(Comparison { a: ra, b: rb, below_thresholds, questions })
}
