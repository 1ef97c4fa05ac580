//! The domain: the report model, template knowledge, parsing and fact extraction. Nothing here knows about
//! tantivy, polars or the terminal; storage and presentation depend on this module, never the reverse.

pub mod checklist;
pub mod decode;
pub mod facts;
pub mod groups;
pub mod memo;
pub mod model;
pub mod number_words;
pub mod parse;
pub mod percent;
pub mod pseudonym;
pub mod template;
pub mod words;

pub use model::{Answer, ChecklistItem, CreditUnit, CreditsSpent, ExchangeRates, Facts, ImageKind, ImageRef, Report, Warning, WarningKind};
pub use parse::{parse_bytes, parse_text, ParseError, ParseErrorKind};
pub use template::{AnswerKey, ChecklistGeneration, ChecklistId, QuestionSet, Week};
