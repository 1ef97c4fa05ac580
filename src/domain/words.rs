//! Counting words the way the course checker does (`len(text.split())`), fast: it runs over every answer.

/// The number of whitespace-separated words: the same count as `str::split_whitespace().count()`, without decoding
/// every character. ASCII bytes are classified by table; only a non-ASCII character is decoded, to ask whether it
/// is Unicode whitespace (a no-break space separates words for `split_whitespace` and for Python's `split`).
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    // Every non-ASCII whitespace character starts with one of these bytes (U+0085 and U+00A0 with C2, U+1680
    // with E1, U+2000..U+205F with E2, U+3000 with E3). Where none of them is whitespace, counting bytes is exact.
    let unicode_space = memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .any(|i| text.get(i..).and_then(|rest| rest.chars().next()).is_some_and(char::is_whitespace));
    if unicode_space {
        count_words_decoding(text)
    } else {
        count_ascii_separated(bytes)
    }
}

/// Words separated by ASCII whitespace only; a tight loop the compiler vectorises.
fn count_ascii_separated(bytes: &[u8]) -> usize {
    let mut words = 0;
    let mut prev_space = true;
    for &b in bytes {
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        words += usize::from(prev_space && !space);
        prev_space = space;
    }
    words
}

/// The general case: non-ASCII characters decoded and asked whether they are whitespace.
fn count_words_decoding(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), 1)
        } else {
            // `i` is at a character boundary: the loop only ever steps whole characters.
            match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
        i += len;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::count_words;

    #[test]
    fn counts_as_split_whitespace_does() {
        for s in [
            "",
            " ",
            "one",
            "  two words  ",
            "tab\tand\nnew\r\nlines\x0bvt\x0cff",
            "no\u{a0}break space",
            "em\u{2003}space and ideographic\u{3000}space",
            "zero\u{200b}width is not whitespace",
            "ÆØÅ æøå — dash … ellipsis",
            "emoji 🚀 counts ✅",
            "\u{85}next line\u{2028}line sep",
        ] {
            assert_eq!(count_words(s), s.split_whitespace().count(), "{s:?}");
        }
    }
}
