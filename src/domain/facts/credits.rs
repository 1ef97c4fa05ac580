//! The credits spent (question `credits`): an amount and its unit (USD, DKK, EUR or plain "credits"). Candidates
//! are the numbers the scanner finds with a currency or "credits" before or after them ("$2.12", "41 DKK", "17.3
//! credits", "eleven dollars", "kr. 12.50"); a range ("10-20$", "between 4 and 6 dollars") stands for its
//! midpoint, and an amount in parentheses right after another is a conversion (dropped) or a refinement (taken).
//! Each candidate is described by what surrounds it: not spending at all (the free budget, a voucher, an amount
//! left, an expected cost, GitHub Actions minutes), or spending said to be the total, the group's, one member's or
//! one service's. The rules, in order:
//!
//! - a stated total wins (`stated-total`; stated "each", times the members: `each-times-members`), unless the same
//!   sentence gives it in a second currency (unclear);
//! - one budget used up and an unstated part of another: no total is stated (unclear, never the budget);
//! - what the group says it spent (`group-statement`; several such amounts: `sum-of-breakdown`);
//! - per-member amounts summed (`sum-of-breakdown`);
//! - per-service and other amounts summed (`sum-of-breakdown`; one alone: `sole-figure`);
//! - amounts in two units with no total: unclear.

use super::about::{self, Bound};
use super::scan::{ceil_boundary, floor_boundary, numbers, range_before, regex, Scan};
use super::service::service_names;
use super::{Cand, Decided, Judgement, Verdict};
use crate::domain::{CreditUnit, CreditsSpent, FactRule};
use std::ops::Range;

/// The sentence holding `at`.
fn sentence_of(sents: &[Range<usize>], at: usize) -> Range<usize> {
    sents.iter().find(|r| r.contains(&at)).cloned().unwrap_or(at..at)
}

impl Amount {
    fn shown(&self) -> String {
        format!("{} {}", round_cents(self.value), self.unit)
    }

    fn read_as(&self) -> String {
        let mut s = match self.role {
            Role::Total => "spending called the total",
            Role::Group => "what the group spent",
            Role::Member => "what one member spent",
            Role::Service => "what one service cost",
            Role::Other => "an amount with no spending words",
        }
        .to_string();
        if self.each {
            s.push_str(", each");
        }
        if let Some(note) = self.note {
            s.push_str(&format!(" ({note})"));
        }
        if let Some(b) = self.bound {
            s.push_str(&format!(", {}", b.read_as()));
        }
        s
    }
}

