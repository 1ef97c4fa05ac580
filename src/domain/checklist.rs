//! Reading the "Overall project checklist": tick styles, wrapped items, sections, module tags, canonical ids and
//! the generation the list belongs to.

use super::memo;
use super::model::{Answer, ChecklistItem, TickState, Warning, WarningKind};
use super::template::{
    checklist_item, identify_checklist_item, normalise_for_matching, only_from_2025, ChecklistGeneration, ChecklistId,
    Week,
};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

fn bracket_item() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `* [x] text`, `- [ ] text`, `[ok] text`, `1. [X] text`, `* ([X]) text`; the mark is short. The rest of the
    // line (after the match) goes to the caller whole, so it can tell a link (`[text](url)`) from a box.
    RE.get_or_init(|| Regex::new(r"^\s*(?:[-*+]|\d+[.)])?\s*(\(?)\[([^\]\n]{0,12})\]").expect("valid constant regex"))
}

fn emoji_item() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*[-*+]\s*(✅|❌|✔️|✔|☑️|☑|✓|✗|✘|✖️|✖|❎|⬜|🔲|🟩|🟥)\uFE0F?\s+(.*)$")
            .expect("valid constant regex")
    })
}

fn module_tag() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\(\s*(M\d+(?:\s*\+\s*M\d+)*)\s*\)[\s.*_]*$").expect("valid constant regex"))
}

fn week_heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)^\W*(week\s*(\d)|extra|additional)\b").expect("valid constant regex"))
}

/// Tick marks and the state each says, compared trimmed, without surrounding parentheses and case-insensitively
/// (CHECKLIST.md, "Tick marks"). A blank box is not done; a mark in none of these lists is unclear. `-` is listed
/// as unclear here and read from the report's own usage afterwards ([`resolve_marks`]).
pub const TICK_MARKS: &[(TickState, &[&str])] = &[
    (
        TickState::Done,
        &[
            "x", "y", "yes", "ok", "okay", "check", "done", "v", "+", "✓", "✔", "✔️", "✅", "☑", "☑️", "🟩", "x ✅",
            "✅ x", "*", "•", "●", "√",
        ],
    ),
    (TickState::NotDone, &["n", "no", "❌", "✗", "✘", "✖", "✖️", "❎", "⬜", "🔲", "🟥"]),
    (TickState::Partial, &["~", "/", "\\", "½", "p", "partial", "partly", "wip", "o", "x~", "~x", "x/"]),
    (TickState::Unclear, &["?", "x?", "?x", "??", "-", "%"]),
];

/// Words right after a done mark that make it partial: "[x] (partially) ...", "[x] Partly: ...".
fn partial_words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:partial(?:ly)?|partly|half[- ]done|not (?:fully|completely|entirely)|in progress|wip)\b")
            .expect("valid constant regex")
    })
}

/// The state a tick mark says, given the item's text after it ("partially" there makes a done mark partial).
pub fn mark_state(mark: &str, text: &str) -> TickState {
    // The marks nearly every item has, without the table.
    let plain = match mark {
        "" | " " => Some(TickState::NotDone),
        "x" | "X" => Some(TickState::Done),
        _ => None,
    };
    let state = plain.unwrap_or_else(|| table_state(mark));
    // Most items say none of the partial words: a vectorised look for their stems first.
    static STEMS: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let stems = STEMS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "partial",
                "partly",
                "half done",
                "half-done",
                "not fully",
                "not completely",
                "not entirely",
                "in progress",
                "wip",
            ])
            .expect("a valid constant automaton")
    });
    if state == TickState::Done && stems.is_match(text) && partial_words().is_match(text) {
        return TickState::Partial;
    }
    state
}

/// The state the table of marks gives a mark (not yet looking at the words after it).
fn table_state(mark: &str) -> TickState {
    let m = mark.trim().trim_matches(|c| c == '(' || c == ')').trim();
    // `[*]` is a bullet (done); around anything else asterisks are emphasis (`[*x*]`).
    let m = if !m.is_empty() && m.bytes().all(|b| b == b'*') { "*" } else { m.trim_matches('*').trim() };
    let m = m.trim_end_matches('\u{FE0F}');
    if m.is_empty() {
        return TickState::NotDone;
    }
    // "[50%]": a share done; all of it is done, none of it not done.
    if let Some(share) = m.strip_suffix('%').and_then(|n| n.trim().parse::<f64>().ok()) {
        return match share {
            s if s >= 100.0 => TickState::Done,
            s if s <= 0.0 => TickState::NotDone,
            _ => TickState::Partial,
        };
    }
    TICK_MARKS
        .iter()
        .find(|(_, marks)| marks.iter().any(|k| k.eq_ignore_ascii_case(m)))
        .map_or(TickState::Unclear, |(state, _)| *state)
}

