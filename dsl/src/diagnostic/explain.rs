//! `flakesmith explain CODE`: what a diagnostic code means and what to do about it, as
//! rustc's `--explain` does. Every code has its summary; the codes a user meets most
//! have a longer explanation here, and every code points at the guide's chapter.

use super::{Kind, Severity};
use crate::model::Lint;

impl Kind {
    /// The kind whose code is `code` (`duplicate-host`), if any.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|kind| kind.code() == code)
    }

    /// The lint that silences this kind, for the kinds a configuration may allow.
    pub fn lint(self) -> Option<Lint> {
        Lint::ALL
            .iter()
            .copied()
            .find(|lint| Kind::from(*lint) == self)
    }

    /// The whole explanation `flakesmith explain` prints.
    pub fn explain(self) -> String {
        let severity = match self.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut paragraphs = Vec::new();
        paragraphs.extend(more(self).map(str::to_owned));
        if let Some(lint) = self.lint() {
            paragraphs.push(format!(
                "Where it is deliberate, `.allow(Lint::{lint:?})` on the host, module or user \
                 that makes it silences it there."
            ));
        }
        paragraphs.push(
            "Every check and every code: the guide's diagnostics chapter \
             (`flakesmith::guide::diagnostics`, dsl/guide/diagnostics.md)."
                .to_owned(),
        );
        let mut out = format!("{severity}[{}]: {}\n", self.code(), self.summary());
        for paragraph in paragraphs {
            out.push('\n');
            out.push_str(&wrap(&paragraph));
        }
        out
    }
}