/// Every amount of money or credits in the text, in order: a number with a unit before it (`$`, `€`, `USD`,
/// `DKK`, `kr.`) or after it (`$`, `€`, `dollars`, `kroner`, `credits`, ...), conversions dropped (into `dropped`)
/// and refinements applied.
fn find_amounts(text: &str, dropped: &mut Vec<Cand>) -> Vec<Amount> {
    let unit_before = regex!(r"(?i)(?:US\$|\$|€|\b(?:usd|dkk|ddk|eur)\b|\bkr\b\.?)\s*~?\s*$");
    let unit_after = regex!(
        r"(?i)^\s*(?:(?:free|gcp|google|cloud|educational|student|trial)\s+)*(?:\(\s*(?:\$|€|usd|dkk|ddk|eur|kr)\s*\)(?:\s*credits?\b)?|\$|€|(?:usd|dkk|ddk|eur|euros?|(?:american\s+|us\s+)?dollars?|kroner|krone|kr|danish\s+(?:crowns|kroner|krone)|credits?)\b)"
    );
    // "300 credits (DKK)": credits counted in a currency.
    let currency_of_credits = regex!(r"(?i)^\s*\(\s*(?:in\s+)?(\$|€|usd|dkk|ddk|eur|kr\.?)\s*\)");
    // "1.34K credits", "$2k": thousands.
    let thousands = regex!(r"^[kK]\b");
    let trailing_dollars = regex!(r"(?i)^\s*(?:usd|dollars?)\b");
    let range_after = regex!(r"^[ \t]*(?:-|–|to)[ \t]*(?:\$|€)?[ \t]*(?P<hi>\d+(?:\.\d+)?)");
    let mut out: Vec<Amount> = Vec::new();
    let mut covered = 0;
    for n in numbers(text) {
        if n.span.start < covered {
            continue;
        }
        let line_start = text[..n.span.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..n.span.start];
        // A unit already read with the amount before ("300 DKK ~ 43$") is not this number's.
        let prefix =
            (!n.word).then(|| unit_before.find(before)).flatten().filter(|u| line_start + u.start() >= covered);
        let mut value = n.value;
        let mut note = None;
        let mut number_end = n.span.end;
        if !n.word && thousands.is_match(&text[number_end..]) {
            value *= 1000.0;
            number_end += 1;
            note = Some("thousands (k)");
        }
        let (unit, mut span) = if let Some(u) = prefix {
            let mut end = number_end;
            if let Some(t) = trailing_dollars.find(&text[end..]) {
                end += t.end();
            }
            (unit_of(u.as_str()), line_start + u.start()..end)
        } else if let Some(u) = unit_after.find(&text[number_end..]) {
            let mut end = number_end + u.end();
            let mut unit = unit_of(u.as_str().trim_start().trim_start_matches('(').trim_start());
            if unit == CreditUnit::Credits {
                if let Some(c) = currency_of_credits.captures(&text[end..]) {
                    unit = unit_of(&c[1]);
                    end += c.get(0).map_or(0, |m| m.end());
                }
            }
            (unit, n.span.start..end)
        } else {
            continue;
        };
        // "40-60$", "between 3.49 and 3.82 USD", "$40-60": a range stands for its midpoint.
        if prefix.is_none() {
            if let Some((lo, start)) = range_before(text, n.span.start, "") {
                if lo < value {
                    value = (lo + value) / 2.0;
                    span.start = start;
                    note = Some("midpoint of a range");
                }
            }
        } else if let Some(r) = range_after.captures(&text[span.end..]) {
            if let Some(hi) = r.name("hi").and_then(|m| m.as_str().parse::<f64>().ok()) {
                if hi > value {
                    value = (value + hi) / 2.0;
                    span.end += r.get(0).map_or(0, |m| m.end());
                    note = Some("midpoint of a range");
                }
            }
        }
        covered = span.end;
        let bound = about::bound(&text[line_start..span.start.max(line_start)], &text[n.span.end..]);
        out.push(Amount { value, unit, span, role: Role::Other, each: false, note, bound });
    }
    drop_conversions(text, out, dropped)
}

pub(super) fn read(scan: &Scan<'_>, members: usize, explain: bool) -> Decided<CreditsSpent> {
    judge(scan, members).quoted(scan, explain)
}

/// Applies the rules (module documentation); every amount becomes a judged candidate.
fn judge(scan: &Scan<'_>, members: usize) -> Judgement<CreditsSpent> {
    let text = &scan.text;
    let sents = scan.sentences();
    let mut cands: Vec<Cand> = Vec::new();
    let mut amounts = find_amounts(text, &mut cands);
    amounts.extend(continued_amounts(text, &amounts));
    let spent_bare = spent_bare_numbers(text, &amounts);
    amounts.extend(spent_bare);
    amounts.sort_by_key(|a| a.span.start);
    let mut spending: Vec<Amount> = Vec::new();
    for a in amounts {
        match not_spending(text, sents, &a) {
            Some(why) => {
                let mut c = Cand::new(a.span.clone(), a.shown(), "not spending");
                c.why = why.into();
                cands.push(c);
            }
            None => spending.push(a),
        }
    }
    // "(the rest is about 2 credits)": an estimate set off in parentheses beside the amounts stated is no spending.
    if spending.len() > 1 {
        let (estimates, stated): (Vec<Amount>, Vec<Amount>) =
            spending.into_iter().partition(|a| estimate_in_parentheses(text, sents, a));
        spending = stated;
        for a in estimates {
            let mut c = Cand::new(a.span.clone(), a.shown(), "an estimate in parentheses");
            c.why = "an estimate set off in parentheses, not spending stated".into();
            cands.push(c);
        }
    }
    classify_amounts(text, sents, &mut spending);
    let first_cand = cands.len();
    cands.extend(spending.iter().map(|a| Cand::new(a.span.clone(), a.shown(), a.read_as())));
    let decided = match decide(text, sents, &spending, members, &mut cands[first_cand..]) {
        // QUESTIONS.md: "more than 30" is a lower bound, and a lower bound is no total.
        Outcome::Found(_, _, parts) if parts.iter().any(|&i| spending[i].bound == Some(Bound::Lower)) => {
            for &i in &parts {
                if let Some(c) = cands.get_mut(first_cand + i) {
                    c.verdict = Verdict::Lost;
                    c.why = "a lower bound is no total".into();
                }
            }
            Outcome::Absent
        }
        other => other,
    };
    for c in cands.iter_mut().filter(|c| c.why.is_empty()) {
        c.why = "not the value: a rule above it decided".into();
    }
    cands.sort_by_key(|c| c.span.start);
    match decided {
        Outcome::Found(value, rule, parts) => {
            let spans = parts.iter().map(|&i| spending[i].span.clone()).collect();
            Judgement::found(value, rule, spans, cands)
        }
        Outcome::Absent => Judgement::absent(cands),
        Outcome::Unclear(why, parts) => {
            let mut j = Judgement::unclear(why, cands);
            j.parts = parts.iter().map(|&i| spending[i].span.clone()).collect();
            j
        }
    }
}

