//! Fact extraction: numbers stated in the keyed answers. A fact the report does not state is `None`: never a guess.
//!
//! Each fact is read from the first answer with its key (shared/design/QUESTIONS.md, "Numbers to extract"). The
//! readers work on a plain-text view of the answer and look for the wordings groups really use. When an answer
//! states numbers that do not give one value (two currencies and no total, a total smaller than one of its parts)
//! the fact stays `None` and a warning says why.

use super::model::{Answer, CreditUnit, CreditsSpent, Facts, Warning, WarningKind};
use super::template::AnswerKey;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Facts and the warnings met while reading them.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub facts: Facts,
    pub warnings: Vec<Warning>,
}

/// A regex compiled once, on first use.
macro_rules! regex {
    ($re:expr $(,)?) => {{
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new($re).expect("valid constant regex"))
    }};
}

/// Number words groups write instead of digits, longest first so that "seventeen" is not read as "seven".
const NUMBER_WORDS: &str = "(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|zero|one|two|three|four|five|six|seven|eight|nine|ten)";

/// The outcome of reading one fact.
#[derive(Debug, Clone, PartialEq)]
enum Reading<T> {
    /// The answer states it.
    Found(T),
    /// The answer states no such number.
    Absent,
    /// The answer states numbers that do not give one value; the reason goes into a warning.
    Unclear(String),
}

/// Reads the facts from a report's answers.
pub fn extract_facts(answers: &[Answer]) -> Extracted {
    let text = |key: AnswerKey| answer_text(answers, key);
    let mut warnings = Vec::new();

    let mut students = text(AnswerKey::Students).map(student_ids).unwrap_or_default();
    if students.is_empty() {
        // Some groups leave question 2 empty but name every member by id in the contributions answer.
        students = text(AnswerKey::Contributions).map(student_ids).unwrap_or_default();
    }
    let group = text(AnswerKey::Group).and_then(group_number);
    let tests = text(AnswerKey::Tests).map_or(Reading::Absent, test_count);
    let coverage = text(AnswerKey::Coverage).map_or(Reading::Absent, coverage_percent);
    let credits = text(AnswerKey::Credits).map_or(Reading::Absent, |t| credits_spent(t, students.len()));
    let most_expensive_service = text(AnswerKey::Credits).and_then(most_expensive_service);

    let facts = Facts {
        group,
        tests: settle(tests, &mut warnings),
        coverage: settle(coverage, &mut warnings),
        credits: settle(credits, &mut warnings),
        most_expensive_service,
        students,
    };
    Extracted { facts, warnings }
}

/// Facts are read from the first this-many bytes of an answer: the template asks for a few hundred words, and a
/// pasted log of megabytes must not make reading quadratic.
const MAX_FACT_TEXT: usize = 20_000;

/// The markdown of the first answer with `key`, when that answer is filled in (at most [`MAX_FACT_TEXT`] bytes).
fn answer_text(answers: &[Answer], key: AnswerKey) -> Option<&str> {
    answers.iter().find(|a| a.key == Some(key)).filter(|a| a.answered).map(|a| {
        let mut end = a.markdown.len().min(MAX_FACT_TEXT);
        while !a.markdown.is_char_boundary(end) {
            end -= 1;
        }
        &a.markdown[..end]
    })
}

/// The value of a reading; an unclear reading becomes a warning.
fn settle<T>(reading: Reading<T>, warnings: &mut Vec<Warning>) -> Option<T> {
    match reading {
        Reading::Found(v) => Some(v),
        Reading::Absent => None,
        Reading::Unclear(message) => {
            warnings.push(Warning { line: None, kind: WarningKind::Fact, message });
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Text preparation
// ---------------------------------------------------------------------------------------------------------------

/// The answer as plain text, line breaks kept: comments, images, link targets, HTML tags, emphasis, escapes and any
/// leftover template placeholder (`--- question 7 fill here ---`) removed, so that numbers in file names and URLs
/// are not read and `**13 tests**` reads as `13 tests`.
pub(crate) fn plain_text(markdown: &str) -> String {
    let t = regex!(r"(?s)<!--.*?-->").replace_all(markdown, " ");
    let t = regex!(r"!\[[^\]]*\]\([^)\n]*\)?").replace_all(&t, " ");
    let t = regex!(r"\[([^\]]*)\]\([^)\n]*\)").replace_all(&t, "$1");
    // An HTML table row becomes one line, "TOTAL | 147 | 26 | 82%", like a markdown table row.
    let t = regex!(r"(?i)</t[dh]>\s*<t[dh][^>]*>").replace_all(&t, " | ");
    let t = regex!(r"(?i)</tr>").replace_all(&t, "\n");
    let t = regex!(r"</?[A-Za-z][^>\n]*>").replace_all(&t, " ");
    let t = regex!(r"(?i)-{2,}\s*(?:question\s*\d+\s*)?fill here\s*-{2,}").replace_all(&t, " ");
    let t = regex!(r"-{3,}").replace_all(&t, " ");
    let t = regex!(r"\\([$%_*#\[\]])").replace_all(&t, "$1");
    let t = regex!(r"[*`]").replace_all(&t, "");
    t.replace('\u{a0}', " ").replace(['\u{2018}', '\u{2019}'], "'")
}

/// Splits text into sentences (byte ranges): at line breaks, except where a hard-wrapped line goes on in lower
/// case; and after `.`, `!`, `?` or `;` followed by a space and an upper-case letter, a digit or a currency sign, so
/// that decimals ("83.4") and abbreviations before lower case ("kr. worth") stay whole.
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let mut rest = chars[i + 1..].iter().map(|&(_, c)| c);
        let end_here = match c {
            '\n' => {
                let line_before = text[start..at].lines().last().unwrap_or("");
                let next = rest.find(|c| *c == '\n' || !c.is_whitespace());
                line_before.trim().is_empty() || !next.is_some_and(|c| c.is_lowercase())
            }
            '.' | '!' | '?' | ';' => {
                rest.next().is_some_and(char::is_whitespace)
                    && rest
                        .find(|c| !c.is_whitespace())
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '$' || c == '€')
            }
            _ => false,
        };
        if end_here {
            out.push(start..at + c.len_utf8());
            start = at + c.len_utf8();
        }
    }
    out.push(start..text.len());
    out.retain(|r| !text[r.clone()].trim().is_empty());
    out
}

/// The sentence containing byte offset `at`.
fn sentence_of(sentences: &[Range<usize>], at: usize) -> Range<usize> {
    sentences.iter().find(|r| r.contains(&at)).cloned().unwrap_or(at..at)
}

/// Moves `i` down to the nearest char boundary of `s`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Moves `i` up to the nearest char boundary of `s`.
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Value of a number word ("seven", "twenty-one").
fn word_value(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
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
    ];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let word = word.to_lowercase();
    let mut parts = word.split([' ', '-']).filter(|p| !p.is_empty());
    let first = parts.next()?;
    let second = parts.next();
    if let Some(u) = UNITS.iter().position(|&w| w == first) {
        return second.is_none().then_some(u as u32);
    }
    let tens = 20 + 10 * TENS.iter().position(|&w| w == first)? as u32;
    match second {
        None => Some(tens),
        Some(s) => UNITS[1..10].iter().position(|&w| w == s).map(|u| tens + u as u32 + 1),
    }
}

/// Value of a written count: digits or a number word.
fn count_value(s: &str) -> Option<u32> {
    s.parse().ok().or_else(|| word_value(s))
}

// ---------------------------------------------------------------------------------------------------------------
// Group and students
// ---------------------------------------------------------------------------------------------------------------

