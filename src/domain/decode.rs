//! From a file's bytes to the text the parser reads: encodings, byte-order marks, line endings, mojibake and
//! front matter are settled here, before anything else looks at the text.

use std::borrow::Cow;

/// Why bytes could not become report text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes look like a binary file (NUL bytes or mostly control characters).
    #[error("binary content, not a markdown text file; skipped (a report must be saved as text, e.g. UTF-8)")]
    Binary,
    /// The file is empty or only whitespace.
    #[error("the file is empty; skipped (check that the group committed its report)")]
    Empty,
}

/// Text ready for parsing, with notes on what was repaired.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// LF line endings, no BOM, front matter blanked (lines kept so line numbers stay true).
    pub text: String,
    /// What was done to the bytes, for the report's warnings (none for ordinary files).
    pub notes: Vec<Note>,
}

/// One thing done to a file's bytes, with the first line it concerns when it concerns a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// 1-based line in the decoded text.
    pub line: Option<usize>,
    pub message: String,
}

impl Note {
    fn file(message: impl Into<String>) -> Self {
        Note { line: None, message: message.into() }
    }
}

/// Turns a file's bytes into text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut notes = Vec::new();
    // Each step borrows when it has nothing to do (nearly every file), so the text is copied once, at the end.
    let text = to_string(bytes, &mut notes)?;
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    // Line endings first, so the line of a repair is a line of the text the parser reads.
    let text = then(text, normalise_line_endings);
    let mut repairs = Vec::new();
    let text = then(text, |t| {
        let (repaired, at) = repair_mojibake_at(t);
        repairs = at;
        repaired
    });
    if let Some(&first) = repairs.first() {
        let line = text[..first].matches('\n').count() + 1;
        let n = repairs.len();
        notes.push(Note {
            line: Some(line),
            message: format!("repaired {n} double-encoded UTF-8 sequences (mojibake)"),
        });
    }
    let text = then(text, blank_front_matter);
    Ok(Decoded { text: text.into_owned(), notes })
}

/// Applies a step that may borrow its input: the input is kept when the step changed nothing.
fn then<'a>(text: Cow<'a, str>, step: impl FnOnce(&str) -> Cow<'_, str>) -> Cow<'a, str> {
    let changed = match step(&text) {
        Cow::Borrowed(_) => None,
        Cow::Owned(s) => Some(s),
    };
    changed.map_or(text, Cow::Owned)
}

fn to_string<'a>(bytes: &'a [u8], notes: &mut Vec<Note>) -> Result<Cow<'a, str>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, notes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        notes.push(Note::file("decoded from UTF-16 (little endian)"));
        return Ok(Cow::Owned(utf16(rest, u16::from_le_bytes)));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        notes.push(Note::file("decoded from UTF-16 (big endian)"));
        return Ok(Cow::Owned(utf16(rest, u16::from_be_bytes)));
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    let text = utf8(bytes, notes)?;
    if !text.contains('\0') {
        return Ok(text);
    }
    // NUL means nothing in markdown and ends strings in the tools staff open exports with.
    let nul = text.matches('\0').count();
    notes.push(Note::file(format!("{nul} NUL bytes removed (the file is otherwise text)")));
    Ok(Cow::Owned(text.replace('\0', "")))
}

fn utf8<'a>(bytes: &'a [u8], notes: &mut Vec<Note>) -> Result<Cow<'a, str>, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            // A file with no valid multi-byte UTF-8 sequence at all was saved in a one-byte encoding (Windows-1252
            // or Latin-1): decode it byte by byte rather than lose every accented letter. A file that mixes valid
            // UTF-8 with stray bytes is UTF-8 with damage: only the stray bytes are replaced.
            if !has_utf8_multibyte(bytes) {
                notes.push(Note::file("not UTF-8: decoded as Latin-1 (Windows-1252)"));
                return Ok(Cow::Owned(bytes.iter().map(|&b| cp1252_char(b)).collect()));
            }
            let s = String::from_utf8_lossy(bytes).into_owned();
            let bad = s.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
            let line = line_of_byte(bytes, e.valid_up_to());
            notes.push(Note {
                line: Some(line),
                message: format!("not valid UTF-8: {bad} invalid byte sequences replaced with U+FFFD"),
            });
            Ok(Cow::Owned(s))
        }
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// The 1-based line a byte offset falls on, counting line ends as [`normalise_line_endings`] will (CRLF, LF, CR).
fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset.min(bytes.len())];
    let lf = before.iter().filter(|&&b| b == b'\n').count();
    let lone_cr = before.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count();
    1 + lf + lone_cr
}

/// Whether the bytes hold at least one well-formed multi-byte UTF-8 sequence.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                // `valid` is UTF-8 by construction; a non-ASCII byte in it starts a multi-byte sequence.
                if !valid.is_ascii() {
                    return true;
                }
                let skip = e.error_len().unwrap_or(after.len());
                rest = &after[skip..];
            }
        }
    }
}

/// The character a byte stands for in Windows-1252 (Latin-1 where Windows-1252 leaves a byte undefined).
fn cp1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// NUL bytes making more than 1% of the first 8 KiB (an image, an archive, UTF-16 without a byte-order mark), or
/// mostly control characters, mean not a text file. A stray NUL in a text report (pasted from a terminal) does not:
/// rejecting the whole report for it lost a group's answers.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let nul = head.iter().filter(|&&b| b == 0).count();
    if nul * 100 > head.len() {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    control * 10 > head.len()
}

/// The byte a character stood for when UTF-8 was wrongly decoded as Windows-1252 (or Latin-1).
fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '\u{80}'..='\u{FF}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

