//! What a Python file holds, read with tree-sitter's Python grammar: imports, calls, decorators (with their first
//! string argument, for routes), `gs://` strings, test functions as pytest collects them with `parametrize` cases
//! expanded, and tests that are commented out. A file with syntax errors is still read: tree-sitter recovers and
//! the well-formed parts count.

use tree_sitter::{Node, Parser};

/// A name used at a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub line: usize,
}

/// A decorator: its callee (`app.get`, `hydra.main`, `pytest.mark.parametrize`) and first string argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decorator {
    pub callee: String,
    pub first_string: Option<String>,
    pub line: usize,
    /// Keyword arguments of the decorator call, the value as written (`response_class` → `HTMLResponse`).
    pub keywords: Vec<(String, String)>,
    /// Callees of the calls in the decorated function's body (`HTMLResponse`, `templates.TemplateResponse`).
    pub body_calls: Vec<String>,
}

/// A test function as pytest would collect it (module level `test*`, or `test*` methods of a `Test*` class or a
/// `unittest.TestCase` subclass).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestFunction {
    pub name: String,
    pub class: Option<String>,
    pub line: usize,
    /// Cases pytest runs: the product of every `parametrize` list's length (1 without one).
    pub cases: usize,
    /// A `parametrize` whose values are not a literal list (a variable, a comprehension): counted as one case.
    pub cases_unknown: bool,
    /// Arguments pytest must supply as fixtures: the parameters without a default, less `self`/`cls` and the
    /// names a `parametrize` gives.
    pub fixtures_wanted: Vec<String>,
    /// A hash of the function's source (decorators and body): two identical tests have the same.
    pub body: u64,
}

/// Everything the evidence rules look at in one Python file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PythonFacts {
    /// Dotted module names; `from a.b import c` gives `a.b` and `a.b.c`.
    pub imports: Vec<Named>,
    /// Dotted callees of calls (`FastAPI`, `hydra.compose`, `wandb.init`, `torch.onnx.export`).
    pub calls: Vec<Named>,
    pub decorators: Vec<Decorator>,
    /// String literals holding `gs://`.
    pub bucket_strings: Vec<Named>,
    pub tests: Vec<TestFunction>,
    /// Lines of `app.mount("/", StaticFiles(..., html=True))`: a static web site served at the root.
    pub static_sites: Vec<usize>,
    /// `# def test_...` lines.
    pub commented_tests: usize,
    /// Functions decorated `@pytest.fixture` (module level or in a class): fixtures this file provides.
    pub fixtures: Vec<String>,
    pub syntax_errors: bool,
}

/// Reads Python source. Never panics whatever the bytes; `None` only if the grammar cannot be loaded.
pub fn read(parser: &mut Parser, source: &[u8]) -> Option<PythonFacts> {
    let tree = parser.parse(source, None)?;
    let root = tree.root_node();
    let mut facts = PythonFacts { syntax_errors: root.has_error(), ..PythonFacts::default() };
    walk(root, source, &mut facts);
    collect_tests(root, source, &mut facts.tests);
    collect_fixtures(root, source, &mut facts.fixtures);
    Some(facts)
}

/// A parser for Python, one per thread (parsers are not shared).
pub fn parser() -> Option<Parser> {
    let mut p = Parser::new();
    p.set_language(&tree_sitter_python::LANGUAGE.into()).ok()?;
    Some(p)
}

fn text<'a>(n: Node<'_>, src: &'a [u8]) -> &'a str {
    n.utf8_text(src).unwrap_or("")
}

fn line(n: Node<'_>) -> usize {
    n.start_position().row + 1
}

/// The content of a string literal without quotes or prefixes (`f"gs://x"` → `gs://x`).
fn string_value(n: Node<'_>, src: &[u8]) -> Option<String> {
    if n.kind() != "string" {
        return None;
    }
    let mut out = String::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if ch.kind() == "string_content" {
            out.push_str(text(ch, src));
        }
    }
    Some(out)
}

