//! `grantspec serve`: the sandbox standalone, with its throwaway credentials printed so that a
//! person (or a script) can walk the flows with curl.

use std::path::Path;

use super::Exit;
use super::args::ServeArgs;
use super::serve_config::load_serve_config;
use super::setup::print_diagnostics;
use crate::environment::parse_duration;
use crate::sandbox::{Defect, Sandbox, SandboxConfig, SandboxTls};
use crate::secret::Secret;

pub(super) fn serve(args: ServeArgs) -> Exit {
    if args.list_defects {
        for d in Defect::ALL {
            println!("{:<32} {:<36} {}", d.name(), d.clause(), d.description());
        }
        return Exit::Passed;
    }
    let config = match config(&args) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("grantspec: cannot start the async runtime: {e}");
            return Exit::Internal;
        }
    };
    runtime.block_on(async {
        let sandbox = match Sandbox::start(config, args.addr).await {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                eprintln!("grantspec: {e}");
                return Exit::InvalidInput;
            }
            Err(e) => {
                eprintln!("grantspec: cannot listen on {}: {e}", args.addr);
                return Exit::Incomplete;
            }
        };
        if let Err(e) = announce(&sandbox, &args.keys_dir) {
            eprintln!(
                "grantspec: cannot write the sandbox's keys under {}: {e}",
                args.keys_dir.display()
            );
            return Exit::Internal;
        }
        let _ = tokio::signal::ctrl_c().await;
        sandbox.shutdown().await;
        Exit::Passed
    })
}

fn config(args: &ServeArgs) -> Result<SandboxConfig, Exit> {
    let mut config = match &args.config {
        Some(path) => load_serve_config(path).map_err(|d| {
            print_diagnostics(&d);
            Exit::InvalidInput
        })?,
        None => SandboxConfig::default(),
    };
    if let Some(p) = &args.issuer_path {
        config.issuer_path = p.clone();
    }
    if let Some(f) = &args.flavour {
        config.flavour = f.parse().map_err(|e| {
            eprintln!("grantspec: --flavour: {e}");
            Exit::InvalidInput
        })?;
    }
    for name in &args.defects {
        match name.parse::<Defect>() {
            Ok(d) => config.defects.push(d),
            Err(e) => {
                eprintln!("grantspec: {e}");
                return Err(Exit::InvalidInput);
            }
        }
    }
    if let Some(l) = &args.latency {
        config.faults.latency = parse_duration(l).ok_or_else(|| {
            eprintln!("grantspec: invalid --latency `{l}` (examples: 200ms, 2s)");
            Exit::InvalidInput
        })?;
    }
    for (name, rate) in [
        ("--fail-rate", args.fail_rate),
        ("--drop-rate", args.drop_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            eprintln!("grantspec: {name} is a share between 0.0 and 1.0, not {rate}");
            return Err(Exit::InvalidInput);
        }
    }
    config.faults.fail_rate = args.fail_rate;
    config.faults.drop_rate = args.drop_rate;
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let read = |flag: &str, path: &Path| {
            std::fs::read_to_string(path).map_err(|e| {
                eprintln!("grantspec: cannot read {flag} {}: {e}", path.display());
                Exit::InvalidInput
            })
        };
        config.tls = Some(SandboxTls {
            cert_pem: read("--tls-cert", cert)?,
            key_pem: Secret::new(read("--tls-key", key)?),
            client_ca_pem: args
                .client_ca
                .as_deref()
                .map(|ca| read("--client-ca", ca))
                .transpose()?,
        });
    }
    config.plain_http = args.plain_http;
    Ok(config)
}

/// Prints the issuer and every throwaway credential of this start: they are random each time
/// and belong to this local test server only. Private keys go to files, not to the console.
fn announce(sandbox: &Sandbox, keys_dir: &Path) -> std::io::Result<()> {
    println!("sandbox authorization server (throwaway credentials, new at every start)");
    println!("  issuer:    {}", sandbox.issuer());
    println!(
        "  discovery: {}/.well-known/openid-configuration",
        sandbox.issuer()
    );
    println!(
        "  initial access token (registration): {}",
        sandbox.initial_access_token().expose()
    );
    println!("  clients:");
    for c in sandbox.clients() {
        let secret = c
            .client_secret
            .as_ref()
            .map(|s| s.expose().to_string())
            .unwrap_or_else(|| "-".into());
        let mut line = format!(
            "    {:<12} client_id={} auth={} client_secret={secret}",
            c.name, c.client_id, c.auth_method
        );
        if let Some(pem) = &c.private_key_pem {
            let path = keys_dir.join(format!("{}.pem", c.name));
            write_private(&path, pem.expose())?;
            line.push_str(&format!(" private_key={}", path.display()));
        }
        if let Some(subject) = &c.tls_subject {
            let (member, value) = subject.member();
            line.push_str(&format!(" {member}={value:?}"));
        }
        println!("{line}");
    }
    if sandbox.issuer().starts_with("https:") {
        println!(
            "  mutual TLS: client certificates are read at {}/mtls/{{token,userinfo,introspect,revoke}}",
            sandbox.issuer()
        );
    }
    if let Some(origin) = sandbox.plain_http_origin() {
        println!("  plain http: {origin} (redirected to https)");
    }
    println!("  users:");
    for u in sandbox.users() {
        println!(
            "    {:<12} password={} ({})",
            u.username,
            u.password.expose(),
            u.name
        );
    }
    println!("press Ctrl-C to stop");
    Ok(())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options.open(path)?.write_all(contents.as_bytes())
}
