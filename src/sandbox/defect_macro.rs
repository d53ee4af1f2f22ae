//! The `defects!` macro: from one list of `Variant = "name", "clause", "description";` entries,
//! the [`Defect`](super::Defect) enum, its names, clauses and descriptions, and its parsing.

macro_rules! defects {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $clause:literal, $description:literal; )*) => {
        /// A rule the sandbox breaks on purpose, selected in [`SandboxConfig::defects`](super::SandboxConfig::defects).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Defect {
            $( $(#[$doc])* $variant, )*
        }

        impl Defect {
            /// Every defect, in a stable order.
            pub const ALL: &'static [Defect] = &[$(Defect::$variant),*];

            /// The stable kebab-case name (`--defect NAME`).
            pub fn name(self) -> &'static str {
                match self { $(Defect::$variant => $name,)* }
            }

            /// The clause the defect violates, as cited in the conformance checklist.
            pub fn clause(self) -> &'static str {
                match self { $(Defect::$variant => $clause,)* }
            }

            /// What the sandbox does wrong with this defect.
            pub fn description(self) -> &'static str {
                match self { $(Defect::$variant => $description,)* }
            }
        }

        /// A defect name that is not in [`Defect::ALL`].
        #[derive(Debug, thiserror::Error)]
        #[error("unknown defect `{0}` (known: {known})", known = Defect::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(", "))]
        pub struct UnknownDefect(pub String);

        impl std::str::FromStr for Defect {
            type Err = UnknownDefect;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Defect::ALL
                    .iter()
                    .copied()
                    .find(|d| d.name() == s)
                    .ok_or_else(|| UnknownDefect(s.to_owned()))
            }
        }

        impl std::fmt::Display for Defect {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

pub(super) use defects;
