//! Home Manager users.

use flakesmith::home::{home, programs};
use flakesmith::prelude::*;

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