/// A paragraph's words, refilled to lines of at most 88 characters (a word longer than
/// that stays whole).
fn wrap(paragraph: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 88 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The longer explanations: what the check protects against and what to do.
fn more(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::ConflictingDefinitions => {
            "Two or more definitions of one option at the same, winning priority that the
option's type cannot merge (two strings, two numbers, two different enum values), as the
NixOS module system would refuse them at `nixos-rebuild` time. The message shows every
definition with its Rust location and priority. Make the one that should win `force`
(`lib.mkForce`), or make the others `default` (`lib.mkDefault`); or remove one."
        }
        Kind::NoEffect => {
            "A definition on a host is weaker than another definition of the same option (a host's
`default` under a module's plain `set`), so the host's value is silently ignored by
Nix. Make the host's definition a plain `set`, or `force` if a module sets it too."
        }
        Kind::DuplicateHost => {
            "Two hosts of the flake have one name, or one host is added twice, or two names differ
only in case (their directories would collide on a case-insensitive file system). The
message points at the `.host(...)` calls. Rename one, or add the host once."
        }
        Kind::DuplicateModule => {
            "Two different modules have one name in one category, so both would be written to one
file under `modules/<category>/`. A module function called twice with the same
arguments makes one module; called with different arguments, or two functions using one
name, the modules clash. Give each a name of its own."
        }
        Kind::InvalidHostName => {
            "NixOS accepts host names of letters, digits, `-` and `_`, at most 63 characters,
starting and ending with a letter or digit (`networking.hostName`'s pattern); the name
is also a directory under `hosts/`. `template` is reserved for the template host the
tree ships. Choose a name that fits; a domain goes into `networking.domain`."
        }
        Kind::InvalidUserName => {
            "NixOS accepts user names matching `[a-z_][a-z0-9_-]*$?`, at most 32 characters; a
Home Manager user's name is also a file under `home/`, and `template` is reserved. Use
the lower-case account name."
        }
        Kind::HomeUserWithoutSystemUser => {
            "A Home Manager user is carried by a host that has no normal system account of that
name, so the activation would fail. Define the account
(`users::users::user(\"alice\").is_normal_user()` set to true, in a module the host imports
or on the host) or take the user off the host."
        }
        Kind::PlaintextSecret => {
            "A string given to an option whose name says it holds a secret (`password`, `token`,
`api_key`, `passwordText`, ...) would be written into the world-readable Nix store.
Reference the secret instead: the option's `...File` variant with `Secret::sops(..)`,
`Secret::agenix(..)` or a `RuntimePath`, or a hash (`hashedPassword`)."
        }
        Kind::BindingsRelease => {
            "The flake's release (`Flake::new(.., \"25.05\")`) and the release line of the option
bindings the crate depends on disagree, so the options would be typed against another
NixOS than the one the flake pins. Depend on the line the message names (the code does
not change: every NixOS line is `flakesmith_nixos`), or change the flake's release."
        }
        Kind::BindingsOlderThanRelease => {
            "The flake pins a release newer than every shipped bindings line; options added or
renamed since are unknown to the bindings. Generate bindings from your own pin (the
guide's bindings chapter) or accept the warning."
        }
        Kind::UnboundVariable => {
            "A `Raw` Nix snippet names a variable that nothing gives where it is written: no module
argument, no special argument and no `_module.args` definition, so Nix would fail with
`undefined variable`. Give it as a special argument (`Flake::special_arg` or
`Host::special_arg`), bind it inside the snippet, or write the value instead."
        }
        Kind::MaybeUnboundVariable => {
            "A `Raw` snippet names a variable that nothing flakesmith can see gives, but a hand-kept
module or another flake's module might (through `_module.args`). Check that one does,
give it as a special argument, or type the value."
        }
        Kind::InvalidNixSource => {
            "A hand-kept Nix file (a hardware configuration, `Module::nix_file`, carried outputs)
does not parse. The message quotes the line with a caret where Nix's parser stops; fix
the file (`nix-instantiate --parse FILE` shows the same error)."
        }
        Kind::MissingPath => {
            "A hand-kept file names a file by relative path that does not exist, so Nix fails where
the path is used. Add the file beside the hand-kept one, or fix the path."
        }
        Kind::ImportsAsOption => {
            "`imports` is not an option: it lists modules. Import a flakesmith module with
`.import(module)`, hand-kept Nix with `Module::nix_file`, and another flake's module
with `Module::from_input`."
        }
        Kind::FirewallDisabled => {
            "The host turns the firewall off while it runs network services (SSH, web servers,
databases, Docker, ...), so every port they open is reachable. Keep the firewall on and
open the ports those services need (`networking::firewall::allowed_tcp_ports`)."
        }
        Kind::RootLoginWithPassword => {
            "SSH lets root log in (`PermitRootLogin = \"yes\"`) while password authentication is on
(NixOS's default), so root's password can be guessed over the network. Use
`prohibit-password` (keys only), or turn password authentication off."
        }
        Kind::UnusedModule => {
            "A module registered with `Flake::module` is imported by no host, so it is written but
has no effect. Import it on the hosts that need it, or stop registering it."
        }
        Kind::InvalidSecretField => {
            "A sops-nix or agenix secret field holds a value that would fail only when the system is
built or activated: a `mode` that is not three or four octal digits (`0400`, `440`), or
a key, owner, group or mode holding a NUL. Fix the value at the Rust line the message
names."
        }
        Kind::EmittedNixInvalid => {
            "The Nix flakesmith generated does not parse: this is a bug in flakesmith, reported
instead of written. Please report it with the message."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_explains_itself() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(*kind));
            let text = kind.explain();
            let first = text.lines().next().unwrap();
            assert!(
                first.ends_with(&format!("[{}]: {}", kind.code(), kind.summary()))
                    && (first.starts_with("error[") || first.starts_with("warning[")),
                "{text}"
            );
        }
        assert_eq!(Kind::from_code("no-such-code"), None);
    }

    #[test]
    fn a_lint_says_how_to_allow_it() {
        let text = Kind::NoEffect.explain();
        assert!(text.starts_with("warning[no-effect]: "), "{text}");
        assert!(text.contains("`.allow(Lint::NoEffect)`"), "{text}");
        assert!(!Kind::DuplicateHost.explain().contains(".allow("));
    }
}
