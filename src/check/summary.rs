//! The check's summaries as polars queries: findings per report and rule (one row per report checked, clean ones
//! included), and per rule over the whole cohort.

use super::{Finding, Rule};
use polars::prelude::*;

/// One checked report: its id, group and cohort label.
#[derive(Debug, Clone)]
pub struct Checked {
    pub id: String,
    pub group: Option<u32>,
    pub cohort: String,
}

/// The findings as a frame: `id`, `rule`, `question` (null when about the whole report).
pub fn findings_frame(findings: &[Finding]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        findings.len(),
        vec![
            Column::new("id".into(), findings.iter().map(|f| f.id.as_str()).collect::<Vec<_>>()),
            Column::new("rule".into(), findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>()),
            Column::new("question".into(), findings.iter().map(|f| f.question.map(|q| q.as_str())).collect::<Vec<_>>()),
        ],
    )
}

/// The checked reports as a frame: `id`, `group`, `cohort`.
pub fn reports_frame(reports: &[Checked]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        reports.len(),
        vec![
            Column::new("id".into(), reports.iter().map(|r| r.id.as_str()).collect::<Vec<_>>()),
            Column::new("group".into(), reports.iter().map(|r| r.group).collect::<Vec<_>>()),
            Column::new("cohort".into(), reports.iter().map(|r| r.cohort.as_str()).collect::<Vec<_>>()),
        ],
    )
}

/// One row per checked report (sorted by cohort, group, id): `group`, `id`, `cohort`, one count column per rule
/// in `rules` (in that order), and `total`.
pub fn per_report(reports: &DataFrame, findings: &DataFrame, rules: &[Rule]) -> PolarsResult<DataFrame> {
    let counts: Vec<Expr> = rules
        .iter()
        .map(|r| col("rule").eq(lit(r.as_str())).cast(DataType::UInt32).sum().alias(r.as_str()))
        .chain([len().cast(DataType::UInt32).alias("total")])
        .collect();
    let names: Vec<&str> = rules.iter().map(|r| r.as_str()).chain(["total"]).collect();
    let per_id = findings.clone().lazy().group_by([col("id")]).agg(counts);
    let mut select = vec![col("group"), col("id"), col("cohort")];
    select.extend(names.iter().map(|n| col(*n).fill_null(lit(0u32))));
    reports
        .clone()
        .lazy()
        .join(per_id, [col("id")], [col("id")], JoinArgs::new(JoinType::Left))
        .select(select)
        .sort(["cohort", "group", "id"], SortMultipleOptions::default().with_nulls_last(true))
        .collect()
}

/// One row per rule in `rules` (in that order): `rule`, `findings`, `reports` (with at least one such finding),
/// `share` (of the reports checked).
pub fn per_rule(reports: &DataFrame, findings: &DataFrame, rules: &[Rule]) -> PolarsResult<DataFrame> {
    let checked = reports.height() as f64;
    let order = DataFrame::new(
        rules.len(),
        vec![
            Column::new("rule".into(), rules.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            Column::new("order".into(), (0..rules.len() as u32).collect::<Vec<_>>()),
        ],
    )?;
    let counted = findings.clone().lazy().group_by([col("rule")]).agg([
        len().cast(DataType::UInt32).alias("findings"),
        col("id").n_unique().cast(DataType::UInt32).alias("reports"),
    ]);
    order
        .lazy()
        .join(counted, [col("rule")], [col("rule")], JoinArgs::new(JoinType::Left))
        .with_columns([col("findings").fill_null(lit(0u32)), col("reports").fill_null(lit(0u32))])
        .with_column((col("reports").cast(DataType::Float64) / lit(checked.max(1.0))).alias("rate"))
        .sort(["order"], Default::default())
        .select([col("rule"), col("findings"), col("reports"), col("rate")])
        .collect()
}
