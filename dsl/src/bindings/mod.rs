//! Typed option bindings, in the shape the options.json generator produces: one module
//! per attribute-path segment, one `const` handle per option, rustdoc with the option's
//! description, Nix type, default and declaring file.
//!
//! This hand-kept set covers what the example configuration and the templates use.
//! Options under a `<name>` placeholder (`users.users.<name>`) are reached through a
//! function taking the name.

// Modules follow option paths, and some paths repeat a segment (`users.users`,
// Home Manager's `home.*` under `home`).
#![allow(clippy::module_inception)]

pub mod home;
pub mod nixos;
