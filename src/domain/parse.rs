//! The report parser: pulldown-cmark finds the headings (with offsets), the template knowledge keys the questions
//! by their prompts, and everything odd becomes a warning on the report.

use super::checklist::{self, RegionLine};
use super::decode::{decode, DecodeError};
use super::facts::extract_facts;
use super::memo;
use super::model::{Answer, Facts, ImageKind, ImageRef, Report, Warning, WarningKind};
use super::template::{
    identify_question, normalise_for_matching, questions_of, template_number, AnswerKey, ChecklistGeneration,
    QuestionSet, SECTIONS,
};
use super::words::count_words;
use aho_corasick::AhoCorasick;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why a file did not become a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct ParseError {
    pub path: PathBuf,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("{0}")]
    Decode(DecodeError),
    /// Markdown, but neither questions nor a checklist: not an exam report.
    #[error("not an exam report (no question headings and no checklist found)")]
    NotAReport,
}

/// Parses a report from the bytes of its file.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Report, ParseError> {
    let decoded =
        decode(bytes).map_err(|e| ParseError { path: path.to_path_buf(), kind: ParseErrorKind::Decode(e) })?;
    let mut report = parse_text(path, &decoded.text)?;
    // What decoding did comes first: it concerns everything read after it.
    let encoding =
        decoded.notes.into_iter().map(|n| Warning { line: n.line, kind: WarningKind::Encoding, message: n.message });
    report.warnings.splice(0..0, encoding);
    Ok(report)
}

/// A heading found by pulldown-cmark.
#[derive(Debug, Clone)]
struct Heading {
    level: u32,
    text: String,
    /// Byte range of the heading in the text.
    range: Range<usize>,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Question(Option<u32>),
    Checklist,
    /// A section of the template ("Coding environment", ...): ends an answer.
    Section,
    /// A checklist week heading.
    Week,
    /// Anything else: a group's own heading; stays inside the answer it stands in.
    Other,
}

fn question_heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\W*(?:question|q)\s*\.?\s*(\d{1,3})?\b[\s.:)\-–]*(.*)$").expect("valid constant regex")
    })
}

fn numbered_heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The December 2022 drafts wrote `### 26.`.
    RE.get_or_init(|| Regex::new(r"^\s*(\d{1,3})\s*[.:)]\s*(.*)$").expect("valid constant regex"))
}

fn answer_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?m)^[ \t]*(?:>[ \t]*)*[*_]*Answer[*_]*[ \t]*:[*_]*[ \t]?").expect("valid constant regex")
    })
}

/// A line that would be an ATX heading if a block did not swallow it.
fn atx_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?m)^ {0,3}(#{1,6})[ \t]+(\S.*?)[ \t#]*$").expect("valid constant regex"))
}

/// Whether a line is the template's placeholder. Most lines are not, and say so without running the regex.
fn is_placeholder(line: &str) -> bool {
    line.len() < 80 && contains_ignore_ascii_case(line, b"fill") && placeholder().is_match(line)
}

fn placeholder() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)^-*\s*(?:question\s*\d+\s*)?fill\s*here\s*-*$").expect("valid constant regex"))
}

fn md_image() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The course checker's pattern: lazy alt and target on one line.
    RE.get_or_init(|| Regex::new(r"!\[(.*?)\]\((.*?)\)").expect("valid constant regex"))
}

fn html_image() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?i)<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)"#).expect("valid constant regex"))
}

fn md_link() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[^)]*)?\)|(https?://[^\s)<>\]*`]+)")
            .expect("valid constant regex")
    })
}