/// The group number: "MLOPS 15", "Group 37", "G35", "Awesome 21", or a bare "11". The course number (02476) and
/// years have four or more digits and are never taken.
fn group_number(markdown: &str) -> Option<u32> {
    let text = plain_text(markdown);
    // A number right after a word naming the group is the group number, whatever else the answer says.
    let named = regex!(r#"(?i)\b(?:group|mlops|team|awesome|g|number|nr|no)[\s:#'"._-]*0*(\d{1,3})\b"#);
    if let Some(c) = named.captures(&text) {
        return c[1].parse().ok();
    }
    regex!(r"\b\d{1,3}\b").find(&text).and_then(|m| m.as_str().parse().ok())
}

/// Student ids as written, distinct (case-insensitively), in order: DTU's `s243906`, other universities' `c1234567`
/// or plain six- to eight-digit numbers. Names, e-mail addresses and the template's `sXXXXXX` are not ids.
fn student_ids(markdown: &str) -> Vec<String> {
    let text = plain_text(markdown);
    let mut ids: Vec<String> = Vec::new();
    for m in regex!(r"(?i)\b(?:[sc]\d{5,7}|\d{6,8})\b").find_iter(&text) {
        if !ids.iter().any(|id| id.eq_ignore_ascii_case(m.as_str())) {
            ids.push(m.as_str().to_string());
        }
    }
    ids
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

/// Words that may stand between a count and "tests": "13 unit and integration tests", "four key tests".
const TEST_MODIFIERS: &str = "unit|integration|performance|load|automated|automatic|different|distinct|main|key|separate|pytest|style|api|data|model|training|train|simple|additional|more|new|basic|functional|end-to-end|e2e|smoke|active|individual|total|unittest|parametri[sz]ed|parameteri[sz]ed|small|core|important|critical|frontend|backend|sanity|regression|dedicated|test|other|further|extra|passing|implemented|meaningful|comprehensive|specific|custom|simulated|mock";

/// Nouns after "test" that make the count one of something else: "4 test files", "three test modules".
const NOT_TESTS: &str = "files?|modules?|functions?|suites?|scripts?|folders?|classes|types?|categories|sets?|directories|areas|data|images|samples|splits?";

/// A statement of a number of tests: "13 unit tests", "seven tests", "a model test".
#[derive(Debug, Clone)]
struct TestMention {
    count: u32,
    /// Written "a"/"an": one test named in passing, counted only as part of a breakdown.
    article: bool,
    /// "28 test cases": parametrised instances restating a count, used only when nothing else is stated.
    cases: bool,
    /// Marked as the total ("in total", "a total of", "overall").
    total: bool,
    /// The kind of test when stated: unit, integration, performance.
    kind: Option<&'static str>,
    /// What the tests are about when said right after ("for the data"): a mention with a subject is a part.
    subject: Option<String>,
}

/// The total number of tests the answer states. An explicit total wins over a breakdown; a breakdown with no total
/// is summed; test names and numbers of files, modules or test types are never counted.
fn test_count(markdown: &str) -> Reading<u32> {
    choose_test_count(&test_mentions(markdown))
}

fn test_mentions(markdown: &str) -> Vec<TestMention> {
    let text = plain_text(markdown);
    // Asides without digits ("(active)", "(uv run pytest --collect-only)") sit between a count and its noun.
    let text = regex!(r"\([^()\d]*\)").replace_all(&text, " ");
    let mention = regex!(&format!(
        r"(?i)\b(?P<n>\d{{1,4}}|{NUMBER_WORDS}|an?)(?P<mods>(?:[\s/-]+(?:(?:and|or|&)\s+)?(?:{TEST_MODIFIERS}))*)[\s-]+(?P<noun>unit-?tests?|unittests?|test[\s-]?cases?|tests?)\b(?P<tail>[\s-]+(?:{NOT_TESTS})\b)?"
    ));
    let total_marker = regex!(r"(?i)\b(?:total|overall|altogether|all together|in all)\b");
    let subject_word = regex!(
        r"(?i)\b(data|dataset|dataloader|datamodule|model|models|api|endpoints?|train|training|trainer|frontend|backend|preprocessing|inference|evaluation)\b"
    );
    let mut out = Vec::new();
    for range in sentences(&text) {
        let sentence = &text[range];
        let mut found: Vec<(Range<usize>, TestMention)> = Vec::new();
        for c in mention.captures_iter(sentence) {
            if c.name("tail").is_some() {
                continue;
            }
            let n = &c["n"];
            let article = n.eq_ignore_ascii_case("a") || n.eq_ignore_ascii_case("an");
            let Some(count) = (if article { Some(1) } else { count_value(n) }) else { continue };
            let mods = c["mods"].to_lowercase();
            let noun = c["noun"].to_lowercase();
            // "The first one tests that ...": "tests" is the verb there.
            if count == 1 && mods.trim().is_empty() && noun.ends_with('s') {
                continue;
            }
            let kind = if noun.starts_with("unit") || mods.contains("unit") {
                Some("unit")
            } else if mods.contains("integration") {
                Some("integration")
            } else if mods.contains("performance") || mods.contains("load") {
                Some("performance")
            } else {
                None
            };
            // What follows the noun up to the next clause break says what the tests are about.
            let after = &sentence[c.get(0).map_or(0, |m| m.end())..];
            let clause = after.split([',', ':', ';', '.', '(']).next().unwrap_or("");
            let clause: String = clause.chars().take(40).collect();
            let subject = subject_word.find(&clause).map(|m| m.as_str().to_lowercase());
            let whole = c.get(0).map_or(0..0, |m| m.range());
            found.push((
                whole,
                TestMention { count, article, cases: noun.contains("case"), total: false, kind, subject },
            ));
        }
        // Each total marker belongs to the nearest count in its sentence.
        for marker in total_marker.find_iter(sentence) {
            let nearest = found
                .iter_mut()
                .filter(|(_, m)| !m.article && !m.cases)
                .min_by_key(|(r, _)| r.start.abs_diff(marker.start()).min(r.end.abs_diff(marker.end())));
            if let Some((_, m)) = nearest {
                m.total = true;
            }
        }
        out.extend(found.into_iter().map(|(_, m)| m));
    }
    out
}

fn choose_test_count(mentions: &[TestMention]) -> Reading<u32> {
    let plain: Vec<&TestMention> = mentions.iter().filter(|m| !m.cases).collect();
    let numbered: Vec<&TestMention> = plain.iter().copied().filter(|m| !m.article).collect();
    if numbered.is_empty() {
        // "a model test" alone states no count; "28 test cases" alone is the count.
        return match mentions.iter().find(|m| m.cases) {
            Some(m) => Reading::Found(m.count),
            None => Reading::Absent,
        };
    }
    // A total said of one subject ("in total three tests for the data") is a part like the others.
    if let Some(total) = numbered.iter().find(|m| m.total && m.subject.is_none()) {
        if let Some(part) = numbered.iter().find(|m| m.count > total.count) {
            return Reading::Unclear(format!(
                "tests: the stated total ({}) is smaller than one of its parts ({})",
                total.count, part.count
            ));
        }
        // "9 unit tests in total" beside "2 integration tests" and "1 performance test": that total counts one
        // kind only, so the other kinds are added.
        let others: u32 = match total.kind {
            Some("unit") => {
                numbered.iter().filter(|m| matches!(m.kind, Some("integration" | "performance"))).map(|m| m.count).sum()
            }
            _ => 0,
        };
        return Reading::Found(total.count + others);
    }
    let first = numbered[0];
    if plain.len() == 1 {
        return Reading::Found(first.count);
    }
    // "We implemented 9 tests across three areas" followed by its breakdown: a whole stated first, before parts
    // that are each smaller.
    let first_at = plain.iter().position(|m| std::ptr::eq(*m, first)).unwrap_or(0);
    let rest_smaller = plain[first_at + 1..].iter().all(|m| m.count < first.count);
    if first.subject.is_none() && rest_smaller {
        return Reading::Found(first.count);
    }
    // A breakdown: sum the parts, once each ("2 tests for the model" said twice is one statement).
    let mut parts: Vec<&TestMention> = Vec::new();
    for m in &plain {
        let repeat = m.subject.is_some()
            && parts.iter().any(|p| p.count == m.count && p.subject == m.subject && p.kind == m.kind);
        if !repeat {
            parts.push(m);
        }
    }
    let sum: u32 = parts.iter().map(|m| m.count).sum();
    // A count that says nothing about its subject and equals the sum of all the others is the whole.
    if let Some(whole) = parts.iter().find(|m| !m.article && m.subject.is_none() && 2 * m.count == sum) {
        return Reading::Found(whole.count);
    }
    Reading::Found(sum)
}

// ---------------------------------------------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------------------------------------------

/// Words naming one part of the code base: a coverage figure said of one of them is not the total.
const COMPONENTS: &str = "data|dataset|datamodule|dataloader|model|models|api|train|training|trainer|evaluate|evaluation|inference|frontend|backend|module|file|script|scripts|utils?|visuali[sz]ation|predict\\w*";

/// How much a stated percentage looks like the total coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CoverageRank {
    /// About one file or component ("data.py 84%", "the API tests reach 40%").
    Component = 1,
    /// A coverage figure with nothing saying what it covers ("our code coverage is 43%").
    Plain = 2,
    /// Said to be the total, overall or average figure, or the TOTAL row of a coverage report.
    Total = 3,
}

/// The total code coverage the answer states, in percent: "86%", "$70\%$", "72 of the code", "60 to 70 percent"
/// (the midpoint). Hypothetical figures ("even with 100% coverage"), bounds ("below 10%") and per-file figures are
/// not the total; when only per-file figures are given there is no total.
fn coverage_percent(markdown: &str) -> Reading<f64> {
    let text = plain_text(markdown).replace('$', "");
    let sents = sentences(&text);
    // A figure, or a range ("60 to 70 percent", "35-40%", "between 95% and 100%") standing for its midpoint.
    let figure = regex!(
        r"(?i)(?:between\s+(?P<blo>\d{1,3}(?:\.\d+)?)\s*%?\s*and\s+|(?P<lo>\d{1,3}(?:\.\d+)?)\s*%?\s*(?:-|–|to)\s*)?(?P<n>\d{1,3}(?:\.\d+)?)\s*\]?\s*(?:%|percent\b|per cent\b|\s+of\s+(?:the\s+|our\s+)?(?:project's\s+|projects\s+)?code\b)"
    );
    let mut best: Option<(CoverageRank, f64)> = None;
    // The previous figure's end and rank: "data, model and api: 40%, 60% and 100%" are all per component.
    let list_gap = regex!(r"^[\s,]*(?:and\s+)?$");
    let mut previous: Option<(usize, Option<CoverageRank>)> = None;
    for c in figure.captures_iter(&text) {
        let (Some(whole), Some(n)) = (c.get(0), c.name("n")) else { continue };
        let Ok(mut value) = n.as_str().parse::<f64>() else { continue };
        if let Some(lo) = c.name("lo").or(c.name("blo")).and_then(|lo| lo.as_str().parse::<f64>().ok()) {
            if lo < value {
                value = (lo + value) / 2.0;
            }
        }
        if value > 100.0 {
            continue;
        }
        let listed = previous.filter(|&(end, _)| list_gap.is_match(&text[end..whole.start()]));
        let own = coverage_rank(&text, &sents, whole.start(), whole.end());
        let rank = match listed {
            Some((_, rank)) if own != Some(CoverageRank::Total) => rank,
            _ => own,
        };
        previous = Some((whole.end(), rank));
        let Some(rank) = rank else { continue };
        if !best.is_some_and(|(r, _)| r >= rank) {
            best = Some((rank, value));
        }
    }
    match best {
        Some((rank, value)) if rank >= CoverageRank::Plain => Reading::Found(value),
        _ => Reading::Absent,
    }
}

/// Ranks one percentage by its context; `None` when it is not a coverage figure of this code base.
fn coverage_rank(text: &str, sents: &[Range<usize>], start: usize, end: usize) -> Option<CoverageRank> {
    let sentence = sentence_of(sents, start);
    // A figure can run past its sentence's end (a break between the number and `%`): the windows then stay empty
    // rather than reach backwards.
    let before = &text[floor_boundary(text, start.saturating_sub(70).max(sentence.start).min(start))..start];
    let after = &text[end..ceil_boundary(text, (end + 45).min(sentence.end).max(end))];
    // What follows, up to the next figure: "model 36%, 55% overall" says nothing of the 36.
    let after = &after[..after.find(|c: char| c.is_ascii_digit()).unwrap_or(after.len())];
    let before_l = before.to_lowercase();
    let after_l = after.to_lowercase();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..text[start..].find('\n').map_or(text.len(), |i| start + i)];

    // The TOTAL row of a coverage report table.
    if regex!(r"(?i)^\s*\|?\s*total\b").is_match(line) {
        return Some(CoverageRank::Total);
    }
    // "Even if we had 100%", "far from 100%", "would be 80%", "100% coverage does not mean ...".
    let hypothetical = regex!(
        r"(?i)\b(?:even|would|wouldn't|could|couldn't|should|hypothetically|achieving|reaching|goal|not reach)\b|far from|away from|close to|\bif\b[^,.]*\b(?:had|were|was|achieved?|reached?|got|get)\b"
    );
    if hypothetical.is_match(&before_l)
        || regex!(r"^\s*(?:code\s+)?(?:coverage\s+)?(?:is\s+)?(?:does|doesn't|is not|isn't|means|sounds|would|can|still|or close|goal)\b")
            .is_match(&after_l)
    {
        return None;
    }
    // "below 10%", "more than 50%": a bound, not a figure.
    if regex!(r"(?i)(?:below|under|less than|more than|above|over|at least)\s*\(?\s*$").is_match(&before_l) {
        return None;
    }
    let sentence_l = text[sentence.clone()].to_lowercase();
    let total_before =
        regex!(r"\b(?:total|overall|average|all (?:of )?(?:our|the)|entire|whole)\b").is_match(&before_l);
    let total_after =
        regex!(r"^[^.]{0,25}\b(?:across (?:all|the|our)|of (?:all|the whole|the entire)|in total|overall|total)\b")
            .is_match(&after_l);
    let partial = regex!(r"\bif we only\b|\bonly (?:look|consider|count)").is_match(&after_l);
    let component = regex!(&format!(r"\.py\b|\btest_\w+|\b(?:{COMPONENTS})\b"));
    let about_coverage = regex!(r"cover|coerage|covarage").is_match(&sentence_l);
    if (total_before || total_after) && !partial {
        return Some(CoverageRank::Total);
    }
    if !about_coverage {
        return None;
    }
    // The clause the figure ends; for "as follows: 40%", the clause before the colon.
    let clause_before = before_l.rsplit([',', ';', ':']).find(|c| !c.trim().is_empty()).unwrap_or("");
    let names_component = component.is_match(clause_before)
        || regex!(r"^\s*\)?\s*(?:coverage\s+)?(?:for|on|in|of)\s+(?:the\s+)?\w+").is_match(&after_l)
            && component.is_match(after_l.split([',', '.', ';']).next().unwrap_or(""));
    if names_component || partial {
        Some(CoverageRank::Component)
    } else {
        Some(CoverageRank::Plain)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Credits
// ---------------------------------------------------------------------------------------------------------------

/// What an amount in the credits answer is, from its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Said to be the total ("in total", "a total of", "came up to").
    Total,
    /// Spent by the group as a whole ("we used", "was spent").
    Group,
    /// Spent by one member ("s123456 used", "Group member 2 spent").
    Member,
    /// The cost of one service ("Compute Engine ($9.73)", "44.08 credits for Cloud Storage").
    Service,
    /// An amount with no spending wording.
    Other,
}

/// One amount of money or credits in the credits answer.
#[derive(Debug, Clone)]
struct Amount {
    value: f64,
    unit: CreditUnit,
    span: Range<usize>,
    role: Role,
    /// "20$ each": per member.
    each: bool,
}

/// GCP services as groups name them, with their canonical names. Order matters: longer names first.
const SERVICES: &[(&str, &str)] = &[
    (r"container registry vulnerability scanning|vulnerability scanning", "Vulnerability Scanning"),
    (
        r"compute en(?:gine|egine|igine)|cloud engine|\bcompute\b|engine instances?|vm instances?|virtual machines?|\bvms?\b|\bengine\b|instances",
        "Compute Engine",
    ),
    (r"cloud run", "Cloud Run"),
    (r"vertex\s*ai|vetex ai|\bvertex\b", "Vertex AI"),
    (r"artif\w*\s+registry", "Artifact Registry"),
    (r"container registry", "Container Registry"),
    (r"cloud build|docker builds?|\bbuilds?\b", "Cloud Build"),
    (r"cloud functions?", "Cloud Functions"),
    (r"cloud logging|\blogging\b", "Cloud Logging"),
    (r"cloud monitoring", "Cloud Monitoring"),
    (r"vm manager", "VM Manager"),
    (r"\bnetwork(?:ing)?\b", "Networking"),
    (r"cloud storage|google storage|\bgcs\b|\bbuckets?\b|\bstorage\b", "Cloud Storage"),
];

/// One alternation of every service name.
fn service_names() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let names: Vec<&str> = SERVICES.iter().map(|(pattern, _)| *pattern).collect();
        Regex::new(&format!("(?i)(?:{})", names.join("|"))).expect("valid constant regex")
    })
}

