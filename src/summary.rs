//! The JSON object of one report: the machine-readable contract of `cohort parse --json` and
//! `cohort reports --json` (shared/design/INTERFACE.md). Field names here do not change without a changelog entry.

use crate::domain::{CreditsSpent, FactProvenance, Report};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map that keeps its insertion order (template order) when serialised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One answer in the summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AnswerSummary {
    pub number: Option<u32>,
    pub words: usize,
    pub images: usize,
    pub answered: bool,
}

/// One report in the summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportSummary {
    pub id: String,
    pub path: String,
    pub cohort: String,
    pub template: &'static str,
    pub checklist_generation: &'static str,
    pub group: Option<u32>,
    pub students: Vec<String>,
    pub tests: Option<u32>,
    pub coverage: Option<f64>,
    pub credits: Option<CreditsSpent>,
    pub most_expensive_service: Option<String>,
    pub ticks: OrderedMap<bool>,
    pub answers: OrderedMap<AnswerSummary>,
    pub warnings: Vec<String>,
    /// The state of every box in `ticks`: `done`, `not-done`, `partial` or `unclear` (`ticks` is true only for
    /// `done`).
    pub tick_states: OrderedMap<&'static str>,
    /// Where each fact with a value was read: question, rule, line, sentence and number as written, parts.
    pub provenance: FactProvenance,
}

/// Builds the summary of a report. `path` is the file relative to the folder that was given.
pub fn summarise(id: &str, path: &str, cohort: &str, report: &Report) -> ReportSummary {
    let mut ticks: Vec<(String, bool)> = Vec::new();
    let mut tick_states: Vec<(String, &'static str)> = Vec::new();
    for item in &report.checklist {
        if let Some(id) = item.id {
            if !ticks.iter().any(|(k, _)| k == id.as_str()) {
                ticks.push((id.as_str().to_string(), item.done));
                tick_states.push((id.as_str().to_string(), item.state.as_str()));
            }
        }
    }
    let mut answers: Vec<(String, AnswerSummary)> = Vec::new();
    for a in &report.answers {
        if let Some(key) = a.key {
            if !answers.iter().any(|(k, _)| k == key.as_str()) {
                answers.push((
                    key.as_str().to_string(),
                    AnswerSummary { number: a.number, words: a.words, images: a.images.len(), answered: a.answered },
                ));
            }
        }
    }
    let f = &report.facts;
    ReportSummary {
        id: id.to_string(),
        path: path.to_string(),
        cohort: cohort.to_string(),
        template: report.questions.as_str(),
        checklist_generation: report.generation.as_str(),
        group: f.group,
        students: f.students.clone(),
        tests: f.tests,
        coverage: f.coverage,
        credits: f.credits,
        most_expensive_service: f.most_expensive_service.clone(),
        ticks: OrderedMap(ticks),
        answers: OrderedMap(answers),
        warnings: report.warnings.iter().map(ToString::to_string).collect(),
        tick_states: OrderedMap(tick_states),
        provenance: f.provenance.clone(),
    }
}