/// Byte offsets of line starts, for turning offsets into 1-based line numbers.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let mut v = vec![0];
        v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(v)
    }
    fn line_of(&self, offset: usize) -> usize {
        match self.0.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Parses decoded report text (see [`super::decode`]).
pub fn parse_text(path: &Path, text: &str) -> Result<Report, ParseError> {
    let lines = Lines::new(text);
    let (mut headings, blocks) = scan(text);
    let mut report = Report {
        path: path.to_path_buf(),
        questions: QuestionSet::Q31,
        generation: ChecklistGeneration::None,
        checklist: vec![],
        answers: vec![],
        facts: Facts::default(),
        warnings: vec![],
    };
    recover_hidden_question_headings(text, &lines, &blocks, &mut headings, &mut report);

    read_checklist(text, &lines, &headings, &mut report);
    read_answers(text, &lines, &headings, &mut report);

    if report.answers.is_empty() && report.checklist.is_empty() {
        return Err(ParseError { path: path.to_path_buf(), kind: ParseErrorKind::NotAReport });
    }
    report.questions = question_set_of(&report.answers);
    check_question_set(&mut report);
    if let Some(w) = checklist::resolve_marks(&mut report.checklist, &report.answers) {
        report.warnings.push(w);
    }
    let facts = extract_facts(&report.answers);
    report.facts = facts.facts;
    report.warnings.extend(facts.warnings);
    // In file order for the reader; warnings about the whole report (a missing question) last. The sort is stable,
    // so warnings about one line keep the order they were found in.
    report.warnings.sort_by_key(|w| w.line.unwrap_or(usize::MAX));
    Ok(report)
}

/// A block that hides the lines inside it from the heading scan.
#[derive(Debug, Clone)]
struct Block {
    range: Range<usize>,
    kind: BlockKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Code,
    /// Raw HTML: it runs to the next blank line, so a heading written right under `</table>` is swallowed.
    Html,
}

/// Runs pulldown-cmark once: ATX headings with their roles, and the ranges of code and HTML blocks.
fn scan(text: &str) -> (Vec<Heading>, Vec<Block>) {
    let mut headings = Vec::new();
    let mut blocks = Vec::new();
    let mut current: Option<(u32, usize, String)> = None;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level as u32, range.start, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, s)) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, s)) = current.take() {
                    // Only ATX headings (`### ...`): a setext underline (`---` under a line) is how groups
                    // wrap answers, not a heading.
                    if text[start..].trim_start().starts_with('#') {
                        let role = role_of(level, &s);
                        headings.push(Heading { level, text: s.trim().to_string(), range: start..range.end, role });
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => blocks.push(Block { range, kind: BlockKind::Code }),
            Event::Start(Tag::HtmlBlock) => {
                // Comments, `<pre>`, `<script>` and the like run to their own end marker: what they hold is hidden
                // or literal on purpose. Only the other HTML blocks, which end at a blank line, swallow by accident.
                let start = text[range.clone()].trim_start().to_ascii_lowercase();
                let deliberate =
                    ["<!", "<?", "<pre", "<script", "<style", "<textarea"].iter().any(|p| start.starts_with(p));
                if !deliberate {
                    blocks.push(Block { range, kind: BlockKind::Html });
                }
            }
            _ => {}
        }
    }
    (headings, blocks)
}

fn role_of(level: u32, text: &str) -> Role {
    let t = text.trim();
    if let Some(c) = question_heading().captures(t) {
        let number = c.get(1).and_then(|m| m.as_str().parse().ok());
        // "Question" alone, or with a number: a question heading. "Questions about X" is not.
        if number.is_some() || c[2].trim().is_empty() {
            return Role::Question(number);
        }
    }
    if let Some(c) = numbered_heading().captures(t) {
        if level >= 3 {
            return Role::Question(c[1].parse().ok());
        }
    }
    let norm = normalise_for_matching(t);
    // "Overall project checklist", or a group's own name for it ("Checklist", "Our checklist").
    if norm.contains("checklist") {
        return Role::Checklist;
    }
    if checklist::is_section_heading(t) && norm.len() < 20 {
        return Role::Week;
    }
    if SECTIONS.iter().any(|s| norm.trim_matches(|c: char| !c.is_alphanumeric()) == *s) {
        return Role::Section;
    }
    Role::Other
}

