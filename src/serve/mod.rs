//! `cohort serve`: read-only pages over an index for staff who would rather click. The server is one more client
//! of the library: searches go to [`AnswerIndex`], statistics and figures to [`Index`], findings to
//! [`crate::check::run::check_all`] and pairs to [`crate::dupes::find`]; pages only lay out what those return.
//!
//! Pages (each with a `.json` twin; tables of the statistics page also as `.csv`):
//! - `/` and `/search`: the search box, highlighted hits, facets with counts, paging; all state in the URL;
//! - `/stats`: completion and facts as tables and as the figures of `cohort plot`, inline;
//! - `/group/ID`: one report's members, facts, ticks, answers, findings and duplicate pairs;
//! - `/dupes` and `/pair?a=ID&b=ID`: ranked pairs, and two answers side by side with the shared passages marked;
//! - `/findings`: the findings of `cohort check` per rule and per group, each linked to its answer;
//! - `/figure?id=ID&path=PATH`: one figure a report shows, from its own folder only (`figure.rs`).
//!
//! Security ([`guard`]): loopback by default, a token for any other address, the `Host` header checked against
//! the names of this server, GET and HEAD only, and headers that keep the pages to themselves.
//!
//! Under abuse: a connection must send its request's headers within [`HEADER_TIMEOUT`] (idle keep-alive
//! connections are closed after it too), at most [`max_connections`] are open at once, a query is at most
//! `search::MAX_QUERY_BYTES` long, and searches run on blocking threads, at most [`SEARCHES`] at a time.
//!
//! Generations ([`Live`]): between requests the server looks at the index's live generation; after an ingest the
//! next request opens it (once) and every page from then on is read from it. A request gets one [`App`] for its
//! whole page, so a page's rows all come from one generation, and every page names the ingest it is from.

mod assets;
mod dupes;
mod figure;
mod findings;
mod group;
pub mod guard;
mod layout;
mod search;
mod stats;

use crate::check::run::{check_all, CheckOptions, CheckOutcome};
use crate::check::Finding;
use crate::corpus::Input;
use crate::dupes::figures::{copied_figures, FigurePair, FigureSettings};
use crate::dupes::run::{read_index, Reading, Source};
use crate::dupes::{find, Outcome, Settings, ShingleSet};
use crate::index::Index;
use crate::store::text_index::AnswerIndex;
use crate::store::StoreError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polars::prelude::DataFrame;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, RwLock};
use std::time::Duration;

/// A connection must have sent a request's headers this long after it opened or after its last response: idle
/// and trickling connections are closed (1,100 idle sockets once took every descriptor of a server).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection is closed after this long whatever it does (a client that never reads its response).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(600);
/// Searches that run at once (more wait for a slot, on blocking threads: the pages that need no search go on).
pub const SEARCHES: usize = 2;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index: PathBuf,
    pub host: IpAddr,
    pub port: u16,
    /// Required on every request when set (given, or generated for a non-loopback host).
    pub token: Option<String>,
    /// Further names the server is reached by (`--allow-host`): the `Host` header may name these too.
    pub allow_hosts: Vec<String>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Index(#[from] StoreError),
    #[error(
        "refusing to serve on {host}, which other machines can reach, without a token: give --token-file FILE or \
             set COHORT_SERVE_TOKEN (or let cohort generate one with --token generate)"
    )]
    NoToken { host: IpAddr },
    #[error("cannot listen on {addr}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the server stopped")]
    Serve(#[source] std::io::Error),
}

/// The duplicate search over the whole index, made once.
pub struct Duplicates {
    pub source: Source,
    pub base: ShingleSet,
    pub settings: Settings,
    pub outcome: Outcome,
    /// Each report's pairs (indices into `outcome.pairs`, most similar first), for its page: scanning every pair
    /// for one report's was nine tenths of a group page's time on 10,000 reports.
    pub pairs_of: HashMap<String, Vec<usize>>,
    /// Figures copied between reports (`cohort dupes --figures`; indices into `source.figures`), closest first.
    pub figure_pairs: Vec<FigurePair>,
}

