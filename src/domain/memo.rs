//! Remembering pure functions of a text per thread. Reports repeat the template's prompts and checklist items word
//! for word, so identifying each anew (normalising it, running a phrase automaton) was a sixth of parsing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

/// Texts a thread remembers before it starts afresh, so that odd input cannot grow the memory without bound.
const LIMIT: usize = 4096;

/// A per-thread table of results by text; declare with `thread_local!` and pass to [`remembered`].
pub type Table<V> = RefCell<HashMap<Box<str>, V>>;

/// `compute(text)`, from `table` when this thread has computed it for the same text before. `compute` must be a
/// pure function of the text.
pub fn remembered<V: Clone + 'static>(
    table: &'static LocalKey<Table<V>>,
    text: &str,
    compute: impl FnOnce(&str) -> V,
) -> V {
    if let Some(v) = table.with(|t| t.borrow().get(text).cloned()) {
        return v;
    }
    let v = compute(text);
    table.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() >= LIMIT {
            t.clear();
        }
        t.insert(text.into(), v.clone());
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static LENGTHS: Table<usize> = RefCell::new(HashMap::new());
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }

    fn length(text: &str) -> usize {
        remembered(&LENGTHS, text, |t| {
            CALLS.with(|c| c.set(c.get() + 1));
            t.len()
        })
    }

    #[test]
    fn computes_once_per_text_and_stays_bounded() {
        assert_eq!(length("abc"), 3);
        assert_eq!(length("abc"), 3);
        assert_eq!(length("abcd"), 4);
        assert_eq!(CALLS.with(Cell::get), 2);
        for i in 0..LIMIT * 2 {
            assert_eq!(length(&"x".repeat(i % 5000)), i % 5000);
        }
        assert!(LENGTHS.with(|t| t.borrow().len()) <= LIMIT);
    }
}
