use super::Exit;
use super::args::ServeArgs;
use crate::sandbox::{Sandbox, SandboxConfig};

pub(super) fn serve(args: ServeArgs) -> Exit {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("grantspec: cannot start the async runtime: {e}");
            return Exit::Internal;
        }
    };
    runtime.block_on(async {
        let config = SandboxConfig {
            issuer_path: args.issuer_path.clone(),
            ..SandboxConfig::default()
        };
        let sandbox = match Sandbox::start(config, args.addr).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("grantspec: cannot listen on {}: {e}", args.addr);
                return Exit::Incomplete;
            }
        };
        println!("sandbox authorization server");
        println!("  issuer:    {}", sandbox.issuer());
        println!(
            "  discovery: {}/.well-known/openid-configuration",
            sandbox.issuer()
        );
        println!("  clients (throwaway credentials, new at every start):");
        for c in sandbox.clients() {
            let secret = c
                .client_secret
                .as_ref()
                .map(|s| s.expose().to_string())
                .unwrap_or_else(|| "-".into());
            println!(
                "    {:<10} client_id={} client_secret={secret}",
                c.name, c.client_id
            );
        }
        println!("press Ctrl-C to stop");
        let _ = tokio::signal::ctrl_c().await;
        Exit::Passed
    })
}
