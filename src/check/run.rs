//! `cohort check` as a library call: read every report (from folders or from the files an index lists), apply the
//! rules to each on all cores, and return the findings with what was checked.

use super::course_checker::{self, CheckerView};
use super::images::ReportFolder;
use super::summary::Checked;
use super::{check, constraint_set, CheckContext, Finding, Rule};
use crate::cohort_label::Labels;
use crate::corpus::{self, label, Ids, Input};
use crate::discover::{Limits, Problem};
use crate::domain::groups::row_for;
use crate::domain::template::{ChecklistGeneration, ConstraintSet, QuestionSet};
use crate::dupes::figures::{copied_figures, FigureMark, FigureSettings};
use crate::dupes::ReportMeta;
use crate::images::{report_figures, FigureState, ReportFigure};
use crate::ingest::IngestError;
use crate::store::StoreError;
use std::collections::HashMap;
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
        CheckOptions {
            input,
            limits: Limits::default(),
            groups: None,
            group: None,
            rules: Vec::new(),
            cohorts: Vec::new(),
        }
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
    #[error(transparent)]
    Cohort(#[from] crate::index::IndexError),
}

/// What a report keeps of its file for checking.
struct Kept {
    set: ConstraintSet,
    checker: CheckerView,
}

/// Reads the reports and checks every one.
pub fn check_all(opts: &CheckOptions) -> Result<CheckOutcome, CheckError> {
    let (rows, group_list_problems) = match &opts.groups {
        Some(path) => {
            let (rows, _, problems) = crate::ingest::read_groups(path)?;
            (Some(rows), problems)
        }
        None => (None, vec![]),
    };
    let labels = match &opts.input {
        Input::Paths(paths) => {
            crate::ingest::require_paths(paths)?;
            Labels::new(paths, &opts.cohorts)?
        }
        Input::Index(dir) => {
            // Read from an index, the reports already have their labels: `cohorts` picks among them.
            crate::index::Index::open(dir)?.check_cohorts(&opts.cohorts)?;
            Labels::default()
        }
    };
    let threads = crate::parallel::default_threads();
    let (mut loaded, problems) = corpus::load(&opts.input, opts.limits, threads, Ids::Distinct, |bytes, found| {
        let set = constraint_set(&found.report);
        Kept { set, checker: course_checker::view(bytes, set.checker()) }
    })?;
    label(&mut loaded, &labels);
    if matches!(opts.input, Input::Index(_)) && !opts.cohorts.is_empty() {
        loaded.retain(|l| l.cohort.as_ref().is_some_and(|c| opts.cohorts.contains(c)));
    }
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
        let ctx =
            CheckContext { id: &f.id, set: l.kept.set, checker: &l.kept.checker, images: &images, group_row: row };
        let found: Vec<Finding> = check(&f.report, &ctx)
            .into_iter()
            .filter(|x| opts.rules.is_empty() || opts.rules.contains(&x.rule))
            .collect();
        Some((Checked { id: f.id.clone(), group, cohort: l.cohort() }, found))
    });
    let wants_figures = opts.rules.is_empty() || opts.rules.contains(&Rule::CopiedFigure);
    let figures = match &opts.input {
        _ if !wants_figures => Vec::new(),
        Input::Index(dir) => {
            let position: HashMap<&str, usize> =
                loaded.iter().enumerate().map(|(i, l)| (l.found.id.as_str(), i)).collect();
            crate::index::Index::open(dir)?
                .figures()?
                .into_iter()
                .filter_map(|f| {
                    let report = *position.get(f.id.as_str())?;
                    Some(CheckedFigure { mark: f.mark(report), line: f.line as usize })
                })
                .collect()
        }
        Input::Paths(_) => {
            let per_report = crate::parallel::map_in_order(&loaded, |l| {
                let f = &l.found;
                let folder = f.root.join(&f.relative).parent().map(PathBuf::from).unwrap_or_else(|| f.root.clone());
                report_figures(&f.report, &folder)
            });
            per_report.iter().enumerate().flat_map(|(i, figures)| checked_figures(i, figures)).collect()
        }
    };
    let mut copied = copied_figure_findings(&loaded, &per_report, &figures);
    let mut outcome = CheckOutcome { problems, ..Default::default() };
    outcome.problems.extend(group_list_problems);
    outcome.read = loaded
        .iter()
        .map(|l| ReportRead {
            id: l.found.id.clone(),
            questions: l.found.report.questions,
            generation: l.found.report.generation,
            set: l.kept.set,
        })
        .collect();
    for (i, checked) in per_report.into_iter().enumerate() {
        let Some((c, mut found)) = checked else { continue };
        if let Some(more) = copied.remove(&i) {
            found.extend(more);
            found.sort_by_key(|f| (f.line.unwrap_or(0), f.rule));
        }
        outcome.checked.push(c);
        outcome.findings.extend(found);
    }
    if let Input::Index(dir) = &opts.input {
        let checked: Vec<(String, Option<u32>)> = outcome.checked.iter().map(|c| (c.id.clone(), c.group)).collect();
        for f in repository_findings(dir, &checked)? {
            if opts.rules.is_empty() || opts.rules.contains(&f.rule) {
                outcome.findings.push(f);
            }
        }
    }
    Ok(outcome)
}

/// A figure of a report checked, with the line the report shows it on.
struct CheckedFigure {
    mark: FigureMark,
    line: usize,
}