/// `a.b.c` of an identifier/attribute chain; a call in the chain keeps its callee (`Typer().command` → `Typer.command`).
fn dotted(n: Node<'_>, src: &[u8]) -> String {
    match n.kind() {
        "identifier" | "dotted_name" => text(n, src).to_string(),
        "attribute" => {
            let obj = n.child_by_field_name("object").map(|o| dotted(o, src)).unwrap_or_default();
            let attr = n.child_by_field_name("attribute").map(|a| text(a, src)).unwrap_or("");
            if obj.is_empty() {
                attr.to_string()
            } else {
                format!("{obj}.{attr}")
            }
        }
        "call" => n.child_by_field_name("function").map(|f| dotted(f, src)).unwrap_or_default(),
        _ => String::new(),
    }
}

/// `name=value` arguments of an argument list, the value's source text.
fn keyword_arguments(args: Node<'_>, src: &[u8]) -> Vec<(String, String)> {
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(|a| a.kind() == "keyword_argument")
        .filter_map(|a| {
            let name = a.child_by_field_name("name")?;
            let value = a.child_by_field_name("value")?;
            Some((text(name, src).to_string(), text(value, src).to_string()))
        })
        .collect()
}

/// Callees of every call under a node.
fn calls_in(node: Node<'_>, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "call" {
            if let Some(f) = n.child_by_field_name("function") {
                out.push(dotted(f, src));
            }
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    out
}

/// `mount("/", StaticFiles(..., html=True))`: static files served as a web site at the root.
fn serves_static_site(call: Node<'_>, src: &[u8]) -> bool {
    let Some(args) = call.child_by_field_name("arguments") else { return false };
    let mut c = args.walk();
    let positional: Vec<Node<'_>> = args.named_children(&mut c).filter(|a| a.kind() != "keyword_argument").collect();
    let at_root = positional.first().and_then(|a| string_value(*a, src)).is_some_and(|p| p == "/" || p.is_empty());
    let static_html = positional.get(1).into_iter().chain(std::iter::once(&args)).any(|a| {
        let mut stack = vec![*a];
        while let Some(n) = stack.pop() {
            if n.kind() == "call"
                && n.child_by_field_name("function").is_some_and(|f| dotted(f, src).ends_with("StaticFiles"))
                && n.child_by_field_name("arguments")
                    .is_some_and(|a| keyword_arguments(a, src).iter().any(|(k, v)| k == "html" && v == "True"))
            {
                return true;
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
        false
    });
    at_root && static_html
}

fn walk(root: Node<'_>, src: &[u8], facts: &mut PythonFacts) {
    // Iterative depth-first walk: a deeply nested file cannot exhaust the stack.
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "import_statement" => {
                let mut c = n.walk();
                for name in n.children_by_field_name("name", &mut c) {
                    let module =
                        if name.kind() == "aliased_import" { name.child_by_field_name("name") } else { Some(name) };
                    if let Some(m) = module {
                        facts.imports.push(Named { name: text(m, src).to_string(), line: line(n) });
                    }
                }
            }
            "import_from_statement" => {
                let module =
                    n.child_by_field_name("module_name").map(|m| text(m, src).trim_start_matches('.').to_string());
                if let Some(module) = module.filter(|m| !m.is_empty()) {
                    facts.imports.push(Named { name: module.clone(), line: line(n) });
                    let mut c = n.walk();
                    for name in n.children_by_field_name("name", &mut c) {
                        let item =
                            if name.kind() == "aliased_import" { name.child_by_field_name("name") } else { Some(name) };
                        if let Some(i) = item {
                            facts.imports.push(Named { name: format!("{module}.{}", text(i, src)), line: line(n) });
                        }
                    }
                }
            }
            "call" => {
                if let Some(f) = n.child_by_field_name("function") {
                    let callee = dotted(f, src);
                    if (callee == "mount" || callee.ends_with(".mount")) && serves_static_site(n, src) {
                        facts.static_sites.push(line(n));
                    }
                    if !callee.is_empty() {
                        facts.calls.push(Named { name: callee, line: line(n) });
                    }
                }
            }
            "decorator" => {
                if let Some(expr) = n.named_child(0) {
                    let callee = dotted(expr, src);
                    let first_string = (expr.kind() == "call")
                        .then(|| expr.child_by_field_name("arguments"))
                        .flatten()
                        .and_then(|args| args.named_child(0))
                        .and_then(|a| string_value(a, src));
                    let keywords = (expr.kind() == "call")
                        .then(|| expr.child_by_field_name("arguments"))
                        .flatten()
                        .map(|args| keyword_arguments(args, src))
                        .unwrap_or_default();
                    let body_calls = n
                        .parent()
                        .filter(|p| p.kind() == "decorated_definition")
                        .and_then(|p| p.child_by_field_name("definition"))
                        .and_then(|d| d.child_by_field_name("body"))
                        .map(|b| calls_in(b, src))
                        .unwrap_or_default();
                    facts.decorators.push(Decorator { callee, first_string, line: line(n), keywords, body_calls });
                }
            }
            "string" => {
                if let Some(v) = string_value(n, src).filter(|v| v.contains("gs://")) {
                    facts.bucket_strings.push(Named { name: v, line: line(n) });
                }
            }
            "comment" => {
                let t = text(n, src).trim_start_matches('#').trim_start();
                if t.starts_with("def test") || t.starts_with("async def test") {
                    facts.commented_tests += 1;
                }
            }
            _ => {}
        }
        let mut c = n.walk();
        let children: Vec<Node<'_>> = n.children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
}

/// The definition inside a `decorated_definition`, with its decorators.
fn unwrap_decorated<'t>(n: Node<'t>) -> (Node<'t>, Vec<Node<'t>>) {
    if n.kind() != "decorated_definition" {
        return (n, vec![]);
    }
    let mut c = n.walk();
    let decorators = n.named_children(&mut c).filter(|d| d.kind() == "decorator").collect();
    (n.child_by_field_name("definition").unwrap_or(n), decorators)
}

