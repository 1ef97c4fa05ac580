//! Number words, as groups write them instead of digits ("seven tests", "twenty-one"): the one table the fact
//! reader, the generator and the tests share.

/// Zero to nineteen.
pub const UNITS: [&str; 20] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
];

/// Twenty to ninety.
pub const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// The word for a number below 100: "seven", "twenty", "twenty-one".
pub fn word(n: u32) -> Option<String> {
    let n = usize::try_from(n).ok()?;
    match n {
        0..=19 => Some(UNITS[n].to_string()),
        20..=99 => {
            let tens = TENS[n / 10 - 2];
            Some(if n % 10 == 0 { tens.to_string() } else { format!("{tens}-{}", UNITS[n % 10]) })
        }
        _ => None,
    }
}

/// The value of a number word, any case: "Seven", "twenty-one", "twenty one".
pub fn value(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let mut parts = word.split([' ', '-']).filter(|p| !p.is_empty());
    let first = parts.next()?;
    let second = parts.next();
    if parts.next().is_some() {
        return None;
    }
    if let Some(u) = UNITS.iter().position(|&w| w == first) {
        return second.is_none().then_some(u as u32);
    }
    let tens = 20 + 10 * TENS.iter().position(|&w| w == first)? as u32;
    match second {
        None => Some(tens),
        Some(s) => UNITS[1..10].iter().position(|&w| w == s).map(|u| tens + u as u32 + 1),
    }
}

/// Whether one word (no spaces or hyphens) is a number word.
pub fn is_number_word(word: &str) -> bool {
    let word = word.to_lowercase();
    UNITS.contains(&word.as_str()) || TENS.contains(&word.as_str())
}

/// A regular expression (a non-capturing group) matching a number word below 100, longest alternatives first so
/// that "seventeen" is not read as "seven".
pub fn pattern() -> String {
    let units = |ws: &[&str]| ws.join("|");
    format!(
        "(?:(?:{})(?:[ -](?:{}))?|{}|{})",
        units(&TENS),
        units(&UNITS[1..10]),
        units(&UNITS[11..20]),
        units(&[&UNITS[0..1], &UNITS[1..11]].concat()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_values_agree_below_a_hundred() {
        for n in 0..100 {
            let w = word(n).expect("a word below 100");
            assert_eq!(value(&w), Some(n), "{w}");
            assert_eq!(value(&w.replace('-', " ").to_uppercase()), Some(n), "{w}");
        }
        assert_eq!(word(100), None);
        assert_eq!(value("twenty one two"), None);
        assert_eq!(value("seven-one"), None);
        assert!(is_number_word("Twelve") && is_number_word("forty") && !is_number_word("tens"));
    }

    #[test]
    fn the_pattern_reads_whole_words_longest_first() {
        let re = regex::Regex::new(&format!("^{}$", pattern())).expect("valid pattern");
        for n in 0..100 {
            let w = word(n).expect("a word below 100");
            assert!(re.is_match(&w), "{w}");
        }
        let first = regex::Regex::new(&pattern()).expect("valid pattern");
        assert_eq!(first.find("seventeen tests").map(|m| m.as_str()), Some("seventeen"));
        assert_eq!(first.find("twenty-one tests").map(|m| m.as_str()), Some("twenty-one"));
    }
}
