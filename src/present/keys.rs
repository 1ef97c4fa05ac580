//! `cohort keys`: the names staff type and read in output: question keys (with each question's number in each
//! template) and checklist item ids (with each item's position in each checklist generation). Read from the
//! template tables in [`crate::domain::template`], so the list cannot drift from what the parser knows.

use super::table::Table;
use crate::domain::template::{CHECKLIST, QUESTIONS};
use crate::domain::{AnswerKey, ChecklistId};
use serde::Serialize;

/// One question key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionKey {
    pub key: &'static str,
    /// Its number in the 27-question template (the 2023 and 2024 courses), if it is there.
    pub number_27: Option<u32>,
    /// Its number in the 31-question template (2025 on).
    pub number_31: u32,
    pub asks_for: &'static str,
}

/// One checklist item id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistKey {
    pub id: &'static str,
    /// Its position in each checklist generation that has it.
    pub cl_2023: Option<u32>,
    pub cl_2025: Option<u32>,
    pub cl_2026: Option<u32>,
    /// The course module the template tags it with (2025 on), if any.
    pub module: Option<&'static str>,
    pub short: &'static str,
}

pub fn question_keys() -> Vec<QuestionKey> {
    QUESTIONS
        .iter()
        .map(|q| QuestionKey {
            key: AnswerKey::as_str(q.key),
            number_27: q.number_27,
            number_31: q.number_31,
            asks_for: q.asks_for,
        })
        .collect()
}

pub fn checklist_keys() -> Vec<ChecklistKey> {
    CHECKLIST
        .iter()
        .map(|c| ChecklistKey {
            id: ChecklistId::as_str(c.id),
            cl_2023: c.in_2023,
            cl_2025: c.in_2025,
            cl_2026: c.in_2026,
            module: c.module,
            short: c.short,
        })
        .collect()
}

fn opt(n: Option<u32>) -> String {
    n.map_or_else(|| "-".to_string(), |n| n.to_string())
}

/// The question keys as a table.
pub fn question_table() -> Table {
    let mut t = Table::new(&["key", "Q in 2023, 2024 (27 questions)", "Q from 2025 (31 questions)", "asks for"]);
    t.numeric = vec![false, true, true, false];
    for q in question_keys() {
        t.rows.push(vec![q.key.to_string(), opt(q.number_27), q.number_31.to_string(), q.asks_for.to_string()]);
    }
    t
}

/// The checklist ids as a table.
pub fn checklist_table() -> Table {
    let mut t = Table::new(&["id", "CL-2023", "CL-2025", "CL-2026", "module", "item"]);
    t.numeric = vec![false, true, true, true, false, false];
    for c in checklist_keys() {
        t.rows.push(vec![
            c.id.to_string(),
            opt(c.cl_2023),
            opt(c.cl_2025),
            opt(c.cl_2026),
            c.module.unwrap_or("-").to_string(),
            c.short.to_string(),
        ]);
    }
    t
}
