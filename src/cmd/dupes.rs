//! `cohort dupes [PATH...] [--against PATH...] [--json|--csv] [--html FILE] [--show A B [--question KEY]]`:
//! near-duplicate answers across groups and years (the algorithm is in [`crate::dupes`]).

use super::{ColorArg, FormatArgs, ReadLimitArg};
use cohort::dupes::figures::{copied_figures, FigureSettings};
use cohort::dupes::run::{check_settings, compare, question_key, read_base, read_base_figures, read_compared, Reading};
use cohort::dupes::{find, Pair, Settings};
use cohort::present::dupes::{nothing_found, page, pair_json, summary_line, write_comparison, write_csv, write_table};
use cohort::present::figure_pairs::{figure_pair_json, figure_summary_line, write_figure_csv, write_figure_table};
use cohort::present::output::{stdout, write_json_lines, Format};
use cohort::present::side_by_side::MarkStyle;
use cohort::present::style::Style;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const DEFAULTS: Settings = Settings::DEFAULT;
const HELP: &str = "\
How it works: answers are compared per question (canonical key) as sets of 5-word shingles (lower case; \
punctuation, markdown marks, link targets, URLs and HTML tags removed). For each pair of answers from different \
reports, containment = shared shingles / the smaller answer's shingles (a copied half inside an own answer scores \
high) and Jaccard = shared shingles / all shingles of the two. A pair is reported when containment >= \
--min-similarity and it shares >= --min-shared-words words, or when it shares one passage of >= --min-passage \
consecutive words and containment >= 0.6 x --min-similarity.

Not evidence: text found in more than --common reports (template examples, stock phrases), the text of --base \
files (give it the blank templates), and answers with fewer than --min-words words left after that. Two reports \
of one group (a common student, or the same group number in one cohort) are listed but flagged \"same group\".

Defaults were chosen on the course's reports with copies planted by ../shared/bench/plant_dupes.py (4 seeds, 240 \
pairs: exact, edited, reordered, half-inserted): recall 99%, precision 100%; the two pairs missed sit in a report \
whose answers are all quoted, which the parser reads as unanswered. See BENCHMARKS.md, \"Duplicates\".

