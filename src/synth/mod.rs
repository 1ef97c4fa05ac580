//! Synthetic cohorts: deterministic, seeded exam reports with the ground truth of what each one states (question
//! set, checklist generation, ticks, answered questions, facts) and of the formatting quirks it carries. Tests
//! round-trip them through the parser, and the tools can be shown on them without touching personal data.
//!
//! Everything the reports say is data: prompts, checklist wordings and sentence pools are the consts below, and
//! the generator only chooses among them. None of it is copied from the course template or from real reports:
//! prompts are short paraphrases carrying the identifying phrases of [`template::QUESTIONS`], checklist texts carry
//! those of [`template::CHECKLIST`], and unit tests check that both are recognised.
//!
//! Answers follow what the group did (a hidden [`Truth::did`] profile drawn from per-item completion rates), so a
//! group that ticked "load test" talks about locust, and one that did not says it did not load test.

use crate::domain::model::{CreditUnit, CreditsSpent, Facts};
use crate::domain::template::{
    self, checklist_item, checklist_of, constraint, constraint_set_for, questions_of, template_number, AnswerKey,
    ChecklistGeneration, ChecklistId, ConstraintSet, QuestionSet, Week, WordRange,
};
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;
use std::str::FromStr;

use AnswerKey as K;
use ChecklistId as C;

mod answers;
mod builder;
pub mod figures;
mod pools;
mod profile;
mod render;
mod rng;
mod template_text;

use builder::*;
use pools::*;
use profile::*;
pub use rng::Rng;
use rng::*;
use template_text::*;

/// What cohort to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortSpec {
    pub seed: u64,
    pub reports: usize,
    /// One course year for every report, or `None` for a mix of all years.
    pub cohort: Option<Cohort>,
    /// Give each report a random few formatting quirks (see [`Quirk`]); without them reports follow the template.
    pub quirks: bool,
}

impl Default for CohortSpec {
    /// A course year's worth of groups (about a hundred), all years mixed, quirks on: what staff really get.
    fn default() -> Self {
        CohortSpec { seed: 0, reports: 100, cohort: None, quirks: true }
    }
}

crate::string_enum! {
    /// A course year, as far as the template tells them apart. The names are the labels
    /// [`crate::domain::Report::inferred_cohort`] gives such reports.
    pub Cohort {
        /// 27 questions; a CL-2023 checklist or none (the January 2023 templates had none).
        Y2023_24 = "2023-24",
        /// 31 questions, CL-2025 checklist.
        Y2025 = "2025",
        /// 31 questions, CL-2026 checklist, the reworded package question.
        Y2026 = "2026",
    }
}

impl Cohort {
    pub fn questions(self) -> QuestionSet {
        match self {
            Cohort::Y2023_24 => QuestionSet::Q27,
            Cohort::Y2025 | Cohort::Y2026 => QuestionSet::Q31,
        }
    }
}

impl FromStr for Cohort {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "2023" | "2024" | "2023-24" | "2023-2024" => Ok(Cohort::Y2023_24),
            "2025" => Ok(Cohort::Y2025),
            "2026" => Ok(Cohort::Y2026),
            other => Err(format!("unknown cohort {other:?}: expected 2023, 2024, 2025 or 2026")),
        }
    }
}

/// One generated report.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticReport {
    /// Folder name, e.g. `group_07`; [`write_cohort`] writes `<id>/reports/README.md`.
    pub id: String,
    /// The file's exact content (BOM, CRLF and mojibake included when the quirks say so).
    pub markdown: String,
    /// Image files the answers reference, relative to the `reports` folder (`figures/x.png`).
    pub figures: Vec<String>,
    pub truth: Truth,
}

