//! The tantivy index: one document per answer, English stemming, stored text for snippets.

use super::{link_tree, Result, StoreError};
use std::path::Path;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr};
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use std::sync::Arc;

/// A tantivy directory that is only read. tantivy takes a lock file while it opens segments so that a writer's
/// clean-up cannot delete them meanwhile; a published generation has no writer, and taking the lock fails on a
/// read-only folder ("Failed to acquire Lockfile"), so the lock here is a no-op and every write is refused.
#[derive(Debug, Clone)]
struct ReadOnlyDirectory(MmapDirectory);

fn read_only(path: &Path) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, format!("{}: the index is opened read-only", path.display()))
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: Arc::new(read_only(path)), filepath: path.to_path_buf() })
    }
    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(read_only(path), path.to_path_buf()))
    }
    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only(path))
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn acquire_lock(&self, _lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }
    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// The fields of an answer document.
#[derive(Clone, Copy)]
pub struct Fields {
    pub report_id: Field,
    pub group: Field,
    pub cohort: Field,
    pub question: Field,
    pub number: Field,
    /// Stemmed (English), stored: plain words find their variants ("deploy" finds "deployed").
    pub text: Field,
    /// Lower-cased only, not stored: "quoted phrases" match exactly these words.
    pub text_exact: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("en_stem").set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("default").set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        report_id: b.add_text_field("report_id", STRING | STORED),
        group: b.add_u64_field("group", NumericOptions::default().set_indexed().set_stored()),
        cohort: b.add_text_field("cohort", STRING | STORED),
        question: b.add_text_field("question", STRING | STORED),
        number: b.add_u64_field("number", STORED),
        text: b.add_text_field("text", stemmed),
        text_exact: b.add_text_field("text_exact", exact),
    };
    (b.build(), fields)
}

fn fields_of(index: &Index) -> Fields {
    let s = index.schema();
    let f = |name: &str| s.get_field(name).unwrap_or_else(|_| unreachable!("schema field {name} is created by schema()"));
    Fields {
        report_id: f("report_id"),
        group: f("group"),
        cohort: f("cohort"),
        question: f("question"),
        number: f("number"),
        text: f("text"),
        text_exact: f("text_exact"),
    }
}

fn terr(path: &Path) -> impl FnOnce(tantivy::TantivyError) -> StoreError + '_ {
    move |source| StoreError::Tantivy { path: path.to_path_buf(), source }
}

/// One answer to index.
#[derive(Debug, Clone)]
pub struct AnswerDoc<'a> {
    pub report_id: &'a str,
    pub group: Option<u32>,
    pub cohort: &'a str,
    /// Canonical key, or `extra` for a question the template does not have.
    pub question: &'a str,
    pub number: Option<u32>,
    pub text: &'a str,
}

/// Writes the index of a new generation at `dir`: starting from the previous generation's index (linked, not
/// copied) when there is one, removing the reports in `remove` and adding `add`. Committed once, at the end.
pub fn write<'a>(
    dir: &Path,
    previous: Option<&Path>,
    remove: &[String],
    add: impl Iterator<Item = AnswerDoc<'a>>,
) -> Result<()> {
    let index = match previous {
        Some(prev) => {
            link_tree(prev, dir)?;
            Index::open_in_dir(dir).map_err(terr(dir))?
        }
        None => {
            std::fs::create_dir_all(dir).map_err(super::io_err(dir))?;
            Index::create_in_dir(dir, schema().0).map_err(terr(dir))?
        }
    };
    let f = fields_of(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(2, 100_000_000).map_err(terr(dir))?;
    for id in remove {
        writer.delete_term(Term::from_field_text(f.report_id, id));
    }
    for a in add {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.report_id, a.report_id);
        if let Some(g) = a.group {
            doc.add_u64(f.group, u64::from(g));
        }
        doc.add_text(f.cohort, a.cohort);
        doc.add_text(f.question, a.question);
        if let Some(n) = a.number {
            doc.add_u64(f.number, u64::from(n));
        }
        doc.add_text(f.text, a.text);
        doc.add_text(f.text_exact, a.text);
        writer.add_document(doc).map_err(terr(dir))?;
    }
    writer.commit().map_err(terr(dir))?;
    writer.wait_merging_threads().map_err(terr(dir))?;
    Ok(())
}

/// A search and its filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub question: Option<String>,
    pub cohort: Option<String>,
    pub group: Option<u32>,
    pub limit: usize,
}

/// One matching answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub id: String,
    pub group: Option<u32>,
    pub cohort: String,
    pub question: String,
    pub number: Option<u32>,
    pub score: f32,
    /// The matching passage, matched terms wrapped in `**`.
    pub snippet: String,
}