/// The outcome of the rules: a value, the rule and the amounts (indices) it came from.
enum Outcome {
    Found(CreditsSpent, FactRule, Vec<usize>),
    Absent,
    Unclear(String, Vec<usize>),
}

fn decide(text: &str, sents: &[Range<usize>], amounts: &[Amount], members: usize, cands: &mut [Cand]) -> Outcome {
    let mut mark = |i: usize, verdict: Verdict, why: &str| {
        if let Some(c) = cands.get_mut(i) {
            c.verdict = verdict;
            c.why = why.to_string();
        }
    };
    // "two accounts with 300$ each, of which around 60$ was spent": per account or in all, the text does not say.
    if regex!(r"(?i)\beach,? of which\b").is_match(text) {
        return Outcome::Unclear(
            "credits: an amount spent 'of which' each; per account or in all is not said".into(),
            vec![],
        );
    }
    let pick = |role: Role| (0..amounts.len()).filter(|&i| amounts[i].role == role).collect::<Vec<_>>();
    if let Some(&t) = pick(Role::Total).first() {
        let total = &amounts[t];
        let sentence = sentence_of(sents, total.span.start);
        let other_unit = amounts.iter().position(|b| {
            sentence.contains(&b.span.start)
                && b.unit != total.unit
                && matches!(b.role, Role::Total | Role::Group | Role::Other)
        });
        if let Some(o) = other_unit {
            mark(t, Verdict::Lost, "called the total, but the same sentence gives another currency");
            mark(o, Verdict::Lost, "a second currency beside the total");
            return Outcome::Unclear(
                format!(
                    "credits: the total is given in two currencies ({} and {}) and not summed",
                    total.unit, amounts[o].unit
                ),
                vec![t],
            );
        }
        return match per_member(total, members) {
            Ok((value, each)) => {
                let rule = if each { FactRule::EachTimesMembers } else { FactRule::StatedTotal };
                mark(t, Verdict::Chosen, &format!("{rule}: the first amount called the total"));
                Outcome::Found(value, rule, vec![t])
            }
            Err(why) => Outcome::Unclear(why, vec![t]),
        };
    }
    // "We used up s100001's $50 and then some of s100002's": the total is not stated, and is not the budget.
    let used_up = regex!(
        r"(?i)\b(?:used up|use up|ran out of|run out of|exhausted|maxed out|spent all|used all|burned through|depleted)\b"
    );
    let part_of_another = regex!(
        r"(?i)\b(?:some|part|a part|portion|a portion|bit|a bit|a little|rest)\s+of\s+(?:\w+\W+){0,3}?(?:other|another|second|next|[sc]\d{5,7}|member|members|account|coupon)\b|\b(?:started|moved|switched|continued|went on)\s+(?:on|to|using|with)\s+(?:\w+\W+){0,2}?(?:other|another|second|next)\b"
    );
    if used_up.is_match(text) && part_of_another.is_match(text) {
        return Outcome::Unclear(
            "credits: one budget used up and an unstated part of another; no total is stated".into(),
            vec![],
        );
    }
    for role in [Role::Group, Role::Member] {
        let found = pick(role);
        // "We used 120 DKK and 3 EUR": the statement goes on in a second currency, so it has no single sum.
        let goes_on = found.iter().find_map(|&g| {
            let sentence = sentence_of(sents, amounts[g].span.start);
            (0..amounts.len())
                .find(|&o| {
                    amounts[o].role == Role::Other
                        && amounts[o].unit != amounts[g].unit
                        && sentence.contains(&amounts[o].span.start)
                        && o > g
                })
                .map(|o| (g, o))
        });
        if let (Some((g, o)), Role::Group) = (goes_on, role) {
            mark(g, Verdict::Lost, "the statement goes on in a second currency");
            mark(o, Verdict::Lost, "a second currency in the same statement");
            return Outcome::Unclear(
                format!(
                    "credits: amounts in two currencies ({} and {}) and no stated total",
                    amounts[g].unit, amounts[o].unit
                ),
                vec![g, o],
            );
        }
        if role == Role::Member && !found.is_empty() {
            if let Some(sentence) = unstated_member(text, sents, amounts) {
                for &i in &found {
                    mark(i, Verdict::Lost, "one member's amount is not stated, so the parts are not the whole");
                }
                return Outcome::Unclear(
                    format!(
                        "credits: a member's amount is not stated ({:?}); the parts are no total",
                        shorten(&text[sentence])
                    ),
                    found,
                );
            }
        }
        if !found.is_empty() {
            let one = if role == Role::Group { FactRule::GroupStatement } else { FactRule::SoleFigure };
            return sum_amounts(amounts, &found, members, one, &mut mark);
        }
    }
    let rest: Vec<usize> =
        (0..amounts.len()).filter(|&i| matches!(amounts[i].role, Role::Service | Role::Other)).collect();
    if rest.is_empty() {
        return Outcome::Absent;
    }
    // "The most expensive service was Compute Engine at $3": what one service cost is a part, not the bill.
    if let [one] = rest[..] {
        let sentence = &text[sentence_of(sents, amounts[one].span.start)];
        if amounts[one].role == Role::Service && most_expensive().is_match(sentence) {
            mark(one, Verdict::Lost, "the cost of the most expensive service is a part, not the total");
            return Outcome::Absent;
        }
    }
    sum_amounts(amounts, &rest, members, FactRule::SoleFigure, &mut mark)
}

