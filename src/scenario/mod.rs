//! YAML text → raw, spanned scenario model. No network, no templating, no meaning beyond shape:
//! `resolve` gives the raw model its meaning and reports everything else that is wrong.

mod discover;
pub(crate) mod load;
mod ordered_map;
mod raw;
mod raw_protocol;

pub use discover::find_scenario_files;
pub use load::load_scenario;
pub(crate) use load::parse_yaml;
pub use ordered_map::OrderedMap;
pub use raw::{RawExpect, RawHttp, RawJwtExpect, RawScenario, RawStep, StringOrList};
pub use raw_protocol::{
    RawAssertion, RawAuthorize, RawDiscovery, RawEndSession, RawJwks, RawParams, RawPlainHttp,
    RawRegister, RawRules, RawToken, RawTokenOperation, RawUserinfo,
};
