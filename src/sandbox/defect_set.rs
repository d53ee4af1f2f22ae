//! The defects a running sandbox has, as a bit set read on hot paths.

use super::defect::Defect;

/// The defects a running sandbox has, as a bit set read on hot paths.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DefectSet([u64; WORDS]);

/// Room for 256 defects; `defect.rs` asserts the catalogue fits.
pub(crate) const WORDS: usize = 4;

impl DefectSet {
    pub(crate) fn new(defects: &[Defect]) -> Self {
        let mut words = [0; WORDS];
        for &d in defects {
            words[d as usize / 64] |= 1 << (d as usize % 64);
        }
        Self(words)
    }

    pub(crate) fn has(self, defect: Defect) -> bool {
        self.0[defect as usize / 64] & (1 << (defect as usize % 64)) != 0
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

    #[test]
    fn the_last_defect_has_its_own_bit() {
        let last = *Defect::ALL.last().unwrap();
        let set = DefectSet::new(&[last]);
        assert!(set.has(last));
        assert!(
            Defect::ALL[..Defect::ALL.len() - 1]
                .iter()
                .all(|d| !set.has(*d))
        );
    }
}
