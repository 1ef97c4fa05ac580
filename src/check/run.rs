//! `cohort check` as a library call: read every report (from folders or from the files an index lists), apply the
//! rules to each on all cores, and return the findings with what was checked.

use super::course_checker::{self, CheckerView};
use super::images::ReportFolder;
use super::summary::Checked;
use super::{check, constraint_set, CheckContext, Finding, Rule};
use crate::cohort_label::Labels;
use crate::corpus::{self, label, Ids, Input};
use crate::discover::{Limits, Problem};
use crate::domain::groups::{row_for, GroupRow};
use crate::domain::template::{ChecklistGeneration, ConstraintSet, QuestionSet};
use crate::ingest::IngestError;
use crate::store::StoreError;
use std::path::PathBuf;

/// What to check, and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub input: Input,
    pub limits: Limits,
    /// The course's group list: group numbers and member counts are compared with it.
    pub groups: Option<PathBuf>,
    /// Only the report(s) of this group number.
    pub group: Option<u32>,
    /// Only these rules (all when empty).
    pub rules: Vec<Rule>,
    /// Cohort labels of the folders read (none, one for all, or one per folder; see [`crate::cohort_label`]).
    pub cohorts: Vec<String>,
}

impl CheckOptions {
    pub fn new(input: Input) -> Self {
        CheckOptions { input, limits: Limits::default(), groups: None, group: None, rules: Vec::new(), cohorts: Vec::new() }
    }
}

/// A report read for checking, as the listing of findings names it.
#[derive(Debug, Clone)]
pub struct ReportRead {
    pub id: String,
    pub questions: QuestionSet,
    pub generation: ChecklistGeneration,
    /// The constraint set its template generation gets (the course checker it is judged as).
    pub set: ConstraintSet,
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckOutcome {
    /// Every report read (whatever the group filter).
    pub read: Vec<ReportRead>,
    /// The reports checked (those of the group asked for, or all).
    pub checked: Vec<Checked>,
    /// Their findings, report by report in the order read, each report's by line.
    pub findings: Vec<Finding>,
    /// Files that could not be read, with the reason.
    pub problems: Vec<Problem>,
}

/// Why a check could not run at all (single bad files are [`CheckOutcome::problems`]).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Index(#[from] StoreError),
    #[error(transparent)]
    GroupList(#[from] IngestError),
    #[error(transparent)]
    Labels(#[from] crate::cohort_label::LabelCountError),
}

/// What a report keeps of its file for checking.
struct Kept {
    set: ConstraintSet,
    checker: CheckerView,
}

/// Reads the reports and checks every one.
pub fn check_all(opts: &CheckOptions) -> Result<CheckOutcome, CheckError> {
    let rows: Option<Vec<GroupRow>> = match &opts.groups {
        Some(path) => Some(crate::ingest::read_groups(path)?.0),
        None => None,
    };
    let labels = match &opts.input {
        Input::Paths(paths) => {
            crate::ingest::require_paths(paths)?;
            Labels::new(paths, &opts.cohorts)?
        }
        Input::Index(_) => Labels::default(),
    };
    let threads = crate::parallel::default_threads();
    let (mut loaded, problems) = corpus::load(&opts.input, opts.limits, threads, Ids::Distinct, |bytes, found| {
        let set = constraint_set(&found.report);
        Kept { set, checker: course_checker::view(bytes, set.checker()) }
    })?;
    label(&mut loaded, &labels);
    // Each report's findings, on all cores; the group filter needs the group the list gives.
    let per_report = crate::parallel::map_in_order(&loaded, |l| {
        let f = &l.found;
        let row = rows.as_deref().and_then(|rows| row_for(rows, &f.id, &f.report));
        let group = row.map(|r| r.group).or(f.report.facts.group);
        if opts.group.is_some_and(|g| Some(g) != group) {
            return None;
        }
        let folder = f.root.join(&f.relative).parent().map(PathBuf::from).unwrap_or_else(|| f.root.clone());
        let images = ReportFolder::new(folder);
        let ctx = CheckContext { id: &f.id, set: l.kept.set, checker: &l.kept.checker, images: &images, group_row: row };
        let found: Vec<Finding> = check(&f.report, &ctx)
            .into_iter()
            .filter(|x| opts.rules.is_empty() || opts.rules.contains(&x.rule))
            .collect();
        Some((Checked { id: f.id.clone(), group, cohort: l.cohort() }, found))
    });
    let mut outcome = CheckOutcome { problems, ..Default::default() };
    outcome.read = loaded
        .iter()
        .map(|l| ReportRead {
            id: l.found.id.clone(),
            questions: l.found.report.questions,
            generation: l.found.report.generation,
            set: l.kept.set,
        })
        .collect();
    for (c, found) in per_report.into_iter().flatten() {
        outcome.checked.push(c);
        outcome.findings.extend(found);
    }
    Ok(outcome)
}
