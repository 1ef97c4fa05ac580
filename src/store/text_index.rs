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
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

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
    /// Each document's question, cohort and group, read from the postings on the first [`AnswerIndex::facets`].
    table: std::sync::OnceLock<std::result::Result<std::sync::Arc<FacetTable>, tantivy::TantivyError>>,
}

impl AnswerIndex {
    pub fn open(dir: &Path) -> Result<Self> {
        let index = Index::open_in_dir(dir).map_err(terr(dir))?;
        let fields = fields_of(&index);
        let reader = index.reader().map_err(terr(dir))?;
        Ok(AnswerIndex { dir: dir.to_path_buf(), index, reader, fields, table: Default::default() })
    }

    /// Runs a search: BM25 over the answer text, all words required, `"quoted phrases"` exact, filters as terms.
    pub fn search(&self, req: &SearchRequest) -> Result<Vec<SearchHit>> {
        search_in(&self.dir, &self.index, &self.reader, self.fields, req, 0)
    }

    /// The hits after the first `offset` of a search, `req.limit` of them: the rows `offset..offset + limit` of
    /// the same search with a limit of `offset + limit` (a page of results).
    pub fn search_from(&self, req: &SearchRequest, offset: usize) -> Result<Vec<SearchHit>> {
        search_in(&self.dir, &self.index, &self.reader, self.fields, req, offset)
    }

    /// How many answers a search matches in all, per question, cohort and group (whatever `req.limit`).
    pub fn facets(&self, req: &SearchRequest) -> Result<Facets> {
        let searcher = self.reader.searcher();
        let table = self.table.get_or_init(|| FacetTable::build(&searcher, self.fields).map(std::sync::Arc::new));
        let table = table.as_ref().map_err(|e| StoreError::Tantivy { path: self.dir.clone(), source: e.clone() })?;
        let (_, _, query) = request_query(&self.index, self.fields, req);
        let counts = searcher.search(&query, &FacetCollector { table: std::sync::Arc::clone(table) }).map_err(terr(&self.dir))?;
        Ok(table.name(counts))
    }
}

/// Opens the index and runs one search.
pub fn search(dir: &Path, req: &SearchRequest) -> Result<Vec<SearchHit>> {
    AnswerIndex::open(dir)?.search(req)
}

/// The query a request asks for: the parsed text query alone (for highlighting), whether it has an exact
/// phrase, and the whole query with the filters.
fn request_query(index: &Index, f: Fields, req: &SearchRequest) -> (Box<dyn Query>, bool, BooleanQuery) {
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
    (text_query, has_phrase, BooleanQuery::new(clauses))
}

fn search_in(
    dir: &Path,
    index: &Index,
    reader: &tantivy::IndexReader,
    f: Fields,
    req: &SearchRequest,
    offset: usize,
) -> Result<Vec<SearchHit>> {
    let searcher = reader.searcher();
    let (text_query, has_phrase, query) = request_query(index, f, req);
    let top = searcher
        .search(&query, &TopDocs::with_limit(req.limit.max(1)).and_offset(offset).order_by_score()).map_err(terr(dir))?;
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

/// How many answers a search matches, in all and per question, cohort and group (each sorted by value).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Facets {
    pub total: u64,
    pub question: Vec<(String, u64)>,
    pub cohort: Vec<(String, u64)>,
    pub group: Vec<(u32, u64)>,
}

/// Per segment and document: the ordinals of its question and cohort and its group (`u32::MAX` for none).
/// The three fields are indexed but not fast fields, so they are read once from their postings.
struct FacetTable {
    questions: Vec<String>,
    cohorts: Vec<String>,
    groups: Vec<u32>,
    segments: std::collections::HashMap<tantivy::index::SegmentId, std::sync::Arc<Vec<[u32; 3]>>>,
}

const NONE: u32 = u32::MAX;

