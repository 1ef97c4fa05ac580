//! Reading reports from disk: [`read_each`] is the one loader (all cores, results in order, a panic on one file
//! becomes a problem for that file) that `parse`, `ingest` (through [`crate::discover`]), `check` and `dupes` read
//! with; [`load`] reads a whole corpus for the commands that look at every report at once (`check`, `dupes`), from
//! folders or from the files an index was built from, and gives ids as [`crate::discover::assign_ids`] does.

use crate::discover::{assign_ids, candidates, parse_candidate, read_bytes, Candidate, Found, Limits, Problem, Read};
use crate::index::Index;
use crate::store::StoreError;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where the reports come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Report files, or folders searched for reports.
    Paths(Vec<PathBuf>),
    /// The files an index lists (read again from disk), with the ids and cohort labels the index gave them.
    Index(PathBuf),
}

/// A report read, with what the caller kept of its bytes.
#[derive(Debug)]
pub struct Loaded<T> {
    pub found: Found,
    /// The cohort label the index gave it (None when read from folders: then it is the report's own).
    pub cohort: Option<String>,
    pub kept: T,
}

impl<T> Loaded<T> {
    /// The report's cohort: as the index labelled it, else as its template says.
    pub fn cohort(&self) -> String {
        self.cohort.clone().unwrap_or_else(|| self.found.report.inferred_cohort().to_string())
    }
}

/// How ids are given to reports read from folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// As `parse` names them: the folder relative to its root (two reports in one folder: their files).
    PerRoot,
    /// The same, and reports from different roots that would share an id are named by their full paths (tables
    /// that count per id need them distinct).
    Distinct,
}

/// Reads every report of the input on `threads` threads, in the order found. `keep` takes what the caller needs
/// of each report's bytes and may slim the report down (the parsed report is large).
pub fn load<T: Send>(
    input: &Input,
    limits: Limits,
    threads: usize,
    ids: Ids,
    keep: impl Fn(&[u8], &mut Found) -> T + Sync,
) -> Result<(Vec<Loaded<T>>, Vec<Problem>), StoreError> {
    let mut problems = Vec::new();
    // (candidate, id and cohort from the index)
    let inputs: Vec<(Candidate, Option<(String, String)>)> = match input {
        Input::Index(dir) => Index::open(dir)?
            .manifest()?
            .entries
            .into_iter()
            .map(|e| (Candidate { path: e.file, root: e.root, explicit: true }, Some((e.id, e.cohort))))
            .collect(),
        Input::Paths(paths) => {
            let (cands, found_problems) = candidates(paths);
            problems = found_problems;
            cands.into_iter().map(|c| (c, None)).collect()
        }
    };
    let cands: Vec<Candidate> = inputs.iter().map(|(c, _)| c.clone()).collect();
    let results = read_each(&cands, limits, threads, keep, || {});
    let mut found: Vec<Found> = Vec::new();
    let mut rest: Vec<(Option<String>, Option<String>, T)> = Vec::new();
    for ((_, listed), result) in inputs.into_iter().zip(results) {
        match result {
            Outcome::Report(f, kept) => {
                let (id, cohort) = listed.unzip();
                found.push(*f);
                rest.push((id, cohort, kept));
            }
            Outcome::NotAReport => {}
            Outcome::Problem(p) if listed.is_some() => problems.push(Problem {
                path: p.path,
                reason: format!("{} (listed in the index; re-run `cohort ingest` if it moved)", p.reason),
            }),
            Outcome::Problem(p) => problems.push(p),
        }
    }
    // Ids depend on every report found (two reports in one folder are named by their files); an index keeps its own.
    assign_ids(&mut found);
    if ids == Ids::Distinct {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in &found {
            *seen.entry(f.id.clone()).or_default() += 1;
        }
        for (f, (listed_id, ..)) in found.iter_mut().zip(&rest) {
            if listed_id.is_none() && seen[&f.id] > 1 {
                f.id = f.root.join(&f.relative).with_extension("").to_string_lossy().replace('\\', "/");
            }
        }
    }
    let loaded = found
        .into_iter()
        .zip(rest)
        .map(|(mut found, (listed_id, cohort, kept))| {
            if let Some(id) = listed_id {
                found.id = id;
            }
            Loaded { found, cohort, kept }
        })
        .collect();
    Ok((loaded, problems))
}

/// What reading one candidate gave.
#[derive(Debug)]
pub enum Outcome<T> {
    /// A report, with what the caller kept of it.
    Report(Box<Found>, T),
    /// Markdown that is not a report (a project README, docs): skipped quietly.
    NotAReport,
    Problem(Problem),
}

/// Reads and parses candidates on `threads` threads; results keep the candidates' order, and `each` is called as
/// each one is done (a progress bar). `keep` takes what the caller needs of each report's bytes and may slim the
/// report down. A panic while reading one file (a bug) becomes a problem for that file, never a lost batch. Ids
/// are not given here ([`crate::discover::assign_ids`] gives them once all reports are read).
pub fn read_each<T: Send>(
    cands: &[Candidate],
    limits: Limits,
    threads: usize,
    keep: impl Fn(&[u8], &mut Found) -> T + Sync,
    each: impl Fn() + Sync,
) -> Vec<Outcome<T>> {
    crate::parallel::map_in_order_on(threads, cands, |c| {
        let outcome = load_one(c, limits, &keep);
        each();
        outcome
    })
}

/// Reads and parses one candidate; the bytes are only kept as long as `keep` needs them. A panic while reading one
/// file (a bug) becomes a problem for that file.
fn load_one<T>(c: &Candidate, limits: Limits, keep: &(impl Fn(&[u8], &mut Found) -> T + Sync)) -> Outcome<T> {
    let read = || match read_bytes(c, limits) {
        Err(p) => Outcome::Problem(p),
        Ok(bytes) => match parse_candidate(c, &bytes) {
            Read::Report(found) => {
                let mut found = *found;
                let kept = keep(&bytes, &mut found);
                Outcome::Report(Box::new(found), kept)
            }
            Read::NotAReport => Outcome::NotAReport,
            Read::Problem(p) => Outcome::Problem(p),
        },
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Outcome::Problem(Problem {
            path: c.path.clone(),
            reason: "internal error while reading this file (a bug in cohort: please report it)".into(),
        })
    })
}