/// What a correct parser reads from the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    pub cohort: Cohort,
    pub questions: QuestionSet,
    pub generation: ChecklistGeneration,
    /// The checklist as the report shows it, in its order.
    pub ticks: Vec<(ChecklistId, bool)>,
    /// What the group did, whether or not its checklist shows the item; the answers agree with it.
    pub did: Vec<ChecklistId>,
    /// Template questions present with an answer, in report order (an added extra question is not listed).
    pub answered: Vec<AnswerKey>,
    /// Template questions present with the placeholder kept.
    pub unanswered: Vec<AnswerKey>,
    /// Numbers stated in the answers; `None`/empty when not stated or the question is unanswered.
    pub facts: Facts,
    pub quirks: Vec<Quirk>,
}

/// A formatting oddity seen in real reports (FORMATS.md, CHECKLIST.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quirk {
    /// Jekyll front matter before the title.
    FrontMatter,
    /// CRLF line endings.
    Crlf,
    /// Tabs after the checklist bullets and in a code block of the configs answer.
    Tabs,
    /// UTF-8 byte-order mark.
    Bom,
    /// Ticks other than `* [x]` / `* [ ]`.
    TickStyle(TickStyle),
    /// Long checklist items wrapped onto an indented second line.
    WrappedItems,
    /// `## Week 1` instead of `### Week 1`.
    PromotedWeeks,
    /// Checklist items the group deleted.
    DroppedItems(Vec<ChecklistId>),
    /// The whole checklist deleted.
    DeletedChecklist,
    /// Answers kept inside the template's `--- ... ---` wrapper.
    DashWrapped,
    /// Answers between bare `---` lines.
    BareDashLines,
    /// Answers starting on the `> Answer:` line itself.
    AnswerOnMarkerLine,
    /// `<img>` for the architecture figure, a `<table>` of GCP services, `<br>` in the contributions.
    Html,
    DeletedQuestion(AnswerKey),
    /// The question's block pasted twice, unchanged.
    DuplicatedQuestion(AnswerKey),
    /// A question the template does not have, added at the end.
    ExtraQuestion,
    /// Questions numbered by position with one number skipped.
    RenumberedQuestions,
    /// An answer whose `—` and `’` were double-encoded (`â€”`, `â€™`).
    Mojibake(AnswerKey),
}

impl Quirk {
    /// Every quirk's name, for checking that a cohort exercises all of them.
    pub const NAMES: &'static [&'static str] = &[
        "front-matter",
        "crlf",
        "tabs",
        "bom",
        "tick-style",
        "wrapped-items",
        "promoted-weeks",
        "dropped-items",
        "deleted-checklist",
        "dash-wrapped",
        "bare-dash-lines",
        "answer-on-marker-line",
        "html",
        "deleted-question",
        "duplicated-question",
        "extra-question",
        "renumbered-questions",
        "mojibake",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Quirk::FrontMatter => "front-matter",
            Quirk::Crlf => "crlf",
            Quirk::Tabs => "tabs",
            Quirk::Bom => "bom",
            Quirk::TickStyle(_) => "tick-style",
            Quirk::WrappedItems => "wrapped-items",
            Quirk::PromotedWeeks => "promoted-weeks",
            Quirk::DroppedItems(_) => "dropped-items",
            Quirk::DeletedChecklist => "deleted-checklist",
            Quirk::DashWrapped => "dash-wrapped",
            Quirk::BareDashLines => "bare-dash-lines",
            Quirk::AnswerOnMarkerLine => "answer-on-marker-line",
            Quirk::Html => "html",
            Quirk::DeletedQuestion(_) => "deleted-question",
            Quirk::DuplicatedQuestion(_) => "duplicated-question",
            Quirk::ExtraQuestion => "extra-question",
            Quirk::RenumberedQuestions => "renumbered-questions",
            Quirk::Mojibake(_) => "mojibake",
        }
    }
}

/// How a checklist marks its boxes (the template's own `* [x]` is not a quirk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickStyle {
    /// `* [X]`
    UpperX,
    /// `- [x]`
    DashBullet,
    /// `* [✅]`
    CheckEmoji,
    /// `- ✅ item` / `- ❌ item`
    BareEmoji,
    /// `* [ok]`
    Ok,
    /// `* [ check ]`
    CheckWord,
}

