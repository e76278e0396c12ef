//! Home Manager options (release 24.05).
#![allow(non_upper_case_globals)]

use crate::option::Opt;
use crate::value::{NullOr, Package};

pub mod home {
    use super::*;
    /// The user's username. flakesmith sets it to the user's name unless you do.
    ///
    /// Nix type: `string`. Declared in `<home-manager/modules/home-environment.nix>`.
    pub const username: Opt<String> = Opt::new(&["home", "username"]);
    /// The user's home directory. Must be an absolute path. flakesmith sets it to
    /// `/home/<name>` unless you do.
    ///
    /// Nix type: `path`. Declared in `<home-manager/modules/home-environment.nix>`.
    pub const home_directory: Opt<String> = Opt::new(&["home", "homeDirectory"]);
    /// The set of packages to appear in the user environment.
    ///
    /// Nix type: `list of package`. Default: `[ ]`.
    /// Declared in `<home-manager/modules/home-environment.nix>`.
    pub const packages: Opt<Vec<Package>> = Opt::new(&["home", "packages"]);
    /// Environment variables to always set at login.
    ///
    /// Nix type: `lazy attribute set of (string or path or signed integer or floating point number)`
    /// (bound here to strings). Default: `{ }`.
    /// Declared in `<home-manager/modules/home-environment.nix>`.
    pub const session_variables: Opt<std::collections::BTreeMap<String, String>> =
        Opt::new(&["home", "sessionVariables"]);
}

pub mod programs {
    pub mod home_manager {
        use super::super::*;
        /// Whether to enable Home Manager, so the user can run `home-manager` itself.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `<home-manager/modules/programs/home-manager.nix>`.
        pub const enable: Opt<bool> = Opt::new(&["programs", "home-manager", "enable"]);
    }

    pub mod git {
        use super::super::*;
        /// Whether to enable Git.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `<home-manager/modules/programs/git.nix>`.
        pub const enable: Opt<bool> = Opt::new(&["programs", "git", "enable"]);
        /// Default user name to use.
        ///
        /// Nix type: `null or string`. Default: `null`.
        /// Declared in `<home-manager/modules/programs/git.nix>`.
        pub const user_name: Opt<NullOr<String>> = Opt::new(&["programs", "git", "userName"]);
        /// Default user email to use.
        ///
        /// Nix type: `null or string`. Default: `null`.
        /// Declared in `<home-manager/modules/programs/git.nix>`.
        pub const user_email: Opt<NullOr<String>> = Opt::new(&["programs", "git", "userEmail"]);
        /// Git aliases to define.
        ///
        /// Nix type: `attribute set of string`. Default: `{ }`.
        /// Declared in `<home-manager/modules/programs/git.nix>`.
        pub const aliases: Opt<std::collections::BTreeMap<String, String>> =
            Opt::new(&["programs", "git", "aliases"]);
        /// Additional configuration for `~/.config/git/config`, as nested sections.
        ///
        /// The option is freeform, so the value's shape is yours to type: pass a struct with
        /// `#[derive(NixValue)]` whose fields are sections and keys.
        ///
        /// Nix type: `strings concatenated with "\n" or attribute set of attribute set of
        /// (string or boolean or signed integer or list of ...)`. Default: `{ }`.
        /// Declared in `<home-manager/modules/programs/git.nix>`.
        pub fn extra_config<T>() -> Opt<T> {
            Opt::new(&["programs", "git", "extraConfig"])
        }
    }

    pub mod bash {
        use super::super::*;
        /// Whether to enable GNU Bourne-Again SHell.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `<home-manager/modules/programs/bash.nix>`.
        pub const enable: Opt<bool> = Opt::new(&["programs", "bash", "enable"]);
    }

    pub mod direnv {
        use super::super::*;
        /// Whether to enable direnv, the environment switcher.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `<home-manager/modules/programs/direnv.nix>`.
        pub const enable: Opt<bool> = Opt::new(&["programs", "direnv", "enable"]);
    }
}
