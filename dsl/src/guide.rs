//! The guide: how to write, import, type, deploy and debug a configuration with
//! flakesmith, chapter by chapter.
//!
//! These modules hold documentation only; every Rust example in them is a doctest, so the
//! guide is compiled and run with the crate it describes (`cargo test -p flakesmith
//! --doc`). Read them with `cargo doc -p flakesmith --open`, or as Markdown in
//! `dsl/guide/` of the repository.
//!
//! | chapter | what it covers |
//! |---|---|
//! | [`writing`] | hosts, modules with options of their own, priorities, values, users, Home Manager, inputs, special arguments, packages, secrets |
//! | [`importing`] | `flakesmith import`: what it reads and writes, the report, the corpus of real flakes |
//! | [`bindings`] | the option bindings: release lines, features, bindings from your own pin |
//! | [`deploying`] | `nixos-rebuild`, colmena and deploy-rs, the fleet graph |
//! | [`diagnostics`] | every check, every diagnostic code (`flakesmith explain <code>`), bad input |
//! | [`internals`] | robustness, the crates, the tests, the validators and their licences |

#[doc = include_str!("../guide/writing.md")]
pub mod writing {}

#[doc = include_str!("../guide/importing.md")]
pub mod importing {}

#[doc = include_str!("../guide/bindings.md")]
pub mod bindings {}

#[doc = include_str!("../guide/deploying.md")]
pub mod deploying {}

#[doc = include_str!("../guide/diagnostics.md")]
pub mod diagnostics {}

#[doc = include_str!("../guide/internals.md")]
pub mod internals {}
