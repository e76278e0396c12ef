//! Option bindings from options.json: the reader, the type-string parser, the code
//! generator and the coverage report.

mod docs;
pub mod generate;
pub mod json;
mod naming;
mod option_tree;
pub mod report;
mod rust_types;
pub mod types;

pub use generate::{generate, GenerateConfig, Generated};
pub use json::{read_options, OptionDoc};
pub use types::{parse_type, OptionType};
