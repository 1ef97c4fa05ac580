//! The report model: plain data, no storage or terminal concerns.

use super::template::{AnswerKey, ChecklistGeneration, ChecklistId, QuestionSet, Week};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// One exam report as read from its markdown file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// Where the report was read from.
    pub path: PathBuf,
    /// The question set the report follows.
    pub questions: QuestionSet,
    /// The generation of the report's own checklist.
    pub generation: ChecklistGeneration,
    /// The checklist as the report has it, in its order.
    pub checklist: Vec<ChecklistItem>,
    /// The answers, in the report's order.
    pub answers: Vec<Answer>,
    /// Numbers read from the answers.
    pub facts: Facts,
    /// Anything unexpected: never a panic, never a silently dropped answer.
    pub warnings: Vec<Warning>,
}

/// One box of the checklist.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Canonical id; `None` when the text matches no known item (a warning says so).
    pub id: Option<ChecklistId>,
    /// The item's text as written (wrapped lines joined).
    pub text: String,
    /// The section heading the item stands under, as written ("Week 1", "Additional", ...).
    pub section: Option<String>,
    /// The canonical week of the item.
    pub week: Option<Week>,
    /// The module tag: the last parenthesis of the item when it is a tag, else the template's tag.
    pub module: Option<String>,
    /// Whether the box is ticked.
    pub done: bool,
    /// The mark as written (`x`, `X`, ` `, `✅`, `ok`, ...).
    pub mark: String,
    /// 1-based line of the item in the file.
    pub line: usize,
}

/// The answer to one question.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    /// Canonical key, found from the prompt; `None` for a question the template does not have.
    pub key: Option<AnswerKey>,
    /// The number in the heading as written.
    pub number: Option<u32>,
    /// 1-based line of the question's heading.
    pub line: usize,
    /// The prompt as the report shows it (quoted lines before `Answer:`), whitespace collapsed.
    pub prompt: String,
    /// The answer's markdown, with the `--- ... ---` wrapper removed.
    pub markdown: String,
    /// Word count as the course checker counts: whitespace-separated tokens of the answer's source.
    pub words: usize,
    /// Images referenced in the answer.
    pub images: Vec<ImageRef>,
    /// Link targets in the answer.
    pub links: Vec<String>,
    /// False when the answer is empty or still the template's placeholder.
    pub answered: bool,
}

impl Answer {
    /// Images the course checker counts: markdown inline images only, not HTML `<img>`.
    pub fn checker_images(&self) -> usize {
        self.images.iter().filter(|i| i.kind == ImageKind::Markdown).count()
    }
}

crate::string_enum! {
    /// How an image was written.
    pub ImageKind { Markdown = "markdown", Html = "html" }
}

/// An image referenced by an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    pub target: String,
    pub alt: String,
    pub kind: ImageKind,
    /// 1-based line in the file.
    pub line: usize,
}

/// Amount of cloud credits spent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CreditsSpent {
    pub amount: f64,
    pub unit: CreditUnit,
}

crate::string_enum! {
    /// The unit credits are stated in.
    pub CreditUnit { USD = "USD", DKK = "DKK", EUR = "EUR", Credits = "credits" }
}

/// Numbers stated in the answers. `None` when the report does not state it: never a guess.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub group: Option<u32>,
    /// Student ids as written, distinct, in order of appearance.
    pub students: Vec<String>,
    pub tests: Option<u32>,
    /// Percent.
    pub coverage: Option<f64>,
    pub credits: Option<CreditsSpent>,
    /// The service named as most expensive in the credits answer.
    pub most_expensive_service: Option<String>,
}

/// Something unexpected in a report, with the line it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: Option<usize>,
    pub kind: WarningKind,
    pub message: String,
}

crate::string_enum! {
    /// What a warning is about, for filtering and counting.
    pub WarningKind {
        Encoding = "encoding",
        MissingQuestion = "missing-question",
        DuplicateQuestion = "duplicate-question",
        ExtraQuestion = "extra-question",
        UnknownQuestion = "unknown-question",
        Structure = "structure",
        Checklist = "checklist",
        Fact = "fact",
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Report {
    /// The first answer with a key.
    pub fn answer(&self, key: AnswerKey) -> Option<&Answer> {
        self.answers.iter().find(|a| a.key == Some(key))
    }

    /// The done state of a canonical checklist item, when the report's checklist has it.
    pub fn tick(&self, id: ChecklistId) -> Option<bool> {
        self.checklist.iter().find(|i| i.id == Some(id)).map(|i| i.done)
    }

    pub(crate) fn warn(&mut self, line: Option<usize>, kind: WarningKind, message: impl Into<String>) {
        self.warnings.push(Warning { line, kind, message: message.into() });
    }
}

impl Report {
    /// The cohort (year) the report's template belongs to, for when staff give no `--cohort` label. The 2026
    /// template is told by its checklist (CL-2026) or its reworded package question; other 31-question reports
    /// are 2025; 27-question reports used the 2023 and 2024 templates, which cannot be told apart from the file.
    pub fn inferred_cohort(&self) -> &'static str {
        use super::template::{AnswerKey, ChecklistGeneration, QuestionSet};
        let q3_2026 = self.answer(AnswerKey::Packages).is_some_and(|a| {
            let prompt = super::template::normalise_for_matching(&a.prompt);
            super::template::PACKAGES_2026_PHRASES.iter().any(|p| prompt.contains(p))
        });
        match (self.questions, self.generation) {
            (_, ChecklistGeneration::Cl2026) => "2026",
            (QuestionSet::Q31, _) if q3_2026 => "2026",
            (QuestionSet::Q31, _) => "2025",
            (QuestionSet::Q27, _) => "2023-24",
        }
    }
}

/// Rates used to put credits in one currency. Stated, not fetched (nothing leaves the machine); overridable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRates {
    /// US dollars per Danish krone.
    pub usd_per_dkk: f64,
    /// US dollars per euro.
    pub usd_per_eur: f64,
}

impl Default for ExchangeRates {
    /// Round 2025–26 rates: 1 USD ≈ 6.9 DKK, 1 EUR ≈ 1.08 USD. GCP credits are dollar-denominated (1 credit = 1 USD).
    fn default() -> Self {
        ExchangeRates { usd_per_dkk: 0.145, usd_per_eur: 1.08 }
    }
}

impl ExchangeRates {
    pub fn to_usd(&self, c: CreditsSpent) -> f64 {
        match c.unit {
            CreditUnit::USD | CreditUnit::Credits => c.amount,
            CreditUnit::DKK => c.amount * self.usd_per_dkk,
            CreditUnit::EUR => c.amount * self.usd_per_eur,
        }
    }
}
