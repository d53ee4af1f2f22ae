//! The bouygues profile's known departures: RFC rules that the provider's documentation
//! itself contradicts (checklist §2). A server that does as documented is graded down there,
//! and the check says which documentation it follows.

use super::Severity;
use super::departure::Departure;

const BYTEL_DOC: &str = "https://developer.bouyguestelecom.fr/docs/authentication";

pub(super) const DEPARTURES: &[Departure] = &[Departure {
    profile: "bouygues",
    rule: "H-04",
    severity: Severity::Should,
    behaviour: "the consumer documentation names the token endpoint URL as the assertion's aud (checklist F3), which RFC 7523 allowed and RFC 10070 forbids",
    url: BYTEL_DOC,
}];
