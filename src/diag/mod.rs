//! Source locations and caret-annotated diagnostics about user input.

mod diagnostic;
mod location;

pub use diagnostic::{Diagnostic, Diagnostics, SourceFile};
pub use location::Location;
