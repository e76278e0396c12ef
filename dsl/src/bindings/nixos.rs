//! NixOS options (nixpkgs `nixos/modules`, release 24.05).
#![allow(non_upper_case_globals)]

use crate::option::Opt;
use crate::value::{NullOr, Package};

pub mod boot {
    pub mod loader {
        pub mod systemd_boot {
            use super::super::super::*;
            /// Whether to enable the systemd-boot (formerly gummiboot) EFI boot manager.
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/system/boot/loader/systemd-boot/systemd-boot.nix`.
            pub const enable: Opt<bool> = Opt::new(&["boot", "loader", "systemd-boot", "enable"]);
        }
        pub mod efi {
            use super::super::super::*;
            /// Whether the installation process is allowed to modify EFI boot variables.
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/system/boot/loader/efi.nix`.
            pub const can_touch_efi_variables: Opt<bool> =
                Opt::new(&["boot", "loader", "efi", "canTouchEfiVariables"]);
        }
    }
}

pub mod networking {
    use super::*;
    /// The name of the machine. Leave it empty to take the name from DHCP.
    ///
    /// Nix type: `string matching the pattern ^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$`.
    /// Default: `"nixos"`. Declared in `nixos/modules/tasks/network-interfaces.nix`.
    pub const host_name: Opt<String> = Opt::new(&["networking", "hostName"]);

    pub mod networkmanager {
        use super::super::*;
        /// Whether to use NetworkManager to obtain an IP address and other configuration
        /// for all network interfaces that are not manually configured.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `nixos/modules/services/networking/networkmanager.nix`.
        pub const enable: Opt<bool> = Opt::new(&["networking", "networkmanager", "enable"]);
    }

    pub mod firewall {
        use super::super::*;
        /// Whether to enable the firewall, a simple stateful packet filter that rejects
        /// all incoming connections except those explicitly allowed.
        ///
        /// Nix type: `boolean`. Default: `true`.
        /// Declared in `nixos/modules/services/networking/firewall.nix`.
        pub const enable: Opt<bool> = Opt::new(&["networking", "firewall", "enable"]);
        /// TCP ports on which incoming connections are accepted.
        ///
        /// Nix type: `list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)`.
        /// Default: `[ ]`. Example: `[ 22 80 ]`.
        /// Declared in `nixos/modules/services/networking/firewall.nix`.
        pub const allowed_tcp_ports: Opt<Vec<u16>> =
            Opt::new(&["networking", "firewall", "allowedTCPPorts"]);
    }
}

pub mod system {
    pub mod nixos {
        use crate::option::ReadOnly;
        /// The NixOS release, such as `"24.05"`. Set by NixOS from the nixpkgs it is
        /// built from.
        ///
        /// Nix type: `string` (read-only). Declared in `nixos/modules/misc/version.nix`.
        pub const release: ReadOnly<String> = ReadOnly::new(&["system", "nixos", "release"]);
    }
}

pub mod time {
    use super::*;
    /// The time zone used when displaying times and dates, such as `"Europe/Berlin"`.
    /// `null` lets the time zone be changed at run time.
    ///
    /// Nix type: `null or string without spaces`. Default: `null`.
    /// Declared in `nixos/modules/config/locale.nix`.
    pub const time_zone: Opt<NullOr<String>> = Opt::new(&["time", "timeZone"]);
}

pub mod i18n {
    use super::*;
    /// The default locale: language, character set and variant.
    ///
    /// Nix type: `string`. Default: `"en_US.UTF-8"`. Example: `"nl_NL.UTF-8"`.
    /// Declared in `nixos/modules/config/i18n.nix`.
    pub const default_locale: Opt<String> = Opt::new(&["i18n", "defaultLocale"]);
}

pub mod environment {
    use super::*;
    /// Packages installed in the system profile, available to all users.
    ///
    /// Nix type: `list of package`. Default: `[ ]`. Example: `[ pkgs.firefox pkgs.thunderbird ]`.
    /// Declared in `nixos/modules/config/system-path.nix`.
    pub const system_packages: Opt<Vec<Package>> = Opt::new(&["environment", "systemPackages"]);
}

pub mod nix {
    pub mod settings {
        use super::super::*;
        /// Experimental Nix features to enable, such as `"nix-command"` and `"flakes"`.
        ///
        /// Nix type: `list of string`. Default: `[ ]`.
        /// Declared in `nixos/modules/config/nix.nix`.
        pub const experimental_features: Opt<Vec<String>> =
            Opt::new(&["nix", "settings", "experimental-features"]);
        /// Whether Nix replaces identical files in the store with hard links.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `nixos/modules/config/nix.nix`.
        pub const auto_optimise_store: Opt<bool> =
            Opt::new(&["nix", "settings", "auto-optimise-store"]);
    }
}