/// Rewrites `"a phrase"` as `text_exact:"a phrase"`; says whether there was one.
fn exact_phrases(query: &str) -> (String, bool) {
    let mut out = String::with_capacity(query.len() + 16);
    let mut has = false;
    let mut in_quote = false;
    let mut prev: Option<char> = None;
    for c in query.chars() {
        if c == '"' {
            if !in_quote && !prev.is_some_and(|p| p == ':') {
                out.push_str("text_exact:");
                has = true;
            }
            in_quote = !in_quote;
        }
        out.push(c);
        prev = Some(c);
    }
    (out, has)
}

/// An opened index, for running many searches (the CLI runs one; a notebook or benchmark runs many).
pub struct AnswerIndex {
    dir: std::path::PathBuf,
    index: Index,
    reader: tantivy::IndexReader,
    fields: Fields,
}

impl AnswerIndex {
    /// Opens an index for searching without writing anything into its folder: staff share indexes read-only.
    pub fn open(dir: &Path) -> Result<Self> {
        let files = MmapDirectory::open(dir).map_err(|e| terr(dir)(e.into()))?;
        let index = Index::open(ReadOnlyDirectory(files)).map_err(terr(dir))?;
        let fields = fields_of(&index);
        // A published generation never changes, so there is nothing to reload (and nothing to watch).
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(terr(dir))?;
        Ok(AnswerIndex { dir: dir.to_path_buf(), index, reader, fields })
    }

    /// Runs a search: BM25 over the answer text, all words required, `"quoted phrases"` exact, filters as terms.
    pub fn search(&self, req: &SearchRequest) -> Result<Vec<SearchHit>> {
        search_in(&self.dir, &self.index, &self.reader, self.fields, req)
    }
}

/// Opens the index and runs one search.
pub fn search(dir: &Path, req: &SearchRequest) -> Result<Vec<SearchHit>> {
    AnswerIndex::open(dir)?.search(req)
}

fn search_in(
    dir: &Path,
    index: &Index,
    reader: &tantivy::IndexReader,
    f: Fields,
    req: &SearchRequest,
) -> Result<Vec<SearchHit>> {
    let searcher = reader.searcher();
    // No more hits than documents: a huge limit must not size a buffer (`--limit 4294967296`), and 0 means none.
    let limit = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX).min(req.limit);
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut parser = QueryParser::for_index(index, vec![f.text]);
    parser.set_conjunction_by_default();
    // Quoted phrases go to the unstemmed field, so "load tested" does not also match "load tests".
    let (query_text, has_phrase) = exact_phrases(&req.query);
    // Lenient: staff type "C++" or "what?" and expect a search, not a syntax error.
    let (text_query, _errors) = parser.parse_query_lenient(&query_text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
    };
    if let Some(q) = &req.question {
        clauses.push((Occur::Must, term(f.question, q)));
    }
    if let Some(c) = &req.cohort {
        clauses.push((Occur::Must, term(f.cohort, c)));
    }
    if let Some(g) = req.group {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(Term::from_field_u64(f.group, u64::from(g)), IndexRecordOption::Basic)),
        ));
    }
    let query = BooleanQuery::new(clauses);
    let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score()).map_err(terr(dir))?;
    // Highlight what matched: the exact phrase when there is one, else the stemmed words.
    let highlight_field = if has_phrase { f.text_exact } else { f.text };
    let mut snippets = SnippetGenerator::create(&searcher, &*text_query, highlight_field).map_err(terr(dir))?;
    snippets.set_max_num_chars(220);
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr).map_err(terr(dir))?;
        let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let num_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).map(|n| n as u32);
        let snippet = snippets.snippet(&text_of(f.text));
        let mut marked = String::new();
        let mut from = 0;
        let fragment = snippet.fragment();
        for r in snippet.highlighted() {
            marked.push_str(&fragment[from..r.start]);
            marked.push_str("**");
            marked.push_str(&fragment[r.clone()]);
            marked.push_str("**");
            from = r.end;
        }
        marked.push_str(&fragment[from..]);
        if marked.trim().is_empty() {
            marked = text_of(f.text).chars().take(200).collect();
        }
        hits.push(SearchHit {
            id: text_of(f.report_id),
            group: num_of(f.group),
            cohort: text_of(f.cohort),
            question: text_of(f.question),
            number: num_of(f.number),
            score,
            snippet: marked.split_whitespace().collect::<Vec<_>>().join(" "),
        });
    }
    Ok(hits)
}
