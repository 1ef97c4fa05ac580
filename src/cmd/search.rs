//! `cohort search QUERY [--question KEY] [--cohort LABEL...] [--group N] [--limit N | --all] [--groups] [--json|--csv]`

use super::{ColorArg, FormatArgs, IndexArg};
use cohort::index::check_question;
use cohort::present::listing::{hits_summary, write_group_hits, write_hits};
use cohort::present::output::stdout;
use cohort::present::style::{count, Style};
use cohort::query::DEFAULT_SEARCH_LIMIT;
use cohort::store::text_index::SearchRequest;
use cohort::Index;
use std::io::Write;
use std::process::ExitCode;

const LANGUAGE: &str = "\
Query language:
  deploy docker          every word is required; words match their variants (deploy: deployed, deploying)
  \"load test\"            these words in this order, exactly
  docker OR podman       either (OR in any case; binds looser than the words around it: a b OR c = (a b) OR c)
  -docker  -\"a phrase\"   answers without it (a query may start with -)
  locu*                  words starting with the prefix (locust, locustfile)
  (a OR b) c             grouping, at most 32 levels deep
  question:KEY  cohort:LABEL  group:N
                         filters on the known fields (`cohort keys` lists the question keys)
  localhost:8000  http://localhost:8000/predict
                         any other word with a colon is text: its words in order, exactly
  Characters such as + ? ! are not searched (\"C++\" searches \"c\"). A mistake in the query is reported
  with its column.

Output: the hits on standard output, how many match and how many are shown on standard error.
Exit status: 0 when something matches, 1 when nothing does, 2 on an error (bad query, unknown question key or
cohort, no index).

Examples:
  cohort search \"load test\" --question api_testing
  cohort search 'localhost:8000' --all --json
  cohort search docker --groups --cohort 2025 --cohort 2026";

#[derive(Debug, Clone, clap::Args)]
#[command(after_long_help = LANGUAGE, after_help = "Run `cohort search --help` for the query language.")]
pub struct Args {
    /// What to find (see the query language below, with --help). It may start with -term.
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// More words of the query (`cohort search deploy docker` is `cohort search 'deploy docker'`); quote a query
    /// whose later words start with -.
    #[arg(value_name = "MORE", hide = true)]
    pub more: Vec<String>,
    /// Only answers to this question (canonical key, e.g. api_testing, deploy, credits; see `cohort keys`).
    #[arg(long, value_name = "KEY")]
    pub question: Option<String>,
    /// Only these cohorts (repeat for several).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    /// Only this group.
    #[arg(long)]
    pub group: Option<u32>,
    /// At most this many answers.
    #[arg(long, default_value_t = DEFAULT_SEARCH_LIMIT, conflicts_with = "all")]
    pub limit: usize,
    /// Every matching answer.
    #[arg(long)]
    pub all: bool,
    /// List the reports with matching answers and how many match in each, instead of the answers.
    #[arg(long)]
    pub groups: bool,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut req = SearchRequest {
        query: std::iter::once(args.query).chain(args.more).collect::<Vec<_>>().join(" "),
        question: args.question,
        cohorts: args.cohort,
        group: args.group,
        limit: if args.all { usize::MAX } else { args.limit },
    };
    // A wrong key is said before a missing index.
    check_question(req.question.as_deref())?;
    let index = Index::open(&args.index.index)?;
    let format = args.format.format();
    let style = Style::for_stdout(args.color.color);
    let mut out = stdout();
    if args.groups {
        let groups = index.search_groups(&req)?;
        write_group_hits(&mut out, &groups, format, style)?;
        out.flush()?;
        let answers: usize = groups.iter().map(|g| g.hits).sum();
        eprintln!(
            "{} in {}",
            count(answers, "matching answer", "matching answers"),
            count(groups.len(), "report", "reports")
        );
        return Ok(if groups.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS });
    }
    let results = index.search(&req)?;
    write_hits(&mut out, &results, format, style)?;
    out.flush()?;
    req.limit = results.hits.len();
    eprintln!("{}", hits_summary(&req.query, &results));
    Ok(if results.total == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
