//! "Did you mean" for a name that is not one of the known ones (a question key, a cohort label, a field).

/// The known name closest to `given` (edit distance, case ignored), when it is close enough to be a likely typo
/// (at most a third of the longer name's characters differ) and no other name is as close.
pub fn closest<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.to_lowercase();
    let close: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (edit_distance(&given, &k.to_lowercase()), k))
        .filter(|(d, k)| *d > 0 && *d * 3 <= given.chars().count().max(k.chars().count()))
        .collect();
    let best = close.iter().map(|(d, _)| *d).min()?;
    // Two names equally close: no guess is better than a wrong one.
    match close.iter().filter(|(d, _)| *d == best).collect::<Vec<_>>().as_slice() {
        [(_, k)] => Some(*k),
        _ => None,
    }
}

/// One sentence for an unknown name: `unknown cohort "2036" (did you mean "2026"?); known cohorts: 2025, 2026`.
pub fn unknown(what: &str, given: &str, known: &[String]) -> String {
    let hint =
        closest(given, known.iter().map(String::as_str)).map(|k| format!(" (did you mean {k:?}?)")).unwrap_or_default();
    let list = if known.is_empty() { "none".to_string() } else { known.join(", ") };
    format!("unknown {what} {given:?}{hint}; known {what}s: {list}")
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_suggested_and_strangers_are_not() {
        assert_eq!(closest("2027", ["2024", "2025", "2026"]), None);
        assert_eq!(closest("2O26", ["2024", "2026"]), Some("2026"));
        assert_eq!(closest("deplyo", ["deploy", "credits"]), Some("deploy"));
        assert_eq!(closest("zzzzzz", ["deploy", "credits"]), None);
        assert_eq!(
            unknown("cohort", "2036", &["2025".into(), "2026".into()]),
            "unknown cohort \"2036\" (did you mean \"2026\"?); known cohorts: 2025, 2026"
        );
        assert_eq!(unknown("cohort", "x", &[]), "unknown cohort \"x\"; known cohorts: none");
    }
}
