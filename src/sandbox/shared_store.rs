//! A [`BoundedStore`] behind a mutex, for state shared by request handlers. Every method holds
//! the lock only for the map operation itself.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::store::BoundedStore;

pub(crate) struct SharedStore<V> {
    inner: Mutex<BoundedStore<V>>,
}

impl<V: Clone> SharedStore<V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(BoundedStore::new(capacity)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BoundedStore<V>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn insert(&self, key: String, value: V, ttl: Duration) {
        self.lock().insert(key, value, ttl);
    }

    /// Stores `value` unless a live value is already under `key`; `false` if one was.
    pub(crate) fn insert_new(&self, key: String, value: V, ttl: Duration) -> bool {
        let mut store = self.lock();
        if store.get(&key).is_some() {
            return false;
        }
        store.insert(key, value, ttl);
        true
    }

    /// A copy of the live value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        self.lock().get(key).cloned()
    }

    /// Applies `f` to the live value under `key`, under the lock.
    pub(crate) fn update<R>(&self, key: &str, f: impl FnOnce(&mut V) -> R) -> Option<R> {
        self.lock().get_mut(key).map(f)
    }

    pub(crate) fn remove(&self, key: &str) -> Option<V> {
        self.lock().remove(key)
    }

    pub(crate) fn for_each_mut(&self, f: impl FnMut(&mut V)) {
        self.lock().for_each_mut(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_new_only_once() {
        let ids = SharedStore::new(10);
        assert!(ids.insert_new("a".into(), (), Duration::from_secs(60)));
        assert!(!ids.insert_new("a".into(), (), Duration::from_secs(60)));
        assert!(ids.insert_new("b".into(), (), Duration::from_secs(60)));
    }
}
