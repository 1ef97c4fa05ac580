//! Ingest: discover reports, parse what changed, and write a new index generation (tantivy + frames) that goes
//! live in one atomic step. Unchanged files are not parsed again (content hash); changed files are replaced;
//! files that vanished from an ingested folder are removed. Reports from folders not named in this ingest stay.

use crate::cohort_label::Labels;
use crate::discover::{candidates, read_all, report_id, Candidate, Limits, Problem, Read};
use crate::domain::groups::{attach, read_group_list, row_for, GroupRow};
use crate::domain::{ExchangeRates, Report, WarningKind};
use crate::images::{report_figures, ReportFigure};
use crate::present::style::count;
use crate::store::checksums::Checksums;
use crate::store::figures::{figures_frame, FIGURES};
use crate::store::frames::{self, Frames, ReportRecord};
use crate::store::manifest::{Entry, Manifest, FORMAT};
use crate::store::text_index::{self, AnswerDoc};
use crate::store::{Generation, IndexDir, StoreError};
use crate::summary::summarise;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Default cap on one answer's length in the index: far above any real answer (the template asks for at most a
/// few hundred words), well below a pasted training log.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 256 * 1000;

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The index folder (default `./index`).
    pub index: PathBuf,
    /// Cohort labels: none, one for every path, or one per path (see [`crate::cohort_label`] for what labels a
    /// report without one).
    pub cohorts: Vec<String>,
    /// The course's `group_info.csv`.
    pub groups: Option<PathBuf>,
    pub limits: Limits,
    /// Answers longer than this many bytes are cut to it in the index and frames (with a warning on the report):
    /// a pasted log or base64 image must not bloat every search and frame.
    pub max_answer_bytes: usize,
    pub rates: ExchangeRates,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Build the index afresh from the reports, reusing nothing of the live generation.
    pub rebuild: bool,
    /// Remove reports whose folders vanished even when most of an ingested folder's did (by default they are kept
    /// then: an unmounted share must not empty the index).
    pub prune: bool,
}