/// A question (or template section) heading swallowed by a block still starts a question: better a warning than a
/// question silently merged into the one before. Two blocks swallow headings: a code fence left open (it runs on to
/// the end of the file, or to the next fence) and an HTML block with the heading right under its last tag (an HTML
/// block ends only at a blank line). A properly closed fence keeps its content, unless the heading inside is plainly
/// the template's own (the quoted prompt or the `Answer:` line follows it).
fn recover_hidden_question_headings(
    text: &str,
    lines: &Lines,
    blocks: &[Block],
    headings: &mut Vec<Heading>,
    report: &mut Report,
) {
    let mut added = false;
    // Lookups by offset, so a file of many blocks and headings stays linear: blocks come in document order.
    let known: std::collections::HashSet<usize> = headings.iter().map(|h| h.range.start).collect();
    let block_at = |pos: usize| {
        let i = blocks.partition_point(|b| b.range.start <= pos);
        i.checked_sub(1).map(|i| &blocks[i]).filter(|b| b.range.contains(&pos))
    };
    // Only a line inside a block can hold a heading pulldown-cmark did not report, so only those lines are matched
    // (a whole-text regex pass was 5% of the parse). A line is visited once even where blocks overlap.
    let starts = &lines.0;
    let mut next_line = 0;
    let block_lines = blocks.iter().flat_map(|b| {
        let from = starts.partition_point(|&s| s < b.range.start).max(next_line);
        let to = starts.partition_point(|&s| s < b.range.end).max(from);
        next_line = to;
        from..to
    });
    let line_text = |i: usize| {
        let end = starts.get(i + 1).map_or(text.len(), |&next| next - 1);
        (starts[i], &text[starts[i]..end])
    };
    for (line_start, line) in block_lines.map(line_text) {
        let Some(c) = atx_line().captures(line) else { continue };
        let Some(whole) = c.get(0) else { continue };
        let whole = line_start + whole.start()..line_start + whole.end();
        let Some(block) = block_at(whole.start) else { continue };
        if known.contains(&whole.start) {
            continue;
        }
        let level = c[1].len() as u32;
        let raw = c[2].trim();
        let role = role_of(level, raw);
        // Only headings that end an answer matter. `# 1. install` or `# deployment` in a shell snippet is neither
        // a question nor a section: the template's question headings say "Question" or are `### N.`, its sections
        // are level 2.
        let wanted = match role {
            Role::Question(_) => level >= 3 || raw.to_lowercase().contains("question"),
            Role::Section | Role::Checklist => level == 2,
            Role::Week | Role::Other => false,
        };
        if !wanted {
            continue;
        }
        let why = match block.kind {
            BlockKind::Html => "right under an HTML block (no blank line between)",
            BlockKind::Code if !fence_closed(&text[block.range.clone()]) => {
                "inside a code block (an unclosed ``` fence?)"
            }
            BlockKind::Code if template_follows(text.get(whole.end..block.range.end).unwrap_or("")) => {
                "inside a code block (a ``` fence closed in the wrong place?)"
            }
            BlockKind::Code => continue,
        };
        report.warn(
            Some(lines.line_of(whole.start)),
            WarningKind::Structure,
            format!("heading {raw:?} is {why}; read as a heading"),
        );
        headings.push(Heading { level, text: raw.to_string(), range: whole.clone(), role });
        added = true;
    }
    if added {
        headings.sort_by_key(|h| h.range.start);
    }
}

/// Whether a fenced code block's source ends with a fence that closes it (an indented block always counts as closed).
fn fence_closed(block: &str) -> bool {
    let strip = |l: &str| l.trim_start().trim_start_matches('>').trim().to_string();
    let mut block_lines = block.lines().map(strip).filter(|l| !l.is_empty());
    let Some(first) = block_lines.next() else { return true };
    let fence_char = match first.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return true,
    };
    let opener = first.chars().take_while(|&c| c == fence_char).count();
    if opener < 3 {
        return true;
    }
    block_lines.next_back().is_some_and(|l| l.chars().all(|c| c == fence_char) && l.chars().count() >= opener)
}

