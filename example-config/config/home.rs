//! Home Manager users.

use flakesmith::prelude::*;
use flakesmith::NixValue;
use flakesmith_home::{home, programs};

/// Git settings beyond name and email, typed by this configuration: each field is a
/// section of `~/.config/git/config`.
#[derive(NixValue)]
pub struct GitConfig {
    pub init: GitInit,
    pub pull: GitPull,
    pub push: GitPush,
}

#[derive(NixValue)]
pub struct GitInit {
    pub default_branch: String,
}

#[derive(NixValue)]
pub struct GitPull {
    pub rebase: bool,
}

#[derive(NixValue)]
pub struct GitPush {
    pub auto_setup_remote: bool,
}

/// Alice: git, bash, direnv and a few command-line tools.
pub fn alice() -> User {
    User::new("alice", "24.05")
        .set(programs::home_manager::enable, true)
        .set(programs::git::enable, true)
        .set(programs::git::user_name, "Alice Example")
        .set(programs::git::user_email, "alice@example.org")
        .set(
            programs::git::aliases,
            [("st", "status --short"), ("lg", "log --oneline --graph")],
        )
        .set(
            programs::git::extra_config,
            GitConfig {
                init: GitInit {
                    default_branch: "main".into(),
                },
                pull: GitPull { rebase: true },
                push: GitPush {
                    auto_setup_remote: true,
                },
            },
        )
        .set(programs::bash::enable, true)
        .set(programs::direnv::enable, true)
        .set(
            home::packages,
            [
                Package::new("ripgrep"),
                Package::new("fd"),
                Package::new("jq"),
            ],
        )
        .set(home::session_variables, [("EDITOR", "nvim")])
}