/// The canonical name of a service as written.
fn canonical_service(written: &str) -> Option<&'static str> {
    static RES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let res = RES.get_or_init(|| {
        SERVICES.iter().map(|(pattern, name)| (Regex::new(&format!("(?i)^(?:{pattern})$")).expect("valid constant regex"), *name)).collect()
    });
    res.iter().find(|(re, _)| re.is_match(written)).map(|(_, name)| *name)
}

/// Parses an amount as written: "2.12", "1,59" (decimal comma), "1,000" (thousands), "fifteen".
fn amount_value(s: &str) -> Option<f64> {
    if regex!(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$").is_match(s) {
        return s.replace(',', "").parse().ok();
    }
    if let Ok(v) = s.replace(',', ".").parse::<f64>() {
        return Some(v);
    }
    word_value(s).map(f64::from)
}

/// The unit of a currency as written.
fn unit_of(written: &str) -> CreditUnit {
    let w = written.to_lowercase();
    if w.contains('€') || w.starts_with("eur") {
        CreditUnit::EUR
    } else if w.starts_with("dkk") || w.starts_with("ddk") || w.starts_with("kr") || w.starts_with("danish") {
        CreditUnit::DKK
    } else if w.starts_with("credit") {
        CreditUnit::Credits
    } else {
        CreditUnit::USD
    }
}