/// What every page reads: one generation of the index (frames in memory), its searcher, and the check and
/// duplicate results made once, on first use. A new ingest gets a new `App` ([`Live`]).
pub struct App {
    pub index: Index,
    pub searcher: AnswerIndex,
    /// Which state of the index folder this is (the live generation and its verdicts).
    pub stamp: Stamp,
    checks: OnceLock<Result<Arc<CheckOutcome>, String>>,
    dupes: OnceLock<Result<Arc<Duplicates>, String>>,
    figures: OnceLock<Vec<(String, Result<String, String>)>>,
    /// Every report's figures (the images its answers show) and folder.
    report_figures: OnceLock<Result<Arc<figure::ReportFigures>, String>>,
    verdicts: OnceLock<Result<Option<Arc<DataFrame>>, String>>,
    /// Each report's findings (indices into the check's findings, in their order).
    findings_of: OnceLock<Result<HashMap<String, Vec<usize>>, String>>,
}

impl App {
    /// Opens the index, checks every file of it once (each read afterwards checks only what it reads) and keeps
    /// its frames in memory.
    pub fn open(dir: &std::path::Path) -> Result<App, StoreError> {
        // The stamp first: if an ingest publishes meanwhile, the next request sees a newer stamp and opens again.
        let stamp = Stamp::read(dir);
        let index = Index::open(dir)?;
        index.verify_files()?;
        let index = index.resident()?;
        let stamp = Stamp { generation: Some(index.generation().dir.clone()), ..stamp };
        let searcher = index.searcher()?;
        Ok(App {
            index,
            searcher,
            stamp,
            checks: OnceLock::new(),
            dupes: OnceLock::new(),
            figures: OnceLock::new(),
            report_figures: OnceLock::new(),
            verdicts: OnceLock::new(),
            findings_of: OnceLock::new(),
        })
    }

    /// `cohort check --index DIR`'s outcome.
    pub fn checks(&self) -> Result<Arc<CheckOutcome>, String> {
        self.checks
            .get_or_init(|| {
                check_all(&CheckOptions::new(Input::Index(self.index.root().to_path_buf())))
                    .map(Arc::new)
                    .map_err(|e| error_chain(&e))
            })
            .clone()
    }

    /// `cohort dupes --index DIR`'s outcome, with the answers' text for side-by-side pages.
    pub fn dupes(&self) -> Result<Arc<Duplicates>, String> {
        self.dupes
            .get_or_init(|| {
                let threads = crate::parallel::default_threads();
                let how = Reading { limits: Default::default(), keep_text: true, threads, figures: true };
                let source = read_index(self.index.root(), false, how, &[]).map_err(|e| error_chain(&e))?;
                let settings = Settings::DEFAULT;
                let base = ShingleSet::default();
                let outcome = find(&source.corpus, &base, &settings, None, threads);
                let mut pairs_of: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, p) in outcome.pairs.iter().enumerate() {
                    let (a, b) = (&source.meta(p.a).id, &source.meta(p.b).id);
                    pairs_of.entry(a.clone()).or_default().push(i);
                    if b != a {
                        pairs_of.entry(b.clone()).or_default().push(i);
                    }
                }
                let figure_pairs =
                    copied_figures(&source.figures, &source.corpus.reports, &[], &FigureSettings::DEFAULT);
                Ok(Arc::new(Duplicates { source, base, settings, outcome, pairs_of, figure_pairs }))
            })
            .clone()
    }

    /// One report's findings of `cohort check`, in the check's order.
    pub fn findings_of(&self, id: &str) -> Result<Vec<Finding>, String> {
        let checks = self.checks()?;
        let by_report = self
            .findings_of
            .get_or_init(|| {
                let mut by: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, f) in checks.findings.iter().enumerate() {
                    by.entry(f.id.clone()).or_default().push(i);
                }
                Ok(by)
            })
            .as_ref()
            .map_err(String::clone)?;
        Ok(by_report.get(id).map_or_else(Vec::new, |v| v.iter().map(|&i| checks.findings[i].clone()).collect()))
    }

    /// The verdicts `cohort ingest --repos` stored (`cohort show`'s unsupported claims), if any.
    pub fn verdicts(&self) -> Result<Option<Arc<DataFrame>>, String> {
        self.verdicts
            .get_or_init(|| {
                crate::verify::frame::stored(&self.index).map(|v| v.map(Arc::new)).map_err(|e| error_chain(&e))
            })
            .clone()
    }

    /// Computes what is made once, so the first visitor does not wait for it.
    pub fn warm(&self) {
        let _ = self.checks();
        let _ = self.dupes();
        let _ = self.verdicts();
        let _ = stats::figures(self);
    }
}

