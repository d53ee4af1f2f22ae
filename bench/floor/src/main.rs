//! The raw-HTTP floor: for each of N scenarios, with at most J in flight, exactly the requests
//! of the synthetic suite (discovery, client_credentials with Basic, introspection of the
//! token) over one pooled client, with the same status and JSON checks and one capture, and
//! nothing else: no templates, no reports, no redaction. What grantspec adds is measured
//! against this.
//!
//! Usage: floor ISSUER CLIENT_ID CLIENT_SECRET N JOBS

use std::process::ExitCode;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;

struct Target {
    client: reqwest::Client,
    discovery: String,
    token: String,
    introspection: String,
    client_id: String,
    client_secret: String,
}

async fn scenario(t: &Target) -> Result<(), String> {
    let meta: Value = json_of(t.client.get(&t.discovery), 200).await?;
    if meta.get("token_endpoint").and_then(Value::as_str).is_none() {
        return Err("no token_endpoint".into());
    }
    let token: Value = json_of(
        t.client
            .post(&t.token)
            .basic_auth(&t.client_id, Some(&t.client_secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "PersonneConsult"),
            ]),
        200,
    )
    .await?;
    let access_token = token
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|s| s.starts_with("at-"))
        .ok_or("no access_token")?
        .to_string();
    if token.get("token_type").and_then(Value::as_str) != Some("Bearer") {
        return Err("token_type is not Bearer".into());
    }
    let intro: Value = json_of(
        t.client
            .post(&t.introspection)
            .basic_auth(&t.client_id, Some(&t.client_secret))
            .form(&[("token", access_token.as_str())]),
        200,
    )
    .await?;
    if intro.get("active") != Some(&Value::Bool(true)) {
        return Err("token is not active".into());
    }
    Ok(())
}

async fn json_of(req: reqwest::RequestBuilder, status: u16) -> Result<Value, String> {
    let res = req.send().await.map_err(|e| e.to_string())?;
    if res.status().as_u16() != status {
        return Err(format!("status {}", res.status()));
    }
    let no_store = res
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    if status_is_token(&res) && !no_store {
        return Err("no Cache-Control: no-store".into());
    }
    let body = res.bytes().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

/// Token responses must say `Cache-Control: no-store`, as the suite asserts.
fn status_is_token(res: &reqwest::Response) -> bool {
    res.url().path().ends_with("/token")
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [issuer, id, secret, n, jobs] = args.as_slice() else {
        eprintln!("usage: floor ISSUER CLIENT_ID CLIENT_SECRET N JOBS");
        return ExitCode::from(2);
    };
    let (Ok(n), Ok(jobs)) = (n.parse::<usize>(), jobs.parse::<usize>()) else {
        eprintln!("N and JOBS are numbers");
        return ExitCode::from(2);
    };
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(jobs)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let discovery = format!("{issuer}/.well-known/openid-configuration");
    let meta: Value = match json_of(client.get(&discovery), 200).await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("discovery: {e}");
            return ExitCode::from(1);
        }
    };
    let endpoint = |name: &str| {
        meta.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let target = Arc::new(Target {
        token: endpoint("token_endpoint"),
        introspection: endpoint("introspection_endpoint"),
        client,
        discovery,
        client_id: id.clone(),
        client_secret: secret.clone(),
    });
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (t, p) = (target.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = p.acquire_owned().await;
            scenario(&t).await
        });
    }
    let mut failed = 0usize;
    while let Some(r) = tasks.join_next().await {
        if let Ok(Err(e)) | Err(e) = r.map_err(|e| e.to_string()) {
            failed += 1;
            if failed <= 3 {
                eprintln!("{e}");
            }
        }
    }
    println!("{} scenarios, {failed} failed", n);
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