/// Every amount of money or credits in the text, in order, with conversions ("125 DKK (~$18 USD)") dropped and
/// refinements ("around 3$ (2.9 as of now)") applied.
fn find_amounts(text: &str) -> Vec<Amount> {
    const NUM: &str = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?";
    let amount = regex!(&format!(
        r"(?i)(?P<pu>US\$|\$|€|\b(?:usd|dkk|ddk|eur)\b|\bkr\b\.?)\s*~?\s*(?P<pn>{NUM})(?:\s*(?:usd|dollars?)\b)?|\b(?P<sn>{NUM}|{NUMBER_WORDS})\s*(?P<su>\$|€|(?:usd|dkk|ddk|eur|euros?|(?:american\s+|us\s+)?dollars?|kroner|krone|kr|danish\s+(?:crowns|kroner|krone)|credits?)\b)"
    ));
    let range_before = regex!(
        r"(?i)(?:(?P<between>between)\s+)?(?:around\s+|about\s+|~)?(?P<lo>\d+(?:\.\d+)?)[ \t]*(?:-|–|to|and)[ \t]*(?:around\s+|about\s+)?$"
    );
    let range_after = regex!(r"^[ \t]*(?:-|–|to)[ \t]*(?:\$|€)?[ \t]*(?P<hi>\d+(?:\.\d+)?)");
    let mut out: Vec<Amount> = Vec::new();
    for c in amount.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let (number, unit) = match (c.name("pn"), c.name("pu"), c.name("sn"), c.name("su")) {
            (Some(n), Some(u), _, _) => (n, unit_of(u.as_str())),
            (_, _, Some(n), Some(u)) => (n, unit_of(u.as_str())),
            _ => continue,
        };
        let Some(mut value) = amount_value(number.as_str()) else { continue };
        let mut span = whole.range();
        // "40-60$", "between 3.49 and 3.82 USD", "$40-60": a range stands for its midpoint.
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        if c.name("sn").is_some() {
            if let Some(r) = range_before.captures(&text[line_start..span.start]) {
                let joined_by_and = r.get(0).is_some_and(|m| m.as_str().contains("and"));
                if let Some(lo) = r.name("lo").and_then(|m| m.as_str().parse::<f64>().ok()) {
                    if (!joined_by_and || r.name("between").is_some()) && lo < value {
                        value = (lo + value) / 2.0;
                        span.start = line_start + r.get(0).map_or(0, |m| m.start());
                    }
                }
            }
        } else if let Some(r) = range_after.captures(&text[span.end..]) {
            if let Some(hi) = r.name("hi").and_then(|m| m.as_str().parse::<f64>().ok()) {
                if hi > value {
                    value = (value + hi) / 2.0;
                    span.end += r.get(0).map_or(0, |m| m.end());
                }
            }
        }
        out.push(Amount { value, unit, span, role: Role::Other, each: false });
    }
    drop_conversions(text, out)
}

/// Drops an amount given in parentheses or after `~` right after another one: in another unit it is a
/// conversion; in the same unit (or a bare number, "around 3$ (2.9 as of now)") it is the more precise figure.
fn drop_conversions(text: &str, amounts: Vec<Amount>) -> Vec<Amount> {
    let paren = regex!(r"^\s*\$?\(([^()]{0,80})\)");
    let tilde = regex!(r"^\s*(?:~|≈)\s*$");
    let bare = regex!(r"^\s*(?:~|approx\.?|approximately|about|around)?\s*(\d+\.\d+)\b");
    let mut out: Vec<Amount> = Vec::new();
    let mut skip_until = 0;
    for (i, a) in amounts.iter().enumerate() {
        if a.span.start < skip_until {
            continue;
        }
        let mut a = a.clone();
        let after = &text[a.span.end..];
        if let Some(p) = paren.captures(after) {
            let inner = p.get(1).map_or(a.span.end..a.span.end, |m| a.span.end + m.start()..a.span.end + m.end());
            let inside: Vec<&Amount> = amounts[i + 1..].iter().filter(|b| inner.contains(&b.span.start)).collect();
            match inside.first() {
                Some(b) if b.unit == a.unit => a.value = b.value,
                Some(_) => {}
                None => {
                    if let Some(v) = bare.captures(&text[inner.clone()]).and_then(|m| m[1].parse::<f64>().ok()) {
                        a.value = v;
                    }
                }
            }
            skip_until = inner.end;
        } else if let Some(b) = amounts.get(i + 1) {
            if b.unit != a.unit && tilde.is_match(&text[a.span.end..b.span.start]) {
                skip_until = b.span.end;
            }
        }
        out.push(a);
    }
    out
}

/// The credits spent on the project and their unit. A stated total wins; otherwise the group's own statement of
/// what it spent; otherwise per-member amounts summed; otherwise per-service amounts summed. Amounts left, budgets
/// ("of the $50 voucher"), hypothetical and non-GCP amounts (GitHub Actions minutes) are not spending. "20$ each"
/// counts once per member. Two currencies with no single total give no value.
fn credits_spent(markdown: &str, members: usize) -> Reading<CreditsSpent> {
    let text = plain_text(markdown);
    // "two accounts with 300$ each, of which around 60$ was spent": per account or in all, the text does not say.
    if regex!(r"(?i)\beach,? of which\b").is_match(&text) {
        return Reading::Unclear("credits: an amount spent 'of which' each; per account or in all is not said".into());
    }
    let sents = sentences(&text);
    let mut amounts = find_amounts(&text);
    amounts.extend(continued_amounts(&text, &amounts));
    amounts.sort_by_key(|a| a.span.start);
    amounts.retain(|a| !is_not_spending(&text, &sents, a));
    classify_amounts(&text, &sents, &mut amounts);

    let pick = |role: Role| amounts.iter().filter(|a| a.role == role).collect::<Vec<_>>();
    if let Some(total) = pick(Role::Total).first() {
        let sentence = sentence_of(&sents, total.span.start);
        let other_unit = amounts.iter().find(|b| {
            sentence.contains(&b.span.start)
                && b.unit != total.unit
                && matches!(b.role, Role::Total | Role::Group | Role::Other)
        });
        if let Some(other) = other_unit {
            return Reading::Unclear(format!(
                "credits: the total is given in two currencies ({} and {}) and not summed",
                total.unit, other.unit
            ));
        }
        return per_member(total, members);
    }
    for role in [Role::Group, Role::Member] {
        let found = pick(role);
        if !found.is_empty() {
            return sum_amounts(&found, members);
        }
    }
    let rest: Vec<&Amount> = amounts.iter().filter(|a| matches!(a.role, Role::Service | Role::Other)).collect();
    sum_amounts(&rest, members)
}