pub mod users {
    use super::*;
    /// Whether users and groups can be changed imperatively (`useradd`, `passwd`) on
    /// the machine. When `false`, the configuration is the only source of accounts.
    ///
    /// Nix type: `boolean`. Default: `true`.
    /// Declared in `nixos/modules/config/users-groups.nix`.
    pub const mutable_users: Opt<bool> = Opt::new(&["users", "mutableUsers"]);

    pub mod users {
        use super::super::*;
        use crate::option::OptionPath;

        /// `users.users.<name>`: the account `name`.
        pub fn user(name: &str) -> User {
            User {
                path: OptionPath::Static(&["users", "users"]).join([name]),
            }
        }

        /// The options of one entry of `users.users`.
        #[derive(Clone, Debug)]
        pub struct User {
            path: OptionPath,
        }

        impl User {
            fn option<T>(&self, name: &str) -> Opt<T> {
                Opt::at(self.path.join([name]))
            }

            /// Whether this is a real user: sets `isSystemUser = false`, a home directory
            /// under `/home`, and a login shell.
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn is_normal_user(&self) -> Opt<bool> {
                self.option("isNormalUser")
            }

            /// The user's auxiliary groups, such as `"wheel"`.
            ///
            /// Nix type: `list of string`. Default: `[ ]`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn extra_groups(&self) -> Opt<Vec<String>> {
                self.option("extraGroups")
            }

            /// A short description of the account, typically the user's full name.
            ///
            /// Nix type: `string, not containing newlines or colons`. Default: `""`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn description(&self) -> Opt<String> {
                self.option("description")
            }

            /// A file on the machine holding the user's hashed password (as from
            /// `mkpasswd`); the secret itself never enters the Nix store.
            ///
            /// Nix type: `null or string`. Default: `null`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn hashed_password_file(&self) -> Opt<NullOr<crate::value::RuntimePath>> {
                self.option("hashedPasswordFile")
            }

            /// The user's password in plain text. It lands in the world-readable Nix
            /// store: prefer `hashed_password_file`. The checker rejects it unless
            /// allowed.
            ///
            /// Nix type: `null or string`. Default: `null`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn password(&self) -> Opt<NullOr<String>> {
                self.option("password")
            }

            /// The password the account starts with, in plain text (world-readable in
            /// the Nix store, like `password`).
            ///
            /// Nix type: `null or string`. Default: `null`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn initial_password(&self) -> Opt<NullOr<String>> {
                self.option("initialPassword")
            }

            /// The user's home directory.
            ///
            /// Nix type: `path`. Default: `"/var/empty"`, or `/home/<name>` for normal users.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn home(&self) -> Opt<String> {
                self.option("home")
            }

            /// Public SSH keys allowed to log in as this user.
            ///
            /// Nix type: `list of (optionally newline-terminated) single-line string`.
            /// Default: `[ ]`. Declared in `nixos/modules/services/networking/ssh/sshd.nix`.
            pub fn authorized_keys(&self) -> Opt<Vec<String>> {
                Opt::at(self.path.join(["openssh", "authorizedKeys", "keys"]))
            }
        }
    }

    pub mod groups {
        use super::super::*;
        use crate::option::OptionPath;

        /// `users.groups.<name>`: the group `name`.
        pub fn group(name: &str) -> Group {
            Group {
                path: OptionPath::Static(&["users", "groups"]).join([name]),
            }
        }

        /// The options of one entry of `users.groups`.
        #[derive(Clone, Debug)]
        pub struct Group {
            path: OptionPath,
        }

        impl Group {
            /// The user names of the group's members, added to `/etc/group`.
            ///
            /// Nix type: `list of (string, not containing newlines or colons)`. Default: `[ ]`.
            /// Declared in `nixos/modules/config/users-groups.nix`.
            pub fn members(&self) -> Opt<Vec<String>> {
                Opt::at(self.path.join(["members"]))
            }
        }
    }
}

pub mod services {
    pub mod openssh {
        use super::super::*;
        /// Whether to enable the OpenSSH secure shell daemon, which allows secure remote
        /// logins.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `nixos/modules/services/networking/ssh/sshd.nix`.
        pub const enable: Opt<bool> = Opt::new(&["services", "openssh", "enable"]);
        /// The ports the SSH daemon listens on.
        ///
        /// Nix type: `list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)`.
        /// Default: `[ 22 ]`. Declared in `nixos/modules/services/networking/ssh/sshd.nix`.
        pub const ports: Opt<Vec<u16>> = Opt::new(&["services", "openssh", "ports"]);
        /// Whether the firewall opens the SSH ports automatically.
        ///
        /// Nix type: `boolean`. Default: `true`.
        /// Declared in `nixos/modules/services/networking/ssh/sshd.nix`.
        pub const open_firewall: Opt<bool> = Opt::new(&["services", "openssh", "openFirewall"]);

