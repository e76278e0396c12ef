//! The flake model: what the typed configuration describes, before any Nix exists.
//!
//! Every definition and entity remembers the Rust source location that made it, so the
//! checker can point at the user's code rather than at generated Nix.

mod declared;
mod definition;
mod deploy;
mod flake;
mod host;
mod input;
mod lint;
mod location;
mod merge;
mod module;
mod packages;
mod secrets;
pub mod special_arg;
mod user;

pub use declared::{
    enum_type, submodule_type, CfgRef, ModuleConfig, ModuleOptions, NixModule, NixType, OptionDecl,
};
pub use definition::{Configure, Definition, Order, Priority};
pub use deploy::{DeployKey, Deployment, Engine, KeySource, UploadAt};
pub use flake::{Flake, SourceLocations};
pub use host::{Hardware, Host, NixSource, PackageSet, System};
pub use input::Input;
pub use lint::Lint;
pub use location::Location;
pub use merge::{Merge, MergeRule};
pub use module::{Category, External, Module};
pub use packages::{LocalPackage, Overlay, OverlayEntry, Unfree, DEFAULT_OVERLAY};
pub use secrets::{AgeSecret, FileAccess, SopsSecret};
pub use special_arg::SpecialArg;
pub use user::{HomeAdditions, User};

definition::configure_by_fields!(Host, Module, User, HomeAdditions);