/// An error with its causes, for a page.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        s.push_str(": ");
        s.push_str(&c.to_string());
        next = c.source();
    }
    s
}

/// The state of an index folder a server reads: its live generation (the name `CURRENT` holds) and when the
/// generation's verdicts were written (`cohort ingest --repos` adds them to the live generation after publishing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The live generation's folder.
    pub generation: Option<PathBuf>,
    verdicts: Option<std::time::SystemTime>,
}

impl Stamp {
    /// Cheap: one small file read and one `stat` (done before every request).
    pub fn read(dir: &Path) -> Stamp {
        let generation = crate::store::IndexDir::new(dir).current().ok().flatten();
        let verdicts = generation.as_ref().and_then(|g| {
            std::fs::metadata(g.frame_path(crate::verify::frame::VERDICTS)).and_then(|m| m.modified()).ok()
        });
        Stamp { generation: generation.map(|g| g.dir), verdicts }
    }

    /// The generation's name and when it was written, for the foot of a page.
    pub fn describe(&self) -> String {
        let Some(g) = &self.generation else { return String::new() };
        let name = g.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let when = std::fs::metadata(g.join("manifest.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| format!(", ingested {}", utc(d.as_secs() as i64)))
            .unwrap_or_default();
        format!("{name}{when}")
    }
}

/// `YYYY-MM-DD HH:MM UTC` of a Unix time.
fn utc(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::scrape::time::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// The generation a server answers from, switched between requests when an ingest publishes a new one.
pub struct Live {
    dir: PathBuf,
    current: RwLock<Arc<App>>,
    /// One opening at a time; holds the stamp that last failed to open (not tried again on every request).
    opening: Mutex<Option<Stamp>>,
}

impl Live {
    pub fn new(dir: &Path, app: App) -> Live {
        Live { dir: dir.to_path_buf(), current: RwLock::new(Arc::new(app)), opening: Mutex::new(None) }
    }

    fn current(&self) -> Arc<App> {
        Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// The current `App` when the index folder has not changed since it was opened (cheap: for every request).
    pub fn unchanged(&self) -> Option<Arc<App>> {
        let now = Stamp::read(&self.dir);
        let app = self.current();
        (app.stamp == now || now.generation.is_none()).then_some(app)
    }

    /// The `App` of the index folder as it is now: the current one, or the new generation opened (once, by one
    /// request; the others wait for it). A generation that cannot be opened leaves the last good one answering.
    pub fn app(&self) -> Arc<App> {
        let now = Stamp::read(&self.dir);
        let app = self.current();
        if app.stamp == now || now.generation.is_none() {
            return app;
        }
        let mut failed = self.opening.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let app = self.current();
        if app.stamp == now || failed.as_ref() == Some(&now) {
            return app;
        }
        match App::open(&self.dir) {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                let warming = Arc::clone(&fresh);
                std::thread::spawn(move || warming.warm());
                *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::clone(&fresh);
                *failed = None;
                fresh
            }
            Err(e) => {
                eprintln!(
                    "cohort serve: the new generation of the index cannot be read ({}); still serving the last one",
                    error_chain(&e)
                );
                *failed = Some(now);
                app
            }
        }
    }
}

/// The middleware that hands each request the `App` of the live generation (checked between requests, opened on
/// a blocking thread when it changed) and names it in the response.
async fn pick(State(live): State<Arc<Live>>, mut req: Request, next: Next) -> Response {
    let app = match live.unchanged() {
        Some(app) => app,
        None => match tokio::task::spawn_blocking(move || live.app()).await {
            Ok(app) => app,
            Err(_) => return layout::internal("The index could not be opened."),
        },
    };
    let described = app.stamp.describe();
    req.extensions_mut().insert(app);
    let mut response = layout::FROM.scope(described.clone(), next.run(req)).await;
    if let Ok(v) = axum::http::HeaderValue::from_str(&described) {
        response.headers_mut().insert("x-cohort-index", v);
    }
    response
}

/// A counting semaphore for searches, waited on by blocking threads (never by the async workers).
pub struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

/// A slot, given back when dropped.
pub struct Slot<'a>(&'a Slots);

impl Slots {
    pub const fn new(n: usize) -> Slots {
        Slots { free: Mutex::new(n), freed: Condvar::new() }
    }

    /// Waits for a free slot (call it on a blocking thread).
    pub fn take(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *free -= 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}

/// The searches of every page of this process.
pub static SEARCH_SLOTS: Slots = Slots::new(SEARCHES);

/// Every page, behind the guard; each request gets the live generation's `App`.
pub fn router(live: Arc<Live>, guard: guard::Guard) -> Router {
    Router::new()
        .route("/", get(search::page))
        .route("/search", get(search::page))
        .route("/search.json", get(search::json))
        .route("/stats", get(stats::page))
        .route("/stats.json", get(stats::json))
        .route("/stats/{table}", get(stats::csv))
        .route("/group/{*id}", get(group::page))
        .route("/dupes", get(dupes::page))
        .route("/dupes.json", get(dupes::json))
        .route("/pair", get(dupes::pair))
        .route("/pair.json", get(dupes::pair_json))
        .route("/findings", get(findings::page))
        .route("/findings.json", get(findings::json))
        .route("/figure", get(figure::figure))
        .route("/assets/{name}", get(assets::asset))
        .fallback(layout::not_found)
        .layer(axum::middleware::from_fn_with_state(live, pick))
        .layer(axum::middleware::from_fn_with_state(Arc::new(guard), guard::check))
}

/// Whether an address only this machine can reach.
pub fn is_loopback(host: IpAddr) -> bool {
    host.is_loopback()
}

/// Connections open at once: well under the process's descriptor limit (the index and the runtime need some),
/// at most 4,096.
pub fn max_connections() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
            return soft.saturating_sub(64).clamp(16, 4096);
        }
    }
    1024
}