/// A total stated "each" stands for every member.
fn per_member(a: &Amount, members: usize) -> Reading<CreditsSpent> {
    if !a.each {
        return Reading::Found(CreditsSpent { amount: round_cents(a.value), unit: a.unit });
    }
    if members == 0 {
        return Reading::Unclear("credits: an amount per member and no member count".into());
    }
    Reading::Found(CreditsSpent { amount: round_cents(a.value * members as f64), unit: a.unit })
}

/// The sum of amounts in one unit; amounts in two units have no single sum.
fn sum_amounts(amounts: &[&Amount], members: usize) -> Reading<CreditsSpent> {
    let Some(first) = amounts.first() else { return Reading::Absent };
    if let Some(other) = amounts.iter().find(|a| a.unit != first.unit) {
        return Reading::Unclear(format!(
            "credits: amounts in two currencies ({} and {}) and no stated total",
            first.unit, other.unit
        ));
    }
    if let [one] = amounts {
        return per_member(one, members);
    }
    let sum: f64 = amounts.iter().map(|a| a.value).sum();
    Reading::Found(CreditsSpent { amount: round_cents(sum), unit: first.unit })
}

/// Rounds a sum of amounts to cents, so that 0.1 + 0.2 reads 0.3.
fn round_cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Bare numbers continuing a list of service costs: "44.08 credits for Cloud Storage, 3.16 for Compute Engine".
fn continued_amounts(text: &str, amounts: &[Amount]) -> Vec<Amount> {
    let bare = regex!(r"\b(\d+\.\d+)\s+(?:for|on)\s+(?:the\s+)?");
    let mut out = Vec::new();
    for c in bare.captures_iter(text) {
        let (Some(whole), Some(n)) = (c.get(0), c.get(1)) else { continue };
        let already_read = amounts.iter().any(|a| a.span.contains(&n.start()));
        let names_service = service_names().find(&text[whole.end()..]).is_some_and(|m| m.start() == 0);
        if already_read || !names_service {
            continue;
        }
        // The unit is that of the nearest amount before, in the same line.
        let line_start = text[..n.start()].rfind('\n').map_or(0, |i| i + 1);
        let Some(prev) = amounts.iter().rev().find(|a| a.span.end <= n.start() && a.span.start >= line_start) else {
            continue;
        };
        let Ok(value) = n.as_str().parse() else { continue };
        out.push(Amount { value, unit: prev.unit, span: n.range(), role: Role::Other, each: false });
    }
    out
}

/// Text before an amount in its sentence, back to the previous amount; and text after it, up to the next.
fn windows<'t>(text: &'t str, sents: &[Range<usize>], amounts: &[Amount], i: usize) -> (&'t str, &'t str) {
    let a = &amounts[i];
    let sentence = sentence_of(sents, a.span.start);
    let prev_end = amounts[..i].iter().rev().map(|b| b.span.end).find(|&e| e <= a.span.start).unwrap_or(0);
    let next_start = amounts.get(i + 1).map_or(text.len(), |b| b.span.start.max(a.span.end));
    let from = floor_boundary(text, sentence.start.max(prev_end).max(a.span.start.saturating_sub(90)));
    let to = ceil_boundary(text, sentence.end.min(next_start).min(a.span.end + 60));
    (&text[from..a.span.start], &text[a.span.end..to.max(a.span.end)])
}

/// Whether an amount is something other than money spent: a budget or voucher, an amount left, a hypothetical
/// or expected cost, or a non-GCP cost (GitHub Actions, W&B).
fn is_not_spending(text: &str, sents: &[Range<usize>], a: &Amount) -> bool {
    let sentence = sentence_of(sents, a.span.start);
    let before = &text[floor_boundary(text, sentence.start.max(a.span.start.saturating_sub(60)))..a.span.start];
    let after = &text[a.span.end..ceil_boundary(text, sentence.end.min(a.span.end + 50)).max(a.span.end)];
    let budget_before = regex!(
        r"(?i)\b(?:out of|of the|of our|of their|of his|of her|from the next|from the|started with|starting with|start with|are at|is at|remaining|left with|budget of|voucher of|limit of)\s+(?:(?:the|our|all|their|next|first|free|available|initial|provided|entire|educational|whole)\s+)*$"
    );
    let budget_after = regex!(
        r"(?i)^\s*(?:(?:in|of|worth of)\s+)?(?:(?:free|educational|google|gcp|cloud|student|trial)\s+)*(?:credits?\s+|coupons?\s+)?(?:left|remaining|voucher|coupon|limit|budget|that we got|we got|we were given|we received|available|free credits?|credit limit|allowance|given|provided|granted|to spend)\b"
    );
    let hypothetical = regex!(r"(?i)\b(?:expect(?:ed|s)? to|would|could|might|if we|plan(?:ned)? to|anticipate)\b");
    let elsewhere = regex!(r"(?i)github actions?|\bw&b\b|wandb|weights (?:&|and) biases|\bminutes\b");
    budget_before.is_match(before)
        || budget_after.is_match(after)
        || hypothetical.is_match(before)
        || elsewhere.is_match(before)
}

/// Gives each amount its role, and marks amounts stated "each".
fn classify_amounts(text: &str, sents: &[Range<usize>], amounts: &mut [Amount]) {
    let total_marker = regex!(
        r"(?i)\b(?:in total|total(?:ly|ing|ling)?|overall|altogether|all together|in all|came up to|amount(?:ed|s)? to|add(?:s|ed)? up to|sum(?:s|med)? up to|summing up|resulting in|final (?:cost|bill|amount))\b"
    );
    // "in total credits was spent": the group left the number out.
    let blank_total = regex!(r"(?i)^\s*(?:[$€]|(?:credits?|dkk|usd|kr)\b)\s*(?:[a-z]|$)");
    let each = regex!(r"(?i)^\s*(?:(?:worth\s+)?(?:of\s+)?credits?\s+)?(?:each|per (?:person|member|student|head))\b");
    // "... credits for Cloud Storage", "($0.40) on Cloud Run": the words before a service name.
    let service_after = regex!(
        r"(?i)^\s*\)?,?\s*(?:(?:worth\s+)?(?:of\s+)?credits?\s+)?(?:was\s+|were\s+)?(?:spent\s+|used\s+)?(?:on|for|in|at|to)\s+(?:the\s+)?(?:use of\s+)?(?:running\s+)?(?:the\s+)?"
    );
    let id = regex!(r"(?i)\b[sc]\d{5,7}\b|\bmember\b|\bstudent\b");
    let named = regex!(r"\b([A-Za-z][a-zæøå]+)\s*(?:\([^)]*\)\s*)?(?:has\s+)?(?:used|spent)\b");
    let group_subject = regex!(r"(?i)\b(?:we|our|us|i|group|team|project)\b");
    let group_verb = regex!(
        r"(?i)\b(?:us(?:ed|ing|e)|sp[ea]nt|spend(?:ing)?|consum(?:ed|ing)|incurr?(?:ed)?|burn(?:ed|t)|costs?|came|landed|ended up|expenses?|bill)\b"
    );
    let passive = regex!(
        r"(?i)^\s*(?:(?:worth\s+)?(?:of\s+|in\s+)?credits?\s+)?(?:was|were|has been|have been)\s+(?:used|spent|spend|consumed)"
    );

    // A total marker belongs to the amount right before it ("1.80 EUR in total, of which ..."), else to the first
    // amount after it in its sentence ("a total of $8"), else to the nearest one before it ("12 USD-equivalent
    // credits in total").
    for sentence in sents {
        for marker in total_marker.find_iter(&text[sentence.clone()]) {
            let (at, end) = (sentence.start + marker.start(), sentence.start + marker.end());
            if blank_total.is_match(&text[end..sentence.end]) {
                continue;
            }
            let in_sentence = |a: &Amount| sentence.contains(&a.span.start);
            let right_before = amounts
                .iter()
                .position(|a| in_sentence(a) && a.span.end <= at && text[a.span.end..at].trim().is_empty());
            let after = amounts.iter().position(|a| in_sentence(a) && a.span.start >= end && a.span.start < end + 80);
            let before = amounts.iter().rposition(|a| in_sentence(a) && a.span.end <= at);
            let chosen = right_before.or(after).or(before).and_then(|i| amounts.get_mut(i));
            if let Some(a) = chosen {
                a.role = Role::Total;
            }
        }
    }
    for i in 0..amounts.len() {
        let (before, after) = windows(text, sents, amounts, i);
        amounts[i].each = each.is_match(after);
        if amounts[i].role == Role::Total {
            continue;
        }
        let names_service_after = service_after
            .find(after)
            .is_some_and(|m| service_names().find(&after[m.end()..]).is_some_and(|s| s.start() == 0));
        let named_member = named.captures_iter(before).any(|c| !is_pronoun(&c[1]));
        amounts[i].role = if names_service_after || service_names().is_match(before) {
            Role::Service
        } else if id.is_match(before) || named_member {
            Role::Member
        } else if group_subject.is_match(before) && group_verb.is_match(before) || passive.is_match(after) {
            Role::Group
        } else {
            Role::Other
        };
    }
}

