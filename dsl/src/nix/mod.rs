//! The Nix intermediate representation and its printer.
//!
//! Everything flakesmith writes goes through [`Expr`]. Its leaf types validate on
//! construction, so a value Nix cannot represent (NaN, a string with NUL, a path that
//! is not a path literal) is an error when it is made, never text on disk.

mod escape;
mod expr;
mod print;
mod raw;
mod scope;

pub use escape::{double_quoted, is_plain_identifier, quote_attr_name, KEYWORDS};
pub use expr::{Attrs, Expr, Formals, Ident, NixFloat, NixPath, NixString, ValueError};
pub use print::{print_comment, print_expr, print_file};
pub use raw::{analyse as analyse_raw, RawShape};
pub use scope::{free_variables, names_under_with};
