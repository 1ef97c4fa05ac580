//! [`Index`]: the one way into an index folder for everything that reads it — reports, frames, searches,
//! statistics, figures, the manifest, exports and the pseudonym key.

use crate::domain::pseudonym::Pseudonymiser;
use crate::domain::AnswerKey;
use crate::figures::{self, FigureError, FigureRequest, Made};
use crate::store::frames::{self, ChecklistBy, Frames, Scope};
use crate::store::manifest::Manifest;
use crate::store::text_index::{self, AnswerIndex, GroupHits, SearchError, SearchRequest, SearchResults};
use crate::store::{io_err, Generation, IndexDir, StoreError};
use polars::prelude::*;
use std::path::Path;

/// Why something could not be read from an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}", crate::suggest::unknown("question key", key, &question_keys()))]
    UnknownQuestion { key: String },
    #[error("{}", crate::suggest::unknown("cohort", label, known))]
    UnknownCohort { label: String, known: Vec<String> },
    #[error(transparent)]
    Query(#[from] crate::store::query_syntax::SyntaxError),
}

impl From<SearchError> for IndexError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Syntax(s) => IndexError::Query(s),
            SearchError::Store(s) => IndexError::Store(s),
        }
    }
}

/// The question keys a filter may name: the template's, and `extra` for questions groups added.
pub fn question_keys() -> Vec<String> {
    AnswerKey::NAMES.iter().map(|k| k.to_string()).chain(["extra".to_string()]).collect()
}

/// A statistic `cohort stats` computes: a polars query over the frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statistic {
    /// Completion rate of checklist items: done / reports whose own checklist has the item, grouped by these.
    Checklist { by: Vec<ChecklistBy> },
    /// Number of tests, coverage and credits (in USD): n, mean, sum, median, min, max; optionally per cohort.
    Facts { by_cohort: bool },
    /// Completion rates as a table: `rows` × the values of `columns` (e.g. items × cohorts).
    ChecklistPivot { rows: Vec<ChecklistBy>, columns: ChecklistBy },
}

/// An opened index: its live generation. Everything it returns comes from that one generation, even when an
/// ingest publishes a new one meanwhile.
#[derive(Debug, Clone)]
pub struct Index {
    dir: IndexDir,
    generation: Generation,
    /// The frames in memory, when [`Index::resident`] read them.
    resident: Option<std::sync::Arc<Resident>>,
}

/// The frames held in memory, with each report's checklist and answer rows (in their order) at hand.
#[derive(Debug)]
struct Resident {
    frames: Frames,
    checklist_of: std::collections::HashMap<String, DataFrame>,
    answers_of: std::collections::HashMap<String, DataFrame>,
    summary_of: std::collections::HashMap<String, String>,
}

/// A frame sorted by `id` then `order`, cut into one frame per id.
fn split_by_id(df: &DataFrame, order: &str) -> PolarsResult<std::collections::HashMap<String, DataFrame>> {
    let sorted = df.sort(["id", order], SortMultipleOptions::default().with_nulls_last(true))?;
    let ids = sorted.column("id")?.str()?.clone();
    let mut out = std::collections::HashMap::new();
    let mut start = 0;
    for i in 1..=ids.len() {
        if i == ids.len() || ids.get(i) != ids.get(start) {
            if let Some(id) = ids.get(start) {
                out.insert(id.to_string(), sorted.slice(start as i64, i - start));
            }
            start = i;
        }
    }
    Ok(out)
}

impl Index {
    /// Opens the index folder's live generation, or says how to make one.
    pub fn open(dir: impl AsRef<Path>) -> Result<Index, StoreError> {
        if dir.as_ref().is_file() {
            // A file is no index: say how to make one rather than what the file system thinks of `FILE/CURRENT`.
            return Err(StoreError::NoIndex { path: dir.as_ref().to_path_buf() });
        }
        let dir = IndexDir::new(dir.as_ref());
        let generation = dir.require_current()?;
        Ok(Index { dir, generation, resident: None })
    }