/// Cases of a `parametrize` decorator: the length of its value list (`None` when it is not a literal).
fn parametrize_cases(d: Node<'_>, src: &[u8]) -> Option<Option<usize>> {
    let expr = d.named_child(0)?;
    if expr.kind() != "call" || !dotted(expr, src).ends_with("parametrize") {
        return None;
    }
    let args = expr.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let all: Vec<Node<'_>> = args.named_children(&mut c).filter(|a| a.kind() != "comment").collect();
    let values = all
        .iter()
        .find(|a| {
            a.kind() == "keyword_argument" && a.child_by_field_name("name").is_some_and(|k| text(k, src) == "argvalues")
        })
        .and_then(|a| a.child_by_field_name("value"))
        .or_else(|| all.iter().filter(|a| a.kind() != "keyword_argument").nth(1).copied());
    Some(values.and_then(|v| match v.kind() {
        "list" | "tuple" => {
            let mut c = v.walk();
            Some(v.named_children(&mut c).filter(|e| e.kind() != "comment").count())
        }
        _ => None,
    }))
}

fn cases_of(decorators: &[Node<'_>], src: &[u8]) -> (usize, bool) {
    let mut cases = 1usize;
    let mut unknown = false;
    for d in decorators {
        match parametrize_cases(*d, src) {
            Some(Some(n)) => cases = cases.saturating_mul(n),
            Some(None) => unknown = true,
            None => {}
        }
    }
    (cases, unknown)
}

/// A `@pytest.fixture` named `test_*` provides a value; pytest does not run it as a test.
fn is_fixture(decorators: &[Node<'_>], src: &[u8]) -> bool {
    decorators.iter().any(|d| d.named_child(0).is_some_and(|e| dotted(e, src).rsplit('.').next() == Some("fixture")))
}

fn is_test_name(name: &str) -> bool {
    name.starts_with("test")
}

/// The names `parametrize` decorators give (`"a,b"` and `["a", "b"]` forms).
fn parametrized_names(decorators: &[Node<'_>], src: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for d in decorators {
        let Some(expr) = d.named_child(0).filter(|e| e.kind() == "call" && dotted(*e, src).ends_with("parametrize"))
        else {
            continue;
        };
        let Some(first) = expr.child_by_field_name("arguments").and_then(|a| a.named_child(0)) else { continue };
        let mut strings = vec![first];
        let mut c = first.walk();
        strings.extend(first.named_children(&mut c));
        for s in strings {
            if let Some(v) = string_value(s, src) {
                names.extend(v.split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty()));
            }
        }
    }
    names
}

/// Parameters pytest would look for as fixtures: those without a default, less `self`, `cls` and the names a
/// `parametrize` gives.
fn fixtures_wanted(def: Node<'_>, decorators: &[Node<'_>], class_decorators: &[Node<'_>], src: &[u8]) -> Vec<String> {
    // Decorators that pass arguments themselves (`mock.patch` gives a mock per patch, hypothesis's `given`, the
    // `parameterized`/`ddt` packages): the test's parameters are theirs, not fixtures.
    let injects = decorators.iter().chain(class_decorators).any(|d| {
        d.named_child(0).is_some_and(|e| {
            dotted(e, src).split('.').any(|part| {
                matches!(part, "patch" | "object" | "multiple" | "given" | "expand" | "parameterized" | "ddt" | "data")
            })
        })
    });
    if injects {
        return vec![];
    }
    let given: Vec<String> =
        parametrized_names(decorators, src).into_iter().chain(parametrized_names(class_decorators, src)).collect();
    let Some(params) = def.child_by_field_name("parameters") else { return vec![] };
    let mut c = params.walk();
    params
        .named_children(&mut c)
        .filter(|p| matches!(p.kind(), "identifier" | "typed_parameter"))
        .filter_map(|p| {
            let name =
                if p.kind() == "identifier" { text(p, src) } else { p.named_child(0).map_or("", |n| text(n, src)) };
            (!name.is_empty() && name != "self" && name != "cls" && !given.iter().any(|g| g == name))
                .then(|| name.to_string())
        })
        .collect()
}

fn body_hash(n: Node<'_>, src: &[u8]) -> u64 {
    let h = blake3::hash(text(n, src).as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(b)
}

/// `@pytest.fixture` functions of a file, at module level and in classes.
fn collect_fixtures(root: Node<'_>, src: &[u8], out: &mut Vec<String>) {
    let mut c = root.walk();
    for top in root.named_children(&mut c) {
        let (def, decorators) = unwrap_decorated(top);
        let name = || def.child_by_field_name("name").map(|n| text(n, src).to_string());
        match def.kind() {
            "function_definition" if is_fixture(&decorators, src) => out.extend(name()),
            "class_definition" => {
                if let Some(body) = def.child_by_field_name("body") {
                    collect_fixtures(body, src, out);
                }
            }
            _ => {}
        }
    }
}

fn collect_tests(root: Node<'_>, src: &[u8], out: &mut Vec<TestFunction>) {
    let mut c = root.walk();
    for top in root.named_children(&mut c) {
        let (def, decorators) = unwrap_decorated(top);
        let name = def.child_by_field_name("name").map(|n| text(n, src).to_string()).unwrap_or_default();
        match def.kind() {
            "function_definition" if is_test_name(&name) && !is_fixture(&decorators, src) => {
                let (cases, cases_unknown) = cases_of(&decorators, src);
                let fixtures_wanted = fixtures_wanted(def, &decorators, &[], src);
                let body = body_hash(top, src);
                out.push(TestFunction {
                    name,
                    class: None,
                    line: line(def),
                    cases,
                    cases_unknown,
                    fixtures_wanted,
                    body,
                });
            }
            "class_definition" => {
                let bases = def.child_by_field_name("superclasses").map(|s| text(s, src)).unwrap_or("");
                let unittest = bases.contains("TestCase");
                if !(name.starts_with("Test") || unittest) {
                    continue;
                }
                let Some(body) = def.child_by_field_name("body") else { continue };
                let mut bc = body.walk();
                let members: Vec<Node<'_>> = body.named_children(&mut bc).collect();
                let has_init = members.iter().any(|m| {
                    let (d, _) = unwrap_decorated(*m);
                    d.kind() == "function_definition"
                        && d.child_by_field_name("name").is_some_and(|n| text(n, src) == "__init__")
                });
                if has_init && !unittest {
                    continue; // pytest skips a test class with a constructor
                }
                let (class_cases, class_unknown) = cases_of(&decorators, src);
                for m in members {
                    let (d, decs) = unwrap_decorated(m);
                    let mname = d.child_by_field_name("name").map(|n| text(n, src).to_string()).unwrap_or_default();
                    if d.kind() == "function_definition" && is_test_name(&mname) && !is_fixture(&decs, src) {
                        let (cases, unknown) = cases_of(&decs, src);
                        out.push(TestFunction {
                            name: mname,
                            class: Some(name.clone()),
                            line: line(d),
                            cases: cases.saturating_mul(class_cases),
                            cases_unknown: unknown || class_unknown,
                            fixtures_wanted: fixtures_wanted(d, &decs, &decorators, src),
                            body: body_hash(m, src),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> PythonFacts {
        read(&mut parser().expect("grammar"), src.as_bytes()).expect("parsed")
    }

    #[test]
    fn imports_calls_decorators_and_routes() {
        let f = facts(
            "import wandb as w, os\nfrom fastapi import FastAPI\nfrom .local import thing\n\napp = FastAPI()\n\n@app.get(\"/drift\", response_class=Page)\ndef drift():\n    return w.init(project='x')\n\nB = f\"gs://bucket/{x}\"\n",
        );
        let names: Vec<&str> = f.imports.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["wandb", "os", "fastapi", "fastapi.FastAPI", "local", "local.thing"]);
        assert!(f.calls.iter().any(|c| c.name == "FastAPI" && c.line == 5));
        assert!(f.calls.iter().any(|c| c.name == "w.init" && c.line == 9));
        assert_eq!(
            f.decorators,
            vec![Decorator {
                callee: "app.get".into(),
                first_string: Some("/drift".into()),
                line: 7,
                keywords: vec![("response_class".into(), "Page".into())],
                body_calls: vec!["w.init".into()],
            }]
        );
        assert_eq!(f.bucket_strings.len(), 1);
        assert_eq!(f.bucket_strings[0].line, 11);
    }

    #[test]
    fn tests_as_pytest_collects_them_with_cases_expanded() {
        let f = facts(
            r#"import pytest

@pytest.mark.parametrize("a,b", [(1, 2), (3, 4), (5, 6)])
@pytest.mark.parametrize("c", [1, 2])
def test_product(a, b, c):
    pass

def helper_test():
    pass

@pytest.fixture
def test_data():
    return 1

class TestModel:
    def test_shape(self):
        def test_inner():
            pass

    @pytest.mark.parametrize("x", VALUES)
    def test_values(self, x):
        pass

class TestNotCollected:
    def __init__(self):
        pass
    def test_never(self):
        pass

class Checks(unittest.TestCase):
    def test_case(self):
        pass

# def test_old():
#     assert False
"#,
        );
        let got: Vec<(&str, usize, bool)> =
            f.tests.iter().map(|t| (t.name.as_str(), t.cases, t.cases_unknown)).collect();
        assert_eq!(
            got,
            [("test_product", 6, false), ("test_shape", 1, false), ("test_values", 1, true), ("test_case", 1, false)]
        );
        assert_eq!(f.commented_tests, 1);
        assert_eq!(f.tests[0].line, 5);
        assert!(f.tests[0].fixtures_wanted.is_empty(), "a, b and c come from parametrize");
        assert_eq!(f.fixtures, ["test_data"]);
    }

    #[test]
    fn fixtures_a_test_wants_and_identical_bodies() {
        let f = facts(
            "def test_a(tmp_path, url: str, retries=3):\n    pass\n\ndef test_b():\n    pass\n\ndef test_c():\n    pass\n",
        );
        assert_eq!(f.tests[0].fixtures_wanted, ["tmp_path", "url"]);
        let patched = facts("from unittest.mock import patch\n\n\n@patch(\"m.x\")\ndef test_p(mock_x):\n    pass\n");
        assert!(patched.tests[0].fixtures_wanted.is_empty(), "mock.patch passes the argument");
        let g = facts("import os\n\n\ndef test_b():\n    pass\n");
        assert_eq!(f.tests[1].body, g.tests[0].body, "the same test in another file");
        assert_ne!(f.tests[1].body, f.tests[2].body, "the name is part of a test");
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_lines_keep_their_numbers() {
        let mut p = parser().expect("grammar");
        let f = read(&mut p, b"\xef\xbb\xbfimport wandb\n\n\ndef test_x():\n    pass\n").expect("facts");
        assert_eq!((f.imports[0].name.as_str(), f.imports[0].line), ("wandb", 1));
        assert_eq!(f.tests[0].line, 4);
        assert!(!f.syntax_errors);
    }

    #[test]
    fn broken_and_binary_input_never_panics() {
        for src in ["def test_x(:\n  pass\ndef test_y():\n  pass\n", "\u{0}\u{1}\u{ff}", "((((((((((", ""] {
            let f = facts(src);
            if src.contains("test_y") {
                assert!(f.syntax_errors);
                assert!(f.tests.iter().any(|t| t.name == "test_y"));
            }
        }
    }
}
