//! Inputs that once crashed (or nearly crashed) a loader under the fuzzer (`fuzz/run.sh`), kept
//! in `fuzz/regressions/<target>/` and replayed here through the same entry points.

#[test]
fn every_kept_fuzz_input_loads_without_a_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in ["scenario", "environment", "fixtures"] {
        for entry in std::fs::read_dir(root.join(target))
            .expect("regressions folder")
            .flatten()
        {
            let bytes = std::fs::read(entry.path()).expect("read");
            if let Ok(text) = std::str::from_utf8(&bytes) {
                grantspec::fuzzing::replay(target, text);
                replayed += 1;
            }
        }
    }
    assert!(replayed > 0, "the regression inputs are there");
}
