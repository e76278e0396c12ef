//! flakesmith: typed NixOS configuration in Rust.
//!
//! Hosts, shared modules and Home Manager users are Rust values ([`Host`], [`Module`],
//! [`User`]) whose options are typed handles ([`Opt`]). A configuration crate's
//! `build.rs` hands its [`Flake`] to [`build_script::run`], which runs the pipeline
//!
//! ```text
//! model ──► checker ──► emitter ──► validator ──► (embedded) ──► writer
//! ```
//!
//! and fails the build with every problem found, pointing at the Rust that caused it.
//! The crate's binary embeds the checked tree and writes it with [`cli::main`].
//!
//! ```
//! use flakesmith::prelude::*;
//! use flakesmith::nixos::{networking, services::openssh};
//!
//! let ssh = Module::new(Category::Services, "ssh")
//!     .default(openssh::enable, true)
//!     .default(openssh::settings::password_authentication, false);
//! let host = Host::new("nixos-desk", System::X86_64Linux, "24.05")
//!     .hardware(Hardware::nix_text("{ fileSystems.\"/\".device = \"/dev/sda1\"; }"))
//!     .import(ssh)
//!     .set(networking::host_name, "nixos-desk");
//! let flake = Flake::new("My machines", "24.05").host(host);
//! let compiled = flakesmith::compile(&flake, std::path::Path::new(".")).unwrap();
//! assert!(compiled.tree.get("modules/services/ssh.nix").unwrap().contains("enable = lib.mkDefault true;"));
//! ```

pub mod bindings;
pub mod build_script;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod emit;
pub mod model;
pub mod nix;
pub mod option;
pub mod pipeline;
pub mod tree;
pub mod validate;
pub mod value;
pub mod writer;

pub use bindings::{home, nixos};
pub use diagnostic::{Diagnostic, Severity};
pub use model::{Category, Configure, Flake, Hardware, Host, Location, Module, Priority, System, User};
pub use option::{Opt, OptionPath};
pub use pipeline::{compile, Compiled, Rejected};
pub use tree::{EmbeddedTree, GeneratedFile, Tree};
pub use value::{IntoValue, NullOr, Package, RuntimePath, ToNix};

/// Everything a configuration needs in scope.
pub mod prelude {
    pub use crate::model::{Category, Configure, Flake, Hardware, Host, Module, System, User};
    pub use crate::option::Opt;
    pub use crate::value::{NullOr, Package, RuntimePath};
}
