//! The defects a running sandbox has, as a bit set read on hot paths.

use super::defect::Defect;

/// The defects a running sandbox has, as a bit set read on hot paths.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DefectSet(u128);

impl DefectSet {
    pub(crate) fn new(defects: &[Defect]) -> Self {
        Self(defects.iter().fold(0, |bits, d| bits | 1 << (*d as u32)))
    }

    pub(crate) fn has(self, defect: Defect) -> bool {
        self.0 & (1 << (defect as u32)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_holds_exactly_what_was_selected() {
        let set = DefectSet::new(&[Defect::NoBasicChallenge]);
        assert!(set.has(Defect::NoBasicChallenge));
        assert!(!set.has(Defect::NoStoreMissing));
    }
}
