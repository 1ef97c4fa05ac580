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

use super::model::{CreditUnit, CreditsSpent, Facts};
use super::template::{
    self, checklist_item, checklist_of, constraint, constraint_set_for, questions_of, template_number, AnswerKey,
    ChecklistGeneration, ChecklistId, ConstraintSet, QuestionSet, Week, WordRange,
};
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::Path;
use std::str::FromStr;

use AnswerKey as K;
use ChecklistId as C;

// ---------------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------------

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

/// A course year, as far as the template tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cohort {
    /// 27 questions; a CL-2023 checklist or none (the January 2023 templates had none).
    Y2023_24,
    /// 31 questions, CL-2025 checklist.
    Y2025,
    /// 31 questions, CL-2026 checklist, the reworded package question.
    Y2026,
}

impl Cohort {
    pub const ALL: &'static [Cohort] = &[Cohort::Y2023_24, Cohort::Y2025, Cohort::Y2026];

    /// The label [`crate::domain::Report::inferred_cohort`] gives such a report.
    pub fn as_str(self) -> &'static str {
        match self {
            Cohort::Y2023_24 => "2023-24",
            Cohort::Y2025 => "2025",
            Cohort::Y2026 => "2026",
        }
    }

    pub fn questions(self) -> QuestionSet {
        match self {
            Cohort::Y2023_24 => QuestionSet::Q27,
            Cohort::Y2025 | Cohort::Y2026 => QuestionSet::Q31,
        }
    }
}

impl fmt::Display for Cohort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

// ---------------------------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------------------------

/// SplitMix64: tiny, statistically sound, and with no dependency, so a seed gives the same cohort everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift: no modulo bias worth the name). `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A random element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Mixes a seed and a stream number into an independent seed.
fn mix(seed: u64, stream: u64) -> u64 {
    let mut r = Rng::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
    r.next_u64()
}

/// Distinct group numbers, ascending, from a range a little larger than the cohort (real courses have gaps).
fn draw_group_numbers(rng: &mut Rng, n: usize) -> Vec<u32> {
    let top = (n + n / 4 + 5).max(20) as u32;
    let mut all: Vec<u32> = (1..=top).collect();
    rng.shuffle(&mut all);
    let mut chosen: Vec<u32> = all.into_iter().take(n).collect();
    chosen.sort_unstable();
    chosen
}

