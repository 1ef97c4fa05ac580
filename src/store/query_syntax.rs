//! The search language of `cohort search` (and of every caller of [`crate::Index::search`]), parsed into a tree
//! that [`super::text_index`] turns into a tantivy query. It is small on purpose, so that staff can predict what a
//! query finds:
//!
//! - `word word`: every word is required (words match their variants: `deploy` finds "deployed");
//! - `"a phrase"`: these words in this order, exactly (no variants);
//! - `a OR b` (`or` in any case): either side; binds less tightly than the implicit AND, so `a b OR c` is
//!   `(a b) OR c`;
//! - `-word`, `-"a phrase"`, `-(a OR b)`: answers without it;
//! - `prefix*`: any word starting with the prefix (`locu*` finds "locust");
//! - `(` … `)`: grouping, at most [`MAX_DEPTH`] levels deep;
//! - `question:KEY`, `cohort:LABEL`, `group:N`: filters on the known fields;
//! - any other word with a colon (`http://localhost:8000/predict`, `localhost:8000`) is text: its words, in
//!   order, exactly, like a phrase.
//!
//! Errors say where (the character column, counted from 1) and what is wrong.

use std::fmt;

/// How many levels of parentheses a query may nest: far beyond any query a person types, far below the stack.
pub const MAX_DEPTH: usize = 32;

/// The fields a `name:value` word filters on; any other `name:` is searched as text.
pub const FILTER_FIELDS: [&str; 3] = ["question", "cohort", "group"];

/// A field a query can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Question,
    Cohort,
    Group,
}

impl FilterField {
    fn from_name(name: &str) -> Option<FilterField> {
        match name.to_ascii_lowercase().as_str() {
            "question" => Some(FilterField::Question),
            "cohort" => Some(FilterField::Cohort),
            "group" => Some(FilterField::Group),
            _ => None,
        }
    }
}

/// A parsed query. `column` is where the item starts in the query (characters, from 1), for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word without a colon: matched with its variants (stemmed).
    Word { text: String, column: usize },
    /// A quoted phrase, or a word with a colon that is not a filter: matched exactly, in order.
    Exact { text: String, column: usize },
    /// `prefix*`.
    Prefix { text: String, column: usize },
    /// `question:KEY`, `cohort:LABEL`, `group:N`.
    Filter { field: FilterField, value: String, column: usize },
    /// `-item`.
    Not(Box<Node>),
    /// Items side by side: all required.
    And(Vec<Node>),
    /// Items joined by `OR`: any.
    Or(Vec<Node>),
}

/// Why a query could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query error at column {column}: {message}")]
pub struct SyntaxError {
    /// Character column in the query, counted from 1.
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Or,
    /// `-` directly before an item.
    Minus,
    Quoted(String),
    Bare(String),
}

/// Splits a query into tokens with their columns.
fn tokens(query: &str) -> Result<Vec<(Token, usize)>, SyntaxError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Token::Open, column));
            i += 1;
        } else if c == ')' {
            out.push((Token::Close, column));
            i += 1;
        } else if c == '"' {
            let end = chars[i + 1..].iter().position(|&d| d == '"').ok_or_else(|| SyntaxError {
                column,
                message: "this quote is never closed (a phrase is written \"like this\")".into(),
            })?;
            out.push((Token::Quoted(chars[i + 1..i + 1 + end].iter().collect()), column));
            i += end + 2;
        } else if c == '-' && chars.get(i + 1).is_some_and(|d| !d.is_whitespace() && *d != ')') {
            out.push((Token::Minus, column));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let token = if word.eq_ignore_ascii_case("or") { Token::Or } else { Token::Bare(word) };
            out.push((token, column));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
    end_column: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end_column, |(_, c)| *c)
    }

    fn error<T>(&self, column: usize, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError { column, message: message.into() })
    }

    /// `and (OR and)*`
    fn or(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let mut sides = vec![self.and(depth)?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            sides.push(self.and(depth)?);
        }
        Ok(if sides.len() == 1 { sides.remove(0) } else { Node::Or(sides) })
    }

    /// `unary+`, up to `OR`, `)` or the end.
    fn and(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let mut items = Vec::new();
        while let Some(t) = self.peek() {
            if matches!(t, Token::Or | Token::Close) {
                break;
            }
            items.push(self.unary(depth)?);
        }
        if items.is_empty() {
            let column = self.column();
            return match self.peek() {
                Some(Token::Or) => self.error(column, "OR needs something to search for on both sides"),
                Some(Token::Close) if depth == 0 => self.error(column, "this \")\" has no \"(\" before it"),
                Some(Token::Close) => self.error(column, "empty parentheses: put something to search for inside"),
                _ if self.at > 0 && self.tokens.get(self.at - 1).is_some_and(|(t, _)| *t == Token::Or) => {
                    self.error(column, "OR needs something to search for on both sides")
                }
                _ => self.error(column, "nothing to search for"),
            };
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Node::And(items) })
    }

    fn unary(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let Some((token, column)) = self.tokens.get(self.at).cloned() else {
            return self.error(self.end_column, "nothing to search for");
        };
        self.at += 1;
        match token {
            Token::Minus => {
                if matches!(self.peek(), None | Some(Token::Or) | Some(Token::Close) | Some(Token::Minus)) {
                    return self.error(column, "\"-\" must stand right before a word, a phrase or a group to exclude");
                }
                Ok(Node::Not(Box::new(self.unary(depth)?)))
            }
            Token::Open => {
                if depth + 1 > MAX_DEPTH {
                    return self.error(column, format!("parentheses nested more than {MAX_DEPTH} levels deep"));
                }
                let inner = self.or(depth + 1)?;
                if self.peek() != Some(&Token::Close) {
                    return self.error(column, "this \"(\" is never closed");
                }
                self.at += 1;
                Ok(inner)
            }
            Token::Close => self.error(column, "this \")\" has no \"(\" before it"),
            Token::Or => self.error(column, "OR needs something to search for on both sides"),
            Token::Quoted(text) => Ok(Node::Exact { text, column }),
            Token::Bare(word) => Ok(bare_word(word, column)),
        }
    }
}