/// Words saying a service cost the most.
fn most_expensive() -> &'static regex::Regex {
    regex!(
        r"(?i)\b(?:most expensive|costliest|the most|biggest|largest|highest|majority|mostly|main cost|main expense)\b"
    )
}

/// The first 80 characters of a sentence, for a warning.
fn shorten(s: &str) -> String {
    let t: String = s.trim().chars().take(80).collect();
    t
}

/// A sentence that names a member and their spending but states no amount and no zero ("s100003's usage is not
/// known"): a per-member sum would leave that member out.
fn unstated_member(text: &str, sents: &[Range<usize>], amounts: &[Amount]) -> Option<Range<usize>> {
    let member = regex!(r"(?i)\b[sc]\d{5,7}\b|\b(?:member|student)\s+(?:\d|[a-z]\b|one|two|three|four|five|six)");
    let spending = regex!(r"(?i)\b(?:us(?:ed|es|age)|spen[dt]|consumed?|costs?|credits?)\b");
    let zero = regex!(
        r"(?i)\b(?:none|nothing|zero|no (?:credits?|money|spending|usage)|did(?:n't| not) (?:use|spend)|not used|never used|n/a)\b|(?:^|\s)0(?:[.,]0+)?(?:\s|$|[$€])"
    );
    sents
        .iter()
        .find(|s| {
            let t = &text[(*s).clone()];
            member.is_match(t)
                && spending.is_match(t)
                && !zero.is_match(t)
                && !amounts.iter().any(|a| s.contains(&a.span.start))
                && !numbers(t).iter().any(|n| !n.word)
        })
        .cloned()
}