    /// Checks every file of the index folder's live generation against its checksums (what `cohort ingest
    /// --check` does): the manifest, the checksums themselves, the tantivy files and the frames. Commands check
    /// only what they read; this reads everything.
    pub fn check_files(dir: impl AsRef<Path>) -> Result<FilesChecked, StoreError> {
        if dir.as_ref().is_file() {
            return Err(StoreError::NoIndex { path: dir.as_ref().to_path_buf() });
        }
        let index = IndexDir::new(dir.as_ref());
        let generation = index.current()?.ok_or_else(|| StoreError::NoIndex { path: index.root.clone() })?;
        let damaged = generation.damaged();
        let (files, bytes) = match generation.sums() {
            Ok(sums) => (sums.files.len(), sums.files.values().map(|f| f.bytes).sum()),
            Err(_) => (0, 0),
        };
        Ok(FilesChecked { generation: generation.dir.clone(), files, bytes, damaged })
    }

    /// Checks every file of this index's generation; the first damaged one is the error. For a program that
    /// reads for long (a server): it then knows at its start that the whole index is sound.
    pub fn verify_files(&self) -> Result<(), StoreError> {
        match self.generation.damaged().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The same index with its frames read once and kept in memory, each report's rows at hand: for a program
    /// that reads many times (a server); every method then answers from memory.
    pub fn resident(self) -> Result<Index, StoreError> {
        let frames = self.frames()?;
        let checklist_of = split_by_id(&frames.checklist, "item_order").map_err(self.polars())?;
        let answers_of = split_by_id(&frames.answers, "line").map_err(self.polars())?;
        let ids = frames.reports.column("id").and_then(|c| c.str().cloned()).map_err(self.polars())?;
        let summaries = frames.reports.column("summary").and_then(|c| c.str().cloned()).map_err(self.polars())?;
        let summary_of =
            ids.iter().zip(summaries.iter()).filter_map(|(id, s)| Some((id?.to_string(), s?.to_string()))).collect();
        let resident = Resident { frames, checklist_of, answers_of, summary_of };
        Ok(Index { resident: Some(std::sync::Arc::new(resident)), ..self })
    }

    /// The index folder.
    pub fn root(&self) -> &Path {
        &self.dir.root
    }

    /// The live generation this index was opened at.
    pub fn generation(&self) -> &Generation {
        &self.generation
    }

    /// One frame ([`frames::REPORTS`], [`frames::CHECKLIST`] or [`frames::ANSWERS`]).
    pub fn frame(&self, name: &str) -> Result<DataFrame, StoreError> {
        match (&self.resident, name) {
            (Some(r), frames::REPORTS) => Ok(r.frames.reports.clone()),
            (Some(r), frames::CHECKLIST) => Ok(r.frames.checklist.clone()),
            (Some(r), frames::ANSWERS) => Ok(r.frames.answers.clone()),
            _ => frames::read(&self.generation, name),
        }
    }

    /// Some columns of one frame (all of it when the frames are in memory).
    pub fn frame_columns(&self, name: &str, columns: &[&str]) -> Result<DataFrame, StoreError> {
        match &self.resident {
            Some(_) => self.frame(name),
            None => frames::read_columns(&self.generation, name, Some(columns)),
        }
    }

    /// The reports frame: one row per report, with its JSON summary in `summary`.
    pub fn reports_frame(&self) -> Result<DataFrame, StoreError> {
        self.frame(frames::REPORTS)
    }

    /// The checklist frame: one row per (report, item of its own checklist).
    pub fn checklist_frame(&self) -> Result<DataFrame, StoreError> {
        self.frame(frames::CHECKLIST)
    }

    /// The answers frame: one row per (report, answer).
    pub fn answers_frame(&self) -> Result<DataFrame, StoreError> {
        self.frame(frames::ANSWERS)
    }

    /// All three frames.
    pub fn frames(&self) -> Result<Frames, StoreError> {
        match &self.resident {
            Some(r) => Ok(r.frames.clone()),
            None => frames::read_all(&self.generation),
        }
    }

    /// The figures frame ([`crate::store::figures`]): one row per image an answer shows, with its fingerprints
    /// when it was read from the report's folder.
    pub fn figures_frame(&self) -> Result<DataFrame, StoreError> {
        self.frame(crate::store::figures::FIGURES)
    }

    /// The figures read from the reports' folders (one per report and path), with their fingerprints.
    pub fn figures(&self) -> Result<Vec<crate::store::figures::StoredFigure>, StoreError> {
        crate::store::figures::read_figures(&self.figures_frame()?).map_err(self.polars())
    }

    /// Which files the index was built from, with their ids and cohorts.
    pub fn manifest(&self) -> Result<Manifest, StoreError> {
        Manifest::read(&self.generation)
    }

    fn polars(&self) -> impl FnOnce(PolarsError) -> StoreError + '_ {
        |source| StoreError::Polars { path: self.generation.dir.clone(), source }
    }