/// Whether the text after a heading line starts like a template question: a quoted prompt or the `Answer:` line.
fn template_follows(after: &str) -> bool {
    after
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with('>') || answer_marker().is_match(l))
}

fn is_boundary(h: &Heading) -> bool {
    matches!(h.role, Role::Question(_) | Role::Section | Role::Checklist)
}

fn read_checklist(text: &str, lines: &Lines, headings: &[Heading], report: &mut Report) {
    let first_question = headings.iter().position(|h| matches!(h.role, Role::Question(_)));
    let region = match headings.iter().position(|h| h.role == Role::Checklist) {
        Some(i) => {
            let start = headings[i].range.end;
            let end = headings[i + 1..]
                .iter()
                .find(|h| matches!(h.role, Role::Question(_) | Role::Section | Role::Checklist))
                .map_or(text.len(), |h| h.range.start);
            Some((start, end, true))
        }
        // No checklist heading: items kept before the first question still count (with a warning).
        None => Some((0, first_question.map_or(text.len(), |i| headings[i].range.start), false)),
    };
    let Some((start, end, has_heading)) = region else { return };
    let region_headings: HashMap<usize, &str> = headings
        .iter()
        .filter(|h| h.range.start >= start && h.range.start < end)
        .map(|h| (h.range.start, h.text.as_str()))
        .collect();
    let mut region_lines = Vec::new();
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        region_lines.push(RegionLine {
            text: line.trim_end_matches('\n'),
            line: lines.line_of(offset),
            heading: region_headings.get(&offset).copied(),
        });
        offset += line.len();
    }
    let mut items = checklist::read_items(&region_lines);
    drop(region_lines);
    if items.len() > checklist::MAX_CHECKLIST_ITEMS {
        let line = items[checklist::MAX_CHECKLIST_ITEMS].line;
        items.truncate(checklist::MAX_CHECKLIST_ITEMS);
        report.warn(
            Some(line),
            WarningKind::Checklist,
            format!(
                "the checklist has more than {} items: the items from this line on are not read",
                checklist::MAX_CHECKLIST_ITEMS
            ),
        );
    }
    if !has_heading {
        if items.len() < 5 {
            return;
        }
        report.warn(
            items.first().map(|i| i.line),
            WarningKind::Checklist,
            "checklist items found without an \"Overall project checklist\" heading",
        );
    }
    report.generation = checklist::classify(&mut items, &mut report.warnings);
    report.checklist = items;
}

fn read_answers(text: &str, lines: &Lines, headings: &[Heading], report: &mut Report) {
    for (hi, h) in headings.iter().enumerate() {
        let Role::Question(number) = h.role else { continue };
        let end = headings[hi + 1..].iter().find(|n| is_boundary(n)).map_or(text.len(), |n| n.range.start);
        let line = lines.line_of(h.range.start);
        // Text after the last question's answer belongs to it (as for the course checker), but a group's own
        // level-1/2 heading inside an answer is worth knowing about.
        for own in headings[hi + 1..].iter().take_while(|n| n.range.start < end) {
            // A "Week"/"Extra"-like heading is a checklist section only inside the checklist.
            if own.level <= 2 && matches!(own.role, Role::Other | Role::Week) {
                report.warn(
                    Some(lines.line_of(own.range.start)),
                    WarningKind::Structure,
                    format!(
                        "extra section {:?} inside the answer to question {}",
                        own.text,
                        number.map_or("?".into(), |n| n.to_string())
                    ),
                );
            }
        }
        let heading_rest = question_heading()
            .captures(&h.text)
            .map(|c| c[2].to_string())
            .or_else(|| numbered_heading().captures(&h.text).map(|c| c[2].to_string()))
            .unwrap_or_default();
        let answer = read_answer(text, lines, h.range.end..end, number, line, &heading_rest, report);
        report.answers.push(answer);
    }
    key_answers(report);
}

