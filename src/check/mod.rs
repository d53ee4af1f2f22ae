//! Expectations: what a step's response must look like, and their evaluation. Pure: no I/O.
//! A failed expectation is data (a [`CheckResult`](crate::outcome::CheckResult)), never an `Err`.

mod expectation;
mod matcher;

pub use expectation::{Expectation, JsonSelector, ResponseView, Subject, evaluate};
pub use matcher::{JsonType, Matcher};