impl IngestOptions {
    pub fn new(index: impl Into<PathBuf>) -> Self {
        IngestOptions {
            index: index.into(),
            cohorts: Vec::new(),
            groups: None,
            limits: Limits::default(),
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            rates: ExchangeRates::default(),
            progress: false,
            rebuild: false,
            prune: false,
        }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct IngestOutcome {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Reports in the index after the ingest.
    pub total: usize,
    /// Files that could not be ingested, with the reason.
    pub problems: Vec<Problem>,
    /// Reports ingested with an answer cut to [`IngestOptions::max_answer_bytes`], with what was cut.
    pub truncated: Vec<Problem>,
    /// True when nothing had changed and nothing was written.
    pub up_to_date: bool,
    /// Things worth telling about the index itself (e.g. rebuilt from scratch).
    pub notes: Vec<String>,
    /// Reports kept although their folder is gone (see [`IngestOptions::prune`]).
    pub missing_kept: usize,
    /// Reports whose verdicts (`verdicts.parquet`) were kept from the previous ingest: those still in the index
    /// and unchanged; removed and changed reports lose theirs (`cohort ingest --repos` verifies them again).
    pub verdicts_kept: Option<usize>,
}

impl IngestOutcome {
    /// One line for people: what the ingest did to the index.
    pub fn summary(&self, index: &Path) -> String {
        if self.up_to_date {
            format!(
                "the index at {} is up to date: {} unchanged",
                index.display(),
                count(self.unchanged, "report", "reports")
            )
        } else {
            format!(
                "{} added, {} changed, {} removed, {} unchanged; {} in the index at {}",
                self.added,
                self.changed,
                self.removed,
                self.unchanged,
                count(self.total, "report", "reports"),
                index.display()
            ) + &self.verdicts_kept.map_or(String::new(), |n| {
                format!("; verdicts of {} kept from the previous ingest", count(n, "report", "reports"))
            })
        }
    }
}

/// Why an ingest failed as a whole (single bad files are [`IngestOutcome::problems`], not errors).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: cannot read", path.display())]
    ReadGroupList { path: PathBuf, source: std::io::Error },
    #[error("{}: {reason}", path.display())]
    GroupList { path: PathBuf, reason: String },
    /// A path given does not exist (nothing is written).
    #[error("{}: no such file or folder", path.display())]
    Missing { path: PathBuf },
    /// The paths given hold no report at all (nothing is written).
    #[error("{}", no_reports(paths, *skipped, *listed))]
    NoReports { paths: Vec<PathBuf>, skipped: usize, listed: usize },
    #[error(transparent)]
    Labels(#[from] crate::cohort_label::LabelCountError),
    /// `--index` names a file.
    #[error("{}: is a file; --index names the folder the index is kept in", path.display())]
    IndexIsAFile { path: PathBuf },
}

/// Every path named must exist: a typo must be an error, not an ingest (or a check) of nothing.
pub fn require_paths(paths: &[PathBuf]) -> Result<(), IngestError> {
    match paths.iter().find(|p| std::fs::symlink_metadata(p).is_err()) {
        Some(p) => Err(IngestError::Missing { path: p.clone() }),
        None => Ok(()),
    }
}

/// "no reports found in A, B (why)": the sentence of [`IngestError::NoReports`].
fn no_reports(paths: &[PathBuf], skipped: usize, listed: usize) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let why = if skipped > 0 {
        format!("{} could not be read, listed above", crate::nouns::count(skipped, "file", "files"))
    } else {
        "a report is a markdown file with the course template's questions".to_string()
    };
    let prune = if listed > 0 {
        format!(
            "; it still lists {} from there (an unmounted share or a moved folder?): pass --prune to remove them",
            count(listed, "report", "reports")
        )
    } else {
        String::new()
    };
    format!("no reports found in {} ({why}); the index was not changed{prune}", names.join(", "))
}

/// How many reports the live index lists from under `paths` (read only: nothing is created or locked).
fn listed_under(index: &Path, paths: &[PathBuf]) -> usize {
    let roots: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let manifest = IndexDir::new(index).current().ok().flatten().and_then(|g| Manifest::read(&g).ok());
    manifest.map_or(0, |m| m.entries.iter().filter(|e| roots.iter().any(|r| e.file.starts_with(r))).count())
}

/// Reports turned into frame rows at a time (see the memory note in `ingest`).
const FRAME_CHUNK: usize = 500;

/// A report parsed in this ingest.
struct Fresh {
    entry: Entry,
    relative: String,
    report: Report,
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The group list's rows and the hash of its bytes; a row whose group number cannot be read is a [`Problem`] (the
/// list's path, the line and why) and is left out, the other rows are used.
pub(crate) fn read_groups(path: &Path) -> Result<(Vec<GroupRow>, String, Vec<Problem>), IngestError> {
    let bytes =
        std::fs::read(path).map_err(|source| IngestError::ReadGroupList { path: path.to_path_buf(), source })?;
    let list = read_group_list(&String::from_utf8_lossy(&bytes));
    let problems = list
        .rejected
        .iter()
        .map(|e| Problem { path: path.to_path_buf(), reason: format!("{e}; this row of the group list is left out") })
        .collect();
    Ok((list.rows, blake3::hash(&bytes).to_hex().to_string(), problems))
}

/// Ingests the reports under `paths` into the index.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<IngestOutcome, IngestError> {
    // Said before the index folder is created or locked: a mistyped path leaves nothing behind.
    require_paths(paths)?;
    let labels = Labels::new(paths, &opts.cohorts).map_err(IngestError::Labels)?;
    let (mut cands, mut problems) = candidates(paths);
    // An empty folder is an error, not an ingest of nothing; with --prune it removes what the index lists from it.
    if cands.is_empty() && !opts.prune {
        let listed = listed_under(&opts.index, paths);
        return Err(IngestError::NoReports { paths: paths.to_vec(), skipped: problems.len(), listed });
    }
    if opts.index.is_file() {
        return Err(IngestError::IndexIsAFile { path: opts.index.clone() });
    }
    let dir = IndexDir::new(&opts.index);
    let _lock = dir.lock()?;
    let mut notes = Vec::new();
    let live = dir.current()?;
    // Generations of ingests that failed or were killed are never published: they go before anything is built.
    dir.remove_unpublished(live.as_ref());
    // Only a live generation whose every file still matches its manifest is built on: reports unchanged since are
    // not read again and its segments are linked, so anything damaged in it would be carried over unseen. Anything
    // else (damaged, older format, `--rebuild`) is rebuilt from the reports; it stays live until the new one is
    // published. A manifest that is intact still names the reports and their ids.
    let mut listed: Option<Manifest> = None;
    let mut previous = None;
    if let Some(g) = &live {
        match g.verify() {
            Ok(m) if !opts.rebuild => {
                listed = Some(m);
                previous = Some(g.clone());
            }
            Ok(m) => {
                notes.push("rebuilding the index from the reports (--rebuild)".to_string());
                listed = Some(m);
            }
            Err(e) => {
                notes.push(format!("{}; building a new index from the reports", crate::error::chain(&e)));
                listed = Manifest::read(g).ok();
            }
        }
    }
    let old_manifest = previous.as_ref().and(listed.as_ref());
    let groups = match &opts.groups {
        Some(p) => {
            let (rows, hash, rejected) = read_groups(p)?;
            problems.extend(rejected);
            Some((rows, hash))
        }
        None => None,
    };
    let groups_hash = groups.as_ref().map(|(_, h)| h.clone());
    let groups_changed = old_manifest.is_some_and(|m| m.groups_hash != groups_hash);
    // Answers cut under another cap must be read again to be cut (or kept whole) under this one.
    let answer_cap = Some(opts.max_answer_bytes as u64);
    let cap_changed = old_manifest.is_some_and(|m| m.max_answer_bytes != answer_cap);

