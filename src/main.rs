fn main() -> std::process::ExitCode {
    grantspec::cli::main()
}