/// Fake DTU study numbers `s2YNNNN`, the year digit roughly matching the cohort, unique across the cohort.
fn draw_students(rng: &mut Rng, cohort: Cohort, n: usize, used: &mut BTreeSet<String>) -> Vec<String> {
    let years: &[u32] = match cohort {
        Cohort::Y2023_24 => &[1, 2, 3],
        Cohort::Y2025 => &[2, 3, 4],
        Cohort::Y2026 => &[3, 4, 5],
    };
    let mut out = Vec::with_capacity(n);
    let mut misses = 0;
    while out.len() < n {
        // A huge cohort can exhaust the cohort's years, then every `s2` number: fall back to wider spaces (the
        // 8-digit numbers some other universities use) rather than loop forever.
        let id = match misses {
            0..=999 => format!("s2{}{:04}", rng.pick(years), rng.below(10_000)),
            1000..=1999 => format!("s2{:05}", rng.below(100_000)),
            _ => format!("{:08}", rng.below(100_000_000)),
        };
        if used.insert(id.clone()) {
            out.push(id);
        } else {
            misses += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// What groups did
// ---------------------------------------------------------------------------------------------------------------

/// How often groups complete each item: week-1 basics nearly always, week-3 items rarely.
#[rustfmt::skip]
const COMPLETION: &[(ChecklistId, f64)] = &[
    (C::GitRepo, 0.99), (C::WriteAccess, 0.97), (C::Environment, 0.93), (C::Cookiecutter, 0.9),
    (C::DataScript, 0.9), (C::ModelTrain, 0.95), (C::Requirements, 0.9), (C::Pep8, 0.8), (C::TypingDocs, 0.7),
    (C::DataVersioning, 0.7), (C::Cli, 0.6), (C::Dockerfiles, 0.85), (C::DockerBuild, 0.8), (C::ConfigFiles, 0.8),
    (C::Hydra, 0.6), (C::Profiling, 0.45), (C::Logging, 0.6), (C::Wandb, 0.75), (C::Sweep, 0.35),
    (C::Lightning, 0.4), (C::TestsData, 0.8), (C::TestsModel, 0.75), (C::Coverage, 0.65), (C::Ci, 0.85),
    (C::CiMatrixCaching, 0.45), (C::CiLinting, 0.55), (C::PreCommit, 0.45), (C::CmlDataTrigger, 0.12),
    (C::CmlRegistryTrigger, 0.1), (C::GcpBucket, 0.8), (C::BuildTrigger, 0.65), (C::CloudTraining, 0.55),
    (C::Fastapi, 0.8), (C::Torchserve, 0.1), (C::CloudDeploy, 0.6), (C::ApiTests, 0.5), (C::LoadTest, 0.35),
    (C::OnnxBentoml, 0.2), (C::Frontend, 0.4), (C::DriftRobustness, 0.3), (C::IoCollection, 0.2),
    (C::DriftApi, 0.15), (C::SystemMetrics, 0.3), (C::CloudMonitoring, 0.3), (C::Alerts, 0.15),
    (C::DistributedData, 0.15), (C::DistributedTraining, 0.1), (C::Quantization, 0.12), (C::DocsWrite, 0.35),
    (C::DocsPublish, 0.2), (C::Revisit, 0.6), (C::ArchitectureDiagram, 0.75), (C::Understanding, 0.85),
    (C::UploadCode, 0.9),
];

/// (item, prerequisite): nobody builds images without docker files. Prerequisites come first in chains, so one
/// pass settles them.
#[rustfmt::skip]
const REQUIRES: &[(ChecklistId, ChecklistId)] = &[
    (C::DockerBuild, C::Dockerfiles), (C::BuildTrigger, C::Dockerfiles), (C::Hydra, C::ConfigFiles),
    (C::Sweep, C::Wandb), (C::Coverage, C::TestsData), (C::CiMatrixCaching, C::Ci), (C::CiLinting, C::Ci),
    (C::CmlDataTrigger, C::Ci), (C::CmlRegistryTrigger, C::Ci), (C::CloudTraining, C::Dockerfiles),
    (C::CloudDeploy, C::Dockerfiles), (C::ApiTests, C::Fastapi), (C::LoadTest, C::Fastapi),
    (C::OnnxBentoml, C::Fastapi), (C::Frontend, C::Fastapi), (C::SystemMetrics, C::Fastapi),
    (C::CloudMonitoring, C::CloudDeploy), (C::Alerts, C::CloudMonitoring), (C::IoCollection, C::CloudDeploy),
    (C::DriftApi, C::DriftRobustness), (C::DocsPublish, C::DocsWrite),
];

/// What a group did, indexed by `ChecklistId as usize`.
#[derive(Debug, Clone)]
struct Profile(Vec<bool>);

impl Profile {
    fn draw(rng: &mut Rng) -> Profile {
        // A group's diligence bends every rate the same way, p^e: near-certain items stay near-certain while rare
        // ones spread out between groups. Only products and square roots, which IEEE rounds exactly, so the
        // profile is the same on every platform.
        let exponent = rng.below(5);
        let mut done = vec![false; ChecklistId::ALL.len()];
        for &(id, rate) in COMPLETION {
            let root = rate.sqrt();
            let p = match exponent {
                0 => rate * rate,
                1 => rate * root,
                2 => rate,
                3 => root * root.sqrt(),
                _ => root,
            };
            done[id as usize] = rng.chance(p);
        }
        for &(id, pre) in REQUIRES {
            if !done[pre as usize] {
                done[id as usize] = false;
            }
        }
        Profile(done)
    }

    fn did(&self, id: ChecklistId) -> bool {
        self.0[id as usize]
    }

    fn holds(&self, w: &When) -> bool {
        w.did.iter().all(|&id| self.did(id))
            && !w.not.iter().any(|&id| self.did(id))
            && (w.any.is_empty() || w.any.iter().any(|&id| self.did(id)))
    }

    fn done_ids(&self) -> Vec<ChecklistId> {
        ChecklistId::ALL.iter().copied().filter(|&id| self.did(id)).collect()
    }
}

/// When a block of sentences applies: every `did` item done, no `not` item done, and one of `any` (if given).
#[derive(Debug, Clone, Copy)]
struct When {
    did: &'static [ChecklistId],
    not: &'static [ChecklistId],
    any: &'static [ChecklistId],
}

const ALWAYS: When = When { did: &[], not: &[], any: &[] };

const fn did(ids: &'static [ChecklistId]) -> When {
    When { did: ids, not: &[], any: &[] }
}

const fn not(ids: &'static [ChecklistId]) -> When {
    When { did: &[], not: ids, any: &[] }
}

const fn did_not(did: &'static [ChecklistId], not: &'static [ChecklistId]) -> When {
    When { did, not, any: &[] }
}

const fn any(ids: &'static [ChecklistId]) -> When {
    When { did: &[], not: &[], any: ids }
}

// ---------------------------------------------------------------------------------------------------------------
// Template text in our own words
// ---------------------------------------------------------------------------------------------------------------

const TITLE: &str = "# Exam report: 02476 Machine Learning Operations";

const PREAMBLE: &str = "This file is the group's exam report. Replace each `--- question N fill here ---` marker \
with your answer and leave the headings alone, because the final hand-in is generated from this file. Images go in \
the `figures` folder (png or jpg) and are linked from the answer that needs them.";

const CHECKLIST_INTRO: &str = "The list covers everything in the curriculum, so nobody is expected to tick every \
box. Be honest: the ticks are compared with the repositories.";

const CHECKLIST_INTRO_TAGS: &str = "The tag in parentheses names the module an item belongs to.";

const FRONT_MATTER: &str = "---\nlayout: default\nnav_exclude: true\n---\n\n";

/// Level-2 sections, in template order (each is one of [`template::SECTIONS`]).
const SECTION_TITLES: &[&str] = &[
    "Group information",
    "Coding environment",
    "Version control",
    "Running code and tracking experiments",
    "Working in the cloud",
    "Deployment",
    "Overall discussion of project",
];

/// The section a question stands in, from its template number.
fn section_of(set: QuestionSet, number: u32) -> usize {
    match (set, number) {
        (_, 0..=3) => 0,
        (_, 4..=6) => 1,
        (_, 7..=11) => 2,
        (_, 12..=16) => 3,
        (QuestionSet::Q27, 17..=24) | (QuestionSet::Q31, 17..=22) => 4,
        (QuestionSet::Q31, 23..=26) => 5,
        _ => 6,
    }
}

/// Our wording of each prompt (31-question template; 2023-24 and 2026 differences below).
#[rustfmt::skip]
const PROMPTS: &[(AnswerKey, &str)] = &[
    (K::Group, "Enter the group number you signed up with on the course page."),
    (K::Students, "Enter the study number of each member of the group."),
    (K::Packages, "Which third-party framework did you choose to work with, and did it help you complete the project?"),
    (K::Dependencies, "How did you manage dependencies in your project? Describe what a new team member must do to get an exact copy of your environment."),
    (K::Structure, "We expect you started from the cookiecutter template. Describe the overall structure of your code: what did you fill out, and did you deviate from the template?"),
    (K::CodeQuality, "Did you implement rules for code quality and format? What about typing and documentation? Explain in your own words why these matter in larger projects."),
    (K::Tests, "How many tests did you implement, and what are they testing in your code?"),
    (K::Coverage, "What is the total code coverage (in percent) of your code? If it were 100%, would you trust the code to be free of errors? Explain why."),
    (K::Branches, "Did your workflow include branches and pull requests? Explain how, or how they could improve your version control."),
    (K::Dvc, "Did you use DVC for managing data in your project? If so, how did version control of your data help? If not, when would it be useful?"),
    (K::Ci, "Describe your continuous integration setup. What does it run (unit tests, linting, ...), on which operating systems and Python versions, and do you use caching? Feel free to link a workflow."),
    (K::Configs, "How did you configure experiments? Did you use config files? Show how you would run an experiment."),
    (K::Reproducibility, "Reproducibility of experiments matters. How did you make sure that no information is lost when running experiments and that they can be reproduced?"),
    (K::Tracking, "Include 1 to 3 screenshots of the experiments that you have done in W&B or another experiment tracking service, and explain which metrics you track and why."),
    (K::Docker, "Docker is a key tool for containerized applications. Explain how you used docker in your project, how you run your images, and link one of your docker files."),
    (K::Debugging, "How did you do debugging when running into bugs in your experiments? Did you try profiling your code?"),
    (K::GcpServices, "List all the GCP services that you made use of in your project and briefly explain what each one does."),
    (K::ComputeEngine, "Compute Engine is the backbone of GCP. How did you use it, and what type of VMs did you run?"),
    (K::Bucket, "Insert one or two images of your GCP bucket, so we can see the data you stored in it."),
    (K::Registry, "Upload one or two images of your artifact registry showing the docker images you stored."),
    (K::BuildHistory, "Upload one or two images of your cloud build history, showing the images that have been built."),
    (K::CloudTraining, "Did you manage to train your model in the cloud using Compute Engine or Vertex AI? Explain how you did it, or why you could not."),
    (K::Api, "Did you manage to write an API for your model? Explain how, and whether you did anything special."),
    (K::Deploy, "Did you manage to deploy your API, locally or in the cloud? Describe how, and how one invokes the deployed service."),
    (K::ApiTesting, "Did you do unit testing and load testing of your API? Explain how, and what the load test showed."),
    (K::Monitoring, "Did you manage to implement monitoring of your deployed model? Explain how it works, or how monitoring would help the lifetime of your application."),
    (K::Credits, "How many credits did you spend during the project, and which service was the most expensive? What do you think of working in the cloud?"),
    (K::Extras, "Did you implement anything extra that is not covered by other questions? If so, explain what you did and why."),
    (K::Architecture, "Include a figure of the overall architecture of your system and the services you use, and explain the steps of the figure in your own words."),
    (K::Struggles, "Discuss the overall struggles of the project. Where did you spend most time, and what did you do to overcome these challenges?"),
    (K::Contributions, "State the individual contributions of each team member, and whether and how you used generative AI tools in the project."),
];

/// Where the 27-question template asked differently.
#[rustfmt::skip]
const PROMPTS_2023: &[(AnswerKey, &str)] = &[
    (K::CodeQuality, "Did you implement any rules for code quality and format? Explain why such rules matter in larger projects."),
    (K::Registry, "Upload one image of your container registry showing the docker images you stored."),
    (K::BuildHistory, "Upload one image of your cloud build history, showing the images that have been built."),
    (K::Deploy, "Did you manage to deploy your model, either locally or in the cloud? Describe how one invokes the deployed service."),
    (K::Credits, "How many credits did you end up using, and which service was the most expensive?"),
    (K::Contributions, "State the individual contributions of each team member."),
];

/// The 2026 template made the package question optional and reworded it.
const PROMPTS_2026: &[(AnswerKey, &str)] = &[(
    K::Packages,
    "Did you end up using any open-source frameworks/packages not covered in the course? Which ones, and did they help?",
)];

/// A question no template has (a group's own addition).
const EXTRA_PROMPT: &str = "What would you like to tell the teachers about your experience of the course?";

const EXTRA_ANSWER: &[&str] = &[
    "We enjoyed the course a lot, even if the workload in the last week was heavy.",
    "The exercises were well prepared and most of them transferred directly to our project.",
    "It would have helped to get the cloud credits a little earlier in the course.",
    "Working on a real pipeline instead of a single notebook changed how we think about machine learning code.",
    "The teaching assistants were quick to help whenever we got stuck.",
];

fn prompt(cohort: Cohort, key: AnswerKey) -> &'static str {
    let lookup = |table: &[(AnswerKey, &'static str)]| table.iter().find(|(k, _)| *k == key).map(|(_, p)| *p);
    let special = match cohort {
        Cohort::Y2023_24 => lookup(PROMPTS_2023),
        Cohort::Y2026 => lookup(PROMPTS_2026),
        Cohort::Y2025 => None,
    };
    special.or_else(|| lookup(PROMPTS)).unwrap_or("")
}

/// Our wording of every checklist item, as CL-2025/2026 lists them (without the module tag, added from
/// [`template::CHECKLIST`]).
#[rustfmt::skip]
const ITEM_TEXT: &[(ChecklistId, &str)] = &[
    (C::GitRepo, "Create a git repository for the project"),
    (C::WriteAccess, "Make sure every team member has write access to the GitHub repository"),
    (C::Environment, "Create a dedicated environment for the project to keep track of your packages"),
    (C::Cookiecutter, "Create the initial file structure with cookiecutter and a fitting template"),
    (C::DataScript, "Fill out `data.py` so that it downloads the data you need and preprocesses it, if necessary"),
    (C::ModelTrain, "Add a model to `model.py` and a training procedure to `train.py`, and get it running"),
    (C::Requirements, "Keep the `requirements.txt` and `requirements_dev.txt` files up to date with the dependencies you use"),
    (C::Pep8, "Follow good coding practices (`pep8`) throughout the project"),
    (C::TypingDocs, "Add some code typing and document the essential parts of your code"),
    (C::DataVersioning, "Set up version control for your data or part of it"),
    (C::Cli, "Add command line interfaces and project commands to your code where it makes sense"),
    (C::Dockerfiles, "Write one or more docker files for your code"),
    (C::DockerBuild, "Build the docker files locally and check that they work as intended"),
    (C::ConfigFiles, "Write one or more configuration files for your experiments"),
    (C::Hydra, "Use Hydra to load the configurations and manage your hyperparameters"),
    (C::Profiling, "Profile your code to find and fix the slow parts"),
    (C::Logging, "Use logging to log important events in your code"),
    (C::Wandb, "Log training progress and other important metrics to Weights & Biases"),
    (C::Sweep, "Consider running a hyperparameter optimization sweep"),
    (C::Lightning, "Use PyTorch Lightning, if it fits, to cut down on boilerplate"),
    (C::TestsData, "Write unit tests for the data part of your code"),
    (C::TestsModel, "Write unit tests for model construction and/or model training"),
    (C::Coverage, "Calculate the code coverage"),
    (C::Ci, "Get continuous integration running on the GitHub repository"),
    (C::CiMatrixCaching, "Add caching and multi-os/python/pytorch testing to your continuous integration"),
    (C::CiLinting, "Add a linting step to your continuous integration"),
    (C::PreCommit, "Add pre-commit hooks to your version control setup"),
    (C::CmlDataTrigger, "Add a continuous workflow that triggers when data changes"),
    (C::CmlRegistryTrigger, "Add a continuous workflow that triggers when the model registry changes"),
    (C::GcpBucket, "Create a data storage in a GCP bucket and link it to your data version control setup"),
    (C::BuildTrigger, "Create a trigger workflow for automatically building your docker images"),
    (C::CloudTraining, "Get your model training in GCP with either Compute Engine or Vertex AI"),
    (C::Fastapi, "Create a FastAPI application that does inference with your model"),
    (C::Torchserve, "If it applies, try deploying the model locally with torchserve"),
    (C::CloudDeploy, "Deploy your model in GCP using either Functions or Run as the backend"),
    (C::ApiTests, "Write API tests for your application and run them in continuous integration"),
    (C::LoadTest, "Load test your application"),
    (C::OnnxBentoml, "Create a more specialised deployment API with ONNX and/or BentoML"),
    (C::Frontend, "Create a frontend for your API"),
    (C::DriftRobustness, "Check how robust your model is towards data drifting"),
    (C::IoCollection, "Set up collection of input-output data from your deployed application"),
    (C::DriftApi, "Deploy a drift detection API to the cloud"),
    (C::SystemMetrics, "Instrument your API with a couple of system metrics"),
    (C::CloudMonitoring, "Set up cloud monitoring of your instrumented application"),
    (C::Alerts, "Create one or more alert systems in GCP that warn you when your app misbehaves"),
    (C::DistributedData, "If it applies, speed up your data loading with distributed data loading"),
    (C::DistributedTraining, "If it applies, speed up your training pipeline with distributed training"),
    (C::Quantization, "Play around with quantization, compilation and pruning to speed up inference"),
    (C::DocsWrite, "Write documentation for your application"),
    (C::DocsPublish, "Publish the documentation to GitHub Pages"),
    (C::Revisit, "Revisit the initial project description: did the project turn out as you wanted?"),
    (C::ArchitectureDiagram, "Draw an architecture diagram of your MLOps pipeline"),
    (C::Understanding, "Make sure every member has an understanding of all parts of the project"),
    (C::UploadCode, "Upload all your code to GitHub"),
];

/// Where CL-2023 worded an item differently (its W&B item also suggests a sweep, which is still `wandb`).
#[rustfmt::skip]
const ITEM_TEXT_2023: &[(ChecklistId, &str)] = &[
    (C::Cookiecutter, "Create the initial file structure using cookiecutter"),
    (C::DataScript, "Fill out `make_dataset.py` so that it downloads whatever data you need"),
    (C::ModelTrain, "Add a model file and a training script and get them running"),
    (C::Requirements, "Remember to fill out the `requirements.txt` file with the dependencies you use"),
    (C::Profiling, "Once something works, profile it to see where the code can be optimised"),
    (C::Wandb, "Use Weights & Biases to log training progress and other important metrics/artifacts. Additionally, consider running a hyperparameter optimization sweep"),
    (C::Coverage, "Calculate the coverage."),
    (C::GcpBucket, "Create a data storage in a GCP bucket for your data, ideally linked with your data version control setup"),
    (C::SystemMetrics, "Set up monitoring of the system telemetry of your deployed model"),
    (C::CloudMonitoring, "Set up monitoring of the performance of your deployed model"),
    (C::DistributedData, "If it applies, play around with distributed data loading"),
    (C::DistributedTraining, "If it applies, play around with distributed model training"),
    (C::UploadCode, "Uploaded all your code to GitHub"),
];

/// The 2026 requirements item also names the uv files.
const ITEM_TEXT_2026: &[(ChecklistId, &str)] = &[(
    C::Requirements,
    "Keep `pyproject.toml`, `uv.lock` or the requirements files up to date with the dependencies you use",
)];

/// An item's text as a generation's list shows it, module tag included.
fn item_text(id: ChecklistId, generation: ChecklistGeneration) -> String {
    let lookup = |table: &[(ChecklistId, &'static str)]| table.iter().find(|(i, _)| *i == id).map(|(_, t)| *t);
    let special = match generation {
        ChecklistGeneration::Cl2023 => lookup(ITEM_TEXT_2023),
        ChecklistGeneration::Cl2026 => lookup(ITEM_TEXT_2026),
        _ => None,
    };
    let text = special.or_else(|| lookup(ITEM_TEXT)).unwrap_or("");
    match checklist_item(id).module {
        Some(tag) if template::generation_spec(generation).module_tags => format!("{text} ({tag})"),
        _ => text.to_string(),
    }
}

fn week_label(week: Week, generation: ChecklistGeneration) -> &'static str {
    match week {
        Week::Week1 => "Week 1",
        Week::Week2 => "Week 2",
        Week::Week3 => "Week 3",
        Week::Extra if generation == ChecklistGeneration::Cl2023 => "Additional",
        Week::Extra => "Extra",
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sentence pools
// ---------------------------------------------------------------------------------------------------------------

/// What a group worked on; fills the `{task}`, `{data}`, `{model}`, `{framework}` and `{pkg}` placeholders.
struct Theme {
    task: &'static str,
    data: &'static str,
    model: &'static str,
    framework: &'static str,
    pkg: &'static str,
}

#[rustfmt::skip]
const THEMES: &[Theme] = &[
    Theme { task: "classifying bird species from photos", data: "a public collection of bird photos", model: "an EfficientNet", framework: "timm", pkg: "bird_classifier" },
    Theme { task: "detecting the sentiment of product reviews", data: "an open set of product reviews", model: "a DistilBERT model", framework: "Hugging Face transformers", pkg: "review_sentiment" },
    Theme { task: "recognising spoken keywords", data: "a set of short voice recordings", model: "a small convolutional network on mel spectrograms", framework: "torchaudio", pkg: "keyword_spotting" },
    Theme { task: "predicting properties of molecules", data: "a public set of molecule graphs", model: "a graph convolutional network", framework: "PyTorch Geometric", pkg: "molecule_props" },
    Theme { task: "forecasting electricity demand", data: "hourly load data from the grid operator", model: "a temporal convolutional network", framework: "Darts", pkg: "load_forecast" },
    Theme { task: "segmenting roads in satellite images", data: "a public set of aerial image tiles", model: "a U-Net", framework: "segmentation-models-pytorch", pkg: "road_segmentation" },
];

const ENV_TOOLS: &[&str] = &["uv", "conda", "pip", "poetry"];

/// Sentences for one answer. A block with `lead > 0` holds alternatives saying the same thing: `lead` of them are
/// always used when the block applies, so the answer never leaves out a tool the group used (or the admission that
/// it did not). A block with `lead == 0` is filler drawn on until the answer reaches its length.
struct Lines {
    key: AnswerKey,
    when: When,
    lead: usize,
    sentences: &'static [&'static str],
}

const fn l(key: AnswerKey, when: When, lead: usize, sentences: &'static [&'static str]) -> Lines {
    Lines { key, when, lead, sentences }
}

#[rustfmt::skip]
const LINES: &[Lines] = &[
    // packages
    l(K::Packages, ALWAYS, 1, &[
        "We chose {framework} as our third-party package, since it is built for problems like {task}.",
        "The main package we added beyond the course was {framework}, which fits {task} well.",
    ]),
    l(K::Packages, ALWAYS, 0, &[
        "From {framework} we mostly used the pretrained weights and the ready-made data transforms.",
        "Starting from {model} meant we could spend our time on the pipeline rather than on the architecture.",
        "The package is well documented, so getting the first training run going took less than a day.",
        "On the downside, a few of its defaults clashed with our own configuration and took some digging to override.",
        "We pinned its version after an update renamed a function we relied on.",
        "Overall it helped a lot: without it we would have had to write and debug a large amount of model code ourselves.",
        "It also integrated nicely with the rest of our PyTorch code, so there was little glue code to maintain.",
        "We looked at a couple of alternatives first, but this package had the most active community and the clearest examples.",
    ]),
    // dependencies
    l(K::Dependencies, ALWAYS, 1, &[
        "We managed our dependencies with {env}, and every package we rely on is listed with a pinned version.",
        "Dependencies are handled with {env}, and the exact versions are written down in the repository.",
    ]),
    l(K::Dependencies, ALWAYS, 0, &[
        "A new team member clones the repository, installs {env} and runs a single install command to get an exact copy of the environment.",
        "Development-only tools such as the test runner and the linters live in a separate group of dependencies.",
        "Whenever someone added a package, they updated the pinned versions in the same pull request so that nobody ended up with a different setup.",
        "We also wrote the install steps in the README so that nobody had to remember them.",
        "Python itself is pinned to a single minor version, because one of our packages did not yet support the newest release.",
        "In the beginning we had a hand-written list of packages that quickly went out of date, which taught us to let the tool generate the pins.",
        "The same dependency files are used locally and in continuous integration, so the environments agree.",
        "Getting the GPU versions of the libraries right on the different laptops was the only part that needed manual work.",
    ]),
    // structure
    l(K::Structure, ALWAYS, 1, &[
        "We started from the course's cookiecutter template, which gave us the usual `src`, `tests`, `data`, `models` and `reports` folders.",
        "Our repository was created from the cookiecutter template of the course and we kept most of its layout.",
    ]),
    l(K::Structure, ALWAYS, 0, &[
        "Our package lives in `src/{pkg}`, with separate modules for the data, the model, training and evaluation.",
        "We filled out the data, model and training modules and added a module for serving predictions.",
        "We removed the notebooks folder because nobody used it.",
        "We added a `configs` folder for the experiment settings.",
        "Apart from that we kept to the template, because it made it easy for everyone to find things.",
        "The only real deviation is a `scripts` folder with a few helper scripts for downloading and inspecting the data.",
        "Raw and processed data are kept apart in `data/raw` and `data/processed`, and neither is committed to git.",
        "The tests mirror the package layout, so the tests for the data module sit in their own file.",
    ]),
    // code quality
    l(K::CodeQuality, did(&[C::Pep8]), 1, &[
        "We used ruff both as linter and formatter, with the line length raised to a more generous limit.",
        "Formatting and linting are handled by ruff, which we run before every commit.",
    ]),
    l(K::CodeQuality, not(&[C::Pep8]), 1, &[
        "We did not enforce any formatter or linter, and the style of the code varies a bit between files.",
        "Code style was left to each of us, which we regretted when reviewing each other's changes.",
    ]),
    l(K::CodeQuality, did(&[C::TypingDocs]), 1, &[
        "Most functions have type hints and a short docstring that says what goes in and what comes out.",
        "We added type hints to the public functions and checked them with mypy now and then.",
    ]),
    l(K::CodeQuality, not(&[C::TypingDocs]), 1, &[
        "We did not get far with typing, and only the main functions have docstrings.",
    ]),
    l(K::CodeQuality, ALWAYS, 0, &[
        "In a larger project these rules matter because many people read the same code, and a consistent style lets them focus on what the code does.",
        "Type hints work as documentation that cannot go stale, and they catch a surprising number of mistakes before the code even runs.",
        "Good documentation also lowers the cost of bringing a new person onto the project.",
        "Agreeing on the rules early saved us from long discussions about formatting in code review.",
    ]),
    // tests (the count is added by the generator; no numbers here)
    l(K::Tests, did(&[C::TestsData]), 1, &[
        "The data tests check that the processed dataset has the expected size, shapes and label range.",
        "For the data we test that loading and preprocessing give tensors of the right shape and type.",
    ]),
    l(K::Tests, did(&[C::TestsModel]), 1, &[
        "The model tests feed a random batch through the network and check the shape of the output.",
        "For the model we check the output shape and that a training step actually changes the weights.",
    ]),
    l(K::Tests, not(&[C::TestsData, C::TestsModel]), 1, &[
        "We did not get around to writing unit tests, so the code was only tested by running it.",
        "Unfortunately we never wrote proper unit tests; we relied on running the training script to see if things worked.",
    ]),
    l(K::Tests, any(&[C::TestsData, C::TestsModel]), 0, &[
        "We used pytest and kept the tests fast so they could run on every push.",
        "Tests that need the full dataset are skipped when the data is not available, for example in CI.",
        "Writing the tests exposed a bug in our preprocessing where the labels were misaligned.",
        "The tests live in the `tests` folder and mirror the modules they test.",
    ]),
    // coverage (the percentage is added by the generator)
    l(K::Coverage, did(&[C::Coverage]), 0, &[
        "The number comes from running pytest together with coverage.py on the source folder.",
        "The parts with the lowest coverage are the training loop and the command line entry points, which are awkward to test.",
        "Coverage was mostly useful to us as a map of which files nobody had written tests for yet.",
    ]),
    l(K::Coverage, not(&[C::Coverage]), 1, &[
        "We never set up a coverage report, so we cannot give a number.",
        "We did not measure the coverage of our tests.",
    ]),
    l(K::Coverage, ALWAYS, 0, &[
        "High coverage only tells us that lines were executed during the tests, not that the results were checked.",
        "Bugs can still hide in interactions between modules or in data we never thought to test with.",
        "We would still want integration tests and some manual checks before trusting the code in production.",
    ]),
    // branches
    l(K::Branches, ALWAYS, 1, &[
        "Every feature was developed on its own branch and merged into main through a pull request.",
        "We worked with feature branches and pull requests from the first week.",
    ]),
    l(K::Branches, ALWAYS, 0, &[
        "We protected the main branch so that a pull request needed an approving review and passing checks before it could be merged.",
        "Small fixes were sometimes pushed straight to main early on, which led to a couple of broken builds and made us stricter.",
        "Reviews were short but useful: they spread knowledge about the code and caught several mistakes.",
        "We named branches after the person and the feature, which made the history easy to follow.",
        "Merge conflicts were rare because we split the work by module.",
        "Pull requests also gave the continuous integration a natural place to run before anything reached main.",
        "Without branches, every half-finished change would have landed directly in the code everyone else was running.",
    ]),
    // dvc
    l(K::Dvc, did(&[C::DataVersioning, C::GcpBucket]), 1, &[
        "We used dvc to version the data, with a GCP bucket as the remote storage.",
        "Our data is tracked with dvc, so the repository only holds small pointer files while the data itself sits in cloud storage.",
    ]),
    l(K::Dvc, did_not(&[C::DataVersioning], &[C::GcpBucket]), 1, &[
        "We used dvc to version the data, with a shared Google Drive folder as the remote.",
    ]),
    l(K::Dvc, did(&[C::DataVersioning]), 0, &[
        "When we changed the preprocessing, dvc let us go back to the earlier version of the processed data to compare results.",
        "Pulling the data with dvc became the first step of both our training image and our CI workflow.",
    ]),
    l(K::Dvc, not(&[C::DataVersioning]), 1, &[
        "We did not put our data under version control, since the dataset never changed during the project.",
        "We kept a single copy of the dataset in a shared folder instead of versioning it.",
    ]),
    l(K::Dvc, ALWAYS, 0, &[
        "Version control of data is valuable when the data changes over time, because a model can then be traced back to exactly the data it was trained on.",
        "It also makes it possible to reproduce an old experiment months later.",
        "For a dataset that grows with new labels every week, versioning would be close to essential.",
    ]),
    // continuous integration
    l(K::Ci, did(&[C::Ci]), 1, &[
        "Our continuous integration runs on GitHub Actions, with separate workflows for the tests and for code checks.",
        "We use GitHub Actions to run the unit tests on every push and every pull request.",
    ]),
    l(K::Ci, did(&[C::Ci, C::CiMatrixCaching]), 1, &[
        "The test workflow runs on Ubuntu, macOS and Windows with several Python versions, and caches the installed packages to save time.",
    ]),
    l(K::Ci, did_not(&[C::Ci], &[C::CiMatrixCaching]), 1, &[
        "We only test on Ubuntu with a single Python version and have not set up caching.",
    ]),
    l(K::Ci, did(&[C::Ci, C::CiLinting]), 1, &[
        "A separate step runs the linter so that style problems are caught before review.",
    ]),
    l(K::Ci, did(&[C::Ci, C::PreCommit]), 1, &[
        "Locally, pre-commit hooks format the code and strip trailing whitespace before each commit.",
    ]),
    l(K::Ci, did(&[C::Ci]), 1, &[
        "An example run of our test workflow can be found [here]({repo}/actions/workflows/tests.yaml).",
        "Our main workflow is [tests.yaml]({repo}/blob/main/.github/workflows/tests.yaml).",
    ]),
    l(K::Ci, did(&[C::Ci, C::BuildTrigger]), 0, &[
        "Merging to main also triggers a build of our images in the cloud.",
    ]),
    l(K::Ci, not(&[C::Ci]), 1, &[
        "We did not get continuous integration working; tests were run by hand before merging.",
    ]),
    l(K::Ci, ALWAYS, 0, &[
        "Continuous integration gives confidence that a pull request does not break the existing code.",
        "The workflows took a few minutes each, which was fast enough that nobody tried to skip them.",
        "Most failures we saw were caused by missing data or secrets in the CI environment rather than by real bugs.",
    ]),
    // configs (a command line example is added by the generator)
    l(K::Configs, did(&[C::ConfigFiles, C::Hydra]), 1, &[
        "We used hydra with one config file per experiment, and any value can be overridden from the command line.",
        "Experiments are configured with hydra: a default config sets the hyperparameters and experiment files override only what differs.",
    ]),
    l(K::Configs, did_not(&[C::ConfigFiles], &[C::Hydra]), 1, &[
        "We kept the hyperparameters in a YAML config file that the training script reads with a small loader of our own.",
    ]),
    l(K::Configs, not(&[C::ConfigFiles]), 1, &[
        "We did not use config files; hyperparameters are passed as command line arguments to the training script.",
    ]),
    l(K::Configs, ALWAYS, 0, &[
        "This kept the hyperparameters out of the code, so a new experiment never required a code change.",
        "Every run stores a copy of its settings next to its outputs.",
    ]),
    // reproducibility
    l(K::Reproducibility, ALWAYS, 1, &[
        "Every run logs its full configuration, the git commit and the random seed, so we can always tell how a result was produced.",
        "We fixed the random seeds of Python, NumPy and PyTorch and saved the settings of every run.",
    ]),
    l(K::Reproducibility, ALWAYS, 0, &[
        "Trained models are saved together with the configuration that produced them.",
        "To reproduce an experiment, one checks out the commit, pulls the same data and runs the training with the stored settings.",
        "Running inside the same container image removed most differences between our machines.",
        "We noticed that results still varied slightly on the GPU, which we accepted rather than forcing deterministic kernels.",
        "Nothing is tuned by hand without being written down in a config file.",
    ]),
    l(K::Reproducibility, did(&[C::Wandb]), 0, &[
        "The experiment tracker keeps the metrics and artifacts of each run, so nothing lives only in someone's terminal.",
    ]),
    // experiment tracking (screenshots are added by the generator)
    l(K::Tracking, did(&[C::Wandb]), 1, &[
        "We tracked our experiments in Weights & Biases (wandb), logging the training and validation loss for every run.",
        "All training runs report to wandb, where we follow the loss curves live and compare runs side by side.",
    ]),
    l(K::Tracking, did(&[C::Wandb, C::Sweep]), 1, &[
        "We also ran a wandb sweep over the learning rate and batch size to see which settings mattered most.",
    ]),
    l(K::Tracking, not(&[C::Wandb]), 1, &[
        "We logged our metrics with TensorBoard instead of an online tracker, and the screenshots come from there.",
    ]),
    l(K::Tracking, ALWAYS, 0, &[
        "The training loss tells us whether the optimisation works at all, while the validation loss shows when the model starts to overfit.",
        "We track accuracy and the F1 score, since our classes are not balanced and accuracy alone is misleading.",
        "We also log a handful of example predictions every epoch, which made it easy to spot when the model confused similar classes.",
        "The learning rate is logged as well, because we used a scheduler and wanted to see its effect on the loss.",
        "Comparing runs in one place helped us agree on which model to deploy.",
        "Gradient norms were logged during the first experiments to check that training was stable.",
    ]),
    // docker
    l(K::Docker, did(&[C::Dockerfiles]), 1, &[
        "We wrote two docker images: one for training and one for serving the API.",
        "Docker is used for both training and inference, with a separate docker file for each.",
    ]),
    l(K::Docker, did(&[C::Dockerfiles]), 0, &[
        "To train, one runs `docker run --rm -v $(pwd)/data:/data trainer:latest`, which mounts the data folder into the container.",
        "The docker images start from a slim Python base image, and the dependency install step comes first so it is cached between builds.",
        "Our training docker file can be found [here]({repo}/blob/main/dockerfiles/train.dockerfile).",
    ]),
    l(K::Docker, did(&[C::Dockerfiles, C::DockerBuild]), 0, &[
        "We built and tried the docker images locally before letting the cloud build them.",
    ]),
    l(K::Docker, not(&[C::Dockerfiles]), 1, &[
        "We never containerised the project and ran everything directly in our Python environments.",
        "We did not get to containers, which in hindsight made moving training to the cloud harder.",
    ]),
    l(K::Docker, ALWAYS, 0, &[
        "Containers make the environment part of the deliverable, so the code runs the same way on a laptop and in the cloud.",
    ]),
    // debugging
    l(K::Debugging, did(&[C::Profiling]), 1, &[
        "We profiled the training loop with cProfile and looked at the results in snakeviz.",
        "Running cProfile on an epoch showed that most of the time went into loading and decoding the inputs.",
    ]),
    l(K::Debugging, did(&[C::Profiling]), 0, &[
        "Moving the decoding into the preprocessing step and adding workers to the data loader made an epoch roughly twice as fast.",
    ]),
    l(K::Debugging, not(&[C::Profiling]), 1, &[
        "We did not profile the code; training was fast enough for our dataset that it never became a bottleneck.",
    ]),
    l(K::Debugging, ALWAYS, 0, &[
        "Most bugs we met were found with the debugger in VS Code and a few well-placed breakpoints.",
        "When something went wrong in the cloud we reproduced it locally in the same container first.",
        "Shape mismatches were the most common error, and printing tensor shapes at each layer usually solved them.",
        "We do not think the code is perfect, but the obvious slow spots have been dealt with.",
        "Logging at debug level helped us follow what happened in runs we could not attach a debugger to.",
        "Pair debugging over a shared screen was often quicker than one person staring at the error alone.",
    ]),
    // GCP services (the list of services is added by the generator)
    l(K::GcpServices, ALWAYS, 0, &[
        "Most of them were set up through the web console first and scripted later.",
        "Keeping everything in one project made permissions simple.",
        "Service accounts with narrow roles connect the services to each other.",
    ]),
    // compute engine
    l(K::ComputeEngine, ALWAYS, 1, &[
        "We used Compute Engine mainly for training runs that were too slow on our laptops.",
        "Compute Engine gave us virtual machines for the experiments that did not fit on our own hardware.",
    ]),
    l(K::ComputeEngine, ALWAYS, 0, &[
        "Our VMs were of the e2-standard and n1-standard families, and for the longer runs we attached a single T4 GPU.",
        "We started the VMs from a deep learning image so that the GPU drivers and PyTorch were already installed.",
        "Instead of installing our code by hand, we started the training container directly on the VM.",
        "We learned to stop the VMs right after a run, since an idle GPU machine eats credits quickly.",
        "Getting GPU quota approved took a couple of days, so the first runs were on CPU only.",
        "Apart from training, we used a small VM to try out the API before deploying it properly.",
    ]),
    // screenshots
    l(K::Bucket, ALWAYS, 0, &[
        "The bucket holds the raw and processed data as well as the trained model files.",
        "Here is our bucket with the data folders and the saved models.",
    ]),
    l(K::Registry, ALWAYS, 0, &[
        "The registry holds the training and API images, tagged with the commit they were built from.",
    ]),
    l(K::BuildHistory, ALWAYS, 0, &[
        "Each entry is a build triggered by a push to main.",
    ]),
    // cloud training
    l(K::CloudTraining, did(&[C::CloudTraining]), 1, &[
        "Yes, we trained our model in the cloud with Vertex AI custom jobs that run our training image.",
        "We moved training to Vertex AI, submitting a custom job with a config file that points at our training container.",
    ]),
    l(K::CloudTraining, did(&[C::CloudTraining]), 0, &[
        "The job reads the data from our bucket and writes the trained model back to it.",
        "We chose this over a plain VM because the job shuts down by itself when training ends.",
    ]),
    l(K::CloudTraining, not(&[C::CloudTraining]), 1, &[
        "We did not manage to train in the cloud; our jobs kept failing on permissions, and the model trained quickly enough on a laptop anyway.",
    ]),
    l(K::CloudTraining, ALWAYS, 0, &[
        "The API keys for the experiment tracker were passed in as secrets rather than baked into the image.",
        "A full training run took well under an hour, so we could iterate several times a day.",
    ]),
    // api
    l(K::Api, did(&[C::Fastapi]), 1, &[
        "We wrote the API with FastAPI, with a prediction endpoint that takes an input and returns the predicted class and its probability.",
        "Our API is a small FastAPI app that loads the model once at startup and serves predictions.",
    ]),
    l(K::Api, did(&[C::Fastapi]), 0, &[
        "Input validation is done with pydantic models, so malformed requests are rejected with a clear error.",
        "A health endpoint lets the hosting platform check that the service is alive.",
    ]),
    l(K::Api, not(&[C::Fastapi]), 1, &[
        "We did not build a full API; the closest we got is a prediction script that loads the model and prints the result.",
    ]),
    l(K::Api, did(&[C::OnnxBentoml]), 1, &[
        "We also exported the model to ONNX and served it with BentoML, which cut the prediction time noticeably.",
    ]),
    l(K::Api, ALWAYS, 0, &[
        "The model checkpoint is downloaded when the service starts, so the image itself stays small.",
        "We kept the preprocessing in a shared module so the API and the training use exactly the same code.",
    ]),
    // deploy
    l(K::Deploy, did(&[C::CloudDeploy]), 1, &[
        "We deployed the API to Cloud Run, which runs our container and scales it down to zero when nobody uses it.",
        "The service runs on Cloud Run, and a new revision is rolled out whenever a new image lands in the registry.",
    ]),
    l(K::Deploy, did(&[C::CloudDeploy]), 0, &[
        "The service answers at https://{slug}-{hash}-ew.a.run.app and can be called with a POST request to its predict endpoint.",
    ]),
    l(K::Deploy, not(&[C::CloudDeploy]), 1, &[
        "We only deployed the API locally, running it with uvicorn on our own machines.",
        "Deployment never went beyond running the service locally.",
    ]),
    l(K::Deploy, ALWAYS, 0, &[
        "Locally the service starts with a single command, and the interactive docs page is handy for trying it out.",
        "Invoking the service is a single POST request with the input in the body.",
    ]),
    // api testing
    l(K::ApiTesting, did(&[C::ApiTests]), 1, &[
        "We wrote API tests with pytest and the FastAPI test client, and they run in our CI on every push.",
    ]),
    l(K::ApiTesting, not(&[C::ApiTests]), 1, &[
        "We did not write unit tests for the API itself.",
    ]),
    l(K::ApiTesting, did(&[C::LoadTest]), 1, &[
        "For load testing we used locust, ramping up the number of simulated users against the deployed service.",
        "We load tested the API with locust and watched the response times as the number of users grew.",
    ]),
    l(K::ApiTesting, did(&[C::LoadTest]), 1, &[
        "With {users} simulated users the median response time was {ms} ms, and requests only started failing at about {rps} requests per second.",
    ]),
    l(K::ApiTesting, not(&[C::LoadTest]), 1, &[
        "We did not load test the API; we would have simulated many users hitting the prediction endpoint and watched the latency and error rate.",
        "Load testing is something we did not get to, but it would tell us how many requests the service can take before it slows down.",
    ]),
    l(K::ApiTesting, ALWAYS, 0, &[
        "Testing the API separately from the model made it easy to see whether a failure came from the web layer or from the predictions.",
    ]),
    // monitoring
    l(K::Monitoring, did(&[C::SystemMetrics]), 1, &[
        "The API exposes prometheus metrics such as request counts, latency and errors on a metrics endpoint.",
    ]),
    l(K::Monitoring, did(&[C::CloudMonitoring]), 1, &[
        "In the cloud we use Cloud Monitoring dashboards to follow latency and error rates of the deployed service.",
    ]),
    l(K::Monitoring, did(&[C::Alerts]), 1, &[
        "An alert sends us an email when the error rate goes above a threshold.",
    ]),
    l(K::Monitoring, did(&[C::DriftRobustness]), 1, &[
        "We also checked for data drift with Evidently by comparing new inputs with the training data.",
    ]),
    l(K::Monitoring, not(&[C::SystemMetrics, C::CloudMonitoring]), 1, &[
        "We did not implement monitoring of the deployed model.",
    ]),
    l(K::Monitoring, ALWAYS, 0, &[
        "Monitoring matters because a model that worked at deployment can quietly get worse as the incoming data changes.",
        "Without it, the first sign of trouble would be an unhappy user rather than a graph.",
        "Tracking the latency over time would also tell us when to scale the service.",
    ]),
    // credits (the amount and the most expensive service are added by the generator; no numbers here)
    l(K::Credits, ALWAYS, 0, &[
        "Working in the cloud was useful but had a steep learning curve, mostly because of permissions and service accounts.",
        "Once things were set up, it was convenient to hand long jobs to the cloud and keep working locally.",
        "We found the web console easier to start with, and the command line tool better once we knew what we wanted.",
        "Keeping an eye on the billing page became a habit after a forgotten VM cost us more than expected.",
        "Overall the cloud felt powerful but easy to overspend on.",
    ]),
    // extras
    l(K::Extras, did(&[C::Frontend]), 1, &[
        "We built a small frontend in streamlit where a user can upload an input and see the prediction.",
    ]),
    l(K::Extras, did(&[C::Frontend]), 0, &[
        "It was a nice way to show the project to people outside the course.",
    ]),
    l(K::Extras, did(&[C::DocsWrite]), 1, &[
        "We wrote documentation with mkdocs covering installation, training and the API.",
    ]),
    l(K::Extras, did(&[C::DriftApi]), 1, &[
        "A separate drift detection service compares recent requests with the training data and reports the result.",
    ]),
    l(K::Extras, not(&[C::Frontend, C::DocsWrite, C::DriftApi]), 1, &[
        "We did not implement anything beyond what the other answers describe.",
    ]),
    // architecture (the figure and the pipeline steps are added by the generator)
    l(K::Architecture, ALWAYS, 0, &[
        "We drew the figure ourselves to get an overview of how the pieces connect.",
        "Arrows show the direction data and code move in.",
        "The left half covers development and the right half covers what runs in the cloud.",
        "Most of the components were added step by step during the course, so the figure also tells the story of the project.",
        "In a real product we would add a staging environment between the build and the deployment.",
        "The figure leaves out secrets management, which we handled with environment variables.",
    ]),
    // struggles
    l(K::Struggles, ALWAYS, 1, &[
        "The biggest struggle was the cloud: permissions, service accounts and quotas took far more time than the machine learning.",
        "Most of our time went into getting the different tools to work together rather than into the model itself.",
    ]),
    l(K::Struggles, ALWAYS, 0, &[
        "Getting the images to build in the cloud took several days, mostly because of differences between our machines and the build environment.",
        "Our first dataset turned out to be too noisy, so we switched datasets early on.",
        "Merge conflicts in the configuration files were a recurring annoyance until we split them up.",
        "We spent a lot of time waiting for builds and training jobs, which we eventually addressed by caching and by testing on small subsets.",
        "Keeping the secrets out of the repository while still making them available to CI and the cloud was harder than expected.",
        "Coordinating the whole group on one code base required more communication than any of us were used to.",
        "Whenever we were stuck for more than an hour, we asked the teaching assistants or searched the course's discussion forum.",
        "In hindsight we should have set up the full pipeline with a trivial model first and improved the model later.",
        "Debugging failures that only happened in CI was slow, because each attempt meant a new push and a few minutes of waiting.",
        "Version mismatches between packages broke our environment twice, which is what made us start pinning everything.",
        "Despite the struggles, seeing the whole pipeline run from a push to a deployed model was very satisfying.",
        "Splitting the work by module worked well, and short daily meetings kept everyone informed.",
    ]),
];

/// Filler any prose answer may use. No digits or number words, so it never blurs a stated fact.
const GENERIC: &[&str] = &[
    "This turned out to be among the more useful habits we picked up in the course.",
    "In hindsight we would have set this up earlier in the project.",
    "It took some trial and error, but once it worked we rarely had to touch it again.",
    "We documented the steps in our README so that the whole group could follow them.",
    "Overall we are happy with how this part of the project turned out.",
    "Most of this was set up early and refined later.",
    "Looking back, the time spent here paid for itself several times over.",
    "We discussed this as a group before deciding on the approach.",
    "There is still room for improvement here, but it served our needs for the project.",
    "This was new to most of us, so the course material was a big help.",
    "The main benefit was that everyone in the group worked in the same way.",
    "We kept the setup as simple as possible so that it was easy to maintain.",
    "A few things broke along the way, but the fixes were usually small.",
    "This also made it easier to review each other's work.",
    "If we were to start again, we would automate even more of this.",
    "It was not always smooth, but it taught us a lot about working as a team on shared code.",
    "We tried to follow the practices from the lectures as closely as time allowed.",
    "Small, frequent changes worked much better for us than large ones.",
    "The exercises from the course gave us a good starting point that we adapted to our project.",
    "Our teaching assistant gave us useful feedback on this halfway through.",
    "Getting this right early saved us from many confusing errors later.",
    "We wrote down what we learned so the next step went faster.",
    "It is not the most elegant solution, but it is robust and easy to understand.",
    "This part grew over time as we found out what we actually needed.",
    "We made sure that every member could run and change this part without help.",
];

/// Sentences with an em dash and a curly apostrophe, for the mojibake quirk.
const MOJIBAKE_SENTENCES: &[&str] = &[
    "The hardest part \u{2014} by some margin \u{2014} was the cloud setup, and we\u{2019}re still not sure we did it the intended way.",
    "It wasn\u{2019}t perfect \u{2014} far from it \u{2014} but it worked when it mattered.",
];

/// Answers the mojibake quirk may hit: prose without facts.
const MOJIBAKE_KEYS: &[AnswerKey] =
    &[K::Structure, K::Branches, K::Reproducibility, K::Debugging, K::Architecture, K::Struggles];

/// The pipeline as the architecture answer walks through it, in order.
#[rustfmt::skip]
const ARCHITECTURE_STEPS: &[(When, &str)] = &[
    (ALWAYS, "The diagram starts on our own machines, where we develop the code in the cookiecutter structure and manage packages with {env}."),
    (did(&[C::PreCommit]), "Before each commit, pre-commit hooks format and lint the code."),
    (did(&[C::Ci]), "A push to GitHub starts GitHub Actions, which runs the tests and the code checks."),
    (did(&[C::DataVersioning, C::GcpBucket]), "Data is versioned with dvc and stored in a Cloud Storage bucket."),
    (did_not(&[C::DataVersioning], &[C::GcpBucket]), "Data is versioned with dvc, with a shared drive as the remote."),
    (did_not(&[C::GcpBucket], &[C::DataVersioning]), "The data sits in a Cloud Storage bucket."),
    (did(&[C::BuildTrigger]), "Merging to main triggers Cloud Build, which builds our images and pushes them to the Artifact Registry."),
    (did(&[C::CloudTraining]), "Training runs as a Vertex AI job that pulls the data from the bucket and saves the model back."),
    (did(&[C::Wandb]), "Metrics from every run go to Weights & Biases."),
    (did(&[C::CloudDeploy]), "The API image is deployed on Cloud Run, where users send their requests."),
    (did_not(&[C::Fastapi], &[C::CloudDeploy]), "The API runs locally from the same image."),
    (did(&[C::Frontend]), "A streamlit frontend sits in front of the API."),
    (did(&[C::CloudMonitoring]), "Cloud Monitoring watches the service and raises alerts."),
];

/// GCP services a group lists: (when, name, what it did for them).
#[rustfmt::skip]
const SERVICES: &[(When, &str, &str)] = &[
    (ALWAYS, "Compute Engine", "virtual machines for training and experiments"),
    (did(&[C::GcpBucket]), "Cloud Storage", "a bucket for our data and trained models"),
    (did(&[C::BuildTrigger]), "Cloud Build", "builds our images from the repository"),
    (did(&[C::BuildTrigger]), "Artifact Registry", "stores the built images"),
    (did(&[C::CloudTraining]), "Vertex AI", "runs the training jobs"),
    (did(&[C::CloudDeploy]), "Cloud Run", "hosts the API"),
    (did(&[C::CloudMonitoring]), "Cloud Monitoring", "dashboards and alerts for the deployed service"),
];

const SERVICES_INTRO: &[&str] = &[
    "We used the following services:",
    "These are the GCP services we made use of:",
    "Our project relied on these services:",
];

/// The costliest service a group names, with why: (when, service, reason).
#[rustfmt::skip]
const EXPENSIVE: &[(When, &str, &str)] = &[
    (ALWAYS, "Compute Engine", "because we forgot to stop a VM over a weekend"),
    (did(&[C::CloudTraining]), "Vertex AI", "since every training job starts a GPU machine"),
    (did(&[C::CloudDeploy]), "Cloud Run", "because we kept an instance warm to avoid slow cold starts"),
    (did(&[C::GcpBucket]), "Cloud Storage", "because of the many copies of our data we kept around"),
];

const EXPENSIVE_FORMS: &[&str] = &[
    "The most expensive service was {svc}, {why}.",
    "{svc} was by far our most expensive service, {why}.",
    "Most of the money went to {svc}, {why}.",
];

/// Contribution tasks: (when, what someone did).
#[rustfmt::skip]
const TASKS: &[(When, &str)] = &[
    (ALWAYS, "set up the cookiecutter project and the repository"),
    (ALWAYS, "worked on the model and the training loop"),
    (ALWAYS, "handled data loading and preprocessing"),
    (ALWAYS, "wrote most of this report"),
    (did(&[C::Dockerfiles]), "wrote the docker files"),
    (did(&[C::Fastapi]), "built the API"),
    (did(&[C::CloudTraining]), "moved training to the cloud"),
    (did(&[C::Ci]), "set up the continuous integration"),
    (did(&[C::Wandb]), "set up experiment tracking"),
    (did(&[C::CloudDeploy]), "deployed the model"),
    (did(&[C::DataVersioning]), "set up data version control"),
    (any(&[C::TestsData, C::TestsModel]), "wrote the unit tests"),
    (did(&[C::SystemMetrics]), "added monitoring"),
];

const CONTRIBUTION_CLOSINGS: &[&str] = &[
    "All members contributed to the code and reviewed each other's pull requests.",
    "Everyone took part in debugging and in writing this report.",
    "We met most days and decided on the bigger design questions together.",
];

const AI_USE: &[&str] = &[
    "We used ChatGPT to help understand error messages and GitHub Copilot for some boilerplate code.",
    "Generative AI tools were used for debugging help and for polishing the wording of this report, and all generated code was reviewed before merging.",
    "We used Copilot in our editors; it was most helpful for writing tests and docstrings.",
    "We did not use generative AI tools beyond occasional questions to ChatGPT about error messages.",
];

// Fact phrasings. `{n}`/`{N}`: a count (digits or words, `{N}` at a sentence start), `{p}`: a percentage,
// `{a}`: an amount.
const GROUP_FORMS: &[&str] = &["{g}", "Group {g}", "We are group {g}.", "MLOps {g}", "Group number: {g}", "Group {g2}"];

const TEST_COUNT: &[&str] = &[
    "In total we wrote {n} tests.",
    "We implemented {n} tests in total.",
    "Our test suite consists of {n} unit tests.",
    "All in all we ended up with **{n} tests**.",
    "{N} tests are implemented at the moment.",
];

const COVERAGE_TOTAL: &[&str] = &[
    "Our total code coverage is {p}%.",
    "The coverage report gives a total of {p}% over the source code.",
    "We reach {p} % coverage over the whole code base.",
    "Overall our code coverage is {p} percent.",
    "Running the tests with coverage gives a total of {p}%.",
];

/// The prompt invites this; real answers say it a lot, and it must not be read as the total.
const COVERAGE_HYPOTHETICAL: &str = "Even at 100% coverage we would not call the code error free, since coverage only \
says which lines ran, not whether their results were right.";

const CREDITS_USD: &[&str] = &[
    "In total we spent ${a} worth of credits.",
    "We used {a} USD of credits during the project.",
    "Our bill came to ${a} in total.",
    "We were surprised to see that we only used about ${a} in credits.",
];
const CREDITS_DKK: &[&str] =
    &["We spent {a} DKK in total.", "The project cost us about {a} DKK of credits altogether."];
const CREDITS_EUR: &[&str] = &["Our total spending was \u{20AC}{a}.", "In total we used {a} EUR."];
const CREDITS_PLAIN: &[&str] = &["We used {a} credits in total.", "Altogether {a} credits were spent."];
const CREDITS_UNSTATED: &[&str] = &[
    "We stayed well inside the free credits and never checked the exact amount.",
    "We did not keep track of the exact amount we spent.",
];

const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

// ---------------------------------------------------------------------------------------------------------------
// Building one report
// ---------------------------------------------------------------------------------------------------------------

/// The quirks a report can be given, before their parameters are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    FrontMatter,
    Crlf,
    Tabs,
    Bom,
    TickStyle,
    WrappedItems,
    PromotedWeeks,
    DroppedItems,
    DeletedChecklist,
    DashWrapped,
    BareDashLines,
    AnswerOnMarkerLine,
    Html,
    DeletedQuestion,
    DuplicatedQuestion,
    ExtraQuestion,
    RenumberedQuestions,
    Mojibake,
}

const KINDS: &[Kind] = &[
    Kind::FrontMatter,
    Kind::Crlf,
    Kind::Tabs,
    Kind::Bom,
    Kind::TickStyle,
    Kind::WrappedItems,
    Kind::PromotedWeeks,
    Kind::DroppedItems,
    Kind::DeletedChecklist,
    Kind::DashWrapped,
    Kind::BareDashLines,
    Kind::AnswerOnMarkerLine,
    Kind::Html,
    Kind::DeletedQuestion,
    Kind::DuplicatedQuestion,
    Kind::ExtraQuestion,
    Kind::RenumberedQuestions,
    Kind::Mojibake,
];

const CHECKLIST_KINDS: &[Kind] = &[Kind::TickStyle, Kind::WrappedItems, Kind::PromotedWeeks, Kind::DroppedItems];
/// At most one way of wrapping answers per report.
const WRAPPER_KINDS: &[Kind] = &[Kind::DashWrapped, Kind::BareDashLines, Kind::AnswerOnMarkerLine];

/// How one answer sits under its `> Answer:` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrapper {
    Plain,
    Dashes,
    BareLines,
    OnMarker,
}

/// A piece of an answer.
#[derive(Debug, Clone)]
enum Part {
    /// A prose paragraph (hard-wrapped when the report's style does).
    Text(String),
    /// A list, code block, image line or HTML, written as is.
    Raw(String),
}

/// One question as it will be written.
#[derive(Debug, Clone)]
struct Block {
    key: Option<AnswerKey>,
    /// Number in the heading as written.
    number: u32,
    /// The template's number (placeholders and sections use it).
    template_number: u32,
    prompt: &'static str,
    length: Option<WordRange>,
    /// `None`: the placeholder is kept.
    answer: Option<Vec<Part>>,
    wrapper: Wrapper,
}

struct Builder {
    rng: Rng,
    cohort: Cohort,
    set: QuestionSet,
    constraints: ConstraintSet,
    profile: Profile,
    theme: &'static Theme,
    env: &'static str,
    group: u32,
    students: Vec<String>,
    repo: String,
    slug: String,
    hash: String,
    load: (u32, u32, u32),
    /// Reports that hard-wrap prose at 120 columns (like the template) rather than one line per paragraph.
    hard_wrap: bool,
    length_label: &'static str,
    figures: Vec<String>,
    used_generic: Vec<bool>,
    facts: Facts,
    students_answered: bool,
    html: bool,
    tabs: bool,
}

impl Builder {
    fn new(mut rng: Rng, cohort: Cohort, group: u32, students: Vec<String>) -> Self {
        let profile = Profile::draw(&mut rng);
        let theme = &THEMES[rng.below(THEMES.len())];
        let env = rng.pick(ENV_TOOLS);
        let slug = theme.pkg.replace('_', "-");
        let owner = match rng.below(3) {
            0 => format!("mlops-group-{group}"),
            1 => format!("dtu-mlops-{group:02}"),
            _ => format!("team{group}-mlops"),
        };
        let repo = format!("https://github.com/{owner}/{slug}");
        let hash = format!("{:010x}", rng.next_u64() & 0xFF_FFFF_FFFF);
        let load = (rng.pick(&[50u32, 100, 200, 500]), rng.range(40, 400) as u32, rng.range(20, 300) as u32);
        let set = cohort.questions();
        let hard_wrap = rng.chance(0.3);
        let length_label =
            if cohort == Cohort::Y2023_24 && rng.chance(0.5) { "Answer length" } else { "Recommended answer length" };
        Builder {
            rng,
            cohort,
            set,
            constraints: ConstraintSet::C1,
            profile,
            theme,
            env,
            group,
            students,
            repo,
            slug,
            hash,
            load,
            hard_wrap,
            length_label,
            figures: Vec::new(),
            used_generic: vec![false; GENERIC.len()],
            facts: Facts::default(),
            students_answered: false,
            html: false,
            tabs: false,
        }
    }

    fn build(mut self, quirks_on: bool) -> SyntheticReport {
        let rng = &mut self.rng;
        let generation = match self.cohort {
            Cohort::Y2023_24 if rng.chance(0.15) => ChecklistGeneration::None,
            Cohort::Y2023_24 => ChecklistGeneration::Cl2023,
            Cohort::Y2025 => ChecklistGeneration::Cl2025,
            Cohort::Y2026 => ChecklistGeneration::Cl2026,
        };
        self.constraints = constraint_set_for(self.set, generation);
        let kinds = if quirks_on { choose_kinds(rng, generation != ChecklistGeneration::None) } else { vec![] };
        let has = |k: Kind| kinds.contains(&k);
        self.html = has(Kind::Html);
        self.tabs = has(Kind::Tabs);

        // Which template questions are there, and which are answered.
        let keys = questions_of(self.set);
        let deleted = if has(Kind::DeletedQuestion) {
            // The tab quirk lives in the configs answer, so that one stays.
            let candidates: Vec<AnswerKey> =
                keys.iter().copied().filter(|&k| !(self.tabs && k == K::Configs)).collect();
            Some(self.rng.pick(&candidates))
        } else {
            None
        };
        let present: Vec<AnswerKey> = keys.iter().copied().filter(|&k| Some(k) != deleted).collect();
        let answered = self.decide_answered(&present);
        let is_answered = |k: AnswerKey| answered.iter().any(|&(a, yes)| a == k && yes);
        self.students_answered = is_answered(K::Students);

        let mojibake = if has(Kind::Mojibake) {
            let candidates: Vec<AnswerKey> =
                MOJIBAKE_KEYS.iter().copied().filter(|&k| present.contains(&k) && is_answered(k)).collect();
            (!candidates.is_empty()).then(|| self.rng.pick(&candidates))
        } else {
            None
        };
        let duplicated = has(Kind::DuplicatedQuestion).then(|| self.rng.pick(&present));

        // Answers.
        let wrapper_kind = WRAPPER_KINDS.iter().copied().find(|k| has(*k));
        let mut blocks: Vec<Block> = Vec::new();
        for &(key, yes) in &answered {
            let answer = if yes {
                let mut parts = self.answer(key);
                if mojibake == Some(key) {
                    parts = double_encode(parts);
                }
                Some(parts)
            } else {
                None
            };
            let number = template_number(self.set, key).unwrap_or(0);
            blocks.push(Block {
                key: Some(key),
                number,
                template_number: number,
                prompt: prompt(self.cohort, key),
                length: constraint(self.constraints, key).words,
                answer,
                wrapper: Wrapper::Plain,
            });
        }
        if let Some(key) = duplicated {
            if let Some(i) = blocks.iter().position(|b| b.key == Some(key)) {
                let copy = blocks[i].clone();
                blocks.insert(i + 1, copy);
            }
        }
        if has(Kind::ExtraQuestion) {
            let last = blocks.iter().map(|b| b.template_number).max().unwrap_or(0);
            let sentences = self.pick_sentences(EXTRA_ANSWER, 2, 4);
            blocks.push(Block {
                key: None,
                number: last + 1,
                template_number: last + 1,
                prompt: EXTRA_PROMPT,
                length: None,
                answer: Some(vec![Part::Text(sentences.join(" "))]),
                wrapper: Wrapper::Plain,
            });
        }
        if has(Kind::RenumberedQuestions) && blocks.len() > 1 {
            // Numbered by position, with one number skipped part-way (a deleted question's gap closed, another
            // opened): the prompts still key every answer.
            // A skip exactly where a question was deleted would give back the template's numbers: take the
            // first skip, in random order, that changes at least one number.
            let mut skips: Vec<usize> = (1..blocks.len()).collect();
            self.rng.shuffle(&mut skips);
            let renumber = |skip: usize, i: usize| i as u32 + 1 + u32::from(i >= skip);
            let changes = |skip: usize| blocks.iter().enumerate().any(|(i, b)| renumber(skip, i) != b.template_number);
            if let Some(skip) = skips.into_iter().find(|&s| changes(s)) {
                for (i, b) in blocks.iter_mut().enumerate() {
                    b.number = renumber(skip, i);
                }
            }
        }
        self.assign_wrappers(&mut blocks, wrapper_kind);

        // The checklist.
        let has_checklist = generation != ChecklistGeneration::None && !has(Kind::DeletedChecklist);
        let mut ticks: Vec<(ChecklistId, bool)> = if has_checklist {
            checklist_of(generation).into_iter().map(|id| (id, self.profile.did(id))).collect()
        } else {
            vec![]
        };
        let mut dropped = Vec::new();
        if has(Kind::DroppedItems) && has_checklist {
            // io-collection is what tells CL-2026 from CL-2025; a group deleting it is a different test.
            let mut candidates: Vec<ChecklistId> =
                ticks.iter().map(|(id, _)| *id).filter(|&id| id != C::IoCollection).collect();
            self.rng.shuffle(&mut candidates);
            dropped = candidates.into_iter().take(self.rng.range(1, 3)).collect();
            ticks.retain(|(id, _)| !dropped.contains(id));
        }
        let style = has(Kind::TickStyle).then(|| self.rng.pick(TickStyle::ALL));

        // Record the quirks with their parameters, in the order they were chosen.
        let mut quirks = Vec::new();
        for &k in &kinds {
            let q = match k {
                Kind::FrontMatter => Some(Quirk::FrontMatter),
                Kind::Crlf => Some(Quirk::Crlf),
                Kind::Tabs => Some(Quirk::Tabs),
                Kind::Bom => Some(Quirk::Bom),
                Kind::TickStyle => style.map(Quirk::TickStyle),
                Kind::WrappedItems => Some(Quirk::WrappedItems),
                Kind::PromotedWeeks => Some(Quirk::PromotedWeeks),
                Kind::DroppedItems => (!dropped.is_empty()).then(|| Quirk::DroppedItems(dropped.clone())),
                Kind::DeletedChecklist => Some(Quirk::DeletedChecklist),
                Kind::DashWrapped => Some(Quirk::DashWrapped),
                Kind::BareDashLines => Some(Quirk::BareDashLines),
                Kind::AnswerOnMarkerLine => Some(Quirk::AnswerOnMarkerLine),
                Kind::Html => Some(Quirk::Html),
                Kind::DeletedQuestion => deleted.map(Quirk::DeletedQuestion),
                Kind::DuplicatedQuestion => duplicated.map(Quirk::DuplicatedQuestion),
                Kind::ExtraQuestion => Some(Quirk::ExtraQuestion),
                Kind::RenumberedQuestions => Some(Quirk::RenumberedQuestions),
                Kind::Mojibake => mojibake.map(Quirk::Mojibake),
            };
            quirks.extend(q);
        }

        // Write it.
        let mut doc = String::new();
        if has(Kind::FrontMatter) {
            doc.push_str(FRONT_MATTER);
        }
        doc.push_str(TITLE);
        doc.push_str("\n\n");
        doc.push_str(PREAMBLE);
        doc.push_str("\n\n");
        if has_checklist {
            doc.push_str(&self.render_checklist(
                generation,
                &ticks,
                style,
                has(Kind::WrappedItems),
                has(Kind::PromotedWeeks),
            ));
        }
        let mut section = None;
        for b in &blocks {
            let s = section_of(self.set, b.template_number);
            if section != Some(s) {
                doc.push_str(&format!("## {}\n\n", SECTION_TITLES[s]));
                section = Some(s);
            }
            doc.push_str(&self.render_block(b));
        }
        let mut markdown = doc.trim_end().to_string();
        markdown.push('\n');
        if has(Kind::Crlf) {
            markdown = markdown.replace('\n', "\r\n");
        }
        if has(Kind::Bom) {
            markdown.insert(0, '\u{FEFF}');
        }

        let truth = Truth {
            cohort: self.cohort,
            questions: self.set,
            generation: if has_checklist { generation } else { ChecklistGeneration::None },
            ticks,
            did: self.profile.done_ids(),
            answered: answered.iter().filter(|(_, yes)| *yes).map(|(k, _)| *k).collect(),
            unanswered: answered.iter().filter(|(_, yes)| !*yes).map(|(k, _)| *k).collect(),
            facts: self.facts,
            quirks,
        };
        SyntheticReport { id: format!("group_{:02}", self.group), markdown, figures: self.figures, truth }
    }

    /// Which present questions get an answer: most of them, except in the odd half-finished report, and
    /// screenshots of services a group never used are often left out.
    fn decide_answered(&mut self, present: &[AnswerKey]) -> Vec<(AnswerKey, bool)> {
        let partial = self.rng.chance(0.08);
        let base = if partial { 0.6 } else { 0.04 };
        let p = &self.profile;
        present
            .iter()
            .map(|&key| {
                let skip = match key {
                    K::Group | K::Students => base / 4.0,
                    K::Configs if self.tabs => 0.0,
                    K::Bucket if !p.did(C::GcpBucket) => 0.5,
                    K::Registry if !p.did(C::DockerBuild) && !p.did(C::BuildTrigger) => 0.5,
                    K::BuildHistory if !p.did(C::BuildTrigger) => 0.5,
                    _ => base,
                };
                (key, !self.rng.chance(skip))
            })
            .collect()
    }

    fn assign_wrappers(&mut self, blocks: &mut [Block], kind: Option<Kind>) {
        let (wrapper, share) = match kind {
            Some(Kind::DashWrapped) => (Wrapper::Dashes, 0.9),
            Some(Kind::BareDashLines) => (Wrapper::BareLines, 0.7),
            Some(Kind::AnswerOnMarkerLine) => (Wrapper::OnMarker, 0.5),
            _ => return,
        };
        let mut any = false;
        for b in blocks.iter_mut().filter(|b| b.answer.is_some()) {
            if self.rng.chance(share) {
                b.wrapper = wrapper;
                any = true;
            }
        }
        if !any {
            if let Some(b) = blocks.iter_mut().find(|b| b.answer.is_some()) {
                b.wrapper = wrapper;
            }
        }
    }

    // -- answers -------------------------------------------------------------------------------------------------

    /// The answer to one question, recording the facts it states.
    fn answer(&mut self, key: AnswerKey) -> Vec<Part> {
        match key {
            K::Group => {
                let form = self.rng.pick(GROUP_FORMS);
                self.facts.group = Some(self.group);
                let text = form.replace("{g2}", &format!("{:02}", self.group)).replace("{g}", &self.group.to_string());
                vec![Part::Text(text)]
            }
            K::Students => self.students_answer(),
            K::Tests => self.tests_answer(),
            K::Coverage => self.coverage_answer(),
            K::Credits => self.credits_answer(),
            K::Tracking => self.tracking_answer(),
            K::Bucket => {
                self.screenshot_answer(key, &[("bucket", "GCP bucket"), ("bucket_models", "bucket with models")])
            }
            K::Registry => {
                self.screenshot_answer(key, &[("registry", "artifact registry"), ("registry_tags", "image tags")])
            }
            K::BuildHistory => {
                self.screenshot_answer(key, &[("build_history", "cloud build history"), ("build_details", "build")])
            }
            K::GcpServices => self.services_answer(),
            K::Configs => self.configs_answer(),
            K::Architecture => self.architecture_answer(),
            K::ApiTesting => {
                let mut parts = self.prose(key, Vec::new());
                if self.profile.did(C::LoadTest) && self.rng.chance(0.5) {
                    let img = self.image("locust", "locust results");
                    parts.insert(parts.len().min(1), Part::Raw(img));
                }
                parts
            }
            K::Contributions => self.contributions_answer(),
            _ => self.prose(key, Vec::new()),
        }
    }

    fn students_answer(&mut self) -> Vec<Part> {
        self.facts.students = self.students.clone();
        let ids = &self.students;
        let text = match self.rng.below(4) {
            0 => ids.join(", "),
            1 => match ids.split_last() {
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            },
            2 => format!("Study numbers: {}.", ids.join(", ")),
            _ => return vec![Part::Raw(ids.iter().map(|s| format!("- {s}")).collect::<Vec<_>>().join("\n"))],
        };
        vec![Part::Text(text)]
    }

    fn tests_answer(&mut self) -> Vec<Part> {
        let mut facts = Vec::new();
        if (self.profile.did(C::TestsData) || self.profile.did(C::TestsModel)) && self.rng.chance(0.88) {
            let n = self.rng.range(3, 45) as u32;
            let as_words = n <= 20 && self.rng.chance(0.4);
            let form = self.rng.pick(TEST_COUNT);
            let lower = if as_words { NUMBER_WORDS[n as usize].to_string() } else { n.to_string() };
            let upper = capitalise(&lower);
            facts.push(form.replace("{n}", &lower).replace("{N}", &upper));
            self.facts.tests = Some(n);
        }
        self.prose(K::Tests, facts)
    }

    fn coverage_answer(&mut self) -> Vec<Part> {
        let mut facts = Vec::new();
        if self.profile.did(C::Coverage) && self.rng.chance(0.9) {
            let mut tenths = self.rng.range(350, 990);
            if self.rng.chance(0.75) {
                tenths -= tenths % 10;
            }
            facts.push(self.rng.pick(COVERAGE_TOTAL).replace("{p}", &tenths_text(tenths)));
            if self.rng.chance(0.4) {
                facts.push(COVERAGE_HYPOTHETICAL.to_string());
            }
            self.facts.coverage = Some(tenths as f64 / 10.0);
        }
        self.prose(K::Coverage, facts)
    }

    fn credits_answer(&mut self) -> Vec<Part> {
        let mut facts = Vec::new();
        if self.rng.chance(0.85) {
            let (sentence, amount, unit) = self.credits_statement();
            facts.push(sentence);
            self.facts.credits = Some(CreditsSpent { amount, unit });
        } else {
            facts.push(self.rng.pick(CREDITS_UNSTATED).to_string());
        }
        let options: Vec<(&str, &str)> =
            EXPENSIVE.iter().filter(|(w, _, _)| self.profile.holds(w)).map(|(_, s, why)| (*s, *why)).collect();
        let (service, why) = self.rng.pick(&options);
        facts.push(self.rng.pick(EXPENSIVE_FORMS).replace("{svc}", service).replace("{why}", why));
        self.facts.most_expensive_service = Some(service.to_string());
        self.prose(K::Credits, facts)
    }

    /// A sentence stating the credits spent, with the amount and unit it states.
    fn credits_statement(&mut self) -> (String, f64, CreditUnit) {
        let cents = |c: usize| format!("{}.{:02}", c / 100, c % 100);
        let roll = self.rng.unit();
        if roll < 0.12 && self.students_answered {
            // Per-member amounts and no total: the total is their sum.
            let mut total = 0;
            let mut each = Vec::new();
            for s in &self.students {
                let c = self.rng.range(5, 1500);
                total += c;
                each.push(format!("{s} used ${}", cents(c)));
            }
            let sentence = match each.split_last() {
                Some((last, rest)) => format!("{} and {last}.", rest.join(", ")),
                None => String::new(),
            };
            return (sentence, total as f64 / 100.0, CreditUnit::USD);
        }
        if roll < 0.5 {
            let c = self.rng.range(50, 6000);
            (self.rng.pick(CREDITS_USD).replace("{a}", &cents(c)), c as f64 / 100.0, CreditUnit::USD)
        } else if roll < 0.7 {
            let kr = self.rng.range(15, 450);
            (self.rng.pick(CREDITS_DKK).replace("{a}", &kr.to_string()), kr as f64, CreditUnit::DKK)
        } else if roll < 0.8 {
            let c = self.rng.range(100, 5000);
            (self.rng.pick(CREDITS_EUR).replace("{a}", &cents(c)), c as f64 / 100.0, CreditUnit::EUR)
        } else {
            let tenths = self.rng.range(10, 600);
            (
                self.rng.pick(CREDITS_PLAIN).replace("{a}", &tenths_text(tenths)),
                tenths as f64 / 10.0,
                CreditUnit::Credits,
            )
        }
    }

    fn tracking_answer(&mut self) -> Vec<Part> {
        let mut parts = self.prose(K::Tracking, Vec::new());
        let shots: &[(&str, &str)] = if self.profile.did(C::Wandb) {
            &[("wandb_loss", "W&B loss curves"), ("wandb_runs", "W&B runs"), ("wandb_sweep", "W&B sweep")]
        } else {
            &[("tensorboard_loss", "TensorBoard loss"), ("tensorboard_metrics", "TensorBoard metrics")]
        };
        let n = self.rng.range(1, shots.len());
        let images: Vec<String> = shots[..n].iter().map(|(stem, alt)| self.image(stem, alt)).collect();
        // Screenshots after the opening paragraph, or all at the end.
        let at = if self.rng.chance(0.5) { parts.len().min(1) } else { parts.len() };
        parts.insert(at, Part::Raw(images.join("\n\n")));
        parts
    }

    fn screenshot_answer(&mut self, key: AnswerKey, shots: &[(&str, &str)]) -> Vec<Part> {
        let max = match constraint(self.constraints, key).images {
            Some(r) => r.max.min(shots.len()),
            None => 1,
        };
        let n = self.rng.range(1, max.max(1));
        let mut parts: Vec<Part> = shots[..n].iter().map(|(stem, alt)| Part::Raw(self.image(stem, alt))).collect();
        if self.rng.chance(0.6) {
            let options = self.applicable(key, 0);
            if !options.is_empty() {
                let sentence = self.rng.pick(&options);
                parts.insert(0, Part::Text(self.expand(sentence)));
            }
        }
        parts
    }

    fn services_answer(&mut self) -> Vec<Part> {
        let mut services: Vec<(&str, &str)> =
            SERVICES.iter().filter(|(w, _, _)| self.profile.holds(w)).map(|(_, n, what)| (*n, *what)).collect();
        if self.rng.chance(0.4) {
            services.push(("Secret Manager", "keeps API keys out of the code"));
        }
        let table = if self.html {
            let rows: Vec<String> =
                services.iter().map(|(n, what)| format!("<tr><td>{n}</td><td>{what}</td></tr>")).collect();
            format!("<table>\n<tr><th>Service</th><th>Use</th></tr>\n{}\n</table>", rows.join("\n"))
        } else {
            services.iter().map(|(n, what)| format!("- **{n}**: {what}.")).collect::<Vec<_>>().join("\n")
        };
        let intro = self.rng.pick(SERVICES_INTRO).to_string();
        let mut parts = vec![Part::Text(intro), Part::Raw(table)];
        // Always end with prose, so a `--- ... ---` wrapper never closes on a table row.
        let closing = self.fill(K::GcpServices, 12, 40);
        parts.push(Part::Text(closing.join(" ")));
        parts
    }

    fn configs_answer(&mut self) -> Vec<Part> {
        let mut parts = self.prose(K::Configs, Vec::new());
        if self.tabs || self.rng.chance(0.5) {
            let pkg = self.theme.pkg;
            let commands = if self.profile.did(C::Hydra) {
                [
                    format!("python src/{pkg}/train.py"),
                    format!("python src/{pkg}/train.py experiment=large optimizer.lr=0.0003"),
                ]
            } else {
                [format!("python src/{pkg}/train.py"), format!("python src/{pkg}/train.py --lr 0.0003 --epochs 20")]
            };
            let indent = if self.tabs { "\t" } else { "" };
            let code = format!("```bash\n{indent}{}\n{indent}{}\n```", commands[0], commands[1]);
            // A fence must be followed by prose: a `--- ... ---` wrapper closing on the fence line would leave
            // the fence open and swallow the rest of the report.
            if parts.len() < 2 {
                let split = split_paragraph(&parts);
                parts = split;
            }
            if parts.len() >= 2 {
                parts.insert(1, Part::Raw(code));
            }
        }
        parts
    }

    fn architecture_answer(&mut self) -> Vec<Part> {
        let figure = if self.html {
            let path = self.figure("architecture");
            format!("<img src=\"{path}\" alt=\"architecture\" width=\"800\">")
        } else {
            self.image("architecture", "architecture")
        };
        let steps: Vec<String> =
            ARCHITECTURE_STEPS.iter().filter(|(w, _)| self.profile.holds(w)).map(|(_, s)| self.expand(s)).collect();
        let target = self.target(K::Architecture);
        let used = words(&steps);
        let rest = self.fill(K::Architecture, target.saturating_sub(used), 0);
        let mut parts = vec![Part::Raw(figure), Part::Text(steps.join(" "))];
        if !rest.is_empty() {
            parts.extend(self.paragraphs(rest));
        }
        parts
    }

    fn contributions_answer(&mut self) -> Vec<Part> {
        let mut tasks: Vec<&str> = TASKS.iter().filter(|(w, _)| self.profile.holds(w)).map(|(_, t)| *t).collect();
        self.rng.shuffle(&mut tasks);
        let mut parts = Vec::new();
        if self.students_answered {
            let n = self.students.len();
            let mut lines = Vec::new();
            let style = self.rng.below(2);
            for (i, s) in self.students.iter().enumerate() {
                let mine: Vec<&str> = tasks.iter().skip(i).step_by(n).take(2).copied().collect();
                let what = if mine.is_empty() { "helped wherever it was needed".to_string() } else { join_and(&mine) };
                lines.push(match style {
                    0 => format!("Student {s} {what}."),
                    _ => format!("{s}: {what}."),
                });
            }
            let text = if self.html {
                lines.join("<br>\n")
            } else if self.rng.chance(0.5) {
                lines.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")
            } else {
                lines.join(" ")
            };
            parts.push(if self.html || text.starts_with("- ") { Part::Raw(text) } else { Part::Text(text) });
        } else {
            // Without the study numbers stated, members are not named by them here either, so the students fact
            // stays unambiguous.
            // TASKS always holds at least four entries, so three are there.
            let t: Vec<&str> = tasks.iter().take(3).copied().collect();
            let (a, b, c) = (t.first().unwrap_or(&""), t.get(1).unwrap_or(&""), t.get(2).unwrap_or(&""));
            parts.push(Part::Text(format!(
                "We split the work so that each member owned a part: one of us {a}, another {b}, and a third {c}."
            )));
        }
        let mut closing = vec![self.rng.pick(CONTRIBUTION_CLOSINGS).to_string()];
        if self.set == QuestionSet::Q31 {
            closing.push(self.rng.pick(AI_USE).to_string());
        }
        parts.push(Part::Text(closing.join(" ")));
        parts
    }

    // -- prose -----------------------------------------------------------------------------------------------------

    /// A prose answer: the applicable lead sentences with the facts near the front, then filler up to a length
    /// drawn from the question's word range.
    fn prose(&mut self, key: AnswerKey, facts: Vec<String>) -> Vec<Part> {
        let mut sentences: Vec<String> = Vec::new();
        for block in LINES.iter().filter(|b| b.key == key && b.lead > 0 && self.profile.holds(&b.when)) {
            let mut idx: Vec<usize> = (0..block.sentences.len()).collect();
            self.rng.shuffle(&mut idx);
            for &i in idx.iter().take(block.lead) {
                sentences.push(self.expand(block.sentences[i]));
            }
        }
        for (i, fact) in facts.into_iter().enumerate() {
            let at = self.rng.range(0, sentences.len().min(1)) + i;
            sentences.insert(at.min(sentences.len()), fact);
        }
        let target = self.target(key);
        let more = self.fill(key, target.saturating_sub(words(&sentences)), 0);
        sentences.extend(more);
        self.paragraphs(sentences)
    }

    /// Filler sentences for a key, about `want` words (at least `min_words` if there is anything to say): the
    /// key's own filler first, then the generic pool, each generic sentence used once per report while it lasts.
    fn fill(&mut self, key: AnswerKey, want: usize, min_words: usize) -> Vec<String> {
        let want = want.max(min_words);
        let mut out = Vec::new();
        if want == 0 {
            return out;
        }
        let mut own = self.applicable(key, 0);
        self.rng.shuffle(&mut own);
        let mut have = 0;
        for s in own {
            if have >= want {
                break;
            }
            let s = self.expand(s);
            have += s.split_whitespace().count();
            out.push(s);
        }
        let mut generic: Vec<usize> = (0..GENERIC.len()).collect();
        self.rng.shuffle(&mut generic);
        generic.sort_by_key(|&i| self.used_generic[i]);
        for i in generic {
            if have >= want {
                break;
            }
            self.used_generic[i] = true;
            have += GENERIC[i].split_whitespace().count();
            out.push(GENERIC[i].to_string());
        }
        out
    }

    /// Sentences of the key's applicable blocks with the given lead (0: filler).
    fn applicable(&self, key: AnswerKey, lead: usize) -> Vec<&'static str> {
        LINES
            .iter()
            .filter(|b| b.key == key && b.lead == lead && self.profile.holds(&b.when))
            .flat_map(|b| b.sentences.iter().copied())
            .collect()
    }

    fn pick_sentences(&mut self, pool: &[&'static str], min: usize, max: usize) -> Vec<&'static str> {
        let mut v = pool.to_vec();
        self.rng.shuffle(&mut v);
        let n = self.rng.range(min, max.min(v.len()));
        v.truncate(n);
        v
    }

    /// The answer length to aim for: inside the checker's range, now and then a little short, capped at 250.
    fn target(&mut self, key: AnswerKey) -> usize {
        match constraint(self.constraints, key).words {
            Some(r) => {
                let hi = r.max.clamp(40, 250);
                let lo = (r.min.max(30) * 4 / 5).min(hi);
                self.rng.range(lo, hi)
            }
            None => 40,
        }
    }

    /// Sentences into one to three paragraphs.
    fn paragraphs(&mut self, sentences: Vec<String>) -> Vec<Part> {
        let total = words(&sentences);
        let n = if total <= 70 || sentences.len() < 2 { 1 } else { self.rng.range(2, 3.min(sentences.len())) };
        let mut cuts: Vec<usize> = (1..sentences.len()).collect();
        self.rng.shuffle(&mut cuts);
        cuts.truncate(n - 1);
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut start = 0;
        for cut in cuts.into_iter().chain(std::iter::once(sentences.len())) {
            parts.push(Part::Text(sentences[start..cut].join(" ")));
            start = cut;
        }
        parts
    }

    fn expand(&self, s: &str) -> String {
        let (users, ms, rps) = self.load;
        s.replace("{framework}", self.theme.framework)
            .replace("{task}", self.theme.task)
            .replace("{data}", self.theme.data)
            .replace("{model}", self.theme.model)
            .replace("{pkg}", self.theme.pkg)
            .replace("{env}", self.env)
            .replace("{repo}", &self.repo)
            .replace("{slug}", &self.slug)
            .replace("{hash}", &self.hash)
            .replace("{users}", &users.to_string())
            .replace("{ms}", &ms.to_string())
            .replace("{rps}", &rps.to_string())
    }

    /// Registers a figure file and returns its path relative to the report.
    fn figure(&mut self, stem: &str) -> String {
        let path = format!("figures/{stem}.png");
        if !self.figures.contains(&path) {
            self.figures.push(path.clone());
        }
        path
    }

    fn image(&mut self, stem: &str, alt: &str) -> String {
        let path = self.figure(stem);
        format!("![{alt}]({path})")
    }

    // -- rendering -------------------------------------------------------------------------------------------------

    fn render_checklist(
        &self,
        generation: ChecklistGeneration,
        ticks: &[(ChecklistId, bool)],
        style: Option<TickStyle>,
        wrapped: bool,
        promoted: bool,
    ) -> String {
        let mut s = String::from("## Overall project checklist\n\n");
        s.push_str(CHECKLIST_INTRO);
        if template::generation_spec(generation).module_tags {
            s.push(' ');
            s.push_str(CHECKLIST_INTRO_TAGS);
        }
        s.push_str("\n\n");
        let sep = if self.tabs { '\t' } else { ' ' };
        let level = if promoted { "##" } else { "###" };
        let mut week = None;
        for &(id, done) in ticks {
            let w = checklist_item(id).week(generation);
            if w != week {
                if week.is_some() {
                    s.push('\n');
                }
                if let Some(w) = w {
                    s.push_str(&format!("{level} {}\n\n", week_label(w, generation)));
                }
                week = w;
            }
            let text = item_text(id, generation);
            s.push_str(&TickStyle::prefix(style, done, sep));
            match wrapped.then(|| wrap_point(&text)).flatten() {
                Some(at) => {
                    s.push_str(&text[..at]);
                    s.push_str("\n    ");
                    s.push_str(&text[at + 1..]);
                }
                None => s.push_str(&text),
            }
            s.push('\n');
        }
        s.push('\n');
        s
    }

    fn render_block(&self, b: &Block) -> String {
        let mut s = format!("### Question {}\n\n", b.number);
        for line in wrap_words(b.prompt, 110) {
            s.push_str(&format!("> **{line}**\n"));
        }
        s.push_str(">\n");
        if let Some(r) = b.length {
            s.push_str(&format!("> {}: {}-{} words.\n>\n", self.length_label, r.min, r.max));
        }
        match &b.answer {
            None => s.push_str(&format!("> Answer:\n\n--- question {} fill here ---\n\n", b.template_number)),
            Some(parts) => {
                let body = self.render_parts(parts);
                match b.wrapper {
                    Wrapper::Plain => s.push_str(&format!("> Answer:\n\n{body}\n\n")),
                    Wrapper::OnMarker => s.push_str(&format!("> Answer: {body}\n\n")),
                    Wrapper::Dashes => s.push_str(&format!("> Answer:\n\n--- {body} ---\n\n")),
                    Wrapper::BareLines => s.push_str(&format!("> Answer:\n\n---\n\n{body}\n\n---\n\n")),
                }
            }
        }
        s
    }

    fn render_parts(&self, parts: &[Part]) -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(t) if self.hard_wrap => wrap_words(t, 120).join("\n"),
                Part::Text(t) | Part::Raw(t) => t.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// Draws 1–4 quirks that fit together.
fn choose_kinds(rng: &mut Rng, has_checklist: bool) -> Vec<Kind> {
    let mut pool = KINDS.to_vec();
    rng.shuffle(&mut pool);
    let want = rng.range(1, 4);
    let mut chosen: Vec<Kind> = Vec::new();
    for k in pool {
        if chosen.len() == want {
            break;
        }
        let checklist_kind = CHECKLIST_KINDS.contains(&k) || k == Kind::DeletedChecklist;
        let clash = (checklist_kind && !has_checklist)
            || (CHECKLIST_KINDS.contains(&k) && chosen.contains(&Kind::DeletedChecklist))
            || (k == Kind::DeletedChecklist && chosen.iter().any(|c| CHECKLIST_KINDS.contains(c)))
            || (WRAPPER_KINDS.contains(&k) && chosen.iter().any(|c| WRAPPER_KINDS.contains(c)));
        if !clash {
            chosen.push(k);
        }
    }
    chosen
}

/// Replaces `—` and `’` in an answer's text by what they become when UTF-8 is decoded as Windows-1252 and
/// encoded again.
fn double_encode(parts: Vec<Part>) -> Vec<Part> {
    let garble =
        |t: String| t.replace('\u{2014}', "\u{E2}\u{20AC}\u{201D}").replace('\u{2019}', "\u{E2}\u{20AC}\u{2122}");
    let mut parts: Vec<Part> = parts
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => Part::Text(garble(t)),
            raw => raw,
        })
        .collect();
    // The answer must contain the characters to garble: add one of our sentences to its last paragraph.
    let sentence = garble(MOJIBAKE_SENTENCES[parts.len() % MOJIBAKE_SENTENCES.len()].to_string());
    match parts.iter_mut().rev().find_map(|p| match p {
        Part::Text(t) => Some(t),
        Part::Raw(_) => None,
    }) {
        Some(t) => {
            t.push(' ');
            t.push_str(&sentence);
        }
        None => parts.push(Part::Text(sentence)),
    }
    parts
}

/// Splits a single paragraph at a sentence boundary, so something can stand between the halves.
fn split_paragraph(parts: &[Part]) -> Vec<Part> {
    match parts {
        [Part::Text(t)] => match t.find(". ") {
            Some(i) => vec![Part::Text(t[..=i].to_string()), Part::Text(t[i + 2..].to_string())],
            None => parts.to_vec(),
        },
        _ => parts.to_vec(),
    }
}

/// A number of tenths as people write it: `87` for 870, `82.6` for 826.
fn tenths_text(tenths: usize) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        d => format!("{}.{d}", tenths / 10),
    }
}

fn words(sentences: &[String]) -> usize {
    sentences.iter().map(|s| s.split_whitespace().count()).sum()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Greedy word wrap at `width` columns. A line never starts with a token markdown would read as structure (a
/// list bullet, a heading, a quote, an ordered-list number, a rule), so wrapping never changes what a parser sees.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.is_empty() || line.chars().count() + 1 + word.chars().count() <= width;
        if fits || starts_structure(word) {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn starts_structure(word: &str) -> bool {
    let first = word.chars().next().unwrap_or(' ');
    matches!(first, '-' | '*' | '+' | '#' | '>' | '|' | '<' | '=' | '`' | '[' | '!')
        || (first.is_ascii_digit() && word.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(['.', ')']))
}

/// Where to wrap a long checklist item (a space near the middle), if it is long enough to wrap.
fn wrap_point(text: &str) -> Option<usize> {
    if text.len() < 60 {
        return None;
    }
    let mut middle = text.len() / 2;
    while !text.is_char_boundary(middle) {
        middle -= 1;
    }
    text[..middle].rfind(' ').filter(|&i| i > 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::{identify_checklist_item, identify_question, normalise_for_matching};

    #[test]
    fn prompts_identify_their_keys() {
        for &cohort in Cohort::ALL {
            for key in questions_of(cohort.questions()) {
                let p = prompt(cohort, key);
                assert!(!p.is_empty(), "{cohort} {key}: no prompt");
                assert_eq!(identify_question(&normalise_for_matching(p)), Some(key), "{cohort}: {p}");
            }
        }
        assert_eq!(identify_question(&normalise_for_matching(EXTRA_PROMPT)), None);
        // The 2026 package question is what tells a 2026 report without its checklist.
        let says_2026 = |c: Cohort| {
            let p = normalise_for_matching(prompt(c, K::Packages));
            template::PACKAGES_2026_PHRASES.iter().any(|phrase| p.contains(phrase))
        };
        assert!(says_2026(Cohort::Y2026));
        assert!(!says_2026(Cohort::Y2025) && !says_2026(Cohort::Y2023_24));
    }

    #[test]
    fn checklist_texts_identify_their_items() {
        for g in [ChecklistGeneration::Cl2023, ChecklistGeneration::Cl2025, ChecklistGeneration::Cl2026] {
            for id in checklist_of(g) {
                let text = item_text(id, g);
                assert_eq!(identify_checklist_item(&normalise_for_matching(&text)), Some(id), "{g}: {text}");
                let tagged = text.ends_with(')') && text.contains("(M");
                assert_eq!(tagged, g != ChecklistGeneration::Cl2023 && checklist_item(id).module.is_some(), "{text}");
                // Wrapped and joined again, as a parser joins continuation lines.
                if let Some(at) = wrap_point(&text) {
                    let joined = format!("{} {}", &text[..at], &text[at + 1..]);
                    assert_eq!(joined, text);
                }
            }
        }
    }

    #[test]
    fn tables_cover_every_item_and_key() {
        for &id in ChecklistId::ALL {
            assert_eq!(COMPLETION.iter().filter(|(i, _)| *i == id).count(), 1, "{id} in COMPLETION");
            assert_eq!(ITEM_TEXT.iter().filter(|(i, _)| *i == id).count(), 1, "{id} in ITEM_TEXT");
        }
        for &key in AnswerKey::ALL {
            assert_eq!(PROMPTS.iter().filter(|(k, _)| *k == key).count(), 1, "{key} in PROMPTS");
        }
        for title in SECTION_TITLES {
            assert!(template::SECTIONS.contains(&title.to_lowercase().as_str()), "{title}");
        }
    }

    /// The sentences an answer to `key` can contain when the group did not do `id` must never name the tool, and
    /// when it did, a lead block that only applies then must name it in every alternative.
    #[test]
    fn tool_mentions_follow_the_profile() {
        for &(key, id, word) in TOOL_MENTIONS {
            let mut named = false;
            for b in LINES.iter().filter(|b| b.key == key) {
                let needs_item = b.when.did.contains(&id);
                if needs_item && b.lead > 0 && b.sentences.iter().all(|s| s.to_lowercase().contains(word)) {
                    named = true;
                }
                if !needs_item {
                    for s in b.sentences {
                        assert!(!s.to_lowercase().contains(word), "{key}/{id}: {s:?} names {word}");
                    }
                }
            }
            assert!(named, "{key}: no lead block naming {word} when {id} is done");
            for s in GENERIC.iter().chain(MOJIBAKE_SENTENCES) {
                assert!(!s.to_lowercase().contains(word), "{s:?} names {word}");
            }
        }
    }

    /// Answers stating a fact must hold no other number, so the truth is unambiguous.
    #[test]
    fn fact_answers_hold_no_stray_numbers() {
        let fact_keys = [K::Tests, K::Coverage, K::Credits];
        let pools = LINES.iter().filter(|b| fact_keys.contains(&b.key)).flat_map(|b| b.sentences.iter());
        let other = GENERIC.iter().chain(CREDITS_UNSTATED).chain(EXPENSIVE_FORMS);
        for s in pools.chain(other).chain(EXPENSIVE.iter().map(|(_, _, why)| why)) {
            assert!(!s.chars().any(|c| c.is_ascii_digit()), "{s:?}");
            for w in s.split(|c: char| !c.is_alphanumeric()) {
                assert!(!NUMBER_WORDS.contains(&w.to_lowercase().as_str()), "{s:?} has {w:?}");
            }
        }
    }

    #[test]
    fn placeholders_all_expand() {
        let b = Builder::new(Rng::new(1), Cohort::Y2025, 3, vec!["s230001".into()]);
        let all = LINES.iter().flat_map(|l| l.sentences.iter()).chain(ARCHITECTURE_STEPS.iter().map(|(_, s)| s));
        for s in all {
            assert!(!b.expand(s).contains('{'), "{s}");
        }
    }

    #[test]
    fn same_seed_same_cohort() {
        let spec = CohortSpec { seed: 11, reports: 25, cohort: None, quirks: true };
        assert_eq!(generate(&spec), generate(&spec));
        let other = generate(&CohortSpec { seed: 12, ..spec.clone() });
        assert_ne!(generate(&spec)[0].markdown, other[0].markdown);
    }

    #[test]
    fn cohorts_and_quirks() {
        let spec = CohortSpec { seed: 5, reports: 40, cohort: Some(Cohort::Y2026), quirks: false };
        for r in generate(&spec) {
            assert_eq!(r.truth.questions, QuestionSet::Q31);
            assert_eq!(r.truth.generation, ChecklistGeneration::Cl2026);
            assert!(r.truth.quirks.is_empty());
            assert!(r.id.starts_with("group_"));
        }
        let ids: BTreeSet<String> = generate(&spec).into_iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), 40, "ids are distinct");
        assert_eq!("2024".parse::<Cohort>(), Ok(Cohort::Y2023_24));
        assert!("1999".parse::<Cohort>().is_err());
        let names: BTreeSet<&str> = Quirk::NAMES.iter().copied().collect();
        assert_eq!(names.len(), KINDS.len());
    }

    #[test]
    fn wrapping_never_starts_structure() {
        let text = "We ran - and then * things # and 12. items > quoted and --- rules";
        for line in wrap_words(text, 8).iter().skip(1) {
            assert!(!starts_structure(line.split_whitespace().next().unwrap_or("")), "{line:?}");
        }
    }

    #[test]
    fn tiny_png_is_a_png() {
        assert_eq!(&TINY_PNG[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&TINY_PNG[TINY_PNG.len() - 8..TINY_PNG.len() - 4], b"IEND");
    }

    #[test]
    fn generated_reports_parse() {
        let spec = CohortSpec { seed: 3, reports: 30, cohort: None, quirks: true };
        for r in generate(&spec) {
            let parsed = crate::domain::parse_bytes(Path::new("README.md"), r.markdown.as_bytes());
            assert!(parsed.is_ok(), "{}: {:?}", r.id, parsed.err());
        }
    }
}
