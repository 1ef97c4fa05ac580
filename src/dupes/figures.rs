//! Figures copied between reports: pairs of figures from different reports whose perceptual hashes are within
//! [`FigureSettings::max_distance`] bits of each other ([`Hashes::distance`]) or whose bytes are the same,
//! closest first.
//!
//! What is not evidence, as for text: a figure of the blank template (given as `base`, e.g. the template's
//! `overview.png`) or close to one, and a figure found (itself or a close copy) in more than
//! [`FigureSettings::common`] reports: the template's pictures that most groups leave in, a logo, a stock
//! diagram. Screenshots of the same web console by different groups look alike but are not copies; the default
//! distance keeps them apart (BENCHMARKS.md, "Figures").

use super::ReportMeta;
use crate::images::fingerprint::Hashes;

/// Tuning of the figure comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureSettings {
    /// Two figures are a copy when their hashes differ in at most this many of 128 bits ([`Hashes::distance`]).
    pub max_distance: u32,
    /// A figure found in more than this many reports is common (template or stock), never evidence.
    pub common: usize,
}

impl FigureSettings {
    pub const DEFAULT: FigureSettings = FigureSettings { max_distance: 20, common: 5 };
}

impl Default for FigureSettings {
    fn default() -> Self {
        FigureSettings::DEFAULT
    }
}

/// One figure of one report, as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureMark {
    /// Index of its report in the reports given to [`copied_figures`].
    pub report: usize,
    /// Its path inside the report's folder, as the report names it.
    pub path: String,
    /// Content hash (blake3 hex) of its bytes.
    pub content: String,
    /// Perceptual hashes, when the figure could be decoded.
    pub hashes: Option<Hashes>,
}

/// A figure of one report that is a copy of a figure of another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigurePair {
    /// Indices into the figures given; `a`'s report is never an earlier cohort's when `b`'s is not.
    pub a: usize,
    pub b: usize,
    /// Distance in bits of 128 (0 for the same bytes).
    pub distance: u32,
    /// Same bytes.
    pub identical: bool,
    pub same_group: bool,
}

/// The distance between two figures: 0 for the same bytes, else [`Hashes::distance`] (`None` when one of them has
/// no hashes: such figures are only ever the same bytes or not).
pub fn figure_distance(a: &FigureMark, b: &FigureMark) -> Option<u32> {
    if a.content == b.content {
        return Some(0);
    }
    Some(a.hashes?.distance(&b.hashes?))
}

