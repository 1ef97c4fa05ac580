//! Verdicts as a polars frame (`verdicts.parquet` is this frame) and the per-item summary over a cohort.

use super::GroupResult;
use polars::prelude::*;

/// One row per verdict: id, group, item, class, claimed, verdict, flagged, path, line, branch, stated, counted,
/// note, removed_by.
pub fn verdicts_frame(results: &[GroupResult]) -> PolarsResult<DataFrame> {
    let v: Vec<&super::Verdict> = results.iter().flat_map(|r| r.verdicts.iter()).collect();
    df!(
        "id" => v.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        "group" => v.iter().map(|x| x.group).collect::<Vec<_>>(),
        "item" => v.iter().map(|x| x.item.as_str()).collect::<Vec<_>>(),
        "class" => v.iter().map(|x| x.class).collect::<Vec<_>>(),
        "claimed" => v.iter().map(|x| x.claimed).collect::<Vec<_>>(),
        "verdict" => v.iter().map(|x| x.verdict.as_str()).collect::<Vec<_>>(),
        "flagged" => v.iter().map(|x| x.flagged).collect::<Vec<_>>(),
        "path" => v.iter().map(|x| x.path.as_deref()).collect::<Vec<_>>(),
        "line" => v.iter().map(|x| x.line.map(|l| l as u32)).collect::<Vec<_>>(),
        "branch" => v.iter().map(|x| x.branch.as_deref()).collect::<Vec<_>>(),
        "stated" => v.iter().map(|x| x.stated).collect::<Vec<_>>(),
        "counted" => v.iter().map(|x| x.counted.map(|c| c as u32)).collect::<Vec<_>>(),
        "note" => v.iter().map(|x| x.note.as_deref()).collect::<Vec<_>>(),
        "removed_by" => v.iter().map(|x| x.removed_by.as_deref()).collect::<Vec<_>>(),
    )
}

/// Per item: ticks, how many were supported, partial, without evidence, only on a branch, unclaimed evidence,
/// and the share of ticks supported. Items in template order of first appearance.
pub fn item_summary(verdicts: &DataFrame) -> PolarsResult<DataFrame> {
    let is = |v: &str| col("verdict").eq(lit(v.to_string())).cast(DataType::UInt32).sum();
    verdicts
        .clone()
        .lazy()
        .group_by_stable([col("item"), col("class")])
        .agg([
            col("claimed").cast(DataType::UInt32).sum().alias("ticks"),
            is("supported").alias("supported"),
            is("partial").alias("partial"),
            is("no-evidence").alias("no_evidence"),
            is("only-on-branch").alias("only_on_branch"),
            is("tests-mismatch").alias("tests_mismatch"),
            is("not-decidable").alias("not_decidable"),
            is("unclaimed").alias("unclaimed"),
        ])
        .with_column(
            (col("supported").cast(DataType::Float64) / col("ticks").cast(DataType::Float64)).alias("supported_share"),
        )
        .collect()
}

/// Per item and cohort (`item`, `cohort`, `ticks`, `supported`, `unclaimed`): the ticks (every verdict but
/// `unclaimed`), the ticks the repository supports, and the reports with evidence but no tick. `reports` gives
/// each report's cohort (`id`, `cohort`); verdicts of reports it does not hold are left out.
pub fn tally_by_cohort(verdicts: &DataFrame, reports: &DataFrame) -> PolarsResult<DataFrame> {
    let is = |v: &str| col("verdict").eq(lit(v.to_string())).cast(DataType::UInt32).sum();
    verdicts
        .clone()
        .lazy()
        .join(
            reports.clone().lazy().select([col("id"), col("cohort")]),
            [col("id")],
            [col("id")],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col("item"), col("cohort")])
        .agg([
            col("verdict").neq(lit("unclaimed")).cast(DataType::UInt32).sum().alias("ticks"),
            is("supported").alias("supported"),
            is("unclaimed").alias("unclaimed"),
        ])
        .sort(["item", "cohort"], SortMultipleOptions::default())
        .collect()
}

/// The frame's name in an index (`verdicts.parquet` beside the other frames of the live generation).
pub const VERDICTS: &str = "verdicts";

/// Verdicts that ask staff to look: ticks the repository does not support and stated test counts far off.
pub fn unsupported(verdicts: &DataFrame) -> PolarsResult<DataFrame> {
    verdicts.clone().lazy().filter(col("flagged")).collect()
}

/// The unsupported claims ([`unsupported`]) of these reports: `id`, `item`, `verdict`, `path`, `branch`, `stated`,
/// `counted` (`cohort show` and the group page of `cohort serve` list these rows).
pub fn unsupported_of(verdicts: &DataFrame, ids: &[String]) -> PolarsResult<DataFrame> {
    let flagged = unsupported(verdicts)?;
    let mask: BooleanChunked =
        flagged.column("id")?.str()?.iter().map(|v| Some(v.is_some_and(|v| ids.iter().any(|i| i == v)))).collect();
    let mut columns = vec!["id", "item", "verdict", "path", "branch", "stated", "counted"];
    // Verdicts stored before notes were kept have no `note` column.
    if flagged.get_column_names().iter().any(|c| c.as_str() == "note") {
        columns.push("note");
    }
    flagged.filter(&mask)?.select(columns)
}

/// Writes the verdicts frame into an index's live generation.
pub fn store(index: &crate::Index, results: &[GroupResult]) -> Result<std::path::PathBuf, crate::store::StoreError> {
    let path = index.generation().frame_path(VERDICTS);
    let mut df =
        verdicts_frame(results).map_err(|e| crate::store::StoreError::Polars { path: path.clone(), source: e })?;
    crate::store::frames::write_parquet(&path, &mut df)?;
    Ok(path)
}

/// The stored verdicts of an index, if `cohort ingest --repos` wrote them.
pub fn stored(index: &crate::Index) -> Result<Option<DataFrame>, crate::store::StoreError> {
    if !index.generation().frame_path(VERDICTS).is_file() {
        return Ok(None);
    }
    index.frame(VERDICTS).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_ticks_support_and_unclaimed_evidence_per_item_and_cohort() {
        let verdicts = df!(
            "id" => ["a", "a", "b", "b", "c", "c", "x"],
            "item" => ["wandb", "hydra", "wandb", "hydra", "wandb", "hydra", "wandb"],
            "verdict" => ["supported", "no-evidence", "only-on-branch", "unclaimed", "supported", "partial", "supported"],
        )
        .expect("frame");
        let reports = df!("id" => ["a", "b", "c"], "cohort" => ["2025", "2025", "2026"]).expect("frame");
        let t = tally_by_cohort(&verdicts, &reports).expect("tally");
        let rows: Vec<(String, String, u32, u32, u32)> = (0..t.height())
            .map(|i| {
                let s = |c: &str| t.column(c).expect("col").str().expect("str").get(i).unwrap_or("").to_string();
                let n = |c: &str| t.column(c).expect("col").u32().expect("u32").get(i).unwrap_or(99);
                (s("item"), s("cohort"), n("ticks"), n("supported"), n("unclaimed"))
            })
            .collect();
        // "x" is in no cohort (not in the reports frame): left out.
        assert_eq!(
            rows,
            [
                ("hydra".into(), "2025".into(), 1, 0, 1),
                ("hydra".into(), "2026".into(), 1, 0, 0),
                ("wandb".into(), "2025".into(), 2, 1, 0),
                ("wandb".into(), "2026".into(), 1, 1, 0),
            ]
        );
    }
}