    let roots: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    // The manifest lists paths as text: one that is not UTF-8 cannot be listed, so its report is skipped with a
    // word on it, and the rest of the cohort is ingested (`parse`, `check` and `dupes` read it as it is).
    cands.retain(|c| {
        let listable = absolute(&c.path).to_str().is_some() && absolute(&c.root).to_str().is_some();
        if !listable {
            problems.push(Problem {
                path: c.path.clone(),
                reason: "the path is not valid UTF-8, which the index cannot list; skipped (rename the folder or file)"
                    .into(),
            });
        }
        listable
    });
    if previous.is_none() {
        // Rebuilding: the reports of earlier ingests from other folders are read again from their files.
        for e in listed.iter().flat_map(|m| m.entries.iter()) {
            if !roots.iter().any(|r| e.file.starts_with(r)) {
                cands.push(Candidate { path: e.file.clone(), root: e.root.clone(), explicit: true });
            }
        }
    }
    // Ids stay those of the listed reports even when rebuilding.
    let old_by_file: HashMap<PathBuf, &Entry> =
        listed.iter().flat_map(|m| m.entries.iter()).map(|e| (e.file.clone(), e)).collect();

    // Which candidates need parsing: new files, changed bytes, a different cohort label or group list.
    let mut to_read = Vec::new();
    let mut kept: Vec<Entry> = Vec::new();
    for c in &cands {
        let file = absolute(&c.path);
        let unchanged = old_by_file.get(&file).filter(|_| old_manifest.is_some()).and_then(|old| {
            // A file that grew past the size cap is read (and refused) as a changed one, not hashed whole here.
            if std::fs::metadata(&c.path).ok()?.len() > opts.limits.max_file_bytes {
                return None;
            }
            let bytes = std::fs::read(&c.path).ok()?;
            let same_hash = blake3::hash(&bytes).to_hex().to_string() == old.hash;
            let same_label = labels.known(&c.path, &c.root).map_or(true, |(l, _)| l == old.cohort);
            (same_hash && same_label && !groups_changed && !cap_changed).then(|| (*old).clone())
        });
        match unchanged {
            Some(e) => kept.push(e),
            None => to_read.push(c.clone()),
        }
    }

