//! Ingest: discover reports, parse what changed, and write a new index generation (tantivy + frames) that goes
//! live in one atomic step. Unchanged files are not parsed again (content hash); changed files are replaced;
//! files that vanished from an ingested folder are removed. Reports from folders not named in this ingest stay.

use crate::discover::{candidates, read_all, report_id, Limits, Problem, Read};
use crate::domain::groups::{attach, parse_group_list, row_for, GroupRow};
use crate::domain::{ExchangeRates, Report, WarningKind};
use crate::store::frames::{self, Frames, ReportRecord};
use crate::store::manifest::{Entry, Manifest, FORMAT};
use crate::store::text_index::{self, AnswerDoc};
use crate::store::{IndexDir, StoreError};
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
    /// Cohort label for every report of this ingest; else inferred from each report's template.
    pub cohort: Option<String>,
    /// The course's `group_info.csv`.
    pub groups: Option<PathBuf>,
    pub limits: Limits,
    /// Answers longer than this many bytes are cut to it in the index and frames (with a warning on the report):
    /// a pasted log or base64 image must not bloat every search and frame.
    pub max_answer_bytes: usize,
    pub rates: ExchangeRates,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

impl IngestOptions {
    pub fn new(index: impl Into<PathBuf>) -> Self {
        IngestOptions {
            index: index.into(),
            cohort: None,
            groups: None,
            limits: Limits::default(),
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            rates: ExchangeRates::default(),
            progress: false,
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
}

impl IngestOutcome {
    /// One line for people: what the ingest did to the index.
    pub fn summary(&self, index: &Path) -> String {
        if self.up_to_date {
            format!("index {} is up to date: {} reports unchanged", index.display(), self.unchanged)
        } else {
            format!(
                "index {}: {} added, {} changed, {} removed, {} unchanged; {} reports in the index",
                index.display(),
                self.added,
                self.changed,
                self.removed,
                self.unchanged,
                self.total
            )
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

pub(crate) fn read_groups(path: &Path) -> Result<(Vec<GroupRow>, String), IngestError> {
    let bytes = std::fs::read(path)
        .map_err(|source| IngestError::ReadGroupList { path: path.to_path_buf(), source })?;
    let text = String::from_utf8_lossy(&bytes);
    let rows = parse_group_list(&text)
        .map_err(|e| IngestError::GroupList { path: path.to_path_buf(), reason: e.to_string() })?;
    Ok((rows, blake3::hash(&bytes).to_hex().to_string()))
}

/// Ingests the reports under `paths` into the index.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<IngestOutcome, IngestError> {
    let dir = IndexDir::new(&opts.index);
    let _lock = dir.lock()?;
    let mut notes = Vec::new();
    let mut previous = dir.current()?;
    // A previous generation this version cannot build on (older format, damaged) is rebuilt from scratch; it
    // stays live until the new one is published.
    let old_manifest = match &previous {
        Some(g) => match Manifest::read(g) {
            Ok(m) => Some(m),
            Err(e) => {
                notes.push(format!("{}; building a new index from scratch", crate::error::chain(&e)));
                previous = None;
                None
            }
        },
        None => None,
    };
    let groups = match &opts.groups {
        Some(p) => Some(read_groups(p)?),
        None => None,
    };
    let groups_hash = groups.as_ref().map(|(_, h)| h.clone());
    let groups_changed = old_manifest.as_ref().is_some_and(|m| m.groups_hash != groups_hash);
    // Answers cut under another cap must be read again to be cut (or kept whole) under this one.
    let answer_cap = Some(opts.max_answer_bytes as u64);
    let cap_changed = old_manifest.as_ref().is_some_and(|m| m.max_answer_bytes != answer_cap);

    let roots: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let (cands, mut problems) = candidates(paths);
    let old_by_file: HashMap<PathBuf, &Entry> =
        old_manifest.iter().flat_map(|m| m.entries.iter()).map(|e| (e.file.clone(), e)).collect();

    // Which candidates need parsing: new files, changed bytes, a different cohort label or group list.
    let mut to_read = Vec::new();
    let mut kept: Vec<Entry> = Vec::new();
    for c in &cands {
        let file = absolute(&c.path);
        let unchanged = old_by_file.get(&file).and_then(|old| {
            // A file that grew past the size cap is read (and refused) as a changed one, not hashed whole here.
            if std::fs::metadata(&c.path).ok()?.len() > opts.limits.max_file_bytes {
                return None;
            }
            let bytes = std::fs::read(&c.path).ok()?;
            let same_hash = blake3::hash(&bytes).to_hex().to_string() == old.hash;
            let same_label = opts.cohort.as_ref().map_or(true, |l| *l == old.cohort);
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
                let cohort = opts.cohort.clone().unwrap_or_else(|| report.inferred_cohort().to_string());
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

    // Vanished: entries under a folder of this ingest whose file was not found now (or no longer a report).
    let seen_files: HashSet<PathBuf> = kept.iter().map(|e| e.file.clone()).chain(fresh.iter().map(|f| f.entry.file.clone())).collect();
    let mut removed_ids: HashSet<String> = HashSet::new();
    let mut others: Vec<Entry> = Vec::new();
    for e in old_manifest.iter().flat_map(|m| m.entries.iter()) {
        let under_this_ingest = roots.iter().any(|r| e.file.starts_with(r));
        if seen_files.contains(&e.file) {
            continue; // kept or re-read
        }
        if under_this_ingest {
            removed_ids.insert(e.id.clone());
        } else {
            others.push(e.clone());
        }
    }
    let changed_ids: HashSet<String> =
        fresh.iter().filter_map(|f| old_by_file.get(&f.entry.file).map(|e| e.id.clone())).collect();
    let outcome_changed = changed_ids.len();
    let added = fresh.len() - outcome_changed;

    if fresh.is_empty() && removed_ids.is_empty() && !groups_changed && previous.is_some() {
        return Ok(IngestOutcome {
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

    let generation = dir.new_generation()?;
    let gen_err = |e| StoreError::Polars { path: generation.dir.clone(), source: e };
    let drop_ids: HashSet<String> = removed_ids.iter().cloned().chain(changed_ids.iter().cloned()).collect();

    // Memory: holding every parsed report, its frame rows and tantivy's buffers at once passed 1.5 GB at 10,000
    // reports. So the text index is written first (its documents borrow the reports), then the frames are built a
    // chunk of reports at a time and each chunk's reports are dropped as soon as their rows are in the frames.
    let docs = fresh.iter().flat_map(|f| {
        f.report.answers.iter().filter(|a| a.answered).map(move |a| AnswerDoc {
            report_id: &f.entry.id,
            group: f.report.facts.group,
            cohort: &f.entry.cohort,
            question: a.key.map_or("extra", |k| k.as_str()),
            number: a.number,
            text: &a.markdown,
        })
    });
    let drop_list: Vec<String> = drop_ids.iter().cloned().collect();
    text_index::write(&generation.tantivy_dir(), previous.as_ref().map(|g| g.tantivy_dir()).as_deref(), &drop_list, docs)?;

    let fresh_entries: Vec<Entry> = fresh.iter().map(|f| f.entry.clone()).collect();
    let mut new_frames = match &previous {
        Some(prev) => {
            let old = frames::read_all(prev)?;
            Frames {
                reports: frames::without_ids(&old.reports, &drop_ids).map_err(gen_err)?,
                checklist: frames::without_ids(&old.checklist, &drop_ids).map_err(gen_err)?,
                answers: frames::without_ids(&old.answers, &drop_ids).map_err(gen_err)?,
            }
        }
        None => frames::build(&[], &opts.rates).map_err(gen_err)?,
    };
    let mut reports = fresh.into_iter();
    loop {
        let chunk: Vec<Fresh> = reports.by_ref().take(FRAME_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let summaries: Vec<String> = chunk
            .iter()
            .map(|f| serde_json::to_string(&summarise(&f.entry.id, &f.relative, &f.entry.cohort, &f.report)).unwrap_or_default())
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
        new_frames.append(&part).map_err(gen_err)?;
    }
    notes.extend(shared_group_notes(&new_frames.reports));
    frames::write(&generation, &mut new_frames)?;
    drop(new_frames);

    let mut entries: Vec<Entry> = others;
    entries.extend(kept.iter().cloned());
    entries.extend(fresh_entries);
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let manifest = Manifest {
        format: FORMAT,
        written_by: env!("CARGO_PKG_VERSION").into(),
        groups_hash,
        max_answer_bytes: answer_cap,
        entries,
    };
    manifest.write(&generation)?;
    dir.publish(&generation)?;

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
    })
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