/// Whether a tick mark means done (see [`mark_state`]).
pub fn mark_is_done(mark: &str) -> bool {
    mark_state(mark, "") == TickState::Done
}

/// How many boxes with marks cohort cannot place make a report worth a warning naming them.
pub const UNPLACED_MARKS_WARNING: usize = 5;

/// Reads the marks the table leaves partial or unclear from the report's own usage (docs/ticks.md, "A report's own
/// marks"), then warns when five or more boxes still carry a mark cohort cannot place.
///
/// - A report whose only mark besides empty boxes is one such mark, on two boxes or more, uses it for "done":
///   those boxes are done, unless the answers deny the items so marked and affirm none of them (then not done).
/// - Otherwise `[-]` is not done in a report whose answers deny the items it marks `-` and affirm none of them,
///   and stays unclear elsewhere.
pub fn resolve_marks(items: &mut [ChecklistItem], answers: &[Answer]) -> Option<Warning> {
    let key = |mark: &str| mark.trim().trim_matches(|c| c == '(' || c == ')').trim().to_lowercase();
    let blank = |i: &ChecklistItem| table_state(&i.mark) == TickState::NotDone;
    let marked: Vec<usize> = (0..items.len()).filter(|&i| !blank(&items[i])).collect();
    let sole_mark = marked.first().map(|&i| key(&items[i].mark)).filter(|first| {
        marked.len() >= 2
            && marked.len() < items.len()
            && marked.iter().all(|&i| key(&items[i].mark) == *first)
            && matches!(table_state(first), TickState::Partial | TickState::Unclear)
    });
    if sole_mark.is_some() {
        let state = if answers_deny(items, &marked, answers) { TickState::NotDone } else { TickState::Done };
        for &i in &marked {
            let item = &mut items[i];
            item.state = if state == TickState::Done { mark_state("x", &item.text) } else { state };
            item.done = item.state == TickState::Done;
        }
    } else {
        let dashes: Vec<usize> =
            (0..items.len()).filter(|&i| items[i].mark.trim() == "-" && items[i].id.is_some()).collect();
        if !dashes.is_empty() && answers_deny(items, &dashes, answers) {
            for &i in &dashes {
                items[i].state = TickState::NotDone;
                items[i].done = false;
            }
        }
    }
    unplaced_marks_warning(items)
}

/// A warning naming the marks of the boxes still unclear, when there are [`UNPLACED_MARKS_WARNING`] or more.
fn unplaced_marks_warning(items: &[ChecklistItem]) -> Option<Warning> {
    let unclear: Vec<&ChecklistItem> = items.iter().filter(|i| i.state == TickState::Unclear).collect();
    if unclear.len() < UNPLACED_MARKS_WARNING {
        return None;
    }
    let mut marks: Vec<(String, usize)> = Vec::new();
    for item in &unclear {
        let mark = format!("[{}]", item.mark.trim());
        match marks.iter_mut().find(|(m, _)| *m == mark) {
            Some((_, n)) => *n += 1,
            None => marks.push((mark, 1)),
        }
    }
    let named: Vec<String> = marks.iter().map(|(m, n)| format!("{m} ({n})")).collect();
    Some(Warning {
        line: unclear.first().map(|i| i.line),
        kind: WarningKind::Checklist,
        message: format!(
            "{} checklist boxes have a mark cohort cannot place, read as unclear: {}",
            unclear.len(),
            named.join(", ")
        ),
    })
}