    let bar = (opts.progress && !to_read.is_empty()).then(|| {
        let b = indicatif::ProgressBar::new(to_read.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} parsing {pos}/{len} reports {wide_bar} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let reads = read_all(&to_read, opts.limits, || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }

    let mut fresh: Vec<Fresh> = Vec::new();
    let mut truncated = Vec::new();
    let mut guessed: Vec<PathBuf> = Vec::new();
    for (c, r) in to_read.iter().zip(reads) {
        match r {
            Read::Report(found) => {
                let mut report = found.report;
                for cut in cap_answers(&mut report, opts.max_answer_bytes) {
                    truncated.push(Problem { path: c.path.clone(), reason: cut });
                }
                if let Some((rows, _)) = &groups {
                    let rel_id = report_id(&found.relative);
                    if let Some(row) = row_for(rows, &rel_id, &report) {
                        attach(&mut report, row);
                    }
                }
                let cohort = match labels.known(&c.path, &c.root) {
                    Some((label, _)) => label,
                    None => {
                        guessed.push(found.relative.clone());
                        report.inferred_cohort().to_string()
                    }
                };
                // Nothing an index keeps reads the prompts again (about a tenth of a parsed report's memory).
                for a in &mut report.answers {
                    a.prompt = String::new();
                }
                fresh.push(Fresh {
                    entry: Entry {
                        id: String::new(),
                        file: absolute(&c.path),
                        root: absolute(&c.root),
                        hash: found.hash,
                        cohort,
                    },
                    relative: found.relative.to_string_lossy().replace('\\', "/"),
                    report,
                });
            }
            Read::NotAReport => {}
            Read::Problem(p) => problems.push(p),
        }
    }

    if fresh.is_empty() && kept.is_empty() && !opts.prune {
        let listed = listed_under(&opts.index, paths);
        return Err(IngestError::NoReports { paths: paths.to_vec(), skipped: problems.len(), listed });
    }
    if !guessed.is_empty() {
        notes.push(format!(
            "{} labelled by template generation, a guess (\"2023-24\" stands for two course years): no --cohort \
             and no source.json from `cohort scrape` for them; give one --cohort per folder to label them by year",
            crate::present::style::count(guessed.len(), "report is", "reports are")
        ));
    }

    // Vanished: entries under a folder of this ingest whose file was not found now (or no longer a report). A file
    // absent while its folder is there is gone, and so is a group's folder removed from a cohort that is otherwise
    // there. But when most of an ingested folder's reports vanished with their folders (an unmounted share, a
    // moved cohort), nothing shows they were withdrawn: they stay unless `--prune` says to let them go. A file that
    // is there but could not be read this time keeps the version ingested before.
    let seen_files: HashSet<PathBuf> =
        kept.iter().map(|e| e.file.clone()).chain(fresh.iter().map(|f| f.entry.file.clone())).collect();
    let problem_files: HashSet<PathBuf> = problems.iter().map(|p| absolute(&p.path)).collect();
    let root_of = |e: &Entry| roots.iter().position(|r| e.file.starts_with(r));
    let mut listed_in_root = vec![0usize; roots.len()];
    let mut unseen: Vec<(&Entry, Option<usize>, Gone)> = Vec::new();
    for e in listed.iter().flat_map(|m| m.entries.iter()) {
        let root = root_of(e);
        if let Some(r) = root {
            listed_in_root[r] += 1;
        }
        if seen_files.contains(&e.file) {
            continue; // kept or re-read
        }
        let gone = match std::fs::symlink_metadata(&e.file) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                if e.file.parent().is_some_and(Path::is_dir) {
                    Gone::Yes
                } else {
                    Gone::FolderMissing
                }
            }
            _ if problem_files.contains(&e.file) => Gone::Unreadable,
            // There and read: no longer a report.
            _ => Gone::Yes,
        };
        unseen.push((e, root, gone));
    }
    let mut folders_missing_in_root = vec![0usize; roots.len()];
    for (_, root, gone) in &unseen {
        if let (Some(r), Gone::FolderMissing) = (root, gone) {
            folders_missing_in_root[*r] += 1;
        }
    }
    let mass_vanished = |r: usize| folders_missing_in_root[r] * 2 > listed_in_root[r];
    let mut removed_ids: HashSet<String> = HashSet::new();
    let mut others: Vec<Entry> = Vec::new();
    let mut missing_folders: Vec<&Entry> = Vec::new();
    for (e, root, gone) in unseen {
        let keep = match (root, gone) {
            (None, _) => true,
            (Some(_), Gone::Yes) => false,
            (Some(r), Gone::FolderMissing) if mass_vanished(r) && !opts.prune => {
                missing_folders.push(e);
                true
            }
            (Some(_), Gone::FolderMissing) => false,
            (Some(_), Gone::Unreadable) => true,
        };
        if !keep {
            removed_ids.insert(e.id.clone());
        } else if previous.is_some() {
            if root.is_some() && gone == Gone::Unreadable {
                notes
                    .push(format!("{}: kept the version ingested before (it could not be read now)", e.file.display()));
            }
            others.push(e.clone());
        } else {
            // Rebuilding: nothing of the old generation is reused, so what cannot be read now cannot be kept.
            notes.push(format!("{}: not in the rebuilt index (it could not be read now)", e.file.display()));
        }
    }
    if !missing_folders.is_empty() && previous.is_some() {
        notes.push(format!(
            "kept {} whose folders are gone (an unmounted share or a moved folder?), e.g. {}; pass --prune to \
             remove them from the index",
            crate::nouns::count(missing_folders.len(), "report", "reports"),
            missing_folders[0].file.display()
        ));
    }
    let missing_kept = if previous.is_some() { missing_folders.len() } else { 0 };
    let changed_ids: HashSet<String> =
        fresh.iter().filter_map(|f| old_by_file.get(&f.entry.file).map(|e| e.id.clone())).collect();
    // (When rebuilding, `changed` counts the reports read again.)
    let outcome_changed = changed_ids.len();
    let added = fresh.len() - outcome_changed;

