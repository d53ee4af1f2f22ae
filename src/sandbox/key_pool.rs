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

static PENDING: Mutex<Vec<Pending>> = Mutex::new(Vec::new());

/// Makes sure `count` keys are generated or under way.
pub(crate) fn prefetch(count: usize) {
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
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

/// A fresh key pair: a prefetched one if there is any, else one generated now.
pub(crate) fn take() -> Option<KeyPair> {
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner()).pop();
    match pending.map(JoinHandle::join) {
        Some(Ok(Some(key))) => Some(key),
        _ => generate(),
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
    fn prefetched_keys_are_distinct_and_2048_bits() {
        prefetch(2);
        let (a, b) = (take().expect("a key"), take().expect("another"));
        assert_eq!(a.public_modulus_len(), 256);
        assert_ne!(a.public_key().as_ref(), b.public_key().as_ref());
    }
}