/// Counts a connection while it lives.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accepts connections (at most [`max_connections`] at once) and serves each with HTTP/1.1 under
/// [`HEADER_TIMEOUT`] and [`CONNECTION_LIFETIME`].
async fn accept_loop(listener: tokio::net::TcpListener, app: Router) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let open = Arc::new(AtomicUsize::new(0));
    let max = max_connections();
    loop {
        while open.load(Ordering::Acquire) >= max {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, or a connection reset before it was accepted: wait a little, go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        open.fetch_add(1, Ordering::AcqRel);
        let counted = Open(Arc::clone(&open));
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _counted = counted;
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
        });
    }
}

/// Opens the index, binds, prints where it listens (and the token when one was generated) and serves until the
/// process is stopped. `ready` is told the bound address (for tests and `cohort demo --serve`).
pub fn serve(opts: &ServeOptions, on_listen: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    if !is_loopback(opts.host) && opts.token.is_none() {
        return Err(ServeError::NoToken { host: opts.host });
    }
    let app = App::open(&opts.index)?;
    let live = Arc::new(Live::new(&opts.index, app));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServeError::Serve)?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(opts.host, opts.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Serve)?;
        let guard = guard::Guard::new(bound, opts.token.clone(), &opts.allow_hosts);
        let warming = live.current();
        std::thread::spawn(move || warming.warm());
        on_listen(bound);
        accept_loop(listener, router(live, guard)).await
    })
}