/// Whether an amount sits inside parentheses that give an estimate as a clause of their own ("(the rest is about 2
/// credits)"), away from any amount before it.
fn estimate_in_parentheses(text: &str, sents: &[Range<usize>], a: &Amount) -> bool {
    let sentence = sentence_of(sents, a.span.start);
    let head = &text[sentence.start..a.span.start];
    let Some(open) = head.rfind('(') else { return false };
    let inner = &head[open + 1..];
    if inner.contains(')') || !text[a.span.end..sentence.end.max(a.span.end)].contains(')') {
        return false;
    }
    regex!(r"(?i)\b(?:is|was|are|were|be|comes? to|came to|equals|corresponds? to|amounts? to)\s+(?:\w+\s+)?(?:about|around|approx\.?|approximately|roughly|estimated|~|≈)\s*$|\b(?:estimated?|expected|probably|likely)\b")
        .is_match(inner)
}

/// A total stated "each" stands for every member: the value and whether it was multiplied, or why not.
fn per_member(a: &Amount, members: usize) -> Result<(CreditsSpent, bool), String> {
    if !a.each {
        return Ok((CreditsSpent { amount: round_cents(a.value), unit: a.unit }, false));
    }
    if members == 0 {
        return Err("credits: an amount per member and no member count".into());
    }
    Ok((CreditsSpent { amount: round_cents(a.value * members as f64), unit: a.unit }, true))
}

/// The sum of amounts in one unit; amounts in two units have no single sum.
fn sum_amounts(
    amounts: &[Amount],
    chosen: &[usize],
    members: usize,
    rule_for_one: FactRule,
    mark: &mut impl FnMut(usize, Verdict, &str),
) -> Outcome {
    let Some(&first) = chosen.first() else { return Outcome::Absent };
    let unit = amounts[first].unit;
    if let Some(&other) = chosen.iter().find(|&&i| amounts[i].unit != unit) {
        mark(first, Verdict::Lost, "parts in two currencies cannot be summed");
        mark(other, Verdict::Lost, "parts in two currencies cannot be summed");
        return Outcome::Unclear(
            format!("credits: amounts in two currencies ({} and {}) and no stated total", unit, amounts[other].unit),
            vec![first, other],
        );
    }
    if let [one] = chosen {
        return match per_member(&amounts[*one], members) {
            Ok((value, each)) => {
                let rule = if each { FactRule::EachTimesMembers } else { rule_for_one };
                mark(*one, Verdict::Chosen, &format!("{rule}: the only amount of the strongest kind"));
                Outcome::Found(value, rule, vec![*one])
            }
            Err(why) => Outcome::Unclear(why, vec![*one]),
        };
    }
    for &i in chosen {
        mark(i, Verdict::Summed, "sum-of-breakdown: one part of the breakdown");
    }
    let sum: f64 = chosen.iter().map(|&i| amounts[i].value).sum();
    Outcome::Found(CreditsSpent { amount: round_cents(sum), unit }, FactRule::SumOfBreakdown, chosen.to_vec())
}

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
    /// The number of a range ("10-20$") or a refinement ("around 3$ (2.9 today)") that went into the value.
    note: Option<&'static str>,
    /// "more than 30$" (a lower bound: no total) or "below 5$" (an upper bound: the bound is the amount).
    bound: Option<Bound>,
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

