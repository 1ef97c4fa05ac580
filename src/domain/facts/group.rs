//! The group number: "MLOPS 15", "Group 37", "G35", "Awesome 21", or a bare "11". The course number (02476) and
//! years have four or more digits and are never taken.

use super::scan::{numbers, regex, Scan};
use super::{Cand, Judgement, Verdict};
use crate::domain::FactRule;

pub(super) fn read(scan: &Scan<'_>) -> Judgement<u32> {
    let text = &scan.text;
    let mut cands: Vec<Cand> =
        numbers(text).into_iter().filter(|n| !n.word).map(|n| Cand::new(n.span, n.value, "a number")).collect();
    // A number right after a word naming the group is the group number, whatever else the answer says.
    let named = regex!(r#"(?i)\b(?:group|mlops|team|awesome|g|number|nr|no)[\s:#'"._-]*0*(\d{1,3})\b"#);
    let chosen =
        named.captures(text).and_then(|c| c.get(1)).map(|m| (m.range(), FactRule::NamedNumber)).or_else(|| {
            let m = regex!(r"\b\d{1,3}\b").find(text)?;
            let bare = text.trim().trim_matches(|c: char| !c.is_alphanumeric()) == m.as_str();
            Some((m.range(), if bare { FactRule::BareNumber } else { FactRule::FirstNumber }))
        });
    let Some((span, rule)) = chosen else {
        for c in &mut cands {
            c.why = "four or more digits: a course number or a year".into();
        }
        return Judgement::absent(cands);
    };
    let Ok(value) = text[span.clone()].parse::<u32>() else { return Judgement::absent(cands) };
    for c in &mut cands {
        if c.span.start <= span.start && span.end <= c.span.end {
            c.span = span.clone();
            c.verdict = Verdict::Chosen;
            c.why = rule.to_string();
        } else {
            c.why = "not the group number (the first named or short number is)".into();
        }
    }
    if !cands.iter().any(|c| c.verdict == Verdict::Chosen) {
        let mut c = Cand::new(span.clone(), value, "a number after a group name");
        c.verdict = Verdict::Chosen;
        c.why = rule.to_string();
        cands.push(c);
    }
    Judgement::found(value, rule, vec![span], cands)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Reading;

    fn group_number(md: &str) -> Option<u32> {
        match read(&Scan::new(md, 1)).reading {
            Reading::Found(v) => Some(v),
            _ => None,
        }
    }

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

    #[test]
    fn a_bare_number_says_so() {
        assert_eq!(read(&Scan::new("**11**", 1)).rule, Some(FactRule::BareNumber));
        assert_eq!(read(&Scan::new("We are 11", 1)).rule, Some(FactRule::FirstNumber));
    }
}