/// The figures read from a report's folder (one per path) with their first line.
fn checked_figures(report: usize, figures: &[ReportFigure]) -> Vec<CheckedFigure> {
    let mut out: Vec<CheckedFigure> = Vec::new();
    for f in figures {
        if let FigureState::Read { path, print } = &f.state {
            if !out.iter().any(|c| &c.mark.path == path) {
                let mark =
                    FigureMark { report, path: path.clone(), content: print.content.clone(), hashes: print.hashes };
                out.push(CheckedFigure { mark, line: f.line });
            }
        }
    }
    out
}

/// `copied-figure` findings, per report index: a figure that is also in the report of another group among those
/// checked (both reports get one, each naming the other's path). Reports outside the group filter are compared
/// too (a copy from them counts) but get no findings.
fn copied_figure_findings<K>(
    loaded: &[corpus::Loaded<K>],
    checked: &[Option<(Checked, Vec<Finding>)>],
    figures: &[CheckedFigure],
) -> HashMap<usize, Vec<Finding>> {
    let mut out: HashMap<usize, Vec<Finding>> = HashMap::new();
    if figures.is_empty() {
        return out;
    }
    let reports: Vec<ReportMeta> = loaded
        .iter()
        .map(|l| ReportMeta {
            id: l.found.id.clone(),
            cohort: l.cohort(),
            group: l.found.report.facts.group,
            students: l.found.report.facts.students.clone(),
            earlier: false,
        })
        .collect();
    let marks: Vec<FigureMark> = figures.iter().map(|f| f.mark.clone()).collect();
    for pair in copied_figures(&marks, &reports, &[], &FigureSettings::DEFAULT) {
        if pair.same_group {
            continue;
        }
        for (mine, other) in [(pair.a, pair.b), (pair.b, pair.a)] {
            let (m, o) = (&figures[mine], &figures[other]);
            let Some(Some((c, _))) = checked.get(m.mark.report) else { continue };
            let how = if pair.identical {
                "the same file".to_string()
            } else {
                format!("the same picture, pHash distance {}", pair.distance)
            };
            let other_report = &reports[o.mark.report];
            let whose = other_report
                .group
                .map_or_else(|| other_report.id.clone(), |g| format!("group {g} ({})", other_report.id));
            out.entry(m.mark.report).or_default().push(Finding {
                id: c.id.clone(),
                question: None,
                rule: Rule::CopiedFigure,
                message: format!("{} is also in the report of {whose} as {} ({how})", m.mark.path, o.mark.path),
                line: Some(m.line),
                item: None,
                group: c.group,
            });
        }
    }
    out
}

/// `unsupported-claim` and `tests-mismatch` findings from the verdicts `cohort ingest --repos` stored (none when it
/// did not run).
fn repository_findings(dir: &std::path::Path, checked: &[(String, Option<u32>)]) -> Result<Vec<Finding>, CheckError> {
    use crate::domain::template::{AnswerKey, ChecklistId};
    let index = crate::Index::open(dir)?;
    let Some(df) = crate::verify::frame::stored(&index)? else { return Ok(vec![]) };
    let text = |name: &str| df.column(name).and_then(|c| c.str().cloned());
    let (ids, items, verdicts, paths, branches) =
        match (text("id"), text("item"), text("verdict"), text("path"), text("branch")) {
            (Ok(a), Ok(b), Ok(c), Ok(d), Ok(e)) => (a, b, c, d, e),
            _ => return Ok(vec![]),
        };
    let flagged = df.column("flagged").ok().and_then(|c| c.bool().ok().cloned());
    let stated = df.column("stated").ok().and_then(|c| c.u32().ok().cloned());
    let counted = df.column("counted").ok().and_then(|c| c.u32().ok().cloned());
    let mut out = Vec::new();
    for i in 0..df.height() {
        if flagged.as_ref().and_then(|f| f.get(i)) != Some(true) {
            continue;
        }
        let (Some(id), Some(item), Some(verdict)) = (ids.get(i), items.get(i), verdicts.get(i)) else { continue };
        let Some((_, group)) = checked.iter().find(|(c, _)| c == id) else { continue };
        let finding = if item == "tests" {
            let (s, c) = (stated.as_ref().and_then(|x| x.get(i)), counted.as_ref().and_then(|x| x.get(i)));
            Finding {
                id: id.to_string(),
                question: Some(AnswerKey::Tests),
                rule: Rule::TestsMismatch,
                message: format!(
                    "states {} tests; the repository holds {} (cases, parametrize expanded)",
                    s.map_or("?".into(), |v| v.to_string()),
                    c.map_or("?".into(), |v| v.to_string())
                ),
                line: None,
                item: None,
                group: *group,
            }
        } else {
            let place = match (verdict, branches.get(i), paths.get(i)) {
                ("only-on-branch", Some(b), _) => format!(": only on unmerged branch {b}"),
                ("partial", _, Some(p)) => format!(": only partial evidence ({p})"),
                _ => ": no evidence in the repository at the deadline".to_string(),
            };
            Finding {
                id: id.to_string(),
                question: None,
                rule: Rule::UnsupportedClaim,
                message: format!("{item} is ticked{place}"),
                line: None,
                item: ChecklistId::from_name(item),
                group: *group,
            }
        };
        out.push(finding);
    }
    Ok(out)
}