    if fresh.is_empty() && removed_ids.is_empty() && !groups_changed && previous.is_some() {
        return Ok(IngestOutcome {
            missing_kept,
            unchanged: kept.len(),
            total: kept.len() + others.len(),
            problems,
            truncated,
            up_to_date: true,
            notes,
            ..Default::default()
        });
    }

    // Ids: a changed file keeps its id; a new one gets its folder's id, made unique against everything kept.
    let mut taken: HashSet<String> = kept.iter().chain(others.iter()).map(|e| e.id.clone()).collect();
    assign_new_ids(&mut fresh, &old_by_file, &mut taken);

    let mut generation = dir.new_generation()?;
    let gen_err = |e| StoreError::Polars { path: generation.dir.clone(), source: e };
    let drop_ids: HashSet<String> = removed_ids.iter().cloned().chain(changed_ids.iter().cloned()).collect();

    // Memory: holding every parsed report, its frame rows and tantivy's buffers at once passed 1.5 GB at 10,000
    // reports. So a chunk of reports at a time gives its answers to the text index (whose threads index them
    // meanwhile) and its rows to the frames, and is dropped.
    let drop_list: Vec<String> = drop_ids.iter().cloned().collect();
    let mut text = text_index::TextWriter::start(
        &generation.tantivy_dir(),
        previous.as_ref().map(|g| g.tantivy_dir()).as_deref(),
        &drop_list,
    )?;