#[allow(clippy::too_many_arguments)]
fn read_answer(
    text: &str,
    lines: &Lines,
    region: Range<usize>,
    number: Option<u32>,
    line: usize,
    heading_rest: &str,
    report: &mut Report,
) -> Answer {
    let body = &text[region.clone()];
    // Where the course checker starts counting: right after the literal `Answer:`, so emphasis closing the label
    // (`*Answer:*`) is a word to it.
    let mut count_from = None;
    let (prompt_src, answer_start) = match answer_marker().find(body) {
        Some(m) => {
            count_from = m.as_str().find("Answer:").map(|i| region.start + m.start() + i + "Answer:".len());
            (&body[..m.start()], region.start + m.end())
        }
        None => {
            // No `Answer:` line: the leading quoted block is the prompt, the rest the answer.
            let mut consumed = 0;
            for l in body.split_inclusive('\n') {
                let t = l.trim();
                if t.is_empty() || t.starts_with('>') {
                    consumed += l.len();
                } else {
                    break;
                }
            }
            if !body.trim().is_empty() {
                report.warn(
                    Some(line),
                    WarningKind::Structure,
                    format!("question {} has no \"Answer:\" line", number.map_or("?".into(), |n| n.to_string())),
                );
            }
            (&body[..consumed], region.start + consumed)
        }
    };
    let quoted: Vec<&str> = prompt_src
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('>'))
        .map(|l| l.trim_start_matches('>').trim())
        .collect();
    let prompt_lines: Vec<&str> =
        if quoted.is_empty() { prompt_src.lines().map(str::trim).filter(|l| !l.is_empty()).collect() } else { quoted };
    let prompt = join_words(std::iter::once(heading_rest).chain(prompt_lines.iter().copied()));

    let raw = &text[answer_start..region.end];
    let words = count_words(&text[count_from.unwrap_or(answer_start)..region.end]);
    // QUESTIONS.md, "What an answer is": quoted lines after `Answer:` are the group's answer unless they repeat the
    // template's own prompt text.
    let own = unquote_answer(raw, &prompt_lines);
    let (markdown, answered) = strip_wrapper(&own);
    let raw_offset = answer_start;
    let mut images = Vec::new();
    // The regexes below run only where their match could be: most answers have no image and many no link.
    let md_images = if raw.contains("![") { Some(md_image().captures_iter(raw)) } else { None };
    for c in md_images.into_iter().flatten() {
        images.push(ImageRef {
            target: image_target(&c[2]).to_string(),
            alt: c[1].to_string(),
            kind: ImageKind::Markdown,
            line: lines.line_of(raw_offset + c.get(0).map_or(0, |m| m.start())),
        });
    }
    let html_images =
        if contains_ignore_ascii_case(raw, b"<img") { Some(html_image().captures_iter(raw)) } else { None };
    for c in html_images.into_iter().flatten() {
        images.push(ImageRef {
            target: c[1].to_string(),
            alt: String::new(),
            kind: ImageKind::Html,
            line: lines.line_of(raw_offset + c.get(0).map_or(0, |m| m.start())),
        });
    }
    images.sort_by_key(|i| i.line);
    let mut links: Vec<String> = Vec::new();
    let md_links = if raw.contains("](") || raw.contains("http") { Some(md_link().captures_iter(raw)) } else { None };
    for c in md_links.into_iter().flatten() {
        let target = match (c.get(1), c.get(2), c.get(3)) {
            (Some(bang), Some(t), _) if bang.as_str().is_empty() => t.as_str(),
            (_, _, Some(url)) => url.as_str().trim_end_matches(['.', ',', ';', ':']),
            _ => continue,
        };
        if !links.iter().any(|l| l == target) && !images.iter().any(|i| i.target == target) {
            links.push(target.to_string());
        }
    }
    // The line `markdown` starts on: where its first line sits in the raw answer (the wrapper and placeholder
    // lines it lost come before it).
    // That is the first line of the raw answer that is not blank, a `---` wrapper line or a quoted template line.
    let mut at = 0;
    for (i, l) in raw.split_inclusive('\n').enumerate() {
        let t = l.trim();
        // As `unquote_answer` reads them: the marker line's own text is the group's.
        let quoted_template =
            i > 0 && t.starts_with('>') && is_template_quote(t.trim_start_matches('>').trim(), &prompt_lines);
        if !(t.is_empty() || quoted_template || t.bytes().all(|b| b == b'-')) {
            break;
        }
        at += l.len();
    }
    let markdown_line = lines.line_of(answer_start + at.min(raw.len()));
    Answer { key: None, number, line, prompt, markdown, words, images, links, answered, markdown_line }
}