/// The pairs of figures from different reports that are copies, closest first. `base` are the blank template's
/// figures: a figure within the distance of one of them is never evidence.
pub fn copied_figures(
    figures: &[FigureMark],
    reports: &[ReportMeta],
    base: &[FigureMark],
    settings: &FigureSettings,
) -> Vec<FigurePair> {
    let close = |a: &FigureMark, b: &FigureMark| figure_distance(a, b).filter(|&d| d <= settings.max_distance);
    // Every close pair once; at 10,000 figures that is 5·10⁷ comparisons of two 64-bit words, well under a second.
    let mut near: Vec<(usize, usize, u32)> = Vec::new();
    for i in 0..figures.len() {
        for j in i + 1..figures.len() {
            if let Some(d) = close(&figures[i], &figures[j]) {
                near.push((i, j, d));
            }
        }
    }
    // Reports in which each figure (or a close copy) appears.
    let mut found_in: Vec<Vec<usize>> = figures.iter().map(|f| vec![f.report]).collect();
    for &(i, j, _) in &near {
        let (ri, rj) = (figures[i].report, figures[j].report);
        found_in[i].push(rj);
        found_in[j].push(ri);
    }
    let common: Vec<bool> = found_in
        .iter_mut()
        .map(|reports| {
            reports.sort_unstable();
            reports.dedup();
            reports.len() > settings.common
        })
        .collect();
    let template: Vec<bool> = figures.iter().map(|f| base.iter().any(|b| close(f, b).is_some())).collect();
    let mut pairs: Vec<FigurePair> = near
        .into_iter()
        .filter(|&(i, j, _)| !common[i] && !common[j] && !template[i] && !template[j])
        .filter_map(|(i, j, distance)| {
            let (ra, rb) = (&reports[figures[i].report], &reports[figures[j].report]);
            if figures[i].report == figures[j].report || (ra.earlier && rb.earlier) {
                return None;
            }
            // The current cohort's figure first.
            let (a, b) = if ra.earlier { (j, i) } else { (i, j) };
            Some(FigurePair {
                a,
                b,
                distance,
                identical: figures[a].content == figures[b].content,
                same_group: ra.same_group(rb),
            })
        })
        .collect();
    // One pair of reports may share several figures: each is listed. Closest first, then by report id and path.
    let key = |p: &FigurePair| {
        let (fa, fb) = (&figures[p.a], &figures[p.b]);
        (p.distance, reports[fa.report].id.clone(), reports[fb.report].id.clone(), fa.path.clone(), fb.path.clone())
    };
    pairs.sort_by_cached_key(key);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(id: &str, group: u32, earlier: bool) -> ReportMeta {
        ReportMeta {
            id: id.into(),
            cohort: if earlier { "2025".into() } else { "2026".into() },
            group: Some(group),
            students: vec![],
            earlier,
        }
    }

    /// A mark whose pHashes (whole and inner) are `bits` and dHashes 0: distances are those of `bits`.
    fn mark(report: usize, path: &str, content: &str, bits: u64) -> FigureMark {
        let hashes = Hashes { phash: bits, dhash: 0, phash_inner: bits, dhash_inner: 0 };
        FigureMark { report, path: path.into(), content: content.into(), hashes: Some(hashes) }
    }

    #[test]
    fn copies_between_reports_closest_first_and_common_or_template_figures_left_out() {
        let reports: Vec<ReportMeta> = (0..9).map(|i| report(&format!("r{i}"), i, i == 8)).collect();
        let mut figures = vec![
            mark(0, "arch.png", "c1", 0xF0F0_F0F0_0000_FFFF),
            mark(1, "figs/arch.jpg", "c2", 0xF0F0_F0F0_0000_FF00), // 8 bits from r0's
            mark(2, "same.png", "c3", 0x1234_5678_9ABC_DEF0),
            mark(3, "same.png", "c3", 0x1234_5678_9ABC_DEF0), // the same bytes
            mark(4, "far.png", "c4", 0x0F0F_0F0F_FFFF_0000),  // far from everything
            mark(8, "old.png", "c5", 0x1111_2222_3333_4444),  // an earlier cohort's
            mark(5, "old-copy.png", "c6", 0x1111_2222_3333_4445),
            mark(0, "overview.png", "c7", 0xAAAA_AAAA_AAAA_AAAA), // the template's
            mark(1, "overview.png", "c7", 0xAAAA_AAAA_AAAA_AAAA),
        ];
        // A logo in six reports: common. (Every other hash here is over 20 bits from every other.)
        for r in 0..6 {
            figures.push(mark(r, "logo.png", &format!("logo{r}"), 0x00FF_00FF_00FF_00FF ^ (r as u64)));
        }
        let base = [mark(0, "overview.png", "c7", 0xAAAA_AAAA_AAAA_AAAA)];
        let pairs = copied_figures(&figures, &reports, &base, &FigureSettings::DEFAULT);
        let listed: Vec<(&str, &str, u32, bool)> = pairs
            .iter()
            .map(|p| (figures[p.a].path.as_str(), figures[p.b].path.as_str(), p.distance, p.identical))
            .collect();
        assert_eq!(
            listed,
            [
                ("same.png", "same.png", 0, true),
                ("old-copy.png", "old.png", 1, false),
                ("arch.png", "figs/arch.jpg", 8, false)
            ]
        );
        // With a stricter distance the edited copy drops out; with a higher `common` the logo is evidence.
        let strict = FigureSettings { max_distance: 7, ..FigureSettings::DEFAULT };
        assert_eq!(copied_figures(&figures, &reports, &base, &strict).len(), 2);
        let lenient = FigureSettings { common: 6, ..FigureSettings::DEFAULT };
        let with_logos = copied_figures(&figures, &reports, &base, &lenient);
        assert_eq!(with_logos.iter().filter(|p| figures[p.a].path == "logo.png").count(), 15);
    }

    #[test]
    fn earlier_cohorts_are_not_compared_among_themselves_and_same_group_is_flagged() {
        let mut reports = vec![report("old1", 1, true), report("old2", 2, true), report("new", 1, false)];
        reports[2].cohort = "2025".into();
        let figures = [mark(0, "a.png", "x", 7), mark(1, "a.png", "x", 7), mark(2, "a.png", "x", 7)];
        let pairs = copied_figures(&figures, &reports, &[], &FigureSettings::DEFAULT);
        assert_eq!(pairs.len(), 2);
        assert!(pairs.iter().all(|p| figures[p.a].report == 2));
        assert!(pairs.iter().any(|p| p.same_group) && pairs.iter().any(|p| !p.same_group));
    }

    #[test]
    fn figures_without_a_perceptual_hash_match_only_on_their_bytes() {
        let a = FigureMark { report: 0, path: "a.svg".into(), content: "s1".into(), hashes: None };
        let b = FigureMark { report: 1, path: "b.svg".into(), content: "s1".into(), hashes: None };
        let c = FigureMark { report: 1, path: "c.svg".into(), content: "s2".into(), hashes: None };
        assert_eq!(figure_distance(&a, &b), Some(0));
        assert_eq!(figure_distance(&a, &c), None);
    }
}