/// Words before "used"/"spent" that are not a member's name.
fn is_pronoun(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "we", "i", "they", "it", "which", "that", "who", "he", "she", "this", "these", "those", "and", "also", "have",
        "has", "had", "was", "were", "be", "been", "only", "all", "group", "team", "project", "credits", "credit",
        "service", "services", "what", "then", "you", "one", "each", "both", "us", "our", "together",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// The service named as the most expensive in the credits answer, by its canonical name: the first service in a
/// sentence saying what cost the most, or else in one saying what the credits mostly went to.
fn most_expensive_service(markdown: &str) -> Option<String> {
    let text = plain_text(markdown);
    let strong = regex!(
        r"(?i)most expensive|most costly|co(?:n?st|s)\w*\s+(?:us\s+)?the most|(?:highest|biggest|largest|primary|main|dominant)\s+(?:credit\s+)?(?:cost|expense|spend|consumer|factor|share)|most credit|by far|(?:majority|bulk) of (?:the |our )?(?:cost|credits|spend)"
    );
    let weak = regex!(r"(?i)\b(?:mostly|mainly|primarily|majority|most of (?:it|this|the|our))\b");
    let about_cost = regex!(r"(?i)cost|credit|spen[dt]|used|bill|expens|\$|€|\bkr\b|dkk|usd");
    // "... would have been the most expensive": a cost that did not happen.
    let hypothetical = regex!(r"(?i)\b(?:would|could|had we)\b");
    let sentences: Vec<&str> = sentences(&text).into_iter().map(|r| &text[r]).collect();
    // The service a sentence names with `trigger`: the subject before it ("Cloud Storage costs the most"), else
    // the first one after it ("the most expensive was Cloud Run"); after a weak trigger, only one right after it
    // ("mostly on Vertex AI").
    let named = |sentence: &str, trigger: &Regex, subject_first: bool| -> Option<&'static str> {
        let t = trigger.find(sentence)?;
        let before = service_names().find(&sentence[..t.start()]).filter(|_| subject_first);
        let after = service_names()
            .find_iter(sentence)
            .find(|m| m.start() >= t.end() && (subject_first || m.start() <= t.end() + 50));
        let service = before.or(after)?;
        let said = &sentence[..service.end().max(t.end())];
        (!hypothetical.is_match(said)).then(|| canonical_service(service.as_str())).flatten()
    };
    let strong_hit = sentences.iter().find_map(|s| named(s, strong, true));
    let weak_hit = || sentences.iter().filter(|s| about_cost.is_match(s)).find_map(|s| named(s, weak, false));
    strong_hit.or_else(weak_hit).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(key: AnswerKey, markdown: &str) -> Answer {
        Answer {
            key: Some(key),
            number: None,
            line: 1,
            prompt: String::new(),
            markdown: markdown.to_string(),
            words: markdown.split_whitespace().count(),
            images: vec![],
            links: vec![],
            answered: true,
        }
    }

    fn tests(md: &str) -> Option<u32> {
        settle(test_count(md), &mut vec![])
    }

    fn coverage(md: &str) -> Option<f64> {
        settle(coverage_percent(md), &mut vec![])
    }

    fn credits(md: &str) -> Option<(f64, CreditUnit)> {
        credits_with(md, 0)
    }

    fn credits_with(md: &str, members: usize) -> Option<(f64, CreditUnit)> {
        settle(credits_spent(md, members), &mut vec![]).map(|c| (c.amount, c.unit))
    }

    // --- group -------------------------------------------------------------------------------------------------

    #[test]
    fn group_from_its_usual_forms() {
        assert_eq!(group_number("Group 37"), Some(37));
        assert_eq!(group_number("MLOPS 15"), Some(15));
        assert_eq!(group_number("11"), Some(11));
        assert_eq!(group_number("*Group 05*"), Some(5));
        assert_eq!(group_number("G12"), Some(12));
        assert_eq!(group_number("MLOps7, i.e. group number 7"), Some(7));
        assert_eq!(group_number("We are team 'Fantastic 9'"), Some(9));
        assert_eq!(group_number("Group: Marvellous 44"), Some(44));
    }

    #[test]
    fn group_ignores_course_number_and_years() {
        assert_eq!(group_number("02476 group 8"), Some(8));
        assert_eq!(group_number("MLOps 2025, group 19"), Some(19));
        assert_eq!(group_number("02476 in 2024"), None);
        assert_eq!(group_number(""), None);
    }

    // --- students ----------------------------------------------------------------------------------------------

    #[test]
    fn student_ids_as_written_distinct_in_order() {
        assert_eq!(student_ids("s123456, S234567 and s123456"), vec!["s123456", "S234567"]);
        assert_eq!(student_ids("Ann: s111111\nBo: s222222"), vec!["s111111", "s222222"]);
        assert_eq!(student_ids("12345678, c1234567, s12345"), vec!["12345678", "c1234567", "s12345"]);
    }

    #[test]
    fn template_placeholders_names_and_mails_are_not_ids() {
        assert_eq!(student_ids("sXXXXXX, sXXXXXX"), Vec::<String>::new());
        assert_eq!(student_ids("s333333, ann@example.com, bob"), vec!["s333333"]);
    }

    #[test]
    fn students_fall_back_to_contributions() {
        let answers = [
            answer(AnswerKey::Students, "the four of us"),
            answer(AnswerKey::Contributions, "s100001 did the data, s100002 the model; s100001 also wrote docs."),
        ];
        assert_eq!(extract_facts(&answers).facts.students, vec!["s100001", "s100002"]);
    }

    // --- tests -------------------------------------------------------------------------------------------------

    #[test]
    fn tests_plain_counts_in_digits_and_words() {
        assert_eq!(tests("We wrote 12 tests for the pipeline."), Some(12));
        assert_eq!(tests("We implemented **seven tests** covering data and model."), Some(7));
        assert_eq!(tests("There are twenty-one unit tests."), Some(21));
        assert_eq!(tests("Overall 9 UNIT tests check the loader."), Some(9));
        assert_eq!(tests("Three unittests exist."), Some(3));
    }

    #[test]
    fn tests_explicit_total_wins_over_breakdown() {
        assert_eq!(tests("In total we have 10 tests: 4 tests for the data and 5 tests for the model."), Some(10));
        assert_eq!(tests("We wrote 3 data tests and 4 model tests, 8 tests in total."), Some(8));
        assert_eq!(
            tests("A total of 6 tests: 1 unit test for data, 2 unit tests for training, 3 unit tests for the API."),
            Some(6)
        );
    }

    #[test]
    fn tests_total_of_one_kind_adds_the_other_kinds() {
        let md = "Our suite holds 5 unit tests in total, plus 2 integration tests and 1 performance test.";
        assert_eq!(tests(md), Some(8));
    }

    #[test]
    fn tests_breakdown_without_total_is_summed() {
        assert_eq!(tests("We have 3 tests for the data and 2 tests for the model."), Some(5));
        assert_eq!(tests("Two tests for the dataset. There is also a model test and a training test."), Some(4));
        assert_eq!(
            tests("We wrote 2 tests for the model and 3 tests for the data. The 2 tests for the model check shapes."),
            Some(5)
        );
    }

    #[test]
    fn tests_whole_stated_before_its_parts() {
        assert_eq!(
            tests("Our 9 tests span three areas:\n- API (2 tests)\n- Data (4 tests)\n- Model (4 tests)"),
            Some(9)
        );
        assert_eq!(tests("We have implemented 6 tests. One test checks the data and a test checks the API."), Some(6));
        assert_eq!(tests("We implemented 6 tests: 2 integration tests for the API and 4 tests for the data."), Some(6));
    }

    #[test]
    fn tests_never_count_files_modules_types_or_names() {
        assert_eq!(tests("We have 4 test files covering the data."), None);
        assert_eq!(tests("We use three kinds of tests: unit, integration and load."), None);
        assert_eq!(tests("We wrote test_data and test_model in 2 modules."), None);
        assert_eq!(tests("We added a model test that checks the output shape."), None);
        assert_eq!(tests("Tests check the data and the model."), None);
    }

    #[test]
    fn tests_parametrised_cases_do_not_compete_with_the_count() {
        assert_eq!(tests("Pytest reports 17 test cases from our 14 tests in total."), Some(14));
        assert_eq!(tests("Pytest collects 30 test cases."), Some(30));
    }

    #[test]
    fn tests_more_wordings() {
        assert_eq!(tests("We implemented 11 total tests for loading and training."), Some(11));
        assert_eq!(tests("We wrote a total of 15 unit and integration tests."), Some(15));
        assert_eq!(tests("We wrote two tests for the data. The second one tests the loader."), Some(2));
        assert_eq!(tests("We have a total\nof 8 tests, run on every push."), Some(8));
        assert_eq!(
            tests("We implemented 5 tests: 2 integration tests for the API, 1 load test and 2 tests for the data."),
            Some(5)
        );
    }

    #[test]
    fn tests_total_of_one_subject_is_a_part() {
        assert_eq!(tests("In total we wrote three tests for the data. For the model, two tests were added."), Some(5));
    }

    #[test]
    fn tests_total_smaller_than_a_part_is_unclear() {
        let r = test_count("In total we implemented 2 tests. For the data we wrote five unit tests.");
        assert!(matches!(r, Reading::Unclear(_)), "{r:?}");
    }

    #[test]
    fn tests_asides_between_count_and_noun() {
        assert_eq!(tests("There are 40 pytest (collected by CI) style tests."), Some(40));
    }

    // --- coverage ----------------------------------------------------------------------------------------------

    #[test]
    fn coverage_plain_and_total_figures() {
        assert_eq!(coverage("The total code coverage is 64%."), Some(64.0));
        assert_eq!(coverage("Running pytest-cov gives 81% coverage."), Some(81.0));
        assert_eq!(coverage("Our code coverage is **57.5%**."), Some(57.5));
        assert_eq!(coverage(r"Coverage came out at $66\%$."), Some(66.0));
        assert_eq!(coverage("Today 58 of the code is covered by tests."), Some(58.0));
        assert_eq!(coverage("Our coverage is 45 percent."), Some(45.0));
    }

    #[test]
    fn coverage_ranges_are_midpoints() {
        assert_eq!(coverage("We measure 50 to 60 percent coverage."), Some(55.0));
        assert_eq!(coverage("The total coverage is about 30-40%."), Some(35.0));
    }

    #[test]
    fn coverage_total_wins_over_per_file_figures() {
        let md = "data.py has 90% coverage and model.py 40%. The total coverage is 61%.";
        assert_eq!(coverage(md), Some(61.0));
        let table =
            "Name    Stmts   Miss  Cover\nsrc/a.py   10   0   100%\nsrc/b.py  30  15   50%\nTOTAL   40   15   62%";
        assert_eq!(coverage(table), Some(62.0));
    }

    #[test]
    fn coverage_hypothetical_and_bound_figures_are_not_read() {
        assert_eq!(coverage("Even if we had 100% coverage we would not trust it."), None);
        assert_eq!(coverage("Our coverage is 48%, far from 100%."), Some(48.0));
        assert_eq!(coverage("Our coverage is very low (below 10%)."), None);
    }

    #[test]
    fn coverage_from_an_html_report_table() {
        let md = "<table>\n<tr>\n<td>src/a.py</td>\n<td>10</td>\n<td>100%</td>\n</tr>\n<tr>\n<td>TOTAL</td>\n<td>40</td>\n<td>73%</td>\n</tr>\n</table>";
        assert_eq!(coverage(md), Some(73.0));
    }

    #[test]
    fn coverage_lists_of_components_and_typographic_quotes() {
        assert_eq!(coverage("We measured data, model and api at 20%, 50% and 100% coverage."), None);
        assert_eq!(coverage("utils.py reaches 100% coverage, although 100% coverage doesn\u{2019}t prove correctness; the API sits at 30%."), None);
        assert_eq!(coverage("Data is at 84% and the model at 36%, 55% overall."), Some(55.0));
    }

    #[test]
    fn coverage_per_component_only_gives_no_total() {
        assert_eq!(coverage("The coverage for the data is 30%, for the model 80% and for the API 100%."), None);
        assert_eq!(coverage("Model code is at 90% and API code at 35% coverage."), None);
    }

    #[test]
    fn coverage_absent_when_no_figure() {
        assert_eq!(coverage("We did not measure coverage."), None);
    }

    // --- credits -----------------------------------------------------------------------------------------------

    #[test]
    fn credits_units() {
        assert_eq!(credits("We used only ~ $3.40 credits."), Some((3.4, CreditUnit::USD)));
        assert_eq!(credits("We spent 41 DKK."), Some((41.0, CreditUnit::DKK)));
        assert_eq!(credits("We spent 95 kr. worth of credits."), Some((95.0, CreditUnit::DKK)));
        assert_eq!(credits("In total we used 6.10 €."), Some((6.1, CreditUnit::EUR)));
        assert_eq!(credits("We used 2.5 EUR in total."), Some((2.5, CreditUnit::EUR)));
        assert_eq!(credits("We ended up using 17.3 credits."), Some((17.3, CreditUnit::Credits)));
        assert_eq!(credits("We spent about eleven dollars."), Some((11.0, CreditUnit::USD)));
        assert_eq!(credits("The bill was 7 USD."), Some((7.0, CreditUnit::USD)));
        assert_eq!(credits("We used 33 danish crowns."), Some((33.0, CreditUnit::DKK)));
        assert_eq!(credits("We used 1,75$."), Some((1.75, CreditUnit::USD)));
        assert_eq!(credits("We used about kr. 12.50 in total."), Some((12.5, CreditUnit::DKK)));
        assert_eq!(credits("We used just above DKK 19."), Some((19.0, CreditUnit::DKK)));
    }

    #[test]
    fn credits_total_wins_over_members_and_services() {
        let md = "Member one used $4.10 and member two $2.00. In total $6.10 was spent. Compute Engine cost $5.";
        assert_eq!(credits(md), Some((6.1, CreditUnit::USD)));
        let md = "s100001 used 3 credits\ns100002 used 4 credits\nIn total 7.5 credits were spent.";
        assert_eq!(credits(md), Some((7.5, CreditUnit::Credits)));
    }

    #[test]
    fn credits_per_member_amounts_are_summed() {
        assert_eq!(
            credits("s100001 used $1.50, s100002 used $2.25 and s100003 used $0.25."),
            Some((4.0, CreditUnit::USD))
        );
        assert_eq!(credits("Member A spent 10 $\nMember B spent 5 $"), Some((15.0, CreditUnit::USD)));
        assert_eq!(credits("Anna used 12 dkk.\nBo used 30 dkk."), Some((42.0, CreditUnit::DKK)));
    }

    #[test]
    fn credits_per_service_amounts_are_summed_without_a_total() {
        let md = "Costs: Cloud Run ($0.40), Cloud Storage ($0.10), Cloud Build ($0.05).";
        assert_eq!(credits(md), Some((0.55, CreditUnit::USD)));
        let md = "Cloud Storage took 12.5 credits, with 2.5 on Vertex AI and 1.0 on Cloud Run.";
        assert_eq!(credits(md), Some((16.0, CreditUnit::Credits)));
    }

    #[test]
    fn credits_group_statement_wins_over_service_breakdown() {
        let md = "We spent $9.20 on the project. Vertex AI used $6.00 and Cloud Storage $3.20.";
        assert_eq!(credits(md), Some((9.2, CreditUnit::USD)));
    }

    #[test]
    fn credits_ranges_bounds_and_refinements() {
        assert_eq!(credits("We used around 10-20$ in total."), Some((15.0, CreditUnit::USD)));
        assert_eq!(credits("We used between 4 and 6 dollars."), Some((5.0, CreditUnit::USD)));
        assert_eq!(credits("We used below 8$ in credits."), Some((8.0, CreditUnit::USD)));
        assert_eq!(credits("We spent around 5$ (4.7 as of today)."), Some((4.7, CreditUnit::USD)));
    }

    #[test]
    fn credits_left_budget_and_hypothetical_amounts_are_not_spending() {
        assert_eq!(
            credits("We had $50 of credits and have $44.50 left, so we spent $5.50."),
            Some((5.5, CreditUnit::USD))
        );
        assert_eq!(credits("Of the $50 coupon we spent $12."), Some((12.0, CreditUnit::USD)));
        assert_eq!(credits("So far $3 is spent; we plan to use all $50 later."), Some((3.0, CreditUnit::USD)));
        assert_eq!(credits("We used 1% of the $50 voucher."), None);
    }

    #[test]
    fn credits_total_marker_wordings() {
        assert_eq!(
            credits("Spending came to 2.40 EUR in total, of which 1.10 EUR was storage."),
            Some((2.4, CreditUnit::EUR))
        );
        assert_eq!(
            credits("s100001 used 1.25 credits and s100002 used 2.5 credits, resulting in a total of 3.75 credits."),
            Some((3.75, CreditUnit::Credits))
        );
        assert_eq!(
            credits("We first used $4. After a forgotten VM the bill came up to $9.50."),
            Some((9.5, CreditUnit::USD))
        );
        assert_eq!(
            credits("Our project's final cost was $6.20. Cloud Run was $5 of it."),
            Some((6.2, CreditUnit::USD))
        );
        assert_eq!(
            credits("s100001 used 2 credits and s100002 used 3 credits, and in total credits were used."),
            Some((5.0, CreditUnit::Credits))
        );
        assert_eq!(credits("Roughly 9 USD-equivalent credits were used in total."), Some((9.0, CreditUnit::USD)));
    }

    #[test]
    fn credits_amount_after_a_sentence_break() {
        assert_eq!(credits("We all could use the project. $7.10 was spent on it."), Some((7.1, CreditUnit::USD)));
    }

    #[test]
    fn credits_per_account_of_which_is_unclear() {
        let r = credits_spent("We had 3 trial accounts at 200$ each, of which some 40$ was spent.", 4);
        assert!(matches!(r, Reading::Unclear(_)), "{r:?}");
    }

    #[test]
    fn credits_conversions_are_not_a_second_currency() {
        assert_eq!(credits("The bill was 90 DKK (~$13 USD) for the project."), Some((90.0, CreditUnit::DKK)));
        assert_eq!(credits("Our second account paid 300 DKK ~ 43$."), Some((300.0, CreditUnit::DKK)));
    }

    #[test]
    fn credits_two_currencies_and_no_total_are_unclear() {
        let r = credits_spent("Altogether 20 DKK and 3.10 dollars were spent.", 0);
        assert!(matches!(r, Reading::Unclear(_)), "{r:?}");
        let r = credits_spent("s100001 used 5€.\ns100002 used $2.", 0);
        assert!(matches!(r, Reading::Unclear(_)), "{r:?}");
    }

    #[test]
    fn credits_each_counts_once_per_member() {
        assert_eq!(credits_with("We used 10$ each on average.", 3), Some((30.0, CreditUnit::USD)));
        assert!(matches!(credits_spent("We spent 10$ each.", 0), Reading::Unclear(_)));
    }

    #[test]
    fn credits_no_amount_is_none() {
        assert_eq!(credits("We used a few dollars, mostly on Cloud Run."), None);
        assert_eq!(credits("We used 20% of our credits."), None);
        assert_eq!(credits("Each of us spent 3 ECTS credits on the cloud part."), None);
        assert_eq!(credits("For GitHub Actions we used 900 credits of our limit."), None);
    }

    /// Found by the fuzzer: a figure whose `%` starts the next sentence ran past its sentence's end, and the text
    /// window after it was sliced backwards (a panic).
    #[test]
    fn a_figure_running_past_its_sentence_is_read_without_panicking() {
        assert!(matches!(coverage_percent("Our code coverage is 60\n% of the lines."), Reading::Found(v) if v == 60.0));
        assert!(matches!(coverage_percent("Coverage: 60\n\n%"), Reading::Found(_) | Reading::Absent));
    }

    #[test]
    fn most_expensive_service_canonical_names() {
        assert_eq!(
            most_expensive_service("The most expensive service was the compute engine."),
            Some("Compute Engine".into())
        );
        assert_eq!(most_expensive_service("Cloud storage cost the most."), Some("Cloud Storage".into()));
        assert_eq!(most_expensive_service("Our biggest expense was Vertex AI training."), Some("Vertex AI".into()));
        assert_eq!(most_expensive_service("Cloud Run was what cost us the most."), Some("Cloud Run".into()));
        assert_eq!(
            most_expensive_service("Most of the cost came from the Artifact Registry."),
            Some("Artifact Registry".into())
        );
        assert_eq!(most_expensive_service("We do not know which service was the most expensive."), None);
        assert_eq!(most_expensive_service("Training on GPUs would have been the most expensive on Vertex AI."), None);
        assert_eq!(
            most_expensive_service("Cloud Run costs the most, even if we only serve a few requests."),
            Some("Cloud Run".into())
        );
        assert_eq!(most_expensive_service("We spent $3, mostly on the GCS bucket."), Some("Cloud Storage".into()));
        assert_eq!(most_expensive_service("The biggest spender was Ann, who used 5 dollars."), None);
        assert_eq!(
            most_expensive_service("VMs were the most expensive, while storage was cheap."),
            Some("Compute Engine".into())
        );
    }

    // --- the whole ---------------------------------------------------------------------------------------------

    #[test]
    fn unanswered_answers_give_no_facts() {
        let mut a = answer(AnswerKey::Tests, "--- question 7 fill here ---");
        a.answered = false;
        assert_eq!(extract_facts(&[a]).facts, Facts::default());
    }

    #[test]
    fn the_first_answer_with_a_key_is_read() {
        let answers = [answer(AnswerKey::Group, "Group 4"), answer(AnswerKey::Group, "Group 5")];
        assert_eq!(extract_facts(&answers).facts.group, Some(4));
    }

    #[test]
    fn unclear_facts_warn() {
        let answers = [answer(AnswerKey::Credits, "Altogether 20 DKK and 3 dollars were spent.")];
        let out = extract_facts(&answers);
        assert_eq!(out.facts.credits, None);
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].kind, WarningKind::Fact);
    }
}
