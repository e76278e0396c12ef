//! What each diagnostic is about: a kind with a stable code, a default severity and a
//! one-line summary. Checks name their kind; the guide's table (`guide::diagnostics`),
//! `flakesmith explain`, `Lint::allow` and the tests refer to codes, which do not change
//! when a message is reworded.

use super::Severity;
use crate::model::Lint;

macro_rules! kinds {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal, $severity:ident;)*) => {
        /// The kind of a [`Diagnostic`](super::Diagnostic).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Kind {
            $($(#[doc = $doc])+ $variant,)*
        }

        impl Kind {
            /// Every kind, in the order the guide's table lists them.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The stable code, shown as `error[code]`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Kind::$variant => $code,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Kind::$variant => Severity::$severity,)*
                }
            }

            /// What the kind means, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Kind::$variant => concat!($($doc),+).trim_ascii(),)*
                }
            }
        }
    };
}

kinds! {
    // The flake and its inputs.
    /// The flake's formatter is not one flakesmith can write.
    InvalidFormatter = "invalid-formatter", Error;
    /// The flake's release is not a NixOS release (`YY.MM`).
    InvalidRelease = "invalid-release", Error;
    /// The configuration depends on bindings of another release line than the flake's.
    BindingsRelease = "bindings-release", Error;
    /// The flake is on a release newer than every shipped line of the bindings it uses.
    BindingsOlderThanRelease = "bindings-older-than-release", Warning;
    /// An input's name is not a plain attribute name.
    InvalidInputName = "invalid-input-name", Error;
    /// An input takes a name flakesmith writes itself (`nixpkgs`, `home-manager`, `self`).
    ReservedInputName = "reserved-input-name", Error;
    /// Two inputs have one name.
    DuplicateInput = "duplicate-input", Error;
    /// A special argument's name is not a Nix identifier, or is one the module system or
    /// flakesmith passes itself.
    InvalidSpecialArg = "invalid-special-arg", Error;
    /// A special argument is given twice on the flake, or twice on one host.
    DuplicateSpecialArg = "duplicate-special-arg", Error;
    /// An input's flake reference is empty.
    EmptyFlakeReference = "empty-flake-reference", Error;
    /// An input follows something that is not an input of the flake.
    UnknownFollows = "unknown-follows", Error;
    /// An input says twice what one of its inputs follows.
    DuplicateFollows = "duplicate-follows", Error;
    /// A module comes from an input the flake does not declare.
    UndeclaredInput = "undeclared-input", Error;
    /// Definitions made on another flake's module, which would be written nowhere.
    DefinitionOnForeignModule = "definition-on-foreign-module", Error;

    // Names of hosts, modules, users and packages.
    /// A host name NixOS does not accept.
    InvalidHostName = "invalid-host-name", Error;
    /// Two hosts have one name (or one host is added twice).
    DuplicateHost = "duplicate-host", Error;
    /// A module name that cannot name its file.
    InvalidModuleName = "invalid-module-name", Error;
    /// Two different modules have one name in one category.
    DuplicateModule = "duplicate-module", Error;
    /// A user name NixOS does not accept.
    InvalidUserName = "invalid-user-name", Error;
    /// A Home Manager user named like a machine account (ending in `$`).
    MachineAccountHomeUser = "machine-account-home-user", Error;
    /// Two different Home Manager users have one name.
    DuplicateHomeUser = "duplicate-home-user", Error;
    /// A host adds to one Home Manager user twice.
    DuplicateHomeAdditions = "duplicate-home-additions", Error;
    /// A system double Nix does not know.
    UnknownSystem = "unknown-system", Error;
    /// A host without a hardware configuration.
    MissingHardware = "missing-hardware", Error;
    /// A stateVersion that is not a release of the form `YY.MM`.
    InvalidStateVersion = "invalid-state-version", Error;

    // Definitions.
    /// Two definitions of one option at one priority whose values do not merge.
    ConflictingDefinitions = "conflicting-definitions", Error;
    /// A string that does not match the pattern of its option's type.
    PatternMismatch = "pattern-mismatch", Error;
    /// Raw Nix that does not parse.
    InvalidRawNix = "invalid-raw-nix", Error;
    /// Raw Nix naming a variable that no module argument, special argument or
    /// `_module.args` definition gives.
    UnboundVariable = "unbound-variable", Error;
    /// The same where a hand-kept module or another flake's might define `_module.args`.
    MaybeUnboundVariable = "maybe-unbound-variable", Warning;
    /// A value nested deeper than flakesmith writes.
    NestingTooDeep = "nesting-too-deep", Error;
    /// An option path that is empty or has an empty segment.
    EmptyOptionPath = "empty-option-path", Error;
    /// `imports` defined as if it were an option.
    ImportsAsOption = "imports-as-option", Error;
    /// A value that cannot be written as Nix (a NaN, a NUL in a string, ...).
    UnwritableValue = "unwritable-value", Error;
    /// A user or group a definition names that the host does not have.
    UnknownAccount = "unknown-account", Error;

    // Modules that declare options.
    /// A module declares its options under an empty namespace.
    EmptyOptionNamespace = "empty-option-namespace", Error;
    /// A module declares its options where NixOS declares options itself.
    ReservedOptionNamespace = "reserved-option-namespace", Error;
    /// A declared option's default or example that cannot be written as Nix.
    UnwritableDeclaration = "unwritable-declaration", Error;

    // Hand-kept Nix files.
    /// A hand-kept file that cannot be read, or is not UTF-8.
    UnreadableSource = "unreadable-source", Error;
    /// A hand-kept file that is not valid Nix.
    InvalidNixSource = "invalid-nix-source", Error;
    /// The flake's extra outputs are not a function of its inputs, or define an output
    /// flakesmith writes itself.
    InvalidExtraOutputs = "invalid-extra-outputs", Error;
    /// A host's own package set that is not a function of the flake's inputs, or that
    /// flake-wide overlays, packages or unfree rules are given beside (NixOS applies none
    /// of them to it), or a second `lib`.
    InvalidPackageSet = "invalid-package-set", Error;
    /// A relative path in a hand-kept file that names nothing (Nix fails where it is used).
    MissingPath = "missing-path", Warning;
    /// A relative path in a hand-kept file that the tree cannot carry (outside the
    /// configuration crate, or hidden): in the tree it names nothing.
    UncarriedPath = "uncarried-path", Warning;
    /// A path in a hand-kept file built with `${...}` without a directory before it
    /// (`./${name}.nix`), which flakesmith cannot carry.
    DynamicPath = "dynamic-path", Warning;

    // Home Manager.
    /// A host imports a Home Manager module as if it were a NixOS module.
    HomeModuleOnHost = "home-module-on-host", Error;
    /// A Home Manager user or module imports a NixOS module.
    NixosModuleInHome = "nixos-module-in-home", Error;
    /// Another flake's module is given modules to import, which would be imported nowhere.
    ImportsOnForeignModule = "imports-on-foreign-module", Error;
    /// A module imports a module of the other kind (NixOS and Home Manager).
    ImportAcrossKinds = "import-across-kinds", Error;
    /// A Home Manager user on a host with no normal system user of that name.
    HomeUserWithoutSystemUser = "home-user-without-system-user", Error;
    /// A Home Manager user's `home.username` or `home.homeDirectory` disagrees with the system user.
    HomeUserMismatch = "home-user-mismatch", Error;

    // Secrets.
    /// A definition names a managed secret the host does not declare.
    UndeclaredSecret = "undeclared-secret", Error;
    /// A host declares secrets of a manager whose module it does not import.
    SecretManagerNotImported = "secret-manager-not-imported", Error;
    /// A secret's file name cannot be a Nix path literal.
    InvalidSecretFileName = "invalid-secret-file-name", Error;
    /// Two different secret files would land on one path in the tree.
    SecretFileCollision = "secret-file-collision", Error;
    /// A secret's mode that is not three or four octal digits, or a key, owner, group or
    /// mode that Nix cannot hold (a NUL).
    InvalidSecretField = "invalid-secret-field", Error;
    /// A sops secret used as a user's password file but not needed for users.
    SopsSecretNotNeededForUsers = "sops-secret-not-needed-for-users", Error;
    /// A secret's encrypted file that cannot be read.
    UnreadableSecretFile = "unreadable-secret-file", Error;
    /// A sops file without the key a secret names.
    MissingSopsKey = "missing-sops-key", Error;
    /// An age file that is not ASCII-armored.
    AgeFileNotArmored = "age-file-not-armored", Error;

    // Packages and overlays.
    /// A package name that is not one Nix attribute name.
    InvalidPackageName = "invalid-package-name", Error;
    /// Two packages have one name.
    DuplicatePackage = "duplicate-package", Error;
    /// An overlay name that is not one Nix attribute name, or is the flake's own.
    InvalidOverlayName = "invalid-overlay-name", Error;
    /// Two overlays have one name.
    DuplicateOverlay = "duplicate-overlay", Error;
    /// An overlay defines something that is not a package name.
    InvalidOverlayEntry = "invalid-overlay-entry", Error;
    /// An overlay defines one package twice.
    DuplicateOverlayEntry = "duplicate-overlay-entry", Error;
    /// An overlay's package that has no Nix form.
    UnwritablePackage = "unwritable-package", Error;
    /// Packages stated in Rust for a hand-kept overlay file, which would be written nowhere.
    PackagesInHandKeptOverlay = "packages-in-hand-kept-overlay", Error;
    /// A reference to a package that is not one of the flake's own.
    UnknownPackage = "unknown-package", Error;

    // Deployment.
    /// The flake names a deployment engine twice.
    DuplicateDeployEngine = "duplicate-deploy-engine", Warning;
    /// The flake names a deployment engine but no host has a deployment.
    UnusedDeployEngine = "unused-deploy-engine", Warning;
    /// A host has a deployment but the flake names no engine.
    MissingDeployEngine = "missing-deploy-engine", Error;
    /// A host name the deployment engine cannot take as a node name.
    InvalidNodeName = "invalid-node-name", Error;
    /// Two hosts deployed to one target.
    SharedDeployTarget = "shared-deploy-target", Warning;
    /// A deployment tag that is not a plain name.
    InvalidDeployTag = "invalid-deploy-tag", Error;
    /// A tagged host without a deployment target.
    TagWithoutTarget = "tag-without-target", Error;
    /// A deployment target that is not a host name or address.
    InvalidDeployTarget = "invalid-deploy-target", Error;
    /// A deployment key whose name is not a file name.
    InvalidKeyName = "invalid-key-name", Error;
    /// Two deployment keys of one host have one name.
    DuplicateKey = "duplicate-key", Error;
    /// A deployment key's permissions that are not four octal digits.
    InvalidKeyPermissions = "invalid-key-permissions", Error;
    /// A deployment key read from a relative path.
    RelativeKeyPath = "relative-key-path", Error;
    /// A deployment key read from a file that does not exist on this machine.
    MissingKeyFile = "missing-key-file", Warning;
    /// A deployment key with an empty command.
    EmptyKeyCommand = "empty-key-command", Error;

    // Lints: each can be allowed (`.allow(Lint::...)`).
    /// A plaintext password or secret in an option that lands in the world-readable Nix store.
    PlaintextSecret = "plaintext-secret", Error;
    /// A host definition weaker than another definition of the same option: it has no effect.
    NoEffect = "no-effect", Warning;
    /// A module registered with the flake that nothing imports.
    UnusedModule = "unused-module", Warning;
    /// A desktop module on a host without a graphical session.
    DesktopWithoutGraphicalSession = "desktop-without-graphical-session", Warning;
    /// SSH lets root log in with a password.
    RootLoginWithPassword = "root-login-with-password", Warning;
    /// The firewall is off on a host that runs network services.
    FirewallDisabled = "firewall-disabled", Warning;

    // flakesmith itself.
    /// The Nix flakesmith wrote does not parse: a flakesmith bug, reported rather than written.
    EmittedNixInvalid = "emitted-nix-invalid", Error;
}

impl From<Lint> for Kind {
    fn from(lint: Lint) -> Self {
        match lint {
            Lint::PlaintextSecret => Kind::PlaintextSecret,
            Lint::NoEffect => Kind::NoEffect,
            Lint::UnusedModule => Kind::UnusedModule,
            Lint::DesktopWithoutGraphicalSession => Kind::DesktopWithoutGraphicalSession,
            Lint::RootLoginWithPassword => Kind::RootLoginWithPassword,
            Lint::FirewallDisabled => Kind::FirewallDisabled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_summarised() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in Kind::ALL {
            let code = kind.code();
            assert!(seen.insert(code), "code `{code}` is taken twice");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "code `{code}` is not kebab-case"
            );
            assert!(!kind.summary().is_empty(), "{kind:?} has no summary");
        }
    }
}