/// Drops an amount given in parentheses or after `~` right after another one: in another unit it is a
/// conversion; in the same unit (or a bare number, "around 3$ (2.9 as of now)") it is the more precise figure.
fn drop_conversions(text: &str, amounts: Vec<Amount>, dropped: &mut Vec<Cand>) -> Vec<Amount> {
    let paren = regex!(r"^\s*\$?\(([^()]{0,80})\)");
    let tilde = regex!(r"^\s*(?:~|≈)\s*$");
    let bare = regex!(r"^\s*(?:~|approx\.?|approximately|about|around)?\s*(\d+\.\d+)\b");
    let estimate_clause =
        regex!(r"(?i)\b(?:would|could|expected|expect|estimated?|probably|likely|guess|per (?:month|year|day|hour))\b");
    let mut out: Vec<Amount> = Vec::new();
    let mut skip_until = 0;
    for (i, a) in amounts.iter().enumerate() {
        if a.span.start < skip_until {
            let mut c = Cand::new(a.span.clone(), a.shown(), "an amount right after another one");
            c.why = "a conversion or a more precise restatement of the amount before it".into();
            dropped.push(c);
            continue;
        }
        let mut a = a.clone();
        let after = &text[a.span.end..];
        if let Some(p) = paren.captures(after) {
            let inner = p.get(1).map_or(a.span.end..a.span.end, |m| a.span.end + m.start()..a.span.end + m.end());
            // "(running it a year would be 100 €)": a clause of its own, an estimate, neither a conversion nor a
            // refinement; its amounts are read (and judged) as they stand.
            if estimate_clause.is_match(&text[inner.clone()]) {
                out.push(a);
                continue;
            }
            let inside: Vec<&Amount> = amounts[i + 1..].iter().filter(|b| inner.contains(&b.span.start)).collect();
            match inside.first() {
                Some(b) if b.unit == a.unit => {
                    a.value = b.value;
                    a.note = Some("refined by the amount in parentheses after it");
                }
                Some(_) => {}
                None => {
                    if let Some(v) = bare.captures(&text[inner.clone()]).and_then(|m| m[1].parse::<f64>().ok()) {
                        a.value = v;
                        a.note = Some("refined by the number in parentheses after it");
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
        out.push(Amount {
            value,
            unit: prev.unit,
            span: n.range(),
            role: Role::Other,
            each: false,
            note: Some("a bare number continuing a list of service costs"),
            bound: None,
        });
    }
    out
}

/// Decimal numbers with no unit right after a spending verb ("s100002 spent 3.07 overall"), in an answer whose
/// other amounts all have one unit: that unit.
fn spent_bare_numbers(text: &str, amounts: &[Amount]) -> Vec<Amount> {
    let Some(first) = amounts.first() else { return vec![] };
    if amounts.iter().any(|a| a.unit != first.unit) {
        return vec![];
    }
    // A decimal after a spending verb; any number after a total ("a total of about 4", "in total we used 4").
    let bare = regex!(
        r"(?i)\b(?:(?:spent|used|consumed)\s+(?:about\s+|around\s+|approximately\s+|roughly\s+|~\s*)?(\d+\.\d+)|(?:a total of|in total(?:,)?(?: we)?(?: (?:spent|used|consumed))?|total(?:ling|ing)?(?: (?:spending|usage|cost|spent|used))?(?: (?:is|was|of|came to|comes to))?|came (?:up )?to|amount(?:ed|s)? to|add(?:s|ed)? up to|sum(?:s|med)? up to)\s+(?:about\s+|around\s+|approximately\s+|roughly\s+|~\s*)?(\d+(?:\.\d+)?))\b"
    );
    let not_money = regex!(
        r"(?i)^\s*(?:%|percent|hours?|minutes?|days?|weeks?|times|vms?|instances?|gpus?|cpus?|gb|mb|tb|requests?|images?|runs?|builds?|jobs?|members?|students?|people|services?|tests?|models?|epochs?|of (?:the|them|us|which)\b)"
    );
    let mut out = Vec::new();
    for c in bare.captures_iter(text) {
        let Some(n) = c.get(1).or(c.get(2)) else { continue };
        if amounts.iter().any(|a| a.span.contains(&n.start())) || not_money.is_match(&text[n.end()..]) {
            continue;
        }
        let Ok(value) = n.as_str().parse() else { continue };
        let note = Some("a number after a spending verb, in the answer's one unit");
        out.push(Amount {
            value,
            unit: first.unit,
            span: n.range(),
            role: Role::Other,
            each: false,
            note,
            bound: None,
        });
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
fn not_spending(text: &str, sents: &[Range<usize>], a: &Amount) -> Option<&'static str> {
    let sentence = sentence_of(sents, a.span.start);
    let before = &text[floor_boundary(text, sentence.start.max(a.span.start.saturating_sub(60)))..a.span.start];
    let after = &text[a.span.end..ceil_boundary(text, sentence.end.min(a.span.end + 50)).max(a.span.end)];
    // "spent all 50 free credits", "used up the $50 coupon": the whole budget, spent.
    if regex!(r"(?i)\b(?:spent|used|using|burned|consumed)\s+(?:up\s+)?(?:all|the (?:entire|whole|full))\s+(?:(?:of\s+)?(?:the|our|his|her|their)\s+)?$").is_match(before) {
        return None;
    }
    let budget_before = regex!(
        r"(?i)\b(?:out of|of the|of our|of their|of his|of her|from the next|from the|started with|starting with|start with|are at|is at|remaining|left with|budget of|voucher of|limit of|(?:budget|coupon|voucher|allowance|limit) (?:was|is|were|of)(?: about| around)?|received|were given|got|granted)\s+(?:(?:the|our|all|their|next|first|free|available|initial|provided|entire|educational|whole)\s+)*$"
    );
    let budget_after = regex!(
        r"(?i)^\s*(?:(?:in|of|worth of)\s+)?(?:(?:free|educational|google|gcp|cloud|student|trial)\s+)*(?:credits?\s+|coupons?\s+)?(?:left|remaining|voucher|coupon|limit|budget|that we got|we got|we were given|we received|available|free credits?|credit limit|allowance|given|provided|granted|to spend)\b"
    );
    let hypothetical = regex!(r"(?i)\b(?:expect(?:ed|s)? to|would|could|might|if we|plan(?:ned)? to|anticipate)\b");
    let elsewhere = regex!(r"(?i)github actions?|\bw&b\b|wandb|weights (?:&|and) biases|\bminutes\b");
    if budget_before.is_match(before) || budget_after.is_match(after) {
        Some("a budget, voucher or amount left, not spending")
    } else if hypothetical.is_match(before) {
        Some("expected or hypothetical, not spent")
    } else if elsewhere.is_match(before) {
        Some("not a cloud cost (GitHub Actions, W&B, minutes)")
    } else {
        None
    }
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
    let member_spent = regex!(r"(?i)\b(?:[sc]\d{5,7}|member\s+\S+)\s+(?:has\s+|had\s+)?(?:used|spent)\b");
    for i in 0..amounts.len() {
        let (before, after) = windows(text, sents, amounts, i);
        amounts[i].each = each.is_match(after);
        if amounts[i].role == Role::Total {
            // "s100002 spent 3.07 overall": a total of one member is that member's amount, a part.
            if id.is_match(before) {
                amounts[i].role = Role::Member;
            }
            continue;
        }
        let names_service_after = service_after
            .find(after)
            .is_some_and(|m| service_names().find(&after[m.end()..]).is_some_and(|s| s.start() == 0));
        let named_member = named.captures_iter(before).any(|c| !is_pronoun(&c[1]));
        // "s100001 spent $2 (on Compute Engine) and member s100002 spent $3": the nearest subject decides.
        let last_service = service_names().find_iter(before).last().map(|m| m.end());
        let last_member = member_spent.find_iter(before).last().map(|m| m.start());
        let member_nearer = matches!((last_member, last_service), (Some(m), Some(s)) if m >= s);
        amounts[i].role = if !member_nearer && (names_service_after || service_names().is_match(before)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Reading;

    fn credits_spent(md: &str, members: usize) -> Reading<CreditsSpent> {
        read(&Scan::new(md, 1), members, false).reading
    }

    fn credits(md: &str) -> Option<(f64, CreditUnit)> {
        credits_with(md, 0)
    }

    fn credits_with(md: &str, members: usize) -> Option<(f64, CreditUnit)> {
        match credits_spent(md, members) {
            Reading::Found(c) => Some((c.amount, c.unit)),
            _ => None,
        }
    }

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

    #[test]
    fn credits_a_whole_budget_spent_is_spending_and_a_members_total_is_a_part() {
        let md = "Member s100001 spent all 50 free USD credits during the exercises.\ns100002 spent 2.50 overall.";
        assert_eq!(credits(md), Some((52.5, CreditUnit::USD)));
    }

    #[test]
    fn credits_used_up_budget_and_part_of_another_is_unclear() {
        let r = credits_spent("We used up all of s100001's $50 of credits and then some of s100002's.", 3);
        assert!(matches!(r, Reading::Unclear(_)), "{r:?}");
    }
}