    /// The reports, of these cohorts (all when empty), in the order `cohort reports` lists them (cohort, group, id).
    pub fn reports(&self, cohorts: &[String]) -> Result<DataFrame, StoreError> {
        let mut df = self.reports_frame()?;
        if let Some(mine) = in_cohorts(cohorts) {
            df = df.lazy().filter(mine).collect().map_err(self.polars())?;
        }
        df.sort(["cohort", "group", "id"], SortMultipleOptions::default().with_nulls_last(true)).map_err(self.polars())
    }

    /// The reports of a group number, or the report of an id, in these cohorts (all when empty; sorted by cohort).
    pub fn reports_of(&self, group_or_id: &str, cohorts: &[String]) -> Result<DataFrame, StoreError> {
        let mut filter = match group_or_id.parse::<u32>() {
            Ok(g) => col("group").eq(lit(g)),
            Err(_) => col("id").eq(lit(group_or_id.to_string())),
        };
        if let Some(mine) = in_cohorts(cohorts) {
            filter = filter.and(mine);
        }
        self.reports_frame()?
            .lazy()
            .filter(filter)
            .sort(["cohort"], Default::default())
            .collect()
            .map_err(self.polars())
    }

    /// One report's JSON summary (the object `cohort reports --json` prints), by its id.
    pub fn summary_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        if let Some(r) = &self.resident {
            return Ok(r.summary_of.get(id).cloned());
        }
        let df =
            self.reports_frame()?.lazy().filter(col("id").eq(lit(id.to_string()))).collect().map_err(self.polars())?;
        let summaries = df.column("summary").and_then(|c| c.str().cloned()).map_err(self.polars())?;
        Ok(summaries.get(0).map(str::to_string))
    }

    /// One report's checklist rows, in its checklist's order.
    pub fn checklist_of(&self, id: &str) -> Result<DataFrame, StoreError> {
        if let Some(r) = &self.resident {
            return Ok(r.checklist_of.get(id).cloned().unwrap_or_else(|| r.frames.checklist.clear()));
        }
        let mine = col("id").eq(lit(id.to_string()));
        self.checklist_frame()?
            .lazy()
            .filter(mine)
            .sort(["item_order"], Default::default())
            .collect()
            .map_err(self.polars())
    }

    /// One report's answers, in the report's order.
    pub fn answers_of(&self, id: &str) -> Result<DataFrame, StoreError> {
        if let Some(r) = &self.resident {
            return Ok(r.answers_of.get(id).cloned().unwrap_or_else(|| r.frames.answers.clear()));
        }
        let mine = col("id").eq(lit(id.to_string()));
        self.answers_frame()?.lazy().filter(mine).sort(["line"], Default::default()).collect().map_err(self.polars())
    }

    /// Searches every answer (the language is [`crate::store::query_syntax`]'s): how many match, and the best
    /// `req.limit` of them. An unknown question key or cohort label is an error, not an empty result.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, IndexError> {
        check_question(req.question.as_deref())?;
        self.check_cohorts(&req.cohorts)?;
        Ok(text_index::search(&self.generation, req)?)
    }

    /// The reports with matching answers and how many of their answers match (`cohort search --groups`).
    pub fn search_groups(&self, req: &SearchRequest) -> Result<Vec<GroupHits>, IndexError> {
        check_question(req.question.as_deref())?;
        self.check_cohorts(&req.cohorts)?;
        Ok(self.searcher()?.search_groups(req)?)
    }

    /// The cohort labels of the reports in the index, sorted.
    pub fn cohorts(&self) -> Result<Vec<String>, StoreError> {
        let mut labels: Vec<String> = self.manifest()?.entries.into_iter().map(|e| e.cohort).collect();
        labels.sort();
        labels.dedup();
        Ok(labels)
    }

    /// Every label must be a cohort of the index: a typo must not look like "nothing found".
    pub fn check_cohorts(&self, labels: &[String]) -> Result<(), IndexError> {
        if labels.is_empty() {
            return Ok(());
        }
        let known = self.cohorts()?;
        match labels.iter().find(|l| !known.contains(l)) {
            Some(label) => Err(IndexError::UnknownCohort { label: label.clone(), known }),
            None => Ok(()),
        }
    }

    /// The answer index opened once, for running many searches (a notebook, a server, a benchmark).
    pub fn searcher(&self) -> Result<AnswerIndex, StoreError> {
        AnswerIndex::open(&self.generation)
    }

    /// Checklist completion rates (see [`frames::checklist_completion`]).
    pub fn checklist_completion(&self, by: &[ChecklistBy], scope: &Scope) -> Result<DataFrame, StoreError> {
        frames::checklist_completion(&self.checklist_frame()?, by, scope).map_err(self.polars())
    }

    /// Summaries of the numeric facts (see [`frames::facts_summary`]).
    pub fn facts_summary(&self, by_cohort: bool, scope: &Scope) -> Result<DataFrame, StoreError> {
        frames::facts_summary(&self.reports_frame()?, by_cohort, scope).map_err(self.polars())
    }

    /// A statistic, as `cohort stats` prints it.
    pub fn statistic(&self, statistic: &Statistic, scope: &Scope) -> Result<DataFrame, StoreError> {
        match statistic {
            Statistic::Checklist { by } => self.checklist_completion(by, scope),
            Statistic::Facts { by_cohort } => self.facts_summary(*by_cohort, scope),
            Statistic::ChecklistPivot { rows, columns } => {
                frames::checklist_pivot(&self.checklist_frame()?, rows, *columns, scope).map_err(self.polars())
            }
        }
    }

    /// The data of a figure (see [`crate::figures`]).
    pub fn figure(&self, req: &FigureRequest) -> Result<Made, FigureError> {
        figures::figure(self, req)
    }

    /// The index's pseudonym key, created on first use; it stays in the index folder and never leaves it.
    pub fn pseudonym_key(&self) -> Result<[u8; 32], StoreError> {
        let path = self.root().join("pseudonym.key");
        if let Ok(bytes) = std::fs::read(&path) {
            if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
                return Ok(key);
            }
        }
        let mut seed = Vec::new();
        seed.extend(std::process::id().to_le_bytes());
        seed.extend(format!("{:?}", std::time::SystemTime::now()).as_bytes());
        seed.extend(format!("{:p}", &seed).as_bytes());
        if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
            use std::io::Read;
            let mut buf = [0u8; 32];
            if f.read_exact(&mut buf).is_ok() {
                seed.extend(buf);
            }
        }
        let key = *blake3::hash(&seed).as_bytes();
        // Owner only: the key turns pseudonyms back into student numbers.
        crate::store::write_whole(&path, crate::store::Access::OwnerOnly, |f, _| {
            std::io::Write::write_all(f, &key).map_err(io_err(&path))
        })?;
        Ok(key)
    }

    /// The frames with every student number, user name and e-mail address replaced by its pseudonym (see
    /// [`crate::pseudonymise`]).
    pub fn pseudonymised_frames(&self) -> Result<Frames, StoreError> {
        let f = self.frames()?;
        let p = self.pseudonymiser(&f, None)?;
        Ok(Frames {
            reports: p.frame(&f.reports).map_err(self.polars())?,
            checklist: p.frame(&f.checklist).map_err(self.polars())?,
            answers: p.frame(&f.answers).map_err(self.polars())?,
        })
    }

    fn pseudonymiser(
        &self,
        f: &Frames,
        verdicts: Option<&DataFrame>,
    ) -> Result<crate::pseudonymise::FramePseudonymiser, StoreError> {
        use crate::pseudonymise::{texts, FramePseudonymiser};
        let key = self.pseudonym_key()?;
        let students = f.reports.column("students").and_then(|c| c.str().cloned()).map_err(self.polars())?;
        let known: Vec<&str> = students.iter().flatten().flat_map(|s| s.split(',')).collect();
        let p = Pseudonymiser::new(key).with_known_ids(known);
        let mut ids = texts(&f.reports, "id");
        let mut branches = Vec::new();
        if let Some(v) = verdicts {
            ids.extend(texts(v, "id"));
            branches = texts(v, "branch");
        }
        Ok(FramePseudonymiser::new(p, ids.iter().map(String::as_str), branches.iter().map(String::as_str)))
    }

    /// Writes the frames as Parquet and CSV into `out` (created if needed), pseudonymised when asked: the three
    /// report frames, and the verdicts when `cohort ingest --repos` stored them (pseudonymised the same way).
    pub fn export(&self, out: &Path, pseudonymise: bool) -> Result<Vec<Exported>, StoreError> {
        let plain = self.frames()?;
        let verdicts = crate::verify::frame::stored(self)?;
        let (mut f, mut verdicts) = if pseudonymise {
            let p = self.pseudonymiser(&plain, verdicts.as_ref())?;
            let frames = Frames {
                reports: p.frame(&plain.reports).map_err(self.polars())?,
                checklist: p.frame(&plain.checklist).map_err(self.polars())?,
                answers: p.frame(&plain.answers).map_err(self.polars())?,
            };
            let verdicts = verdicts.map(|v| p.frame(&v)).transpose().map_err(self.polars())?;
            (frames, verdicts)
        } else {
            (plain, verdicts)
        };
        std::fs::create_dir_all(out).map_err(io_err(out))?;
        let mut written = Vec::new();
        let mut frames_out: Vec<(&'static str, &mut DataFrame)> =
            vec![("reports", &mut f.reports), ("checklist", &mut f.checklist), ("answers", &mut f.answers)];
        if let Some(v) = verdicts.as_mut() {
            frames_out.push((crate::verify::frame::VERDICTS, v));
        }
        for (name, df) in frames_out {
            frames::write_parquet(&out.join(format!("{name}.parquet")), df)?;
            frames::write_csv(&out.join(format!("{name}.csv")), df)?;
            written.push(Exported { name, rows: df.height() });
        }
        Ok(written)
    }
}