/// The group's answer from the text after `Answer:`. Quoted (`> `) lines that go on from the template's quote before
/// the group writes anything (`> Answer:` then `> 15`) are the group's answer written as a quote: their markers are
/// removed, so that facts, search and dupes read them like plain text; only a line that repeats the template's own
/// text (the prompt, its length line, a placeholder) is left out. Text on the marker line itself
/// (`> Answer: We used ...`) is the group's, and so is a quote once the group's own text has begun (a command or a
/// note set off with `>`), which is kept as written.
fn unquote_answer<'a>(raw: &'a str, prompt_lines: &[&str]) -> Cow<'a, str> {
    if !raw.contains('>') {
        return Cow::Borrowed(raw);
    }
    let mut own = String::with_capacity(raw.len());
    let mut leading = true;
    for (i, line) in raw.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if leading && i > 0 && t.starts_with('>') {
            let inner = strip_quote_markers(line);
            if !is_template_quote(inner.trim(), prompt_lines) {
                own.push_str(inner);
                if !inner.ends_with('\n') && line.ends_with('\n') {
                    own.push('\n');
                }
            } else if line.ends_with('\n') {
                own.push('\n');
            }
            continue;
        }
        if !t.is_empty() {
            leading = false;
        }
        own.push_str(line);
    }
    Cow::Owned(own)
}

/// A quoted line without its `>` markers (and the one space after the last), indentation inside the quote kept.
fn strip_quote_markers(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.strip_prefix(' ').unwrap_or(r);
        if !rest.trim_start().starts_with('>') {
            break;
        }
        rest = rest.trim_start();
    }
    rest
}

/// Whether a quoted line after `Answer:` is the template's text rather than the group's: blank, a placeholder, the
/// template's length or example line, or a line of the question's own prompt said again.
fn is_template_quote(inner: &str, prompt_lines: &[&str]) -> bool {
    if inner.is_empty() || is_placeholder(inner) || answer_marker().is_match(inner) {
        return true;
    }
    let norm = normalise_for_matching(inner);
    let norm = norm.trim();
    if norm.is_empty() {
        return true;
    }
    ["recommended answer length", "answer length", "example:"].iter().any(|m| norm.starts_with(m))
        || prompt_lines.iter().any(|p| normalise_for_matching(p).trim() == norm)
}

/// The target of a markdown image's `(...)`: `<path with spaces>` whole, else the first word (a title may follow).
fn image_target(inside: &str) -> &str {
    let t = inside.trim();
    match t.strip_prefix('<').and_then(|r| r.split_once('>')) {
        Some((target, _)) => target.trim(),
        None => t.split_whitespace().next().unwrap_or(""),
    }
}

/// Removes the `--- ... ---` wrapper and template placeholders; says whether anything of the group's is left.
pub fn strip_wrapper(raw: &str) -> (String, bool) {
    // Rebuilt without placeholder lines only when a line could be one (it says "fill") or has a carriage return
    // (`lines` drops it); otherwise joining the lines again would give back the same text, and it is not copied.
    let filtered: Cow<'_, str> = if raw.contains('\r') || says_fill(raw) {
        Cow::Owned(raw.lines().filter(|l| !is_placeholder(l.trim())).collect::<Vec<_>>().join("\n"))
    } else {
        Cow::Borrowed(raw)
    };
    let mut s = filtered.trim();
    // `--- answer ---` on one line or `---` lines around it.
    loop {
        let before = s.len();
        if let Some(rest) = s.strip_prefix("---") {
            s = rest.trim_start_matches('-').trim();
        }
        if let Some(rest) = s.strip_suffix("---") {
            s = rest.trim_end_matches('-').trim();
        }
        if s.len() == before {
            break;
        }
    }
    let answered = !s.is_empty() && !is_template_filler(s);
    (s.to_string(), answered)
}

