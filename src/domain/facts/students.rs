//! Student ids as written, distinct (case-insensitively), in order: DTU's `s243906`, other universities' `c1234567`
//! or plain six- to eight-digit numbers. Names, e-mail addresses and the template's `sXXXXXX` are not ids.

use super::scan::{regex, Scan};
use super::{Cand, Judgement, Verdict};
use crate::domain::FactRule;

pub(super) fn read(scan: &Scan<'_>, rule: FactRule) -> Judgement<Vec<String>> {
    let text = &scan.text;
    let mut ids: Vec<String> = Vec::new();
    let mut parts = Vec::new();
    let mut cands = Vec::new();
    for m in regex!(r"(?i)\b(?:[sc]\d{5,7}|\d{6,8})\b").find_iter(text) {
        let mut c = Cand::new(m.range(), m.as_str(), "a student id");
        if ids.iter().any(|id| id.eq_ignore_ascii_case(m.as_str())) {
            c.why = "the same id again".into();
        } else {
            ids.push(m.as_str().to_string());
            parts.push(m.range());
            c.verdict = Verdict::Chosen;
            c.why = rule.to_string();
        }
        cands.push(c);
    }
    if ids.is_empty() {
        return Judgement::absent(cands);
    }
    Judgement::found(ids, rule, parts, cands)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Reading;

    fn student_ids(md: &str) -> Vec<String> {
        match read(&Scan::new(md, 1), FactRule::IdsListed).reading {
            Reading::Found(v) => v,
            _ => vec![],
        }
    }

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
}