    // Every image the new reports show, read from their own folders once and fingerprinted (on every core).
    let fresh_figures: Vec<Vec<ReportFigure>> = crate::parallel::map_in_order(&fresh, |f| {
        f.entry.file.parent().map_or_else(Vec::new, |folder| report_figures(&f.report, folder))
    });
    let fresh_entries: Vec<Entry> = fresh.iter().map(|f| f.entry.clone()).collect();
    // The answers frame (every answer's text) goes to its file a chunk at a time; the other two stay in memory.
    let empty = frames::build(&[], &opts.rates).map_err(gen_err)?;
    let mut answers_out = frames::FrameWriter::start(&generation, frames::ANSWERS, &empty.answers)?;
    let mut new_frames = match &previous {
        Some(prev) => {
            let old_answers = frames::read(prev, frames::ANSWERS)?;
            answers_out.write(&frames::without_ids(&old_answers, &drop_ids).map_err(gen_err)?)?;
            drop(old_answers);
            Frames {
                reports: frames::without_ids(&frames::read(prev, frames::REPORTS)?, &drop_ids).map_err(gen_err)?,
                checklist: frames::without_ids(&frames::read(prev, frames::CHECKLIST)?, &drop_ids).map_err(gen_err)?,
                answers: empty.answers.clone(),
            }
        }
        None => empty,
    };
    let mut reports = fresh.into_iter();
    loop {
        let chunk: Vec<Fresh> = reports.by_ref().take(FRAME_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        for f in &chunk {
            for a in f.report.answers.iter().filter(|a| a.answered) {
                text.add(&AnswerDoc {
                    report_id: &f.entry.id,
                    group: f.report.facts.group,
                    cohort: &f.entry.cohort,
                    question: a.key.map_or("extra", |k| k.as_str()),
                    number: a.number,
                    text: &a.markdown,
                })?;
            }
        }
        let summaries: Vec<String> = chunk
            .iter()
            .map(|f| {
                serde_json::to_string(&summarise(&f.entry.id, &f.relative, &f.entry.cohort, &f.report))
                    .unwrap_or_default()
            })
            .collect();
        let records: Vec<ReportRecord<'_>> = chunk
            .iter()
            .zip(&summaries)
            .map(|(f, s)| ReportRecord {
                id: &f.entry.id,
                path: &f.relative,
                cohort: &f.entry.cohort,
                hash: &f.entry.hash,
                report: &f.report,
                summary_json: s,
            })
            .collect();
        let part = frames::build(&records, &opts.rates).map_err(gen_err)?;
        new_frames.reports.vstack_mut(&part.reports).map_err(gen_err)?;
        new_frames.checklist.vstack_mut(&part.checklist).map_err(gen_err)?;
        answers_out.write(&part.answers)?;
        drop(chunk);
        give_back_freed_memory();
    }
    answers_out.finish()?;
    text.finish()?;
    notes.extend(shared_group_notes(&new_frames.reports));
    frames::write_parquet(&generation.frame_path(frames::REPORTS), &mut new_frames.reports)?;
    frames::write_parquet(&generation.frame_path(frames::CHECKLIST), &mut new_frames.checklist)?;
    drop(new_frames);

    write_figures(&generation, previous.as_ref(), &drop_ids, &fresh_entries, &fresh_figures)?;

    let mut entries: Vec<Entry> = others;
    entries.extend(kept.iter().cloned());
    entries.extend(fresh_entries);
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let mut manifest = Manifest {
        format: FORMAT,
        written_by: env!("CARGO_PKG_VERSION").into(),
        groups_hash,
        max_answer_bytes: answer_cap,
        entries,
        ..Default::default()
    };
    manifest.write(&generation)?;
    // The checksums every reader checks what it reads against (see `store::checksums`).
    Checksums::compute(&generation)?.write(&generation)?;
    // The verdicts come from the repositories, not the reports: an ingest without `--repos` keeps those of the
    // reports it did not touch. Written beside the frames like `cohort ingest --repos` writes them (not in the
    // manifest, which `--repos` would otherwise contradict when it writes fresh ones).
    let verdicts_kept = match &previous {
        Some(prev) if prev.frame_path(crate::verify::frame::VERDICTS).is_file() => {
            let old = frames::read(prev, crate::verify::frame::VERDICTS)?;
            let mut kept = frames::without_ids(&old, &drop_ids).map_err(gen_err)?;
            frames::write_parquet(&generation.frame_path(crate::verify::frame::VERDICTS), &mut kept)?;
            let ids = kept.column("id").and_then(|c| c.n_unique()).map_err(gen_err)?;
            Some(ids)
        }
        _ => None,
    };
    // Everything checked once more before the generation goes live: the manifest, the checksums, every file.
    generation.verify()?;
    dir.publish(&mut generation, live.as_ref())?;

    Ok(IngestOutcome {
        added,
        changed: outcome_changed,
        removed: removed_ids.len(),
        unchanged: kept.len(),
        total: manifest.entries.len(),
        problems,
        truncated,
        up_to_date: false,
        notes,
        missing_kept,
        verdicts_kept,
    })
}

/// Returns the heap pages freed since the last call to the system. The reports were parsed on the reading threads,
/// whose malloc arenas the indexing threads and this one do not allocate from: without this, the memory of
/// the reports dropped chunk by chunk stayed counted while the index and frames grew beside it (peak RSS at
/// 10,000 reports 1.3 GB instead of under 1 GB).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases heap memory that is free; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Writes the `figures` frame: the rows of the reports kept from the previous generation, then those of the new
/// ones. Written before the manifest records the generation's files, so it is checked like the other frames.
fn write_figures(
    generation: &Generation,
    previous: Option<&Generation>,
    drop_ids: &HashSet<String>,
    fresh: &[Entry],
    fresh_figures: &[Vec<ReportFigure>],
) -> Result<(), IngestError> {
    let gen_err = |e| StoreError::Polars { path: generation.dir.clone(), source: e };
    let mut figures = figures_frame(fresh.iter().map(|e| e.id.as_str()).zip(fresh_figures.iter().map(Vec::as_slice)))
        .map_err(gen_err)?;
    if let Some(prev) = previous.filter(|p| p.frame_path(FIGURES).is_file()) {
        let old = frames::read(prev, FIGURES)?;
        let mut kept = frames::without_ids(&old, drop_ids).map_err(gen_err)?;
        kept.vstack_mut(&figures).map_err(gen_err)?;
        figures = kept;
    }
    frames::write_parquet(&generation.frame_path(FIGURES), &mut figures)?;
    Ok(())
}

/// Whether a report file listed in the index is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gone {
    /// Absent while its folder is there (or there and no longer a report).
    Yes,
    /// Absent with its folder: withdrawn, unless most of its cohort vanished the same way.
    FolderMissing,
    /// There, but it could not be read this time.
    Unreadable,
}

fn assign_new_ids(fresh: &mut [Fresh], old_by_file: &HashMap<PathBuf, &Entry>, taken: &mut HashSet<String>) {
    // Two new reports in one folder would share the folder's id: count first, then name those by their file.
    let mut wanted: HashMap<String, usize> = HashMap::new();
    for f in fresh.iter() {
        if !old_by_file.contains_key(&f.entry.file) {
            *wanted.entry(report_id(Path::new(&f.relative))).or_default() += 1;
        }
    }
    for f in fresh.iter_mut() {
        if let Some(old) = old_by_file.get(&f.entry.file) {
            f.entry.id = old.id.clone();
            continue;
        }
        let base = report_id(Path::new(&f.relative));
        let mut id = if wanted[&base] > 1 {
            Path::new(&f.relative).with_extension("").to_string_lossy().replace('\\', "/")
        } else {
            base
        };
        if taken.contains(&id) {
            // Same id from another ingested folder (two cohorts side by side): prefix the folder's name.
            let root_name = f.entry.root.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            id = format!("{root_name}/{id}");
            let mut k = 2;
            let base = id.clone();
            while taken.contains(&id) {
                id = format!("{base}~{k}");
                k += 1;
            }
        }
        taken.insert(id.clone());
        f.entry.id = id;
    }
}

/// Cuts every answer longer than `max_bytes` to that length (at a character boundary) and warns on the report.
/// The word count stays that of the whole answer, as the course checker counts it. Returns what was cut, for the
/// ingest's own message.
fn cap_answers(report: &mut Report, max_bytes: usize) -> Vec<String> {
    let mut cuts = Vec::new();
    for a in &mut report.answers {
        if a.markdown.len() <= max_bytes {
            continue;
        }
        let mut end = max_bytes;
        while !a.markdown.is_char_boundary(end) {
            end -= 1;
        }
        let message = format!(
            "answer to question {} is {} KB, over the {} KB limit for an answer: only its first {} KB is indexed \
             (raise the limit with --max-answer-kb)",
            a.number.map_or_else(|| "?".to_string(), |n| n.to_string()),
            a.markdown.len().div_ceil(1000),
            max_bytes / 1000,
            max_bytes / 1000,
        );
        a.markdown.truncate(end);
        cuts.push((a.line, message));
    }
    for (line, message) in &cuts {
        report.warn(Some(*line), WarningKind::Structure, message.clone());
    }
    cuts.into_iter().map(|(line, message)| format!("line {line}: {message}")).collect()
}

/// One note per group number that more than one report of a cohort claims: both are ingested (neither is known to
/// be wrong), but staff should check which group is which.
fn shared_group_notes(reports: &polars::prelude::DataFrame) -> Vec<String> {
    match frames::shared_groups(reports) {
        Ok(shared) => shared
            .into_iter()
            .map(|(cohort, group, ids)| {
                format!(
                    "group {group} ({cohort}) is claimed by {} reports: {}; all are ingested: check the group numbers \
                     (or pass the course's list with --groups)",
                    ids.len(),
                    ids.join(", ")
                )
            })
            .collect(),
        Err(e) => vec![format!("could not check for reports claiming the same group: {e}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_text;

    #[test]
    fn long_answers_are_cut_at_a_character_boundary_with_a_warning() {
        let text = format!("### Question 1\n> Enter the group number\n> Answer:\n{}\n", "é".repeat(1000));
        let mut report = parse_text(Path::new("r.md"), &text).expect("a report");
        let words = report.answers[0].words;
        let cuts = cap_answers(&mut report, 1001);
        assert_eq!(cuts.len(), 1);
        assert!(cuts[0].starts_with("line 1: answer to question 1 is 2 KB, over the 1 KB limit"), "{}", cuts[0]);
        assert_eq!(report.answers[0].markdown, "é".repeat(500), "cut before the character the cap splits");
        assert_eq!(report.answers[0].words, words, "the word count is the whole answer's");
        assert!(report.warnings.iter().any(|w| w.line == Some(1) && w.message.contains("--max-answer-kb")));
        assert!(cap_answers(&mut report, 1001).is_empty(), "a cut answer is within the cap");
    }
}
