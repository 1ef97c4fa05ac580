//! YAML read with a bound on what aliases expand to. A few hundred bytes of nested anchors and aliases (the
//! "billion laughs") expand to billions of nodes when every alias is copied, as a tree-building loader does; one
//! group's workflow or `.pre-commit-config.yaml` would take all the machine's memory and end the whole run. The
//! text is first walked as parser events, adding up the size each node would have once built (an alias costs
//! what its anchor does, without building anything); only a document within [`MAX_EXPANDED`] is then built.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{Yaml, YamlLoader};

/// The most a text may expand to, in bytes of scalars plus a fixed cost per node: far above any real
/// workflow (a real workflow is a few kilobytes), far below what would exhaust memory.
pub const MAX_EXPANDED: u64 = 16 << 20;

/// What one node costs beyond its scalar bytes (a `Yaml` value is a few dozen bytes).
const NODE_COST: u64 = 48;

/// Adds up the expanded size of a stream of parser events.
#[derive(Default)]
struct Expansion {
    /// Open sequences and mappings: their size so far and their anchor.
    open: Vec<(u64, usize)>,
    anchors: HashMap<usize, u64>,
    total: u64,
}

impl Expansion {
    fn close(&mut self, size: u64, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, size);
        }
        match self.open.last_mut() {
            Some((parent, _)) => *parent = parent.saturating_add(size),
            None => self.total = self.total.saturating_add(size),
        }
    }
}

impl MarkedEventReceiver for Expansion {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        match ev {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => self.open.push((NODE_COST, anchor)),
            Event::SequenceEnd | Event::MappingEnd => {
                let (size, anchor) = self.open.pop().unwrap_or((NODE_COST, 0));
                self.close(size, anchor);
            }
            Event::Scalar(value, _, anchor, _) => self.close(NODE_COST + value.len() as u64, anchor),
            Event::Alias(anchor) => self.close(self.anchors.get(&anchor).copied().unwrap_or(NODE_COST), 0),
            _ => {}
        }
    }
}

/// The size the documents of `text` would take once built (see [`MAX_EXPANDED`]), `None` when it is not YAML.
pub fn expanded_size(text: &str) -> Option<u64> {
    let mut expansion = Expansion::default();
    Parser::new_from_str(text).load(&mut expansion, true).ok()?;
    Some(expansion.total)
}

/// The documents of a YAML text; `None` when it is not YAML or would expand past [`MAX_EXPANDED`].
pub fn load(text: &str) -> Option<Vec<Yaml>> {
    if expanded_size(text)? > MAX_EXPANDED {
        return None;
    }
    YamlLoader::load_from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten anchors, each a list of ten aliases of the one before: 10^10 scalars once expanded, in 600 bytes.
    fn alias_bomb(levels: usize) -> String {
        let mut text = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..levels {
            let aliases = vec![format!("*a{}", i - 1); 10].join(",");
            text.push_str(&format!("a{i}: &a{i} [{aliases}]\n"));
        }
        text.push_str(&format!("on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        os: *a{}\n", levels - 1));
        text
    }

    #[test]
    fn an_alias_bomb_is_refused_without_building_it() {
        let bomb = alias_bomb(10);
        assert!(bomb.len() < 700);
        assert!(expanded_size(&bomb).is_some_and(|n| n > MAX_EXPANDED));
        // Loading it whole would take tens of gigabytes; refused, it takes nothing.
        assert!(load(&bomb).is_none());
    }

    #[test]
    fn anchors_within_the_bound_are_resolved() {
        let small = alias_bomb(3);
        let docs = load(&small).expect("a small anchored document loads");
        let os = &docs[0]["jobs"]["t"]["strategy"]["matrix"]["os"];
        assert_eq!(os.as_vec().map(Vec::len), Some(10));
        assert_eq!(os[0].as_vec().map(Vec::len), Some(10));
    }

    #[test]
    fn what_is_not_yaml_is_none() {
        assert!(load("a: [unclosed").is_none());
        assert_eq!(load("a: 1").map(|d| d.len()), Some(1));
    }
}