impl TickStyle {
    pub const ALL: &'static [TickStyle] = &[
        TickStyle::UpperX,
        TickStyle::DashBullet,
        TickStyle::CheckEmoji,
        TickStyle::BareEmoji,
        TickStyle::Ok,
        TickStyle::CheckWord,
    ];

    /// Bullet and mark, separated by `sep` (a space, or a tab for the tab quirk).
    fn prefix(style: Option<TickStyle>, done: bool, sep: char) -> String {
        let (bullet, mark) = match (style, done) {
            (None, true) => ("*", "[x]"),
            (Some(TickStyle::UpperX), true) => ("*", "[X]"),
            (Some(TickStyle::DashBullet), true) => ("-", "[x]"),
            (Some(TickStyle::CheckEmoji), true) => ("*", "[✅]"),
            (Some(TickStyle::BareEmoji), true) => ("-", "✅"),
            (Some(TickStyle::BareEmoji), false) => ("-", "❌"),
            (Some(TickStyle::Ok), true) => ("*", "[ok]"),
            (Some(TickStyle::CheckWord), true) => ("*", "[ check ]"),
            (Some(TickStyle::DashBullet), false) => ("-", "[ ]"),
            (_, false) => ("*", "[ ]"),
        };
        format!("{bullet}{sep}{mark} ")
    }
}

/// Tool words staff search for, with the item that decides whether an answer mentions them: when the group did
/// the item, the answer to the key contains the word (case-insensitive); when it did not, the answer does not.
pub const TOOL_MENTIONS: &[(AnswerKey, ChecklistId, &str)] = &[
    (K::ApiTesting, C::LoadTest, "locust"),
    (K::Api, C::Fastapi, "fastapi"),
    (K::Api, C::OnnxBentoml, "onnx"),
    (K::Dvc, C::DataVersioning, "dvc"),
    (K::Tracking, C::Wandb, "wandb"),
    (K::Configs, C::Hydra, "hydra"),
    (K::Docker, C::Dockerfiles, "docker"),
    (K::Debugging, C::Profiling, "cprofile"),
    (K::CodeQuality, C::Pep8, "ruff"),
    (K::CloudTraining, C::CloudTraining, "vertex ai"),
    (K::Deploy, C::CloudDeploy, "cloud run"),
    (K::Monitoring, C::SystemMetrics, "prometheus"),
    (K::Extras, C::Frontend, "streamlit"),
];

/// A valid 1×1 transparent PNG (67 bytes), written for every figure an answer references.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Generates a cohort. The same spec always gives byte-identical reports.
pub fn generate(spec: &CohortSpec) -> Vec<SyntheticReport> {
    let mut rng = Rng::new(spec.seed);
    let groups = draw_group_numbers(&mut rng, spec.reports);
    let mut used_ids = BTreeSet::new();
    let mut out = Vec::with_capacity(groups.len());
    for (i, group) in groups.into_iter().enumerate() {
        let cohort = spec.cohort.unwrap_or_else(|| rng.pick(Cohort::ALL));
        let size = rng.range(3, 5);
        let students = draw_students(&mut rng, cohort, size, &mut used_ids);
        // Each report draws from its own stream, so changing one report's code path leaves the others alone.
        let report_rng = Rng::new(mix(spec.seed, i as u64 + 1));
        out.push(Builder::new(report_rng, cohort, group, students).build(spec.quirks));
    }
    out
}

/// Generates a cohort and writes it as `dir/<id>/reports/README.md` with the referenced figures beside it.
pub fn write_cohort(dir: &Path, spec: &CohortSpec) -> io::Result<Vec<SyntheticReport>> {
    let reports = generate(spec);
    for r in &reports {
        let reports_dir = dir.join(&r.id).join("reports");
        fs::create_dir_all(reports_dir.join("figures"))?;
        fs::write(reports_dir.join("README.md"), r.markdown.as_bytes())?;
        for figure in &r.figures {
            fs::write(reports_dir.join(figure), TINY_PNG)?;
        }
    }
    Ok(reports)
}

#[cfg(test)]
mod tests;
