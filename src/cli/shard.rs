//! `--shard K/N`: run a deterministic 1/N of the scenarios, so that N machines (or CI jobs) run
//! the suite between them. The scenarios are ordered by file and name, and shard K takes every
//! N-th of them starting at the K-th: every scenario lands in exactly one shard, the shards
//! differ in size by at most one, and the split does not depend on the order files were found.

use std::fmt;
use std::str::FromStr;

/// Shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: usize,
    count: usize,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("`{0}` is not K/N (for example 2/3)")]
    Syntax(String),
    #[error("shard {index}/{count} does not exist: K must be between 1 and N")]
    OutOfRange { index: usize, count: usize },
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || ShardError::Syntax(text.to_owned());
        let (k, n) = text.split_once('/').ok_or_else(syntax)?;
        let index: usize = k.trim().parse().map_err(|_| syntax())?;
        let count: usize = n.trim().parse().map_err(|_| syntax())?;
        if index == 0 || count == 0 || index > count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Self { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The items of this shard, in their original order; `key` is the stable sort key (the
    /// scenario's file and name).
    pub(crate) fn select<T, K: Ord>(&self, items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| key(&items[i]));
        let mut keep = vec![false; items.len()];
        for (position, &i) in order.iter().enumerate() {
            keep[i] = position % self.count == self.index - 1;
        }
        items
            .into_iter()
            .zip(keep)
            .filter_map(|(item, keep)| keep.then_some(item))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_rejects_the_rest() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(
            "0/3".parse::<Shard>(),
            Err(ShardError::OutOfRange { index: 0, count: 3 })
        );
        assert!(matches!(
            "4/3".parse::<Shard>(),
            Err(ShardError::OutOfRange { .. })
        ));
        assert!(matches!("2".parse::<Shard>(), Err(ShardError::Syntax(_))));
        assert!(matches!("a/3".parse::<Shard>(), Err(ShardError::Syntax(_))));
    }

    #[test]
    fn shards_partition_the_items_whatever_their_order() {
        let files: Vec<String> = (0..11).map(|i| format!("scenarios/s{i:02}.yaml")).collect();
        let mut reversed = files.clone();
        reversed.reverse();
        let mut seen = Vec::new();
        for k in 1..=3 {
            let shard = Shard { index: k, count: 3 };
            let a = shard.select(files.clone(), |f| f.clone());
            let mut b = shard.select(reversed.clone(), |f| f.clone());
            b.reverse();
            assert_eq!(a, b, "the split does not depend on the input order");
            assert!((3..=4).contains(&a.len()));
            seen.extend(a);
        }
        seen.sort();
        assert_eq!(seen, files);
    }
}