impl FacetTable {
    fn build(searcher: &tantivy::Searcher, f: Fields) -> tantivy::Result<FacetTable> {
        use tantivy::{DocSet, TERMINATED};
        let mut t = FacetTable {
            questions: Vec::new(),
            cohorts: Vec::new(),
            groups: Vec::new(),
            segments: Default::default(),
        };
        let mut names: [std::collections::HashMap<Vec<u8>, u32>; 3] = Default::default();
        for segment in searcher.segment_readers() {
            let mut rows = vec![[NONE; 3]; segment.max_doc() as usize];
            for (slot, field) in [f.question, f.cohort, f.group].into_iter().enumerate() {
                let inverted = segment.inverted_index(field)?;
                let mut terms = inverted.terms().stream()?;
                while terms.advance() {
                    let bytes = terms.key().to_vec();
                    let next = names[slot].len() as u32;
                    let ord = *names[slot].entry(bytes.clone()).or_insert(next);
                    if ord == next {
                        match slot {
                            0 => t.questions.push(String::from_utf8_lossy(&bytes).into_owned()),
                            1 => t.cohorts.push(String::from_utf8_lossy(&bytes).into_owned()),
                            _ => t.groups.push(
                                <[u8; 8]>::try_from(bytes.as_slice()).map_or(NONE, |b| u64::from_be_bytes(b) as u32),
                            ),
                        }
                    }
                    let mut postings =
                        inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        if let Some(row) = rows.get_mut(doc as usize) {
                            row[slot] = ord;
                        }
                        doc = postings.advance();
                    }
                }
            }
            t.segments.insert(segment.segment_id(), std::sync::Arc::new(rows));
        }
        Ok(t)
    }

    fn name(&self, counts: [Vec<u64>; 3]) -> Facets {
        let named = |names: &[String], counts: &[u64]| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> =
                names.iter().zip(counts).filter(|(_, n)| **n > 0).map(|(s, n)| (s.clone(), *n)).collect();
            v.sort();
            v
        };
        let mut group: Vec<(u32, u64)> =
            self.groups.iter().zip(&counts[2]).filter(|(g, n)| **n > 0 && **g != NONE).map(|(g, n)| (*g, *n)).collect();
        group.sort();
        Facets {
            // Ingest gives every answer a question (`extra` when the template has none).
            total: counts[0].iter().sum(),
            question: named(&self.questions, &counts[0]),
            cohort: named(&self.cohorts, &counts[1]),
            group,
        }
    }
}

/// Counts the matching documents per question, cohort and group ordinal.
struct FacetCollector {
    table: std::sync::Arc<FacetTable>,
}

struct FacetSegment {
    rows: Option<std::sync::Arc<Vec<[u32; 3]>>>,
    counts: [Vec<u64>; 3],
}

impl tantivy::collector::Collector for FacetCollector {
    type Fruit = [Vec<u64>; 3];
    type Child = FacetSegment;

    fn for_segment(&self, _: tantivy::SegmentOrdinal, segment: &tantivy::SegmentReader) -> tantivy::Result<Self::Child> {
        let t = &self.table;
        Ok(FacetSegment {
            rows: t.segments.get(&segment.segment_id()).cloned(),
            counts: [vec![0; t.questions.len()], vec![0; t.cohorts.len()], vec![0; t.groups.len()]],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let t = &self.table;
        let mut total = [vec![0; t.questions.len()], vec![0; t.cohorts.len()], vec![0; t.groups.len()]];
        for fruit in fruits {
            for (sum, part) in total.iter_mut().zip(fruit) {
                for (s, p) in sum.iter_mut().zip(part) {
                    *s += p;
                }
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for FacetSegment {
    type Fruit = [Vec<u64>; 3];

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        let Some(row) = self.rows.as_ref().and_then(|r| r.get(doc as usize)).copied() else { return };
        for (slot, &ord) in row.iter().enumerate() {
            if let Some(n) = self.counts[slot].get_mut(ord as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}
