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
//! use flakesmith_nixos::{networking, services::openssh};
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

// Generated bindings name items as `::flakesmith::...`, inside this crate too.
extern crate self as flakesmith;

#[cfg(feature = "generator")]
pub mod bindgen;
pub mod build_script;
pub mod carry;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod emit;
pub mod guide;
#[cfg(feature = "generator")]
pub mod import;
pub mod model;
pub mod nix;
pub mod option;
pub mod pipeline;
pub mod plan;
pub mod releases;
#[cfg(feature = "generator")]
pub mod scaffold;
pub mod tree;
pub mod validate;
pub mod value;
pub mod writer;

pub use diagnostic::{Diagnostic, Kind as DiagnosticKind, Severity};
pub use model::{
    AgeSecret, Category, Configure, DeployKey, Deployment, Engine, Flake, Hardware, HomeAdditions,
    Host, Input, Lint, LocalPackage, Location, Merge, MergeRule, Module, NixSource, Overlay,
    PackageSet, Priority, SopsSecret, SourceLocations, System, Unfree, UploadAt, User,
};
pub use model::{CfgRef, ModuleConfig, ModuleOptions, NixModule, NixType, OptionDecl};

/// What derived modules and values declare: the options of a `#[derive(NixModule)]`
/// module and the Nix types of `#[derive(NixValue)]` values (the types live in
/// [`model`]; this path is the one the derives' code names).
pub mod declared {
    pub use crate::model::{
        enum_type, submodule_type, CfgRef, ModuleConfig, ModuleOptions, NixModule, NixType,
        OptionDecl,
    };
}
pub use option::{ConfigValue, Opt, OptionPath};
pub use pipeline::{compile, Compiled, Rejected};
pub use tree::{EmbeddedTree, GeneratedFile, Tree};
pub use value::{
    Concatenated, IntoValue, NullOr, Package, Raw, RuntimePath, Secret, ToNix, Untyped,
};

/// Derives [`ToNix`] and [`IntoValue<Self>`](IntoValue): a struct with named fields
/// becomes an attribute set (camelCase names), an enum of unit variants a string
/// (kebab-case). `#[nix(rename_all = "...")]` on the type and `#[nix(rename = "...")]` on
/// a field or variant change the names.
///
/// ```
/// use flakesmith::{NixValue, ToNix};
///
/// #[derive(NixValue)]
/// enum Channel { Stable, ReleaseCandidate }
///
/// #[derive(NixValue)]
/// struct Mount {
///     device: String,
///     fs_type: String,
///     #[nix(rename = "options")]
///     mount_options: Vec<String>,
///     channel: Channel,
/// }
///
/// let mount = Mount {
///     device: "/dev/sda1".into(),
///     fs_type: "ext4".into(),
///     mount_options: vec!["noatime".into()],
///     channel: Channel::ReleaseCandidate,
/// };
/// let text = flakesmith::nix::print_expr(&mount.to_nix().unwrap());
/// assert!(text.contains("fsType = \"ext4\";"));
/// assert!(text.contains("channel = \"release-candidate\";"));
/// ```
#[cfg(feature = "derive")]
pub use flakesmith_macros::NixValue;

/// Derives [`NixModule`](trait@NixModule) for a struct whose fields are a module's own
/// options. See the attribute table in `flakesmith-macros`.
///
/// ```
/// use flakesmith_nixos::virtualisation::docker::{self, StorageDriver};
/// use flakesmith::prelude::*;
///
/// /// Docker, the way every host here runs it.
/// #[derive(flakesmith::NixModule)]
/// #[nix(category = "services", namespace = "fleet.docker")]
/// pub struct Docker {
///     /// Users allowed to talk to the daemon.
///     pub users: Vec<String>,
///     /// The storage driver.
///     #[nix(default = StorageDriver::Overlay2)]
///     pub storage_driver: StorageDriver,
/// }
///
/// impl ModuleConfig for Docker {
///     // Runs under `lib.mkIf cfg.enable`; `cfg.storage_driver` writes `cfg.storageDriver`.
///     fn config(cfg: DockerCfg, module: Module) -> Module {
///         module.set(docker::enable, true).set(docker::storage_driver, cfg.storage_driver)
///     }
/// }
///
/// let host = Host::new("desk", System::X86_64Linux, "24.05")
///     .hardware(Hardware::nix_text("{}"))
///     .enable(Docker { users: vec!["alice".into()], storage_driver: StorageDriver::Zfs });
/// let flake = Flake::new("fleet", "24.05").host(host);
/// let tree = flakesmith::compile(&flake, std::path::Path::new(".")).unwrap().tree;
/// let module = tree.get("modules/services/docker.nix").unwrap();
/// assert!(module.contains("storageDriver = lib.mkOption {"));
/// assert!(module.contains("config = lib.mkIf cfg.enable {"));
/// assert!(tree.get("hosts/desk/default.nix").unwrap().contains("storageDriver = \"zfs\";"));
/// ```
#[cfg(feature = "derive")]
pub use flakesmith_macros::NixModule;

/// Everything a configuration needs in scope.
pub mod prelude {
    pub use crate::model::{
        AgeSecret, Category, Configure, DeployKey, Deployment, Engine, Flake, Hardware, Host,
        Input, Lint, Module, NixSource, PackageSet, SopsSecret, SourceLocations, System, UploadAt,
        User,
    };
    pub use crate::model::{CfgRef, ModuleConfig, NixModule};
    pub use crate::option::Opt;
    pub use crate::value::{Data, Empty, NullOr, OneOf, Package, Raw, RuntimePath, Secret};
}
