//! RSA-2048 key pairs generated ahead of need, each on a thread of its own.
//!
//! Generating one takes tens of milliseconds (a prime search), and a sandbox needs one for
//! itself and one per client whose key it makes up. Done one after the other on the start path,
//! they were most of the embedded sandbox's start-up. [`prefetch`] starts them side by side as
//! soon as a caller knows they will be needed (`grantspec test` does, once it has read an
//! embedded environment, before it reads the scenarios); [`take`] hands out a finished one,
//! waits for one under way, or generates one there and then. Every key is fresh and used once.

use std::sync::Mutex;
use std::thread::{self, JoinHandle};

use aws_lc_rs::rsa::{KeyPair, KeySize};

type Pending = JoinHandle<Option<KeyPair>>;

/// Keys generated or under way, in the order they were asked for.
struct KeyPool {
    pending: Mutex<Vec<Pending>>,
}

static POOL: KeyPool = KeyPool::new();

/// Makes sure `count` keys are generated or under way.
pub(crate) fn prefetch(count: usize) {
    POOL.prefetch(count);
}

/// A fresh key pair: a prefetched one if there is any, else one generated now.
pub(crate) fn take() -> Option<KeyPair> {
    POOL.take()
}

impl KeyPool {
    const fn new() -> Self {
        Self {
            pending: Mutex::new(Vec::new()),
        }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn prefetch(&self, count: usize) {
        let mut pending = self.pending();
        while pending.len() < count {
            let spawned = thread::Builder::new()
                .name("grantspec-keygen".into())
                .spawn(generate);
            match spawned {
                Ok(handle) => pending.push(handle),
                // No thread to spare: `take` generates in the caller's.
                Err(_) => break,
            }
        }
    }

    fn take(&self) -> Option<KeyPair> {
        let pending = self.pending().pop();
        match pending.map(JoinHandle::join) {
            Some(Ok(Some(key))) => Some(key),
            _ => generate(),
        }
    }
}

fn generate() -> Option<KeyPair> {
    KeyPair::generate(KeySize::Rsa2048).ok()
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::signature::KeyPair as _;

    use super::*;

    #[test]
    fn prefetched_keys_are_taken_first_and_distinct_and_2048_bits() {
        let pool = KeyPool::new();
        pool.prefetch(2);
        pool.prefetch(2);
        assert_eq!(
            pool.pending().len(),
            2,
            "asked twice for two: two under way"
        );
        let a = pool.take().expect("a key");
        assert_eq!(pool.pending().len(), 1, "a prefetched key was taken");
        let b = pool.take().expect("another");
        assert_eq!(pool.pending().len(), 0);
        let c = pool.take().expect("one generated there and then");
        assert_eq!(a.public_modulus_len(), 256);
        assert_ne!(a.public_key().as_ref(), b.public_key().as_ref());
        assert_ne!(b.public_key().as_ref(), c.public_key().as_ref());
    }
}
