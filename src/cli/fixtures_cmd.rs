//! `grantspec plan`, `apply` and `destroy`: Terraform's workflow over the fixtures.

use std::path::Path;

use super::Exit;
use super::fixtures_args::{ApplyArgs, DestroyArgs, PlanArgs};
use super::fixtures_setup::{CHANGES, Loaded, confirm, failed, load, runtime};
use crate::provision::{
    Action, PLAN_FORMAT_VERSION, Plan, PlanMode, ProvisionError, StateStore, render_plan,
};

pub(super) fn plan(args: PlanArgs) -> u8 {
    let detailed = args.detailed_exitcode;
    let error = |code: u8| if detailed { 1 } else { code };
    let loaded = match load(&args.workspace, detailed) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return error(code),
    };
    let mode = if args.destroy {
        PlanMode::Destroy
    } else if args.refresh_only {
        PlanMode::RefreshOnly
    } else {
        PlanMode::Normal
    };
    let result = rt.block_on(async {
        let _lock = loaded.lock("plan")?;
        let (mut state, exists) = read_state(&loaded)?;
        let provisioner = loaded.provisioner().await?;
        provisioner
            .plan(&mut state, exists, mode, &args.replace)
            .await
            .map_err(|e| failed(&e))
    });
    let plan = match result {
        Ok(p) => p,
        Err(code) => return error(code),
    };
    print!("{}", render_plan(&plan));
    if let Some(out) = &args.out {
        if let Err(e) = save_plan(&plan, out) {
            return error(failed(&e));
        }
        println!(
            "\nSaved the plan to {}. To perform exactly these actions, run:\n  grantspec apply --env {} {}",
            out.display(),
            args.workspace.env,
            out.display()
        );
    }
    if detailed && plan.has_changes() {
        CHANGES
    } else {
        Exit::Passed as u8
    }
}

pub(super) fn apply(args: ApplyArgs) -> u8 {
    let loaded = match load(&args.workspace, false) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let saved = match &args.plan {
        Some(path) => match read_plan(path) {
            Ok(p) => Some(p),
            Err(e) => return failed(&e),
        },
        None => None,
    };
    let mode = match &saved {
        Some(p) => p.mode,
        None if args.refresh_only => PlanMode::RefreshOnly,
        None => PlanMode::Normal,
    };
    run(
        &loaded,
        mode,
        saved,
        args.auto_approve,
        &args.replace,
        "apply",
    )
}

pub(super) fn destroy(args: DestroyArgs) -> u8 {
    let loaded = match load(&args.workspace, false) {
        Ok(l) => l,
        Err(code) => return code,
    };
    run(
        &loaded,
        PlanMode::Destroy,
        None,
        args.auto_approve,
        &[],
        "destroy",
    )
}

/// Plans (or takes the saved plan), confirms, records the drift, applies.
fn run(
    loaded: &Loaded,
    mode: PlanMode,
    saved: Option<Plan>,
    auto_approve: bool,
    replace: &[String],
    operation: &str,
) -> u8 {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    rt.block_on(async {
        let _lock = match loaded.lock(operation) {
            Ok(l) => l,
            Err(code) => return code,
        };
        let (mut state, exists) = match read_state(loaded) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let provisioner = match loaded.provisioner().await {
            Ok(p) => p,
            Err(code) => return code,
        };
        let store = StateStore::File(&loaded.workdir);
        let plan = match saved {
            Some(plan) => {
                if let Err(e) = check_saved(&plan, &loaded.env.name, &state, exists) {
                    return failed(&e);
                }
                if plan.mode == PlanMode::RefreshOnly {
                    // Recording drift means refreshing now.
                    if let Err(e) = provisioner.plan(&mut state, exists, plan.mode, &[]).await {
                        return failed(&e);
                    }
                    if let Err(e) = store.save(&mut state) {
                        return failed(&e);
                    }
                    println!("Apply complete! The state records the provider as it is now.");
                    return Exit::Passed as u8;
                }
                plan
            }
            None => {
                let plan = match provisioner.plan(&mut state, exists, mode, replace).await {
                    Ok(p) => p,
                    Err(e) => return failed(&e),
                };
                print!("{}", render_plan(&plan));
                if plan.has_changes() && !auto_approve {
                    let question = match mode {
                        PlanMode::Destroy => "\nDo you really want to destroy all the fixtures?",
                        _ => "\nDo you want to perform these actions?",
                    };
                    if !confirm(question) {
                        return Exit::Failed as u8;
                    }
                }
                if !plan.drift.is_empty()
                    && let Err(e) = store.save(&mut state)
                {
                    return failed(&e);
                }
                if mode == PlanMode::RefreshOnly {
                    println!("\nApply complete! The state records the provider as it is now.");
                    return Exit::Passed as u8;
                }
                plan
            }
        };
        if !plan.changes.is_empty() {
            println!();
        }
        let mut progress = |line: String| println!("{line}");
        let result = provisioner
            .apply(&plan, &mut state, &store, &mut progress)
            .await;
        if let Err(e) = result {
            eprintln!(
                "grantspec: the state records every change completed before this error; run \
                 plan to see what remains."
            );
            return failed(&e);
        }
        let verb = if mode == PlanMode::Destroy {
            "Destroy"
        } else {
            "Apply"
        };
        println!(
            "\n{verb} complete! Resources: {} added, {} changed, {} replaced, {} destroyed.",
            plan.count(Action::Create),
            plan.count(Action::Update),
            plan.count(Action::Replace),
            plan.count(Action::Delete)
        );
        Exit::Passed as u8
    })
}

pub(super) fn read_state(loaded: &Loaded) -> Result<(crate::provision::State, bool), u8> {
    match loaded.workdir.read_state() {
        Ok(Some(s)) => Ok((s, true)),
        Ok(None) => Ok((crate::provision::State::new(&loaded.env.name), false)),
        Err(e) => Err(failed(&e)),
    }
}

/// A saved plan applies only to the state it was made from (Terraform's stale-plan check).
fn check_saved(
    plan: &Plan,
    environment: &str,
    state: &crate::provision::State,
    exists: bool,
) -> Result<(), ProvisionError> {
    if plan.environment != environment {
        return Err(ProvisionError::PlanEnvironment {
            planned: plan.environment.clone(),
            actual: environment.into(),
        });
    }
    let current_lineage = exists.then(|| state.lineage.clone());
    if plan.lineage != current_lineage || plan.serial != state.serial {
        return Err(ProvisionError::StalePlan {
            planned_serial: plan.serial,
            planned_lineage: plan.lineage.clone().unwrap_or_else(|| "(none)".into()),
            serial: state.serial,
            lineage: current_lineage.unwrap_or_else(|| "(none)".into()),
        });
    }
    Ok(())
}

fn save_plan(plan: &Plan, path: &Path) -> Result<(), ProvisionError> {
    let text = serde_json::to_string_pretty(plan).map_err(|e| ProvisionError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    crate::provision::write_private_file(path, text.as_bytes())
}

fn read_plan(path: &Path) -> Result<Plan, ProvisionError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProvisionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let plan: Plan = serde_json::from_str(&text).map_err(|e| {
        ProvisionError::Config(format!("{} is not a saved plan: {e}", path.display()))
    })?;
    if plan.format_version != PLAN_FORMAT_VERSION {
        return Err(ProvisionError::Config(format!(
            "{} has plan format {}, this grantspec reads {PLAN_FORMAT_VERSION}",
            path.display(),
            plan.format_version
        )));
    }
    Ok(plan)
}
