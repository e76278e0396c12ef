//! The typed configuration as a library, so that tests and tools can compile it the same
//! way `build.rs` does.

#[path = "../config/mod.rs"]
pub mod config;
