//! Checklist ticks the answers contradict, and the reverse. Precision matters more than recall: a wrong accusation
//! costs staff time, so only plain statements count. A ticked box is contradicted by a first-person denial whose
//! object is the item ("we did not load test the API", "we did not manage to deploy it in the cloud", "no load
//! testing was performed"); an unticked box by a plain first-person statement that the group did it, or by the
//! coverage figure the box asks for. Anything hedged, partial, hypothetical or about a part of the item is not read
//! as either ("we did not *only*...", "did not *fully*...", "no tests *for the API*", "*if* we had...", "we did not
//! have *issues* with pre-commit"), and an answer that says both is ambiguous and not reported.
//!
//! Which item each answer speaks to is data ([`ITEM_EVIDENCE`] in the template module); the grammar of denials and
//! statements is here.

use crate::domain::facts::{plain_text, sentences};
use crate::domain::template::{ItemEvidence, Reverse, ITEM_EVIDENCE};
use crate::domain::{AnswerKey, ChecklistId, Report};
use regex::Regex;
use std::sync::OnceLock;

/// A box whose state an answer contradicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    pub item: ChecklistId,
    /// The box's state in the report (true: ticked, and the answer says it was not done).
    pub ticked: bool,
    pub question: AnswerKey,
    /// The sentence that contradicts the box, as the answer has it (markup removed, whitespace collapsed).
    pub sentence: String,
    /// The line of the question's heading.
    pub line: usize,
}

