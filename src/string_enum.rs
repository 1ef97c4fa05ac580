//! One way to declare an enum whose values have stable names (the JSON contract, frame columns, saved queries and
//! the command line all use the same names): [`string_enum!`](crate::string_enum!) and the [`StringEnum`] trait it
//! implements.

/// serde, for the macro's expansion in crates that do not depend on it themselves.
#[doc(hidden)]
pub use serde as __serde;

/// An enum with a stable name per value. Generic code (the command line's value parser, error messages listing the
/// names) works on any of them through this trait.
pub trait StringEnum: Copy + Eq + Send + Sync + 'static {
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The stable name.
    fn as_str(self) -> &'static str;
    /// The value of a stable name.
    fn from_name(s: &str) -> Option<Self>;
    /// What the value means, from its doc comment (empty when it has none).
    fn help(self) -> &'static str;
}

/// Declares a string-backed enum: stable `as_str()` names, `ALL` in declaration order, `from_name`, `Display`,
/// serde by name, and [`StringEnum`]. Variant doc comments become [`StringEnum::help`].
///
/// ```
/// cohort::string_enum! {
///     /// How an answer was judged.
///     pub Verdict {
///         /// Within the template's range.
///         Fine = "fine",
///         TooLong = "too-long",
///     }
/// }
/// use cohort::string_enum::StringEnum;
/// assert_eq!(Verdict::from_name("too-long"), Some(Verdict::TooLong));
/// assert_eq!(Verdict::Fine.to_string(), "fine");
/// assert_eq!(Verdict::Fine.help(), "Within the template's range.");
/// ```
#[macro_export]
macro_rules! string_enum {
    // The enum is always public (`pub` may be written or left out).
    (
        $(#[$m:meta])*
        pub $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $crate::string_enum! { $(#[$m])* $name { $( $(#[doc = $doc])* $variant = $text ),+ } }
    };
    (
        $(#[$m:meta])*
        $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[doc = $doc])* $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every stable name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stable name used in JSON, frames and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Looks a value up by its stable name.
            pub fn from_name(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::string_enum::StringEnum for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn from_name(s: &str) -> Option<Self> {
                $name::from_name(s)
            }
            fn help(self) -> &'static str {
                match self { $($name::$variant => concat!($($doc),*).trim_ascii()),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::string_enum::__serde::Serialize for $name {
            fn serialize<S: $crate::string_enum::__serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::string_enum::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::string_enum::__serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as $crate::string_enum::__serde::Deserialize>::deserialize(d)?;
                $name::from_name(&s).ok_or_else(|| <D::Error as $crate::string_enum::__serde::de::Error>::unknown_variant(&s, $name::NAMES))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::StringEnum;

    crate::string_enum! {
        /// A test enum.
        Colour {
            /// The colour of the sky.
            Blue = "blue",
            Dark = "dark-red",
        }
    }

    #[test]
    fn names_round_trip_and_docs_become_help() {
        for &c in Colour::ALL {
            assert_eq!(Colour::from_name(c.as_str()), Some(c));
        }
        assert_eq!(Colour::from_name("Blue"), None);
        assert_eq!(Colour::Blue.help(), "The colour of the sky.");
        assert_eq!(Colour::Dark.help(), "");
        assert_eq!(serde_json::to_string(&Colour::Dark).ok().as_deref(), Some("\"dark-red\""));
        let err = serde_json::from_str::<Colour>("\"green\"").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("unknown variant `green`, expected `blue` or `dark-red`"), "{err}");
    }
}