/// Repairs double-encoded UTF-8 (`â€”` for `—`, `Ã©` for `é`). Only runs of characters that map back to bytes
/// *and* form a valid multi-byte UTF-8 sequence are replaced, so genuine accented text is left alone.
/// Returns the text and the number of sequences repaired.
pub fn repair_mojibake(text: &str) -> (String, usize) {
    let (out, at) = repair_mojibake_at(text);
    (out.into_owned(), at.len())
}

/// [`repair_mojibake`], returning the byte offsets (in the repaired text) of the repairs.
fn repair_mojibake_at(text: &str) -> (Cow<'_, str>, Vec<usize>) {
    // Fast path: every mojibake sequence is a lead byte shown as one of these, followed by a continuation byte
    // shown as a character. Genuine accented text ("café", "Ærø") has neither pair, and is not copied into chars.
    // In UTF-8 those lead characters (U+00C2..U+00F4) are the bytes C3 82..C3 B4: no such pair, no mojibake.
    let bytes = text.as_bytes();
    let possible = memchr::memchr_iter(0xC3, bytes).any(|i| {
        let lead_shown = bytes.get(i + 1).is_some_and(|b| (0x82..=0xB4).contains(b));
        // The character after the shown lead must be a shown continuation byte.
        lead_shown
            && text
                .get(i + 2..)
                .and_then(|rest| rest.chars().next())
                .and_then(cp1252_byte)
                .is_some_and(|b| (0x80..=0xBF).contains(&b))
    });
    if !possible {
        return (Cow::Borrowed(text), Vec::new());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut repaired = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(lead) = cp1252_byte(chars[i]) {
            let len = match lead {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => 0,
            };
            if len > 0 && i + len <= chars.len() {
                let mut buf = [0u8; 4];
                buf[0] = lead;
                let mut ok = true;
                for k in 1..len {
                    match cp1252_byte(chars[i + k]) {
                        Some(b) if (0x80..=0xBF).contains(&b) => buf[k] = b,
                        _ => {
                            ok = false;
                            break;
                        }
                    }
                }
                if ok {
                    if let Ok(s) = std::str::from_utf8(&buf[..len]) {
                        repaired.push(out.len());
                        out.push_str(s);
                        i += len;
                        continue;
                    }
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    (Cow::Owned(out), repaired)
}

fn normalise_line_endings(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Blanks a Jekyll/YAML front matter block (`---` ... `---` at the very top), keeping its lines as empty lines.
fn blank_front_matter(text: &str) -> Cow<'_, str> {
    let mut lines = text.split('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return Cow::Borrowed(text);
    }
    let mut n = 1;
    for line in lines.take(40) {
        n += 1;
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let mut out = "\n".repeat(n);
            let consumed: usize = text.split('\n').take(n).map(|l| l.len() + 1).sum();
            out.push_str(text.get(consumed.min(text.len())..).unwrap_or(""));
            return Cow::Owned(out);
        }
        // Front matter is `key: value` lines (or indented / list continuation); anything else means it is not one.
        if !(t.is_empty() || t.starts_with(' ') || t.starts_with('-') || t.starts_with('#') || t.contains(':')) {
            return Cow::Borrowed(text);
        }
    }
    Cow::Borrowed(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_mojibake_and_leaves_real_accents() {
        let (s, n) = repair_mojibake("modelâ€”considered, itâ€™s cafÃ© âœ… but café stays");
        assert_eq!(s, "model—considered, it’s café ✅ but café stays");
        assert_eq!(n, 4);
        let (s, n) = repair_mojibake("Ærø, naïve, Müller");
        assert_eq!((s.as_str(), n), ("Ærø, naïve, Müller", 0));
    }

    #[test]
    fn a_repair_names_its_first_line() {
        let d = decode("# Title\r\n\r\nIt\u{e2}\u{20ac}\u{2122}s fine\r\n".as_bytes()).unwrap();
        assert_eq!(d.text, "# Title\n\nIt\u{2019}s fine\n");
        assert_eq!(
            d.notes,
            [Note { line: Some(3), message: "repaired 1 double-encoded UTF-8 sequences (mojibake)".into() }]
        );
    }

    #[test]
    fn bom_crlf_and_front_matter() {
        let d = decode(b"\xEF\xBB\xBF---\r\nlayout: default\r\nnav_exclude: true\r\n---\r\n\r\n# Title\r\n").unwrap();
        assert_eq!(d.text, "\n\n\n\n\n# Title\n");
        assert!(d.notes.is_empty());
    }

    #[test]
    fn a_rule_at_the_top_is_not_front_matter() {
        let t = "---\nSome prose that is not yaml at all\n---\n";
        assert_eq!(decode(t.as_bytes()).unwrap().text, t);
    }

    #[test]
    fn utf16_and_binary_and_empty() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "# Hi ✓".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "# Hi ✓");
        assert_eq!(d.notes.len(), 1);
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0").unwrap_err(), DecodeError::Binary);
        assert_eq!(decode(b"  \n\n").unwrap_err(), DecodeError::Empty);
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_note() {
        let d = decode("# Report \u{2014} ok\nsome text \u{FF} here".as_bytes()).unwrap();
        assert!(d.notes.is_empty());
        let d =
            decode(b"# Report \xE2\x80\x94 ok\nsome text \xFF here and plenty of other ascii text around it").unwrap();
        assert!(d.text.contains('\u{FFFD}') && d.text.contains('\u{2014}'));
        assert!(d.notes[0].message.contains("not valid UTF-8"));
        assert_eq!(d.notes[0].line, Some(2));
    }

    #[test]
    fn one_byte_encodings_are_read_as_windows_1252() {
        let d = decode(b"# Caf\xE9 \x96 na\xEFve\n").unwrap();
        assert_eq!(d.text, "# Caf\u{e9} \u{2013} na\u{ef}ve\n");
        assert!(d.notes[0].message.contains("Latin-1"));
    }
}
