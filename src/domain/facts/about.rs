//! What the sentence around a number is about, as general notions shared by the fact readers (QUESTIONS.md, "Numbers
//! to extract"): whether a figure is the group's own, or is said in general, hypothetically, as a goal or about
//! the course's exercises; and whether it is a bound rather than an amount. The readers decide what each notion
//! means for their fact (a lower bound is no total of tests; an upper bound of credits is the amount).

use super::scan::regex;

/// Whose figure a number is, from its own clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stance {
    /// Nothing says it is anyone else's: the group's own figure.
    Own,
    /// A claim about such figures in general ("having 90% coverage indicates ...", "100% does not guarantee ...").
    General,
    /// A condition or wish ("even with 100%", "if we had", "would be").
    Hypothetical,
    /// A target ("we aimed for 80%", "our goal was 100%").
    Goal,
    /// The course's exercises or lectures, not the group's project.
    CourseExercise,
}

impl Stance {
    /// Why a figure with this stance is not the group's own (for `show --explain`).
    pub(crate) fn why(self) -> &'static str {
        match self {
            Stance::Own => "the group's own figure",
            Stance::General => "a claim about such figures in general, not the group's own figure",
            Stance::Hypothetical => "hypothetical, not the group's own figure",
            Stance::Goal => "a goal or target, not the figure reached",
            Stance::CourseExercise => "about the course's exercises, not the group's project",
        }
    }
}

/// The stance of a figure from the words of its own clause before it (`before`, lower case, from the clause start)
/// and the words right after its unit (`after`, lower case).
pub(crate) fn stance(before: &str, after: &str) -> Stance {
    // Only the figure's own clause speaks of it: "we aim for 100% but are at 37%" says nothing of 37.
    let own = regex!(r"\b(?:but|while|whereas|although|though|however)\b|;").split(before).last().unwrap_or(before);
    if regex!(r"\b(?:goal|aim(?:ing|ed|s)?|target(?:ing|ed|s)?|strive|striving|hope|hoped|wish|ideally|want(?:ed)? to|would like)\b").is_match(own) {
        return Stance::Goal;
    }
    if regex!(r"\b(?:even|would|wouldn't|could|couldn't|might|hypothetically|imagine)\b|\bif\b[^,.]*\b(?:had|were|was|achieved?|reached?|got|get)\b").is_match(own) {
        return Stance::Hypothetical;
    }
    if regex!(r"\b(?:exercises?|lectures?|tutorials?)\b").is_match(own) {
        return Stance::CourseExercise;
    }
    // "Having 90% coverage indicates ...": a figure as the subject of a gerund, a claim about figures in general.
    let gerund = regex!(
        r"(?:^|[\s(])(?:having|achieving|reaching|obtaining|attaining|getting)\s+(?:an?\s+)?(?:(?:high|higher|full|complete|perfect|good|low|code|test|total|overall)\s+)*(?:coverage\s+(?:of\s+)?)?(?:~|about|around)?\s*$"
    );
    // "... 100% coverage does not guarantee ...": a generic verb right after the figure, unless the figure is
    // plainly the group's ("our 60% coverage does not reach the API").
    let generic_verb = regex!(
        r"^[\s)]*(?:(?:code|test|line|branch|statement)\s+)?(?:coverage\s+)?(?:(?:alone|itself|by itself|in itself)\s+)?(?:does|doesn't|do not|don't|is not|isn't|is no|means?|meant|indicates?|implies|imply|guarantees?|ensures?|proves?|says?|tells?|reflects?|shows? that|can|cannot|can't|will not|won't|should|would|is (?:often|usually|generally|rarely|typically|considered|seen)|only (?:means|says|shows))\b"
    );
    let owned = regex!(
        r"\b(?:our|my|we\s+\w+|is|was|are|were|at|of|reached|got|achieved|measured)\s+(?:an?\s+)?(?:(?:total|overall|code|test)\s+)*(?:coverage\s+(?:of\s+)?)?(?:about|around|approximately|roughly|~)?\s*$"
    );
    if gerund.is_match(own) || (generic_verb.is_match(after) && !owned.is_match(own)) {
        return Stance::General;
    }
    Stance::Own
}

/// A bound stated in place of an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// "over 200", "more than 30", "at least 5", "200+": the amount is larger, by how much is not said.
    Lower,
    /// "below 5", "less than 10", "under 3", "at most 4", "up to 6": the amount is at most this.
    Upper,
}

impl Bound {
    pub(crate) fn read_as(self) -> &'static str {
        match self {
            Bound::Lower => "a lower bound",
            Bound::Upper => "an upper bound",
        }
    }
}

/// The bound the words right before a number make of it (`before` ends where the number, or its currency sign,
/// starts), or a `+` right after it ("200+ tests"). "Just above 19" and "slightly over 4" are near the number,
/// not bounds.
pub(crate) fn bound(before: &str, after: &str) -> Option<Bound> {
    let before = before.trim_end().trim_end_matches(['$', '€', '~', '(']).trim_end();
    let upper = regex!(
        r"(?i)\b(?:below|under|less than|fewer than|at most|up to|no more than|not more than|not above|not over|maximum of|max\.?|a maximum of|within|lower than|beneath)\s*(?:about|around|approximately|roughly)?\s*$"
    );
    let lower = regex!(
        r"(?i)\b(?:over|more than|above|at least|in excess of|upwards of|exceeding|north of|beyond|greater than|higher than|a minimum of|minimum of|min\.?)\s*$"
    );
    let near = regex!(r"(?i)\b(?:just|slightly|a bit|a little|barely|marginally)\s+(?:over|above|more than)\s*$");
    if upper.is_match(before) {
        Some(Bound::Upper)
    } else if (lower.is_match(before) && !near.is_match(before)) || regex!(r"^\+(?:\s|$|[.,;)])").is_match(after) {
        Some(Bound::Lower)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stances() {
        assert_eq!(stance("our total coverage is ", ""), Stance::Own);
        assert_eq!(stance("having ", " coverage indicates good tests"), Stance::General);
        assert_eq!(stance("", " coverage does not guarantee correctness"), Stance::General);
        assert_eq!(stance("we know that ", " coverage does not mean bug free"), Stance::General);
        assert_eq!(stance("our ", " coverage does not reach the api"), Stance::Own);
        assert_eq!(stance("we have a ", " coverage"), Stance::Own);
        assert_eq!(stance("even with ", ""), Stance::Hypothetical);
        assert_eq!(stance("our goal was ", ""), Stance::Goal);
        assert_eq!(stance("in the course exercises we reached ", ""), Stance::CourseExercise);
        assert_eq!(stance("we aimed for 100 but reached ", ""), Stance::Own);
    }

    #[test]
    fn bounds() {
        assert_eq!(bound("we have over ", " tests"), Some(Bound::Lower));
        assert_eq!(bound("more than $", ""), Some(Bound::Lower));
        assert_eq!(bound("we used below ", ""), Some(Bound::Upper));
        assert_eq!(bound("no more than ", ""), Some(Bound::Upper));
        assert_eq!(bound("just above DKK ", ""), None);
        assert_eq!(bound("we wrote ", "+ tests"), Some(Bound::Lower));
        assert_eq!(bound("we wrote ", " tests"), None);
        assert_eq!(bound("moreover ", " tests"), None);
    }
}