/// Declares functions returning regexes compiled once, on first use. (A function per pattern rather than a macro at
/// each use, so that no `Regex::new` appears inside a loop.)
macro_rules! patterns {
    ($($(#[$m:meta])* $name:ident = $re:expr;)+) => {
        $(
            $(#[$m])*
            fn $name() -> &'static Regex {
                static RE: OnceLock<Regex> = OnceLock::new();
                // Constant patterns: a failure is a programming error every test run shows at once.
                RE.get_or_init(|| Regex::new(&$re).expect("valid constant regex"))
            }
        )+
    };
}

patterns! {
    negation = NEGATION;
    not_plain_before = NOT_PLAIN_BEFORE;
    clause_break = CLAUSE_BREAK;
    window_block = WINDOW_BLOCK;
    not_accomplished = NOT_ACCOMPLISHED;
    /// A first-person subject.
    first_person = r"\b(?:we|i)\b";
    /// "not" or a contracted negation.
    not_word = r"\bnot\b|n't\b";
    /// What the loose statement guard leaves out: negated and plainly hypothetical clauses.
    negated_or_hypothetical = r"\b(?:not|no|never|nor|would|could|should|might|if|whether|plan\w*|want\w*|hope\w*|wish\w*|tried|try|trying|attempt\w*|ideally)\b|n't\b";
    /// A word: letters, digits, apostrophes and inner hyphens.
    word = r"[\p{L}\p{N}'][\p{L}\p{N}'\-]*";
    past_participle = format!("^(?:{PAST_PARTICIPLES})$");
    statement_pattern = format!(r"\b(?:we|i)\b{STATEMENT_LEAD}");
}

/// Negations that can open a denial.
const NEGATION: &str = r"\b(?:did not|didn't|didnt|do not|don't|does not|doesn't|have not|haven't|has not|hasn't|had not|hadn't|never|could not|couldn't|cannot|can not|can't|were not|weren't|was not|wasn't|are not|aren't|were unable to|was unable to|failed to)\b";

/// Where a sentence divides into clauses whose polarity may differ ("we did not X, but we did Y").
const CLAUSE_BREAK: &str = r",\s*(?:but|however|though|although|yet|so|instead|whereas|while|as)\b|;|:|\(|\)|\bbut\b|\bhowever\b|\balthough\b|\bthough\b|\bwhereas\b|\binstead\b|\bwhile\b|\bsince\b|\bbecause\b|\bas we\b|\bso we\b|\bwhich\b|\bunless\b|\bexcept\b|\bother than\b|\band then\b";

/// Words before the negation that make the clause hypothetical or about an earlier state.
const NOT_PLAIN_BEFORE: &str = r"\b(?:if|whether|unless|would|could|should|might|initially|originally|at first|in the beginning|at the start|until|before|previously|earlier|once|when)\b";

/// Phrases between the negation and the verb that keep the denial plain ("we did not *have time to* write tests").
const LEAD_INS: &[&str] = &[
    "yet",
    "even",
    "ever",
    "end up",
    "ended up",
    "get around to",
    "got around to",
    "get to",
    "got to",
    "have the time to",
    "have time to",
    "have enough time to",
    "find the time to",
    "find time to",
    "manage to",
    "managed to",
    "succeed in",
    "bother to",
    "prioritize",
    "prioritise",
    "able to",
    "go on to",
    "get the chance to",
    "have the chance to",
    "proceed with",
    "proceed to",
    "make it to",
];

/// Verbs of doing: a denial or statement opens with one (after its lead-ins) and is about doing its object. A
/// negation followed by anything else is no denial: "we did not *only*...", "did not *fully*...", "did not *need*
/// DVC", "did not *find* a use for it".
const ACTION_VERBS: &[&str] = &[
    "implement",
    "implemented",
    "implementing",
    "perform",
    "performed",
    "performing",
    "conduct",
    "conducted",
    "do",
    "did",
    "done",
    "doing",
    "make",
    "made",
    "making",
    "build",
    "built",
    "building",
    "create",
    "created",
    "creating",
    "develop",
    "developed",
    "developing",
    "deploy",
    "deployed",
    "deploying",
    "use",
    "used",
    "using",
    "utilise",
    "utilised",
    "utilize",
    "utilized",
    "write",
    "wrote",
    "written",
    "writing",
    "set",
    "setup",
    "add",
    "added",
    "adding",
    "include",
    "included",
    "run",
    "ran",
    "running",
    "integrate",
    "integrated",
    "get",
    "got",
    "have",
    "had",
    "employ",
    "employed",
    "apply",
    "applied",
    "complete",
    "completed",
    "incorporate",
    "incorporated",
    "introduce",
    "introduced",
    "test",
    "tested",
    "train",
    "trained",
    "training",
    "convert",
    "converted",
    "export",
    "exported",
    "calculate",
    "calculated",
    "compute",
    "computed",
    "measure",
    "measured",
    "check",
    "checked",
    "version",
    "versioned",
    "track",
    "tracked",
    "host",
    "hosted",
    "publish",
    "published",
    "put",
    "enable",
    "enabled",
    "achieve",
    "achieved",
    "reach",
    "reached",
    "finish",
    "finished",
    "establish",
    "established",
    "adopt",
    "adopted",
    "load-test",
    "load-tested",
];

/// Words between the verb and the item that make the object something else ("did not write tests *for* the API",
/// "did not have *issues* with pre-commit", "did not run *as many* load tests as...").
const WINDOW_BLOCK: &str = r"\b(?:for|with|on|of|from|to|into|in|at|by|than|about|after|before|until|since|because|when|which|that|who|where|if|beyond|besides|except|other|as|enough|more|many|much|all|every|extensive|full|comprehensive|proper|formal|complete|thorough|custom|issues?|problems?|troubles?|difficult\w*|errors?|bugs?|need|chance|reason|benefits?|access|luck|experience|knowledge|idea|time|same|further|additional|extra|second|separate|own|not|no|never)\b";

/// The longest gap, in words, between the verb and the item.
const MAX_WINDOW_WORDS: usize = 6;

/// Words that make a whole clause hypothetical, planned, attempted or negated: no statement of accomplishment.
const NOT_ACCOMPLISHED: &str = r"\b(?:not|no|never|nor|n't|would|could|should|might|will|plan\w*|tried|try|trying|attempt\w*|want\w*|hope\w*|intend\w*|if|start\w*|began|begin|consider\w*|look\w* into|explor\w*|initially|originally|at first|later|future|next|goal|aim\w*|wish\w*|unfortunately|supposed|meant|recommend\w*|ideally|unless|whether|partly|partially|some of)\b|n't\b";

/// Adverbs and auxiliaries between "we" and the verb of a plain statement ("we *also successfully* deployed").
const STATEMENT_LEAD: &str = r"(?:\s+(?:also|then|additionally|successfully|finally|further|even|have|had|all|both|actually|eventually|did|manage to|managed to|were able to|was able to))*";

/// One evidence entry with its patterns compiled.
struct Evidence {
    spec: &'static ItemEvidence,
    topic: Regex,
    verb: Option<Regex>,
    narrowed_by: Option<Regex>,
    unless: Option<Regex>,
    alternatives: Option<Regex>,
    elsewhere: Option<Regex>,
    /// "load testing was not performed"
    passive_denial: Regex,
    /// "load testing was performed"
    passive_statement: Regex,
    /// "no load testing"
    none: Regex,
}

const PAST_PARTICIPLES: &str = r"implemented|performed|done|conducted|executed|carried out|set up|used|added|deployed|included|attempted|written|made|created|completed|integrated|calculated|measured|computed|tested|built|run";

fn evidence() -> &'static [Evidence] {
    static COMPILED: OnceLock<Vec<Evidence>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // The patterns are constants of the template module, so a failure here is a programming error that every
        // test run shows at once.
        let re = |s: &str| Regex::new(s).expect("valid constant regex");
        ITEM_EVIDENCE
            .iter()
            .map(|spec| Evidence {
                spec,
                topic: re(&format!("(?:{})", spec.topic)),
                verb: spec.verb.map(|v| re(&format!("^(?:{v})$"))),
                narrowed_by: spec.narrowed_by.map(re),
                unless: spec.unless.map(re),
                alternatives: spec.alternatives.map(re),
                elsewhere: spec.elsewhere.map(re),
                passive_denial: re(&format!(
                    r"^\s*(?:(?:the|any|our|a)\s+)?(?:{})\s+(?:was|were|is|are|has been|have been|had been)\s+(?:not|never)\s+(?:yet\s+)?(?:been\s+)?(?:{PAST_PARTICIPLES})\b",
                    spec.topic
                )),
                passive_statement: re(&format!(
                    r"^\s*(?:(?:the|our|a)\s+)?(?:{})\s+(?:was|were|is|are|has been|have been)\s+(?:successfully\s+|also\s+)?(?:{PAST_PARTICIPLES})\b",
                    spec.topic
                )),
                none: re(&format!(r"\bno\s+(?:{})", spec.topic)),
            })
            .collect()
    })
}

