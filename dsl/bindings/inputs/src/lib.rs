#![doc = include_str!("../README.md")]
#![doc(html_no_source)]
// Modules follow option paths, and some repeat a segment (`disko.devices` under `disko`).
#![allow(clippy::module_inception)]

/// sops-nix's NixOS module (`sops.*`).
#[cfg(feature = "sops-nix")]
#[rustfmt::skip]
pub mod sops_nix;
/// agenix's NixOS module (`age.*`).
#[cfg(feature = "agenix")]
#[rustfmt::skip]
pub mod agenix;
/// disko's NixOS module (`disko.*`).
#[cfg(feature = "disko")]
#[rustfmt::skip]
pub mod disko;
/// impermanence's NixOS module (`environment.persistence.*`).
#[cfg(feature = "impermanence")]
#[rustfmt::skip]
pub mod impermanence;