/// Whether `needle` (ASCII) occurs in `hay`, ignoring ASCII case.
fn contains_ignore_ascii_case(hay: &str, needle: &[u8]) -> bool {
    let (h, Some(&first)) = (hay.as_bytes(), needle.first()) else { return true };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), h)
        .any(|i| h.get(i..i + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)))
}

/// Whether a text has the word "fill" in any case, as every placeholder line does. One vectorised search instead
/// of a look at every `f`.
fn says_fill(text: &str) -> bool {
    static FILL: OnceLock<AhoCorasick> = OnceLock::new();
    FILL.get_or_init(|| {
        AhoCorasick::builder().ascii_case_insensitive(true).build(["fill"]).expect("a valid constant automaton")
    })
    .is_match(text)
}

/// The words of the parts joined by single spaces.
fn join_words<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in parts.flat_map(str::split_whitespace) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The 2025-01-24 to 2026-01-04 templates shipped keyboard-mash text in place of the last placeholder; a group
/// that left it has not answered. It is recognised by a fingerprint of its letters and digits (FNV-1a of the
/// lower-cased ASCII alphanumerics), so the project carries no template text and whitespace edits do not matter.
/// The first alphanumeric and the count of them come with it, so that hashing (every answer reaches here) is
/// skipped for nearly every text by a look at its first letter.
struct FillerFingerprint {
    first: u8,
    alphanumerics: usize,
    fnv1a: u64,
}

const TEMPLATE_FILLERS: &[FillerFingerprint] =
    &[FillerFingerprint { first: b'f', alphanumerics: 208, fnv1a: 0x19bd_78c1_c3a3_07e9 }];

fn is_template_filler(s: &str) -> bool {
    if s.len() > 2_000 {
        return false;
    }
    let first = s.bytes().find(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase());
    let candidates = || TEMPLATE_FILLERS.iter().filter(|f| Some(f.first) == first && s.len() >= f.alphanumerics);
    if candidates().next().is_none() {
        return false;
    }
    let (mut h, mut n): (u64, usize) = (0xcbf2_9ce4_8422_2325, 0);
    for b in s.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
        n += 1;
    }
    candidates().any(|f| f.fnv1a == h && f.alphanumerics == n)
}

/// The question a prompt identifies, and whether the prompt is empty before the template's length line and
/// example (deleted). Remembered per text: every report repeats the template's prompts.
fn question_of_prompt(prompt: &str) -> (Option<AnswerKey>, bool) {
    thread_local! {
        static PROMPTS: memo::Table<(Option<AnswerKey>, bool)> = RefCell::new(HashMap::new());
    }
    memo::remembered(&PROMPTS, prompt, |prompt| {
        let prompt = normalise_for_matching(prompt);
        // The prompt before the template's length line and example identifies the question best.
        let head = ["recommended answer length", "answer length", "example:"]
            .iter()
            .filter_map(|m| prompt.find(m))
            .min()
            .map_or(prompt.as_str(), |i| &prompt[..i]);
        (identify_question(head).or_else(|| identify_question(&prompt)), head.trim().is_empty())
    })
}