/// Whether the answers deny the items at `which` (a sentence names an item together with a negation) and affirm
/// none of them (a sentence names one without a negation).
fn answers_deny(items: &[ChecklistItem], which: &[usize], answers: &[Answer]) -> bool {
    static NEGATION: OnceLock<Regex> = OnceLock::new();
    let negation = NEGATION.get_or_init(|| {
        Regex::new(r"(?i)\b(?:not|never|no|nor|neither|without|skipped|unfortunately)\b|n't\b")
            .expect("valid constant regex")
    });
    let ids: Vec<ChecklistId> = which.iter().filter_map(|&i| items[i].id).collect();
    if ids.is_empty() {
        return false;
    }
    let sentences: Vec<String> = answers
        .iter()
        .filter(|a| a.answered)
        .flat_map(|a| {
            let plain = super::facts::plain_text(&a.markdown);
            super::facts::sentences(&plain).into_iter().map(|r| normalise_for_matching(&plain[r])).collect::<Vec<_>>()
        })
        .collect();
    let (mut denied, mut affirmed) = (0, 0);
    for id in ids {
        let phrases = checklist_item(id).phrases;
        // The item's topic as the answers word it (the evidence table), else its checklist phrases.
        let topics: Vec<Regex> = super::template::ITEM_EVIDENCE
            .iter()
            .filter(|e| e.items.contains(&id))
            .filter_map(|e| Regex::new(&format!("(?i){}", e.topic)).ok())
            .collect();
        let names = |s: &str| phrases.iter().any(|p| s.contains(p)) || topics.iter().any(|t| t.is_match(s));
        for s in sentences.iter().filter(|s| names(s)) {
            if negation.is_match(s) {
                denied += 1;
            } else {
                affirmed += 1;
            }
        }
    }
    denied > 0 && affirmed == 0
}

/// The canonical week a section heading names, if it names one.
pub fn week_of_heading(text: &str) -> Option<Week> {
    let caps = week_heading().captures(text.trim())?;
    match caps.get(2).map(|m| m.as_str()) {
        Some("1") => Some(Week::Week1),
        Some("2") => Some(Week::Week2),
        Some("3") => Some(Week::Week3),
        Some(_) => None,
        None => Some(Week::Extra),
    }
}

/// Whether a heading is a checklist section heading (Week N, Extra, Additional).
pub fn is_section_heading(text: &str) -> bool {
    week_of_heading(text).is_some()
}

/// One line of the checklist region, as the parser hands it over.
pub struct RegionLine<'a> {
    pub text: &'a str,
    /// 1-based line number in the file.
    pub line: usize,
    /// Set when the line is a heading: its text.
    pub heading: Option<&'a str>,
}

/// The most checklist items read from one report. The template's checklists have about a hundred items; a file
/// with millions of `- [x]` lines (a generated or pasted list) would otherwise cost hundreds of bytes of items and
/// warnings per line, 60 times the file's size in memory.
pub const MAX_CHECKLIST_ITEMS: usize = 2_000;

/// Reads checklist items from the lines of the checklist region: at most [`MAX_CHECKLIST_ITEMS`] + 1 (one more
/// tells the caller that the rest was not read).
pub fn read_items(lines: &[RegionLine<'_>]) -> Vec<ChecklistItem> {
    let mut items: Vec<ChecklistItem> = Vec::new();
    let mut section: Option<String> = None;
    let mut open = false; // the last item may continue on the next line
    for l in lines {
        if let Some(h) = l.heading {
            section = Some(h.trim().to_string());
            open = false;
            continue;
        }
        let t = l.text;
        if t.trim().is_empty() {
            open = false;
            continue;
        }
        // A bold or plain "Week 1" line acts as a section heading too.
        let stripped = t.trim().trim_matches(|c| c == '*' || c == '_' || c == ':');
        if stripped.len() < 20 && is_section_heading(stripped) && !stripped.contains('[') {
            section = Some(stripped.to_string());
            open = false;
            continue;
        }
        // Each pattern is tried only on lines that could hold it: a box needs `[`, a tick emoji a non-ASCII byte.
        // An item is one line: a line break inside would not be one.
        let one_line = !t.contains('\n');
        let found = (one_line && t.contains('['))
            .then(|| bracket_item().captures(t))
            .flatten()
            .and_then(|c| {
                let after = &t[c.get(0)?.end()..];
                // `[text](url)` is a link, not a box; `([x])` closes its parenthesis after the box.
                let rest = if c[1].is_empty() { after } else { after.strip_prefix(')')? };
                (!rest.starts_with('(')).then(|| (c[2].to_string(), rest.to_string()))
            })
            .or_else(|| {
                (one_line && !t.is_ascii())
                    .then(|| emoji_item().captures(t))
                    .flatten()
                    .map(|c| (c[1].to_string(), c[2].to_string()))
            });
        // A legend line ("- [x] = done") explains the marks; it is not an item.
        let found = found.filter(|(_, text)| !text.trim_start().starts_with(['=', ':']));
        if let Some((mark, text)) = found {
            if items.len() > MAX_CHECKLIST_ITEMS {
                break;
            }
            let state = mark_state(&mark, &text);
            items.push(ChecklistItem {
                id: None,
                text: without_comments(&text),
                section: section.clone(),
                week: None,
                module: None,
                done: state == TickState::Done,
                state,
                mark,
                line: l.line,
            });
            open = true;
        } else if open {
            let is_list_item = {
                let s = t.trim_start();
                s.starts_with("* ") || s.starts_with("- ") || s.starts_with("+ ")
            };
            if !is_list_item {
                if let Some(last) = items.last_mut() {
                    last.text.push(' ');
                    last.text.push_str(&without_comments(t));
                }
            } else {
                open = false;
            }
        }
    }
    items
}

/// The item's text without HTML comments (`<!--- who did it -->`): notes to the group, invisible when rendered,
/// and in the way of the module tag at the end of the line.
fn without_comments(text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"<!--.*?-->").expect("valid constant regex"));
    re.replace_all(text, "").trim().to_string()
}

