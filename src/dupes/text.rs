//! Normalised words and word shingles of answer markdown.
//!
//! A word is a run of letters and digits, lower-cased; everything else (punctuation, emphasis marks, headings,
//! table pipes) separates words. Link and image targets, bare URLs and HTML tags are skipped entirely: a shared
//! `https://github.com/...` or `<img width=...>` says nothing about who wrote the prose around it, and link text
//! is kept. Words are kept as 32-bit hashes (the whole answer set of a 10,000-report cohort is about 30 million
//! words); shingles of `w` consecutive words are 64-bit hashes of those.

use std::ops::Range;

/// Calls `f(hash, byte_range)` for every normalised word of `markdown`, in order.
///
/// One pass over the bytes (this runs over every answer of every report): link and image targets (`](...)` up to
/// the closing parenthesis on the same line), bare URLs (`http://`, `https://`, `ftp://` up to a space or one of
/// `)<>]`), HTML comments and tags (`<` and a letter, up to `>` on the same line) are skipped.
pub fn for_each_word(markdown: &str, mut f: impl FnMut(u32, Range<usize>)) {
    let bytes = markdown.as_bytes();
    let mut i = 0;
    let mut word: Option<(usize, u64)> = None;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                let (start, hash) = match word {
                    Some(w) => w,
                    None => {
                        if let Some(end) = url_end(bytes, i) {
                            i = end;
                            continue;
                        }
                        (i, FNV_OFFSET)
                    }
                };
                word = Some((start, fnv(hash, u32::from(c.to_ascii_lowercase()))));
                i += 1;
                continue;
            }
            if let Some((start, hash)) = word.take() {
                f(finish(hash), start..i);
            }
            let skip = match c {
                b']' => link_target_end(bytes, i),
                b'<' => tag_end(bytes, i),
                _ => None,
            };
            i = skip.unwrap_or(i + 1);
        } else {
            // A multi-byte character: `i` is on a boundary, since every step moves by whole characters.
            let Some(ch) = markdown[i..].chars().next() else { break };
            if ch.is_alphanumeric() {
                let (start, mut hash) = word.unwrap_or((i, FNV_OFFSET));
                for l in ch.to_lowercase() {
                    hash = fnv(hash, l as u32);
                }
                word = Some((start, hash));
            } else if let Some((start, hash)) = word.take() {
                f(finish(hash), start..i);
            }
            i += ch.len_utf8();
        }
    }
    if let Some((start, hash)) = word {
        f(finish(hash), start..bytes.len());
    }
}

/// The end of a bare URL starting at `i`, if one does.
fn url_end(bytes: &[u8], i: usize) -> Option<usize> {
    let rest = &bytes[i..];
    if !matches!(rest.first(), Some(b'h' | b'H' | b'f' | b'F')) {
        return None;
    }
    let scheme = [&b"https://"[..], b"http://", b"ftp://"]
        .into_iter()
        .find(|p| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p))?;
    let body = &rest[scheme.len()..];
    let len = body
        .iter()
        .position(|&b| b.is_ascii_whitespace() || matches!(b, b')' | b'<' | b'>' | b']'))
        .unwrap_or(body.len());
    Some(i + scheme.len() + len)
}

/// The end of a link or image target `](...)` whose `]` is at `i`.
fn link_target_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i + 1) != Some(&b'(') {
        return None;
    }
    let body = &bytes[i + 2..];
    let close = body.iter().take(2000).position(|&b| b == b')' || b == b'\n')?;
    (body[close] == b')').then_some(i + 2 + close + 1)
}

/// The end of an HTML comment or tag whose `<` is at `i`. A `<` not followed by a letter (`x < 3`) is text.
fn tag_end(bytes: &[u8], i: usize) -> Option<usize> {
    let rest = &bytes[i..];
    if rest.starts_with(b"<!--") {
        let end = rest.windows(3).position(|w| w == b"-->")?;
        return Some(i + end + 3);
    }
    let name = if rest.get(1) == Some(&b'/') { 2 } else { 1 };
    if !rest.get(name).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let close = rest.iter().take(400).skip(1).position(|&b| matches!(b, b'>' | b'<' | b'\n'))? + 1;
    (rest[close] == b'>').then_some(i + close + 1)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(hash: u64, c: u32) -> u64 {
    (hash ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// SplitMix64's finaliser: spreads FNV's weak low bits before truncating to 32 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn finish(hash: u64) -> u32 {
    (mix(hash) >> 32) as u32
}

/// The word hashes of `markdown`.
pub fn words(markdown: &str) -> Vec<u32> {
    let mut out = Vec::with_capacity(markdown.len() / 6);
    for_each_word(markdown, |h, _| out.push(h));
    out
}

/// The byte range of every word of `markdown`, in the same order as [`words`].
pub fn word_spans(markdown: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for_each_word(markdown, |_, r| out.push(r));
    out
}

/// The hash of the shingle made of `words` (any length).
pub fn shingle_hash(words: &[u32]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for &w in words {
        h = mix(h ^ u64::from(w)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    }
    h
}

/// The shingle hash at every position: element `i` covers words `i .. i + size`. Empty when there are fewer
/// than `size` words.
pub fn shingles(words: &[u32], size: usize) -> Vec<u64> {
    if size == 0 || words.len() < size {
        return Vec::new();
    }
    words.windows(size).map(shingle_hash).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(md: &str) -> Vec<&str> {
        word_spans(md).into_iter().map(|r| &md[r]).collect()
    }

    #[test]
    fn case_punctuation_and_markdown_do_not_matter() {
        assert_eq!(
            words("We **trained** the model, then `deployed` it."),
            words("we trained the MODEL then deployed it")
        );
        assert_eq!(words("# Heading\n| a | b |"), words("heading a b"));
        assert_ne!(words("trained"), words("trainer"));
    }

    #[test]
    fn link_targets_urls_and_tags_are_skipped() {
        assert_eq!(
            text_of("see [our dashboard](https://x.org/a_b) and ![plot](figures/p.png)"),
            ["see", "our", "dashboard", "and", "plot"]
        );
        assert_eq!(text_of("at https://example.com/path?q=1 now"), ["at", "now"]);
        assert_eq!(text_of("<img src=\"f.png\" width=\"40%\"> caption <br/> end"), ["caption", "end"]);
        assert_eq!(text_of("a <!-- hidden\nnote --> b"), ["a", "b"]);
        // A lone comparison sign is text, not a tag.
        assert_eq!(text_of("x < 3 and y > 2"), ["x", "3", "and", "y", "2"]);
    }

    #[test]
    fn spans_point_at_the_words() {
        let md = "Ünïcode wörds, too: Straße";
        assert_eq!(text_of(md), ["Ünïcode", "wörds", "too", "Straße"]);
        assert_eq!(words("ÜNÏCODE"), words("ünïcode"));
    }

    #[test]
    fn shingles_slide_one_word_at_a_time() {
        let w = words("one two three four five six");
        let s = shingles(&w, 5);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1], shingle_hash(&words("two three four five six")));
        assert_ne!(s[0], s[1]);
        assert!(shingles(&w[..4], 5).is_empty());
    }
}