fn key_answers(report: &mut Report) {
    let mut first_of: HashMap<AnswerKey, usize> = HashMap::new();
    let provisional_set = question_set_of_numbers(&report.answers);
    for i in 0..report.answers.len() {
        let (mut key, no_prompt) = question_of_prompt(&report.answers[i].prompt);
        let (number, line) = (report.answers[i].number, report.answers[i].line);
        if key.is_none() && no_prompt {
            // The prompt was deleted: fall back to the number, and say so.
            key = number.and_then(|n| {
                questions_of(provisional_set).into_iter().find(|k| template_number(provisional_set, *k) == Some(n))
            });
            if let Some(k) = key {
                report.warn(
                    Some(line),
                    WarningKind::UnknownQuestion,
                    format!("question {} has no prompt; keyed by its number as {k}", number.unwrap_or(0)),
                );
            }
        }
        match key {
            Some(k) => {
                if let Some(&prev) = first_of.get(&k) {
                    let prev_line = report.answers[prev].line;
                    report.warn(
                        Some(line),
                        WarningKind::DuplicateQuestion,
                        format!("question {k} appears again (first at line {prev_line})"),
                    );
                } else {
                    first_of.insert(k, i);
                }
            }
            None => {
                // A group's own question often has no quoted prompt; its first words say what it is.
                let a = &report.answers[i];
                let shown =
                    if a.prompt.trim().is_empty() { a.markdown.lines().next().unwrap_or("") } else { &a.prompt };
                let message = format!(
                    "question {} is not a template question: {:?}",
                    number.map_or("?".into(), |n| n.to_string()),
                    checklist::shorten(shown.trim(), 60)
                );
                report.warn(Some(line), WarningKind::ExtraQuestion, message);
            }
        }
        report.answers[i].key = key;
    }
}

/// Question set from the numbers alone (before keying): 31 when the headings go past 28.
fn question_set_of_numbers(answers: &[Answer]) -> QuestionSet {
    let max = answers.iter().filter_map(|a| a.number).max().unwrap_or(0);
    if max >= 30 || answers.len() >= 30 {
        QuestionSet::Q31
    } else {
        QuestionSet::Q27
    }
}

/// The question set from the keys found: the four questions only the 31-question template has decide.
fn question_set_of(answers: &[Answer]) -> QuestionSet {
    let only_31 = [AnswerKey::CloudTraining, AnswerKey::Api, AnswerKey::ApiTesting, AnswerKey::Extras];
    let found = answers.iter().filter(|a| a.key.is_some_and(|k| only_31.contains(&k))).count();
    if found >= 2 {
        QuestionSet::Q31
    } else if found == 1 {
        question_set_of_numbers(answers)
    } else {
        QuestionSet::Q27
    }
}

fn check_question_set(report: &mut Report) {
    let set = report.questions;
    for key in questions_of(set) {
        if report.answer(key).is_none() {
            let n = template_number(set, key).unwrap_or(0);
            report.warn(None, WarningKind::MissingQuestion, format!("question {n} ({key}) missing"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_and_placeholder() {
        assert_eq!(strip_wrapper("\n--- question 3 fill here ---\n"), (String::new(), false));
        assert_eq!(strip_wrapper("--- fill here ---"), (String::new(), false));
        assert_eq!(strip_wrapper("--- We used uv. ---\n"), ("We used uv.".to_string(), true));
        assert_eq!(strip_wrapper("---\nWe used uv.\n\n---\n"), ("We used uv.".to_string(), true));
        assert_eq!(strip_wrapper("--- 11 ---"), ("11".to_string(), true));
        assert_eq!(strip_wrapper("--- question 5 fill here ---\n\nOur own text."), ("Our own text.".to_string(), true));
    }

    #[test]
    fn only_the_fingerprinted_filler_is_not_an_answer() {
        assert!(!is_template_filler("We split the work evenly between the four of us and everyone reviewed code."));
        assert!(!is_template_filler("qwrtz gwplk xvbnm asdfg hjklz wqrtp zxcvb nmlkj hgfdw ertzw trwqp"));
    }

    #[test]
    fn lines_of_offsets() {
        let l = Lines::new("a\nbb\n\nc");
        assert_eq!(l.line_of(0), 1);
        assert_eq!(l.line_of(2), 2);
        assert_eq!(l.line_of(5), 3);
        assert_eq!(l.line_of(6), 4);
    }
}