/// The canonical item a checklist line's text names. Remembered per text: reports repeat the template's items.
fn checklist_id_of(text: &str) -> Option<ChecklistId> {
    thread_local! {
        static ITEMS: memo::Table<Option<ChecklistId>> = std::cell::RefCell::new(std::collections::HashMap::new());
    }
    memo::remembered(&ITEMS, text, |text| identify_checklist_item(&normalise_for_matching(text)))
}

/// Gives each item its canonical id, module and week, decides the generation, and warns about what is odd.
pub fn classify(items: &mut [ChecklistItem], warnings: &mut Vec<Warning>) -> ChecklistGeneration {
    for item in items.iter_mut() {
        item.id = checklist_id_of(&item.text);
        item.module = module_tag().captures(&item.text).map(|c| c[1].split_whitespace().collect::<String>());
    }
    let generation = generation_of(items);
    let mut seen = HashSet::new();
    for item in items.iter_mut() {
        match item.id {
            Some(id) => {
                let spec = checklist_item(id);
                if item.module.is_none() {
                    item.module = spec.module.map(str::to_string);
                }
                item.week = spec
                    .week(generation)
                    .or_else(|| item.section.as_deref().and_then(week_of_heading))
                    .or_else(|| spec.latest_week());
                if !seen.insert(id) {
                    warnings.push(Warning {
                        line: Some(item.line),
                        kind: WarningKind::Checklist,
                        message: format!("checklist item {id} appears more than once"),
                    });
                }
                if spec.position(generation).is_none() {
                    warnings.push(Warning {
                        line: Some(item.line),
                        kind: WarningKind::Checklist,
                        message: format!("checklist item {id} is not part of the {generation} checklist"),
                    });
                }
            }
            None => {
                item.week = item.section.as_deref().and_then(week_of_heading);
                warnings.push(Warning {
                    line: Some(item.line),
                    kind: WarningKind::Checklist,
                    message: format!("checklist item not recognised: {:?}", shorten(&item.text, 80)),
                });
            }
        }
    }
    generation
}

/// The generation from what the list itself shows (CHECKLIST.md, "how to tell").
fn generation_of(items: &[ChecklistItem]) -> ChecklistGeneration {
    if items.is_empty() {
        return ChecklistGeneration::None;
    }
    let ids: Vec<ChecklistId> = items.iter().filter_map(|i| i.id).collect();
    if ids.contains(&ChecklistId::IoCollection) {
        return ChecklistGeneration::Cl2026;
    }
    let tagged = items.iter().filter(|i| i.module.is_some()).count();
    if tagged * 3 >= items.len() || ids.iter().any(|&id| only_from_2025(id)) {
        return ChecklistGeneration::Cl2025;
    }
    ChecklistGeneration::Cl2023
}

