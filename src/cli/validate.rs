use super::Exit;
use super::args::ValidateArgs;
use super::setup::{prepare, print_diagnostics};

pub(super) fn validate(args: ValidateArgs) -> Exit {
    match prepare(&args.selection) {
        Ok(p) => {
            let steps: usize = p.scenarios.iter().map(|s| s.steps.len()).sum();
            println!(
                "ok: {} scenarios, {steps} steps, environment {}",
                p.scenarios.len(),
                p.environment.name
            );
            Exit::Passed
        }
        Err(d) => {
            print_diagnostics(&d);
            Exit::InvalidInput
        }
    }
}