Examples:
  cohort dupes reports/2026 --against reports/2025 reports/2024 --html dupes.html
  cohort dupes --index index --json --base templates/*.md
  cohort dupes reports/2026 --show group_12 group_31 --question struggles

Output: --json prints one object per pair: a, b, question (the canonical key), question_number (as report a
numbers it), similarity, shared_words, longest, containment, jaccard, kind, same_group, cohort_a, cohort_b,
group_a, group_b, words_a, words_b (and key, the same as question, for one release); --csv the same fields, one
line per pair. The count of pairs goes to standard error.

Figures (--figures): every image the reports show is read from the report's own folder (never from elsewhere, \
never from the web) and fingerprinted: its bytes' hash and perceptual hashes (pHash and dHash, as Python's \
imagehash computes them, of the picture whole and without its frame) that survive resizing, re-encoding, small \
crops, borders and brightness changes. Pairs of figures from different reports within --max-distance bits (of \
128) are listed, closest first; --json prints kind \
(\"figure\"), a, b, a_figure, b_figure (paths in their reports), distance, identical, same_group, cohort_a, \
cohort_b, group_a, group_b. A figure found in more than --common reports (the template's pictures) and the \
figures of --base files are never evidence.

Exit status: 0 compared (with or without pairs), 1 when no report was found, 2 on an error (a path that does not
exist, an unknown question key, a setting out of range).";

/// `cohort dupes`: near-duplicate answers, ranked.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = HELP)]
pub struct Args {
    /// Folders (or files) of reports to compare. Without any, the reports in the index are compared.
    pub paths: Vec<PathBuf>,
    /// Earlier cohorts (folders of reports, or an index folder) to compare against, not among themselves.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// Index folder (used when no folders are given).
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Report pairs whose containment (shared shingles / the smaller answer's) is at least this.
    #[arg(long, value_name = "X", default_value_t = DEFAULTS.min_similarity)]
    pub min_similarity: f64,
    /// ... and sharing at least this many words.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.min_shared_words)]
    pub min_shared_words: usize,
    /// Also report pairs sharing one passage of at least N consecutive words, down to 0.6 × --min-similarity.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.min_passage)]
    pub min_passage: usize,
    /// Words per shingle.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.shingle)]
    pub shingle: usize,
    /// A passage found in more than N reports (in one question's answers) is common text and ignored. The work
    /// grows with N² per shared passage: raise it with care on large corpora.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.max_reports)]
    pub common: usize,
    /// Answers with fewer words outside ignored text are not compared.
    #[arg(long, value_name = "N", default_value_t = DEFAULTS.min_words)]
    pub min_words: usize,
    /// Template files whose text is never evidence of copying.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub base: Vec<PathBuf>,
    /// Only this question (canonical key, e.g. tests, deploy, struggles).
    #[arg(long, value_name = "KEY")]
    pub question: Option<String>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
    /// Also write a self-contained HTML page of all pairs with the shared passages highlighted.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print the answers of reports A and B side by side with the shared passages marked.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub show: Vec<String>,
    /// Terminal width for --show (default: $COLUMNS, else 120).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Cohort label (the course year) of the reports in PATHs: once for every folder, or once per folder in order
    /// (default: from each report's source.json, else its template). Without PATHs (the index): only the reports
    /// of these cohorts (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    /// Worker threads (default: the machine's cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub limit: ReadLimitArg,
    /// Compare the reports' figures instead of their text: pairs of figures from different reports that are the
    /// same picture (resized, re-encoded, lightly cropped, framed or brightened), closest first.
    #[arg(long, conflicts_with_all = ["show", "html", "question"])]
    pub figures: bool,
    /// With --figures: two figures are a copy when their perceptual hashes (pHash + dHash) differ in at most N of
    /// 128 bits.
    #[arg(long, value_name = "N", default_value_t = FigureSettings::DEFAULT.max_distance, requires = "figures")]
    pub max_distance: u32,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        shingle: args.shingle,
        max_reports: args.common,
        min_words: args.min_words,
        min_similarity: args.min_similarity,
        min_shared_words: args.min_shared_words,
        min_passage: args.min_passage,
    };
    check_settings(&settings)?;
    let question = args.question.as_deref().map(question_key).transpose()?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let how = Reading {
        limits: args.limit.limits(),
        keep_text: args.html.is_some() || !args.show.is_empty(),
        threads,
        figures: args.figures,
    };
    let (source, problems) = read_compared(&args.paths, &args.index, &args.against, how, &args.cohort)?;
    for p in &problems {
        eprintln!("cohort: skipped {p}");
    }
    if source.nothing_current() {
        let place: Vec<String> = if args.paths.is_empty() {
            vec![args.index.display().to_string()]
        } else {
            args.paths.iter().map(|p| p.display().to_string()).collect()
        };
        eprintln!("cohort: no reports found in {}", place.join(", "));
        return Ok(ExitCode::from(1));
    }
    let mut out = stdout();
    let style = Style::for_stdout(args.color.color);
    if args.figures {
        let figure_settings = FigureSettings { max_distance: args.max_distance, common: args.common };
        let base = read_base_figures(&args.base)?;
        let pairs = copied_figures(&source.figures, &source.corpus.reports, &base, &figure_settings);
        match args.format.format() {
            Format::JsonLines => write_json_lines(&mut out, pairs.iter().map(|p| figure_pair_json(&source, p)))?,
            Format::Csv => write_figure_csv(&mut out, &source, &pairs)?,
            Format::Table => write_figure_table(&mut out, &source, &pairs, style)?,
        }
        out.flush()?;
        eprintln!("{}", figure_summary_line(&source, pairs.len(), &figure_settings));
        return Ok(ExitCode::SUCCESS);
    }
    let base = read_base(&args.base, &settings)?;

    if let [a, b] = args.show.as_slice() {
        let comparison = compare(&source.corpus, &base, &settings, (a, b), question, threads)?;
        let width = args.width.or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())).unwrap_or(120);
        let marks = if style.colour { MarkStyle::Terminal } else { MarkStyle::Brackets };
        write_comparison(&mut out, &source, &comparison, (a, b), width, marks)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }

    let outcome = find(&source.corpus, &base, &settings, None, threads);
    let pairs: Vec<&Pair> = outcome.pairs.iter().filter(|p| question.map_or(true, |q| p.key == q)).collect();
    let format = args.format.format();
    match format {
        Format::JsonLines => write_json_lines(&mut out, pairs.iter().map(|p| pair_json(&source, p)))?,
        Format::Csv => write_csv(&mut out, &source, &pairs)?,
        Format::Table => write_table(&mut out, &source, &pairs, style)?,
    }
    out.flush()?;
    if pairs.is_empty() {
        eprintln!("{}", nothing_found(&settings));
    } else if format == Format::Table {
        eprintln!("cohort dupes --show A B --question KEY prints a pair side by side.");
    }
    eprintln!("{}", summary_line(&source, pairs.len(), outcome.common_shingles, &settings));
    if let Some(path) = &args.html {
        // Whole or not at all: a failed write keeps the previous page.
        cohort::store::write_atomically(path, page(&source, &pairs, &settings).as_bytes())
            .map_err(|e| anyhow::Error::new(e).context("cannot write the HTML page"))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