/// What [`Index::check_files`] found.
#[derive(Debug)]
pub struct FilesChecked {
    /// The live generation's folder.
    pub generation: std::path::PathBuf,
    /// Files the checksums list (all checked), and their bytes.
    pub files: usize,
    pub bytes: u64,
    /// Each damaged or missing file (or damaged manifest or checksums), naming it; empty when all is sound.
    pub damaged: Vec<StoreError>,
}

/// One frame an export wrote (as `NAME.parquet` and `NAME.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub name: &'static str,
    pub rows: usize,
}

/// A filter on the cohort column for these labels (`None`: all cohorts).
fn in_cohorts(cohorts: &[String]) -> Option<Expr> {
    cohorts.iter().map(|c| col("cohort").eq(lit(c.clone()))).reduce(|a, b| a.or(b))
}

/// A question filter must name a template question (or `extra`, the questions groups added).
pub fn check_question(question: Option<&str>) -> Result<(), IndexError> {
    match question {
        Some(q) if q != "extra" && AnswerKey::from_name(q).is_none() => {
            Err(IndexError::UnknownQuestion { key: q.into() })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_an_index_says_how_to_make_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        match Index::open(dir.path()) {
            Err(e @ StoreError::NoIndex { .. }) => assert!(e.to_string().contains("cohort ingest"), "{e}"),
            other => panic!("expected NoIndex, got {other:?}"),
        }
    }

    #[test]
    fn a_question_filter_names_a_template_question_or_extra() {
        assert!(check_question(None).is_ok());
        assert!(check_question(Some("api_testing")).is_ok());
        assert!(check_question(Some("extra")).is_ok());
        let e = check_question(Some("api-testing")).expect_err("not a key");
        assert!(e.to_string().contains("api_testing"), "the message lists the keys: {e}");
    }
}
