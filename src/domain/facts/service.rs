//! The service the credits answer names as the most expensive, by its canonical name, and the table of GCP
//! service names (data) the credits reader shares.

use super::scan::{regex, Scan};
use super::{Cand, Judgement, Verdict};
use crate::domain::FactRule;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// GCP services as groups name them, with their canonical names. Order matters: longer names first.
pub(super) const SERVICES: &[(&str, &str)] = &[
    (r"container registry vulnerability scanning|vulnerability scanning", "Vulnerability Scanning"),
    (
        r"compute en(?:gine|egine|igine)|cloud engine|\bcompute\b|engine instances?|vm instances?|virtual machines?|\bvms?\b|\bengine\b|instances",
        "Compute Engine",
    ),
    (r"cloud run", "Cloud Run"),
    (r"vertex\s*ai|vetex ai|\bvertex\b", "Vertex AI"),
    (r"artif\w*\s+registry", "Artifact Registry"),
    (r"container registry", "Container Registry"),
    (r"cloud build|docker builds?|\bbuilds?\b", "Cloud Build"),
    (r"cloud functions?", "Cloud Functions"),
    (r"cloud logging|\blogging\b", "Cloud Logging"),
    (r"cloud monitoring", "Cloud Monitoring"),
    (r"vm manager", "VM Manager"),
    (r"\bnetwork(?:ing)?\b", "Networking"),
    (r"cloud storage|google storage|\bgcs\b|\bbuckets?\b|\bstorage\b", "Cloud Storage"),
];

/// One alternation of every service name.
pub(super) fn service_names() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let names: Vec<&str> = SERVICES.iter().map(|(pattern, _)| *pattern).collect();
        Regex::new(&format!("(?i)(?:{})", names.join("|"))).expect("valid constant regex")
    })
}

/// The canonical name of a service as written.
pub(super) fn canonical_service(written: &str) -> Option<&'static str> {
    static RES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let res = RES.get_or_init(|| {
        SERVICES
            .iter()
            .map(|(pattern, name)| (Regex::new(&format!("(?i)^(?:{pattern})$")).expect("valid constant regex"), *name))
            .collect()
    });
    res.iter().find(|(re, _)| re.is_match(written)).map(|(_, name)| *name)
}

/// The service named as the most expensive in the credits answer, by its canonical name: the first service in a
/// sentence saying what cost the most, or else in one saying what the credits mostly went to.
pub(super) fn read(scan: &Scan<'_>) -> Judgement<String> {
    let text = &scan.text;
    let strong = regex!(
        r"(?i)most expensive|most costly|co(?:n?st|s)\w*\s+(?:us\s+)?the most|(?:highest|biggest|largest|primary|main|dominant)\s+(?:credit\s+)?(?:cost|expense|spend|consumer|factor|share)|most credit|by far|(?:majority|bulk) of (?:the |our )?(?:cost|credits|spend)"
    );
    let weak = regex!(r"(?i)\b(?:mostly|mainly|primarily|majority|most of (?:it|this|the|our))\b");
    let about_cost = regex!(r"(?i)cost|credit|spen[dt]|used|bill|expens|\$|€|\bkr\b|dkk|usd");
    // "... would have been the most expensive": a cost that did not happen.
    let hypothetical = regex!(r"(?i)\b(?:would|could|had we)\b");
    let sentences: Vec<(usize, &str)> = scan.sentences().iter().map(|r| (r.start, &text[r.clone()])).collect();
    // The service a sentence names with `trigger`: the subject before it ("Cloud Storage costs the most"), else
    // the first one after it ("the most expensive was Cloud Run"); after a weak trigger, only one right after it
    // ("mostly on Vertex AI").
    let named = |sentence: &str, trigger: &Regex, subject_first: bool| -> Option<(Range<usize>, &'static str)> {
        let t = trigger.find(sentence)?;
        let before = service_names().find(&sentence[..t.start()]).filter(|_| subject_first);
        let after = service_names()
            .find_iter(sentence)
            .find(|m| m.start() >= t.end() && (subject_first || m.start() <= t.end() + 50));
        let service = before.or(after)?;
        let said = &sentence[..service.end().max(t.end())];
        let name = (!hypothetical.is_match(said)).then(|| canonical_service(service.as_str())).flatten()?;
        Some((service.range(), name))
    };
    let at =
        |(start, _): &(usize, &str), (r, name): (Range<usize>, &'static str)| (start + r.start..start + r.end, name);
    let strong_hit = sentences.iter().find_map(|s| named(s.1, strong, true).map(|hit| at(s, hit)));
    let weak_hit = || {
        sentences
            .iter()
            .filter(|s| about_cost.is_match(s.1))
            .find_map(|s| named(s.1, weak, false).map(|hit| at(s, hit)))
    };
    match strong_hit.or_else(weak_hit) {
        Some((span, name)) => {
            let mut c = Cand::new(span.clone(), name, "a service said to cost the most");
            c.verdict = Verdict::Chosen;
            c.why = FactRule::NamedMostExpensive.to_string();
            Judgement::found(name.to_string(), FactRule::NamedMostExpensive, vec![span], vec![c])
        }
        None => Judgement::absent(vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Reading;

    fn most_expensive_service(md: &str) -> Option<String> {
        match read(&Scan::new(md, 1)).reading {
            Reading::Found(v) => Some(v),
            _ => None,
        }
    }

    #[test]
    fn most_expensive_service_canonical_names() {
        assert_eq!(
            most_expensive_service("The most expensive service was the compute engine."),
            Some("Compute Engine".into())
        );
        assert_eq!(most_expensive_service("Cloud storage cost the most."), Some("Cloud Storage".into()));
        assert_eq!(most_expensive_service("Our biggest expense was Vertex AI training."), Some("Vertex AI".into()));
        assert_eq!(most_expensive_service("Cloud Run was what cost us the most."), Some("Cloud Run".into()));
        assert_eq!(
            most_expensive_service("Most of the cost came from the Artifact Registry."),
            Some("Artifact Registry".into())
        );
        assert_eq!(most_expensive_service("We do not know which service was the most expensive."), None);
        assert_eq!(most_expensive_service("Training on GPUs would have been the most expensive on Vertex AI."), None);
        assert_eq!(
            most_expensive_service("Cloud Run costs the most, even if we only serve a few requests."),
            Some("Cloud Run".into())
        );
        assert_eq!(most_expensive_service("We spent $3, mostly on the GCS bucket."), Some("Cloud Storage".into()));
        assert_eq!(most_expensive_service("The biggest spender was Ann, who used 5 dollars."), None);
        assert_eq!(
            most_expensive_service("VMs were the most expensive, while storage was cheap."),
            Some("Compute Engine".into())
        );
    }
}
