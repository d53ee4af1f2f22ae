//! The bundled scenarios as `cargo test` trials against the embedded sandbox, one trial per
//! scenario file, through the library's harness (`harness = false` in Cargo.toml).

fn main() -> std::process::ExitCode {
    grantspec::harness::main()
}
