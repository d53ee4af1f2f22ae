//! A value computed on a thread of its own and waited for where it is first needed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;

/// A value being computed in the background. [`get`](Self::get) blocks until it is there, or
/// until the computation panicked (`None`): a waiter is never left waiting for good.
pub(crate) struct Deferred<T>(Arc<OnceLock<Option<T>>>);

impl<T: Send + Sync + 'static> Deferred<T> {
    /// Starts computing `compute()` on a new thread (in the caller's, if none can be started).
    pub(crate) fn spawn(name: &str, compute: impl FnOnce() -> T + Send + 'static) -> Self {
        let cell = Arc::new(OnceLock::new());
        let job = Arc::new(Mutex::new(Some(compute)));
        let (in_thread, thread_job) = (Arc::clone(&cell), Arc::clone(&job));
        let spawned = thread::Builder::new().name(name.into()).spawn(move || {
            if let Some(compute) = take(&thread_job) {
                let _ = in_thread.set(catch_unwind(AssertUnwindSafe(compute)).ok());
            }
        });
        if spawned.is_err()
            && let Some(compute) = take(&job)
        {
            let _ = cell.set(catch_unwind(AssertUnwindSafe(compute)).ok());
        }
        Self(cell)
    }

    /// The value, once computed; `None` if computing it panicked.
    pub(crate) fn get(&self) -> Option<&T> {
        self.0.wait().as_ref()
    }
}

fn take<F>(job: &Mutex<Option<F>>) -> Option<F> {
    job.lock().unwrap_or_else(|e| e.into_inner()).take()
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn the_value_is_computed_on_another_thread_and_waited_for() {
        let (release, gate) = mpsc::channel::<()>();
        let here = thread::current().id();
        let deferred = Deferred::spawn("test", move || {
            gate.recv().expect("released");
            thread::current().id()
        });
        release.send(()).expect("send");
        assert_ne!(deferred.get().copied(), Some(here));
        assert!(deferred.get().is_some());
    }

    #[test]
    fn a_computation_that_panics_leaves_no_one_waiting() {
        let deferred: Deferred<u8> = Deferred::spawn("test", || panic!("deliberately"));
        assert_eq!(deferred.get(), None);
    }
}