fn bare_word(word: String, column: usize) -> Node {
    if let Some((name, value)) = word.split_once(':') {
        if let Some(field) = FilterField::from_name(name).filter(|_| !value.is_empty()) {
            return Node::Filter { field, value: value.to_string(), column };
        }
        return Node::Exact { text: word, column };
    }
    match word.strip_suffix('*') {
        Some(prefix) if !prefix.is_empty() && !prefix.ends_with('*') => {
            Node::Prefix { text: prefix.to_string(), column }
        }
        _ => Node::Word { text: word, column },
    }
}

/// Parses a query (see the module documentation for the language).
pub fn parse(query: &str) -> Result<Node, SyntaxError> {
    let tokens = tokens(query)?;
    let end_column = query.chars().count() + 1;
    let mut p = Parser { tokens, at: 0, end_column };
    let node = p.or(0)?;
    if p.at < p.tokens.len() {
        // Only a `)` without its `(` stops the top level early.
        return p.error(p.column(), "this \")\" has no \"(\" before it");
    }
    Ok(node)
}

impl fmt::Display for FilterField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FilterField::Question => "question",
            FilterField::Cohort => "cohort",
            FilterField::Group => "group",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str, c: usize) -> Node {
        Node::Word { text: t.into(), column: c }
    }

    #[test]
    fn words_are_anded_and_or_binds_looser() {
        assert_eq!(parse("a b").unwrap(), Node::And(vec![word("a", 1), word("b", 3)]));
        assert_eq!(
            parse("a b or c").unwrap(),
            Node::Or(vec![Node::And(vec![word("a", 1), word("b", 3)]), word("c", 8)])
        );
    }

    #[test]
    fn colons_are_text_unless_a_known_field() {
        assert_eq!(parse("localhost:8000").unwrap(), Node::Exact { text: "localhost:8000".into(), column: 1 });
        assert_eq!(
            parse("http://localhost:8000/predict").unwrap(),
            Node::Exact { text: "http://localhost:8000/predict".into(), column: 1 }
        );
        assert_eq!(
            parse("Group:12").unwrap(),
            Node::Filter { field: FilterField::Group, value: "12".into(), column: 1 }
        );
    }

    #[test]
    fn negation_prefix_and_phrases() {
        assert_eq!(parse("-docker").unwrap(), Node::Not(Box::new(word("docker", 2))));
        assert_eq!(parse("locu*").unwrap(), Node::Prefix { text: "locu".into(), column: 1 });
        assert_eq!(parse("\"load test\"").unwrap(), Node::Exact { text: "load test".into(), column: 1 });
        assert_eq!(parse("e-mail").unwrap(), word("e-mail", 1));
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(parse("a \"b").unwrap_err().column, 3);
        assert_eq!(parse("(a").unwrap_err().column, 1);
        assert_eq!(parse("a)").unwrap_err().column, 2);
        assert_eq!(parse("a OR").unwrap_err().column, 5);
        assert_eq!(parse("()").unwrap_err().column, 2);
        let deep = "(".repeat(3000);
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.column, MAX_DEPTH + 1);
        assert!(e.message.contains("nested"));
        assert!(parse(&format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH))).is_ok());
    }
}
