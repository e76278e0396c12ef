//! Submodule values: one entry of `list of (submodule)`, `attribute set of (submodule)`
//! or a `submodule` option, built with a typed setter per option of the submodule.
//!
//! The bindings generate a struct per submodule with [`submodule_value!`](crate::submodule_value):
//! `Ipv4Address::new().address("10.0.0.2").prefix_length(24)`. Each setter takes the
//! option's own Rust type, so a wrong value does not compile; a value that fails when
//! it is converted (a NaN, an unknown package name) is a build error naming the option
//! and the Rust line that set the whole value.

use crate::nix::{Attrs, Expr, ValueError};

/// The options set in one submodule value, in the order they were set.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    set: Vec<(&'static str, Result<Expr, ValueError>)>,
}

impl Fields {
    /// Records `option`'s value. Setting an option twice is an error, not a silent
    /// replacement.
    pub fn set(&mut self, option: &'static str, value: Result<Expr, ValueError>) {
        if self.set.iter().any(|(name, _)| *name == option) {
            self.set
                .push((option, Err(ValueError::SetTwice(option.to_owned()))));
        } else {
            self.set.push((option, value));
        }
    }

    /// The attribute set, or the first error. `tagged`: the value of an
    /// attribute-tagged union, which sets exactly one option.
    pub fn to_nix(&self, tagged: bool) -> Result<Expr, ValueError> {
        if tagged && self.set.len() != 1 {
            let names: Vec<&str> = self.set.iter().map(|(name, _)| *name).collect();
            return Err(ValueError::NotOneTag(names.join(", ")));
        }
        let mut attrs = Attrs::new();
        for (option, value) in &self.set {
            match value {
                Ok(expr) => {
                    attrs.insert((*option).to_owned(), expr.clone());
                }
                Err(ValueError::SetTwice(name)) => return Err(ValueError::SetTwice(name.clone())),
                Err(error) => {
                    return Err(ValueError::InOption {
                        option: (*option).to_owned(),
                        error: Box::new(error.clone()),
                    })
                }
            }
        }
        Ok(Expr::Attrs(attrs))
    }
}

/// A struct for the values of one submodule: `new()`, a setter per option taking that
/// option's Rust type, and the conversions that make it an option value.
///
/// ```
/// flakesmith::submodule_value! {
///     /// One address of an interface.
///     Address {
///         /// `address`
///         address: String = "address";
///         /// `prefixLength`
///         prefix_length: u8 = "prefixLength";
///     }
/// }
/// let value = Address::new().address("10.0.0.2").prefix_length(24);
/// let text = flakesmith::nix::print_expr(&flakesmith::ToNix::to_nix(&value).unwrap());
/// assert_eq!(text, "{\n  address = \"10.0.0.2\";\n  prefixLength = 24;\n}");
/// ```
#[macro_export]
macro_rules! submodule_value {
    ($(#[$meta:meta])* tagged $name:ident { $($body:tt)* }) => {
        $crate::submodule_value!(@define [$(#[$meta])*] $name true { $($body)* });
    };
    ($(#[$meta:meta])* $name:ident { $($body:tt)* }) => {
        $crate::submodule_value!(@define [$(#[$meta])*] $name false { $($body)* });
    };
    (@define [$(#[$meta:meta])*] $name:ident $tagged:literal { $($(#[$field_meta:meta])* $field:ident : $ty:ty = $option:literal;)* }) => {
        $(#[$meta])*
        // Clone and Default derive inline methods; Debug is written by hand so that
        // it is inline too: nothing of a value type is compiled until a configuration
        // uses it.
        #[derive(Clone, Default)]
        pub struct $name {
            fields: $crate::value::Fields,
        }

        impl ::core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(stringify!($name)).field("fields", &self.fields).finish()
            }
        }

        impl $name {
            /// A value with no option set yet.
            #[inline]
            pub fn new() -> Self {
                Self::default()
            }
            $(
                $(#[$field_meta])*
                #[inline]
                pub fn $field<V: $crate::IntoValue<$ty>>(mut self, value: V) -> Self {
                    self.fields.set($option, value.into_nix());
                    self
                }
            )*
        }

        impl $crate::ToNix for $name {
            #[inline]
            fn to_nix(&self) -> ::core::result::Result<$crate::nix::Expr, $crate::nix::ValueError> {
                self.fields.to_nix($tagged)
            }
        }

        impl $crate::MergeRule for $name {
            const MERGE: $crate::Merge = $crate::Merge::Submodule;
        }

        $crate::value::value_of_itself!($name);
    };
}

#[cfg(test)]
mod tests {
    use crate::nix::{print_expr, ValueError};
    use crate::{Package, ToNix};

    crate::submodule_value! {
        Mount {
            device: String = "device";
            options: Vec<String> = "options";
            package: Package = "package";
        }
    }

    #[test]
    fn setters_write_the_options_set() {
        let value = Mount::new().device("/dev/sda1").options(["noatime"]);
        assert_eq!(
            print_expr(&value.to_nix().unwrap()),
            "{\n  device = \"/dev/sda1\";\n  options = [\n    \"noatime\"\n  ];\n}"
        );
    }

    crate::submodule_value! {
        tagged Directive {
            include: String = "include";
            output: String = "output";
        }
    }

    #[test]
    fn tagged_values_set_one_option() {
        assert!(Directive::new().include("a").to_nix().is_ok());
        assert_eq!(
            Directive::new().include("a").output("b").to_nix(),
            Err(ValueError::NotOneTag("include, output".into()))
        );
        assert_eq!(
            Directive::new().to_nix(),
            Err(ValueError::NotOneTag(String::new()))
        );
    }

    #[test]
    fn errors_name_the_option() {
        let twice = Mount::new().device("a").device("b");
        assert_eq!(twice.to_nix(), Err(ValueError::SetTwice("device".into())));
        let bad = Mount::new().package(Package::new("fire fox"));
        assert!(matches!(
            bad.to_nix(),
            Err(ValueError::InOption { option, .. }) if option == "package"
        ));
    }
}