        pub mod settings {
            use super::super::super::*;

            /// Whether password authentication is allowed (`sshd_config`'s
            /// `PasswordAuthentication`).
            ///
            /// Nix type: `null or boolean`. Default: `true`.
            /// Declared in `nixos/modules/services/networking/ssh/sshd.nix`.
            pub const password_authentication: Opt<NullOr<bool>> =
                Opt::new(&["services", "openssh", "settings", "PasswordAuthentication"]);
            /// Whether root may log in over SSH, and how (`sshd_config`'s `PermitRootLogin`).
            ///
            /// Nix type: `null or one of "yes", "without-password", "prohibit-password", "forced-commands-only", "no"`.
            /// Default: `"prohibit-password"`.
            /// Declared in `nixos/modules/services/networking/ssh/sshd.nix`.
            pub const permit_root_login: Opt<NullOr<PermitRootLogin>> =
                Opt::new(&["services", "openssh", "settings", "PermitRootLogin"]);

            crate::bindings::option_enum! {
                /// The values of `services.openssh.settings.PermitRootLogin`.
                PermitRootLogin {
                    Yes => "yes",
                    WithoutPassword => "without-password",
                    ProhibitPassword => "prohibit-password",
                    ForcedCommandsOnly => "forced-commands-only",
                    No => "no",
                }
            }
        }
    }

    pub mod xserver {
        use super::super::*;
        /// Whether to enable the X server.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `nixos/modules/services/x11/xserver.nix`.
        pub const enable: Opt<bool> = Opt::new(&["services", "xserver", "enable"]);
    }

    pub mod display_manager {
        pub mod sddm {
            use super::super::super::*;
            /// Whether to enable SDDM, the Simple Desktop Display Manager, as the display
            /// manager.
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/services/display-managers/sddm.nix`.
            pub const enable: Opt<bool> =
                Opt::new(&["services", "displayManager", "sddm", "enable"]);
            /// Whether SDDM runs as a Wayland compositor instead of on X11.
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/services/display-managers/sddm.nix`.
            pub const wayland_enable: Opt<bool> =
                Opt::new(&["services", "displayManager", "sddm", "wayland", "enable"]);
        }
    }

    pub mod desktop_manager {
        pub mod plasma6 {
            use super::super::super::*;
            /// Whether to enable the Plasma 6 (KDE 6) desktop environment.
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/services/desktop-managers/plasma6.nix`.
            pub const enable: Opt<bool> =
                Opt::new(&["services", "desktopManager", "plasma6", "enable"]);
        }
    }
}

pub mod virtualisation {
    pub mod docker {
        use super::super::*;

        /// Whether to enable the Docker daemon, which manages containers. Users in the
        /// `docker` group can talk to it.
        ///
        /// Nix type: `boolean`. Default: `false`.
        /// Declared in `nixos/modules/virtualisation/docker.nix`.
        pub const enable: Opt<bool> = Opt::new(&["virtualisation", "docker", "enable"]);
        /// The storage driver Docker uses; `null` lets Docker pick one.
        ///
        /// Nix type: `null or one of "aufs", "btrfs", "devicemapper", "overlay", "overlay2", "zfs"`.
        /// Default: `null`. Declared in `nixos/modules/virtualisation/docker.nix`.
        pub const storage_driver: Opt<NullOr<StorageDriver>> =
            Opt::new(&["virtualisation", "docker", "storageDriver"]);

        crate::bindings::option_enum! {
            /// The values of `virtualisation.docker.storageDriver`.
            StorageDriver {
                Aufs => "aufs",
                Btrfs => "btrfs",
                Devicemapper => "devicemapper",
                Overlay => "overlay",
                Overlay2 => "overlay2",
                Zfs => "zfs",
            }
        }

        pub mod auto_prune {
            use super::super::super::*;
            /// Whether to prune Docker resources periodically (`docker system prune`).
            ///
            /// Nix type: `boolean`. Default: `false`.
            /// Declared in `nixos/modules/virtualisation/docker.nix`.
            pub const enable: Opt<bool> =
                Opt::new(&["virtualisation", "docker", "autoPrune", "enable"]);
        }
    }
}