pub(crate) fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<RegionLine<'_>> {
        text.lines()
            .enumerate()
            .map(|(i, t)| RegionLine { text: t, line: i + 1, heading: t.strip_prefix("### ") })
            .collect()
    }

    #[test]
    fn every_tick_style() {
        let text = "### Week 1\n* [x] a\n* [X] b\n* [ ] c\n- [x] d\n[ok] e\n* [ check ] f\n* [✅] g\n- ❌ h\n- ✅ i\n* [] j\n* [X ] k\n";
        let items = read_items(&lines(text));
        let done: Vec<_> = items.iter().map(|i| (i.text.as_str(), i.done)).collect();
        assert_eq!(
            done,
            vec![
                ("a", true),
                ("b", true),
                ("c", false),
                ("d", true),
                ("e", true),
                ("f", true),
                ("g", true),
                ("h", false),
                ("i", true),
                ("j", false),
                ("k", true)
            ]
        );
        assert!(items.iter().all(|i| i.section.as_deref() == Some("Week 1")));
    }

    #[test]
    fn partial_and_unclear_marks_are_not_done() {
        let text = "* [~] a\n* [/] b\n* [?] c\n* [x?] d\n* [x] (partially) e\n* [-] f\n* [%] g\n* [Y] h\n* [ ok ] i\n* [X ] j\n* [50%] k\n* [100%] l\n";
        let got: Vec<_> = read_items(&lines(text)).iter().map(|i| (i.text.clone(), i.state, i.done)).collect();
        use TickState::*;
        let want = [
            ("a", Partial),
            ("b", Partial),
            ("c", Unclear),
            ("d", Unclear),
            ("(partially) e", Partial),
            ("f", Unclear),
            ("g", Unclear),
            ("h", Done),
            ("i", Done),
            ("j", Done),
            ("k", Partial),
            ("l", Done),
        ];
        for ((text, state, done), (t, s)) in got.iter().zip(want) {
            assert_eq!((text.as_str(), *state, *done), (t, s, s == Done));
        }
        assert_eq!(got.len(), want.len());
    }

    #[test]
    fn dashes_read_from_the_reports_own_usage() {
        use crate::domain::{AnswerKey, TickState};
        let mut items = read_items(&lines(
            "* [-] Setup version control for your data or part of your data (M8)\n* [-] Consider running a hyperparameter optimization sweep (M14)\n",
        ));
        let answer = |key, md: &str| Answer {
            key: Some(key),
            number: None,
            line: 1,
            prompt: String::new(),
            markdown: md.to_string(),
            words: 1,
            images: vec![],
            links: vec![],
            answered: true,
            markdown_line: 2,
        };
        // Beside an `[x]` box, so `-` is not the report's only mark.
        items.extend(read_items(&lines("* [x] Create a git repository (M5)\n")));
        classify(&mut items, &mut vec![]);
        let dashes =
            |items: &[ChecklistItem]| items.iter().filter(|i| i.mark == "-").map(|i| i.state).collect::<Vec<_>>();
        let mut denied = items.clone();
        resolve_marks(&mut denied, &[answer(AnswerKey::Dvc, "We did not use DVC in the end.")]);
        assert_eq!(dashes(&denied), [TickState::NotDone; 2], "{denied:?}");
        let mut silent = items.clone();
        resolve_marks(&mut silent, &[answer(AnswerKey::Dvc, "Our data sits in a bucket.")]);
        assert_eq!(dashes(&silent), [TickState::Unclear; 2]);
    }

    #[test]
    fn wrapped_items_join_and_take_their_tag() {
        let text = "* [x] Keep the dependency files\n    up to date with everything you use (M2+M6)\n* [ ] Next one\n";
        let mut items = read_items(&lines(text));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "Keep the dependency files up to date with everything you use (M2+M6)");
        let mut w = vec![];
        classify(&mut items, &mut w);
        assert_eq!(items[0].module.as_deref(), Some("M2+M6"));
    }

    #[test]
    fn links_are_not_items() {
        assert!(read_items(&lines("see [this figure](figures/a.png) here")).is_empty());
        assert!(read_items(&lines("* [this figure](figures/a.png) here")).is_empty());
    }

    #[test]
    fn html_comments_are_not_item_text() {
        let mut items = read_items(&lines("* [X] Add pre-commit hooks (M18) <!--- Ann -->\n"));
        classify(&mut items, &mut vec![]);
        assert_eq!(items[0].text, "Add pre-commit hooks (M18)");
        assert_eq!(items[0].module.as_deref(), Some("M18"));
    }

    #[test]
    fn box_in_parentheses_and_text_right_after_the_box() {
        let items = read_items(&lines("* ([X]) Profile the code\n* [x]Tight text\n"));
        let got: Vec<_> = items.iter().map(|i| (i.text.as_str(), i.done)).collect();
        assert_eq!(got, [("Profile the code", true), ("Tight text", true)]);
    }
}
