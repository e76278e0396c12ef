//! The bindings generator (behind the `generator` feature): reads options.json, parses
//! its type strings, writes the Rust bindings and reports their coverage. Configurations
//! compile the bindings it wrote, never this module.

mod docs;
pub mod generate;
pub mod index;
mod index_text;
pub mod json;
pub(crate) mod naming;
mod option_tree;
pub mod renames;
pub mod report;
mod rust_types;
pub mod sync;
pub mod types;

pub use generate::{feature_name, generate, GenerateConfig, Generated, MAX_FILE_BYTES};
pub use index::{Binding, Index};
pub use json::{read_options, OptionDoc};
pub use renames::{renames, Rename};
pub use types::{parse_type, OptionType};
