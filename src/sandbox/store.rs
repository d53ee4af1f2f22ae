//! A bounded in-memory map with expiry: entries vanish when they expire, and the oldest are
//! evicted first when the store is full, so memory stays bounded under any load.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

struct Entry<V> {
    value: V,
    expires_at: Instant,
}

/// Values keyed by an unguessable string, each with its own expiry.
pub(crate) struct BoundedStore<V> {
    map: HashMap<String, Entry<V>>,
    order: VecDeque<(Instant, String)>,
    capacity: usize,
}

impl<V> BoundedStore<V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Stores `value` under `key` for `ttl`, purging expired entries and evicting the oldest
    /// when full.
    pub(crate) fn insert(&mut self, key: String, value: V, ttl: Duration) {
        let now = Instant::now();
        self.purge(now);
        let expires_at = now + ttl;
        self.order.push_back((expires_at, key.clone()));
        self.map.insert(key, Entry { value, expires_at });
    }

    /// The value under `key` if it has not expired.
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        let now = Instant::now();
        self.map
            .get(key)
            .filter(|e| e.expires_at > now)
            .map(|e| &e.value)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let now = Instant::now();
        self.map
            .get_mut(key)
            .filter(|e| e.expires_at > now)
            .map(|e| &mut e.value)
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        self.map.remove(key).map(|e| e.value)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Visits every live value mutably (used to revoke everything of one grant).
    pub(crate) fn for_each_mut(&mut self, mut f: impl FnMut(&mut V)) {
        let now = Instant::now();
        self.map
            .values_mut()
            .filter(|e| e.expires_at > now)
            .for_each(|e| f(&mut e.value));
    }

    fn purge(&mut self, now: Instant) {
        while let Some((expires_at, key)) = self.order.front() {
            let full = self.map.len() >= self.capacity || self.order.len() >= 2 * self.capacity;
            if *expires_at > now && !full {
                break;
            }
            if self
                .map
                .get(key)
                .is_some_and(|e| e.expires_at == *expires_at)
            {
                self.map.remove(key);
            }
            self.order.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_entries_are_not_returned() {
        let mut store = BoundedStore::new(10);
        store.insert("a".into(), 1, Duration::ZERO);
        store.insert("b".into(), 2, Duration::from_secs(60));
        assert_eq!(store.get("a"), None);
        assert_eq!(store.get("b"), Some(&2));
    }

    #[test]
    fn the_oldest_entry_is_evicted_when_full() {
        let mut store = BoundedStore::new(2);
        for (i, k) in ["a", "b", "c"].into_iter().enumerate() {
            store.insert(k.into(), i, Duration::from_secs(60));
        }
        assert_eq!(store.len(), 2);
        assert_eq!(store.get("a"), None);
        assert_eq!(store.get("c"), Some(&2));
    }

    #[test]
    fn expired_entries_are_purged_on_insert() {
        let mut store = BoundedStore::new(10);
        store.insert("a".into(), 1, Duration::ZERO);
        store.insert("b".into(), 2, Duration::from_secs(60));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn removed_keys_leave_no_stale_eviction() {
        let mut store = BoundedStore::new(2);
        store.insert("a".into(), 1, Duration::from_secs(60));
        assert_eq!(store.remove("a"), Some(1));
        store.insert("b".into(), 2, Duration::from_secs(60));
        store.insert("c".into(), 3, Duration::from_secs(60));
        assert_eq!(store.get("b"), Some(&2));
        assert_eq!(store.get("c"), Some(&3));
    }
}
