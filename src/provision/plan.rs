//! A plan: the drift found by refreshing, and the changes that would make the provider match
//! the fixtures, each with its address, action and attribute values before and after. Saved
//! as JSON by `plan --out`; applied only against the state it was made from.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fixtures::{ClientSpec, KeySpec};

pub const PLAN_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanMode {
    /// Make the provider match the fixtures.
    Normal,
    /// Delete everything managed.
    Destroy,
    /// Only record what changed behind grantspec's back.
    RefreshOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Replace,
    Delete,
}

impl Action {
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::Delete => "-",
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            Action::Create => "will be created",
            Action::Update => "will be updated in-place",
            Action::Replace => "must be replaced",
            Action::Delete => "will be destroyed",
        }
    }
}

/// What the change is about, with the desired spec needed to apply it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    Key { spec: Option<KeySpec> },
    Client { spec: Option<ClientSpec> },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Change {
    pub address: String,
    pub action: Action,
    pub subject: Subject,
    /// Displayable attributes (no secret) before and after; `None` when absent.
    pub before: Option<Map<String, Value>>,
    pub after: Option<Map<String, Value>>,
    /// Why a replacement or an update was planned, in words.
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// The object no longer exists at the provider.
    Deleted,
    /// Its attributes differ from what the state recorded.
    Changed,
}

/// A difference between the state and the provider, found by refreshing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Drift {
    pub address: String,
    pub kind: DriftKind,
    pub before: Map<String, Value>,
    pub after: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    pub environment: String,
    /// The state the plan was made against: its lineage (none when no state existed yet) and
    /// serial.
    pub lineage: Option<String>,
    pub serial: u64,
    pub mode: PlanMode,
    pub drift: Vec<Drift>,
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn has_changes(&self) -> bool {
        match self.mode {
            PlanMode::RefreshOnly => !self.drift.is_empty(),
            _ => !self.changes.is_empty(),
        }
    }

    pub fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }
}
