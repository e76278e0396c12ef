/// A check a configuration may deliberately silence, on one host, module or user, with
/// `.allow(Lint::...)`. Each is a diagnostic kind (`Kind::from(lint)`), whose code the
/// diagnostic shows (`warning[firewall-disabled]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lint {
    /// A plaintext password or secret in an option that lands in the world-readable Nix
    /// store (an error unless allowed).
    PlaintextSecret,
    /// A host definition at a weaker priority than another definition of the same
    /// option, so it has no effect.
    NoEffect,
    /// A module registered with the flake that no host imports.
    UnusedModule,
    /// A desktop-category module on a host without a graphical session.
    DesktopWithoutGraphicalSession,
    /// SSH allows root logins and password authentication at once.
    RootLoginWithPassword,
    /// The firewall is off on a host that runs network services.
    FirewallDisabled,
}

impl Lint {
    /// Every lint.
    pub const ALL: &'static [Lint] = &[
        Lint::PlaintextSecret,
        Lint::NoEffect,
        Lint::UnusedModule,
        Lint::DesktopWithoutGraphicalSession,
        Lint::RootLoginWithPassword,
        Lint::FirewallDisabled,
    ];

    /// How to silence it, for help lines.
    pub fn allow_hint(self, on: &str) -> String {
        format!("if this is deliberate, add `.allow(Lint::{self:?})` to {on}")
    }
}
