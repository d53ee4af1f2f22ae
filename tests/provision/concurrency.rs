//! Two grantspec processes on one environment, and an apply killed midway.

use super::*;

#[test]
fn a_held_lock_makes_apply_fail_clearly_or_wait() {
    let live = Live::start();
    let t = workspace(&live);
    let workdir = grantspec::provision::Workdir::new(t.path().join(".grantspec"), "live");
    let held =
        grantspec::provision::StateLock::acquire(&workdir, "apply", Duration::ZERO).expect("lock");
    let refused = run(&t, &["apply", "--auto-approve"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stderr.contains("is locked by grantspec apply (pid"),
        "{refused}"
    );
    assert!(refused.stderr.contains("--lock-timeout"), "{refused}");
    assert!(!t.path().join(".grantspec/state/live.json").exists());

    let child = {
        let mut c = t.spawn(&[
            "apply",
            "--auto-approve",
            "--env",
            "live",
            "--lock-timeout",
            "20s",
        ]);
        std::thread::sleep(Duration::from_millis(600));
        assert!(
            c.try_wait().expect("wait").is_none(),
            "it waits for the lock"
        );
        drop(held);
        c.wait_with_output().expect("apply")
    };
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stderr)
    );
    assert_eq!(run(&t, &["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn two_concurrent_applies_leave_a_valid_state() {
    let live = Live::start_with(Some(Duration::from_millis(150)));
    let t = workspace(&live);
    let a = t.spawn(&["apply", "--auto-approve", "--env", "live"]);
    let b = t.spawn(&["apply", "--auto-approve", "--env", "live"]);
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.contains(&Some(0)), "{codes:?}");
    for out in [&a, &b] {
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("is locked by grantspec apply (pid"), "{err}");
        }
    }
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    let s = state(&plan);
    assert_eq!(state_clients(&s).len(), 2);
}

#[test]
fn an_apply_killed_midway_leaves_a_state_the_next_apply_converges_from() {
    let live = Live::start_with(Some(Duration::from_millis(700)));
    let t = workspace(&live);
    let mut child = t.spawn(&["apply", "--auto-approve", "--env", "live"]);
    let state_path = t.path().join(".grantspec/state/live.json");
    // Wait for the key (written before the first registration), then kill during a POST.
    let started = std::time::Instant::now();
    while !state_path.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let partial: Value =
        serde_json::from_str(&std::fs::read_to_string(&state_path).expect("state")).expect("valid");
    assert!(
        partial["resources"].as_array().is_some_and(|r| r.len() < 3),
        "{partial}"
    );

    let apply = run(&t, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    for (address, _, uri, token, _) in state_clients(&state(&plan)) {
        assert_eq!(live.read_status(&uri, &token), 200, "{address}");
    }
}
