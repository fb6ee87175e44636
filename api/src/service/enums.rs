//! The closed vocabularies of the domain. Those stored in the database are
//! SeaORM active enums of the `entities` crate, re-exported here; the rest
//! (how a rollup is asked for) live only in the service layer.

pub use entities::enums::*;

use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("unknown {} {other:?}", stringify!($name))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Which tree a rollup walks.
    Units {
        /// The tree as it stood in the period.
        AsOf => "AS_OF",
        /// Today's units: an old unit's values count under the unit that absorbed it.
        Current => "CURRENT",
    }
}

string_enum! {
    /// How a rollup breaks down its total.
    RollupGroup {
        /// One row per child committee (its whole subtree).
        Child => "CHILD",
        /// One row per level of the reporting committees.
        Level => "LEVEL",
    }
}
