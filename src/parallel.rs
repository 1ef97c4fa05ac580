//! Work spread over the machine's cores, results in the order of the input: the one work queue every parallel
//! step uses (reading reports, checking them, comparing answers, scraping repositories).

use std::sync::atomic::{AtomicUsize, Ordering};

/// The threads to use when the caller does not say: the machine's cores, at most 8.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
}

/// Applies `f` to every item on up to [`default_threads`] threads and returns the results in the items' order.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_in_order_on(default_threads(), items, f)
}

/// Applies `f` to every item on up to `threads` threads and returns the results in the items' order. Each thread
/// takes the next item nobody has taken, so a slow item holds up one thread for one item, not a fixed share of
/// them. A panic in `f` is raised again here rather than losing the results of its thread; callers that must
/// survive one (a bug met on one file) catch it inside `f`.
pub fn map_in_order_on<T: Sync, R: Send>(threads: usize, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish out of order.
        let out = map_in_order(&items, |&i| {
            if i % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(map_in_order(&[] as &[u8], |&b| b).is_empty());
    }
}