/// The words of a string: letters, digits, apostrophes and inner hyphens.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    word().find_iter(s).map(|m| (m.start(), m.as_str()))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\''
}

/// The first match of the topic at or after `from` that stands as whole words.
fn find_topic(ev: &Evidence, clause: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while at <= clause.len() {
        let m = ev.topic.find_at(clause, at)?;
        let before_ok = !clause[..m.start()].chars().next_back().is_some_and(is_word_char);
        let after_ok = !clause[m.end()..].chars().next().is_some_and(is_word_char);
        if before_ok && after_ok && m.end() > m.start() {
            return Some((m.start(), m.end()));
        }
        at = m.start() + clause[m.start()..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Whether `object` (the text after the verb) names the item, as the verb's plain object: the item within a few
/// words, nothing between that makes the object something else, and nothing after that narrows it to a part.
/// Returns the end of the item in `object`.
fn names_item(ev: &Evidence, object: &str) -> Option<usize> {
    let (start, end) = find_topic(ev, object, 0)?;
    let window = &object[..start];
    if words(window).count() > MAX_WINDOW_WORDS || window_block().is_match(window) {
        return None;
    }
    if ev.unless.as_ref().is_some_and(|u| u.is_match(&object[..end])) {
        return None;
    }
    if ev.narrowed_by.as_ref().is_some_and(|n| n.is_match(&object[end..])) {
        return None;
    }
    Some(end)
}

/// Skips lead-in phrases at the start of `s` (after the negation); returns the rest.
fn skip_lead_ins(mut s: &str) -> &str {
    loop {
        let trimmed = s.trim_start();
        let next = LEAD_INS
            .iter()
            .find(|l| trimmed.starts_with(*l) && !trimmed[l.len()..].chars().next().is_some_and(is_word_char));
        match next {
            Some(l) => s = &trimmed[l.len()..],
            None => return trimmed,
        }
    }
}

/// Whether `rest` (what follows a negation, or a statement's subject and auxiliaries) is a verb of doing and its
/// object the item; or the item itself when it is a verb ("we did not load test", "we load tested the API") and the
/// entry asks for no particular verb.
fn acts_on_item(ev: &Evidence, rest: &str) -> bool {
    let rest = skip_lead_ins(rest);
    let Some((at, first)) = words(rest).next() else { return false };
    if at != 0 {
        return false;
    }
    if ACTION_VERBS.contains(&first) {
        if ev.verb.as_ref().is_some_and(|v| !v.is_match(first)) {
            return false;
        }
        let object = rest[first.len()..].trim_start_matches(" up");
        return names_item(ev, object).is_some();
    }
    ev.verb.is_none() && find_topic(ev, rest, 0).is_some_and(|(s, _)| s == 0) && names_item(ev, rest).is_some()
}

/// One clause's stance on the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stance {
    Denies,
    States,
    Neither,
}

/// Whether a clause has a first-person subject before `at`, or inherits one: a clause that opens with its verb
/// ("..., but were unable to deploy it") takes the subject of the clause before.
fn has_subject(before: &str, sentence_has_subject: bool) -> bool {
    first_person().is_match(before)
        || (sentence_has_subject
            && words(before).all(|(_, w)| matches!(w, "also" | "then" | "and" | "unfortunately" | "sadly" | "however")))
}

fn stance(ev: &Evidence, clause: &str, sentence_has_subject: bool) -> Stance {
    for m in negation().find_iter(clause) {
        let before = &clause[..m.start()];
        if !has_subject(before, sentence_has_subject) || not_plain_before().is_match(before) {
            continue;
        }
        if acts_on_item(ev, &clause[m.end()..]) {
            return Stance::Denies;
        }
    }
    if ev.verb.is_none() {
        if ev.passive_denial.is_match(clause) {
            return Stance::Denies;
        }
        for m in ev.none.find_iter(clause) {
            let before = &clause[..m.start()];
            if not_plain_before().is_match(before) || names_item(ev, &clause[m.start() + 2..]).is_none() {
                continue;
            }
            let Some((_, end)) = find_topic(ev, clause, m.start() + 2) else { continue };
            if plain_none_ending(&clause[end..]) {
                return Stance::Denies;
            }
        }
    }
    if not_accomplished().is_match(clause) {
        return Stance::Neither;
    }
    if ev.verb.is_none() && ev.passive_statement.is_match(clause) {
        return Stance::States;
    }
    for c in statement_pattern().captures_iter(clause) {
        let Some(after) = c.get(0) else { continue };
        if acts_on_item(ev, &clause[after.end()..]) {
            return Stance::States;
        }
    }
    Stance::Neither
}

/// After "no <item>": the clause ends, or goes on with what was not done ("no load testing *was performed*", "no
/// load testing *of the API*"), not with something that happened ("no tests *failed*", "no drift *detected*").
fn plain_none_ending(rest: &str) -> bool {
    let mut w = words(rest).map(|(_, w)| w);
    match w.next() {
        None => true,
        Some("of" | "on" | "at" | "whatsoever" | "yet" | "either" | "in" | "so" | "and" | "or") => true,
        Some("was" | "were" | "is" | "are" | "has" | "have" | "had") => {
            let next = w.find(|x| *x != "been" && *x != "ever");
            next.map_or(true, |x| past_participle().is_match(x))
        }
        Some(_) => false,
    }
}

/// A sentence that denies the item but says, in another clause, that the verb happened somewhere it does not name
/// as elsewhere ("we did not manage to train in the cloud, however we did manage to get it to train on a CPU"):
/// ambiguous.
fn verb_happened_unplaced(ev: &Evidence, clauses: &[String]) -> bool {
    let (Some(verb), Some(elsewhere)) = (&ev.verb, &ev.elsewhere) else { return false };
    clauses.iter().any(|c| {
        !negation().is_match(c)
            && !not_word().is_match(c)
            && first_person().is_match(c)
            && words(c).any(|(_, w)| verb.is_match(w))
            && find_topic(ev, c, 0).is_none()
            && !elsewhere.is_match(c)
    })
}

/// A clause that mentions the item after a first-person negation, however loosely ("we did not proceed with
/// implementations of load tests"): not plain enough to accuse a group of a ticked box, but enough to make a
/// statement of accomplishment elsewhere in the answer ambiguous.
fn loosely_denies(ev: &Evidence, clause: &str, sentence_has_subject: bool) -> bool {
    negation()
        .find_iter(clause)
        .any(|m| has_subject(&clause[..m.start()], sentence_has_subject) && find_topic(ev, clause, m.end()).is_some())
        || ev.none.is_match(clause)
}

/// A first-person clause in which the group does something, the item named after the verb however far, with
/// nothing negated, hypothetical or attempted ("we ran a few locust users against it"): enough to make a denial
/// elsewhere in the answer ambiguous.
fn loosely_states(ev: &Evidence, clause: &str) -> bool {
    // Only negated and plainly hypothetical clauses are left out: a guard errs towards ambiguity.
    if negated_or_hypothetical().is_match(clause) {
        return false;
    }
    let Some(subject) = first_person().find(clause) else { return false };
    words(&clause[subject.end()..]).any(|(at, w)| {
        ACTION_VERBS.contains(&w)
            && ev.verb.as_ref().map_or(true, |v| v.is_match(w))
            && find_topic(ev, clause, subject.end() + at + w.len()).is_some()
    })
}

/// A sentence of an answer with its clauses, lower-cased.
struct Sentence {
    text: String,
    clauses: Vec<String>,
}

fn sentences_of(markdown: &str) -> Vec<Sentence> {
    let plain = plain_text(markdown);
    sentences(&plain)
        .into_iter()
        .map(|r| {
            let text = plain[r].split_whitespace().collect::<Vec<_>>().join(" ");
            let lower = text.to_lowercase();
            let clauses = clause_break().split(&lower).map(str::to_string).filter(|c| !c.trim().is_empty()).collect();
            Sentence { text, clauses }
        })
        .collect()
}

/// Shortens a sentence for a message.
fn shorten(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let cut: String = s.chars().take(max_chars).collect();
    format!("{}…", cut.trim_end())
}

/// What the answers of one evidence entry say: the first plain denial and statement, and whether anything makes
/// either ambiguous.
struct Reading<'a> {
    denial: Option<(AnswerKey, &'a str, usize)>,
    statement: Option<(AnswerKey, &'a str, usize)>,
    /// Some clause states the item, however loosely.
    loose_statement: bool,
    /// Some clause denies the item, however loosely.
    loose_denial: bool,
    alternative_named: bool,
}

/// Every contradiction between the report's checklist and its answers.
pub fn contradictions(report: &Report) -> Vec<Contradiction> {
    let mut out = Vec::new();
    let any_tick = report.checklist.iter().any(|i| i.done);
    // Each answer's sentences once, whatever the number of entries that read it.
    let mut read: Vec<(AnswerKey, usize, Vec<Sentence>)> = Vec::new();
    for ev in evidence() {
        let states: Vec<(ChecklistId, bool)> =
            ev.spec.items.iter().filter_map(|&id| report.tick(id).map(|done| (id, done))).collect();
        if states.is_empty() {
            continue;
        }
        for &key in ev.spec.questions {
            if read.iter().any(|(k, _, _)| *k == key) {
                continue;
            }
            if let Some(a) = report.answer(key).filter(|a| a.answered) {
                read.push((key, a.line, sentences_of(&a.markdown)));
            }
        }
        let reading = read_evidence(ev, &read);
        let ticked: Vec<ChecklistId> = states.iter().filter(|(_, d)| *d).map(|(id, _)| *id).collect();
        if !ticked.is_empty() {
            if let (Some((key, sentence, line)), false, false) =
                (reading.denial, reading.statement.is_some() || reading.loose_statement, reading.alternative_named)
            {
                for item in ticked {
                    out.push(Contradiction {
                        item,
                        ticked: true,
                        question: key,
                        sentence: shorten(sentence, 400),
                        line,
                    });
                }
            }
            continue;
        }
        // Every box of the entry is unticked. Groups that ticked nothing at all did not fill in their checklist;
        // that is one finding of its own, not one per item.
        if !any_tick || reading.denial.is_some() || reading.loose_denial {
            continue;
        }
        let found = match ev.spec.reverse {
            Reverse::No => None,
            Reverse::Statement => reading.statement.map(|(key, sentence, line)| (key, sentence.to_string(), line)),
            Reverse::CoverageFigure => coverage_statement(report),
        };
        if let Some((key, sentence, line)) = found {
            for &(item, _) in &states {
                out.push(Contradiction { item, ticked: false, question: key, sentence: shorten(&sentence, 400), line });
            }
        }
    }
    out
}

fn read_evidence<'a>(ev: &Evidence, read: &'a [(AnswerKey, usize, Vec<Sentence>)]) -> Reading<'a> {
    let mut reading = Reading {
        denial: None,
        statement: None,
        loose_statement: false,
        loose_denial: false,
        alternative_named: false,
    };
    for (key, line, sentences) in read.iter().filter(|(k, _, _)| ev.spec.questions.contains(k)) {
        for s in sentences {
            if ev.alternatives.as_ref().is_some_and(|a| s.clauses.iter().any(|c| a.is_match(c))) {
                reading.alternative_named = true;
            }
            let sentence_has_subject = s.clauses.iter().any(|c| first_person().is_match(c));
            let mut denies = false;
            let mut states = false;
            for c in &s.clauses {
                reading.loose_denial |= loosely_denies(ev, c, sentence_has_subject);
                reading.loose_statement |= loosely_states(ev, c);
                match stance(ev, c, sentence_has_subject) {
                    Stance::Denies => denies = true,
                    Stance::States => states = true,
                    Stance::Neither => {}
                }
            }
            if denies && verb_happened_unplaced(ev, &s.clauses) {
                states = true;
            }
            if denies && reading.denial.is_none() {
                reading.denial = Some((*key, s.text.as_str(), *line));
            }
            if states && reading.statement.is_none() {
                reading.statement = Some((*key, s.text.as_str(), *line));
            }
        }
    }
    reading
}

/// The sentence stating the coverage figure the report's facts hold, when the coverage answer states one.
fn coverage_statement(report: &Report) -> Option<(AnswerKey, String, usize)> {
    let value = report.facts.coverage?;
    let answer = report.answer(AnswerKey::Coverage)?;
    let figure = format!("{value}");
    let sentences = sentences_of(&answer.markdown);
    let with_figure = sentences.iter().find(|s| {
        s.text.match_indices(&figure).any(|(at, _)| {
            let after = s.text[at + figure.len()..].trim_start();
            !s.text[..at].chars().next_back().is_some_and(|c| c.is_ascii_digit() || c == '.')
                && (after.starts_with('%') || after.to_lowercase().starts_with("percent"))
        })
    });
    let chosen = with_figure.or_else(|| sentences.iter().find(|s| s.text.contains('%')))?;
    Some((AnswerKey::Coverage, chosen.text.clone(), answer.line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::ITEM_EVIDENCE;

    fn ev(item: ChecklistId) -> &'static Evidence {
        evidence().iter().find(|e| e.spec.items.contains(&item)).unwrap()
    }

    fn clause_stance(item: ChecklistId, text: &str) -> Stance {
        let s = &sentences_of(text)[0];
        let has = s.clauses.iter().any(|c| first_person().is_match(c));
        let stances: Vec<Stance> = s.clauses.iter().map(|c| stance(ev(item), c, has)).collect();
        if stances.contains(&Stance::Denies) {
            Stance::Denies
        } else if stances.contains(&Stance::States) {
            Stance::States
        } else {
            Stance::Neither
        }
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(evidence().len(), ITEM_EVIDENCE.len());
    }

    #[test]
    fn plain_denials() {
        use ChecklistId as C;
        for (item, text) in [
            (C::LoadTest, "We did not load test the API."),
            (C::LoadTest, "No, we did not perform any unit testing or load testing of the service."),
            (C::LoadTest, "The API got unit tests, but no load testing was done."),
            (C::LoadTest, "Load testing was not performed because we ran out of time."),
            (C::CloudDeploy, "We did not manage to deploy our model to the cloud."),
            (C::CloudDeploy, "It runs on a laptop, but we were unable to deploy it in the cloud."),
            (C::Frontend, "We did not have time to implement a frontend."),
            (C::DataVersioning, "We did not use DVC in this project."),
            (C::CloudTraining, "We did not train the model in the cloud; a laptop was enough."),
            (C::TestsData, "We did not write any unit tests."),
            (C::PreCommit, "We do not use pre-commit hooks."),
        ] {
            assert_eq!(clause_stance(item, text), Stance::Denies, "{text}");
        }
    }

    #[test]
    fn not_denials() {
        use ChecklistId as C;
        for (item, text) in [
            (C::LoadTest, "We did not only load test the API but also profiled it."),
            (C::LoadTest, "We did not do unit testing on the API, but we did do some simple load testing."),
            (C::LoadTest, "The load test did not result in any failures."),
            (C::LoadTest, "We did not test the API until it crashed."),
            (C::LoadTest, "If we did not load test, we would not know the latency."),
            (C::TestsData, "We did not write tests for the frontend."),
            (C::TestsData, "No tests failed in the last run."),
            (C::TestsData, "We did not write integration tests."),
            (C::CloudDeploy, "We did not deploy the frontend to the cloud."),
            (C::CloudDeploy, "We were unable to get GPUs in the cloud."),
            (C::CloudTraining, "We did not host the model in the cloud."),
            (C::DataVersioning, "We initially did not use DVC but added it at the end."),
            (C::DataVersioning, "We did not fully use the versioning of DVC."),
            (C::PreCommit, "We did not have issues implementing pre-commit hooks."),
            (C::DriftApi, "We saw no data drift detected in the first week."),
        ] {
            assert_ne!(clause_stance(item, text), Stance::Denies, "{text}");
        }
    }

    #[test]
    fn plain_statements() {
        use ChecklistId as C;
        assert_eq!(clause_stance(C::LoadTest, "We used locust to load test the API."), Stance::States);
        assert_eq!(clause_stance(C::CloudDeploy, "Then we deployed our model in the cloud."), Stance::States);
        assert_eq!(clause_stance(C::PreCommit, "We have also used pre-commit."), Stance::States);
        assert_eq!(clause_stance(C::LoadTest, "We load tested the API with locust."), Stance::States);
        assert_eq!(clause_stance(C::LoadTest, "We would have used locust to load test."), Stance::Neither);
        assert_eq!(clause_stance(C::LoadTest, "We tried to load test the API with locust."), Stance::Neither);
    }
}
