//! Parsing `#[nix(...)]` attributes, kept apart from code generation.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr};

use crate::case::Case;
use crate::ctxt::Ctxt;

/// Options on the struct or enum itself.
#[derive(Default)]
pub struct ContainerAttrs {
    pub rename_all: Option<Case>,
}

/// Options on a field or a variant.
#[derive(Default)]
pub struct ItemAttrs {
    pub rename: Option<String>,
}

/// Options on a `#[derive(NixModule)]` struct.
pub struct ModuleAttrs {
    /// `system`, `services` or `desktop`, with the span of the literal.
    pub category: (String, proc_macro2::Span),
    pub name: Option<String>,
    pub namespace: Vec<String>,
    pub rename_all: Option<Case>,
}

/// Options on a field of a `#[derive(NixModule)]` struct.
#[derive(Default)]
pub struct OptionAttrs {
    pub rename: Option<String>,
    pub default: Option<TokenStream>,
    pub example: Option<TokenStream>,
}

/// Calls `each` for every `key = value` or `key` inside the `#[nix(...)]` attributes,
/// recording errors in `cx` (an error ends the attribute it is in, not the others).
/// A key given twice is an error at the second: one would silently replace the other.
fn for_each_nix_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut each: impl FnMut(&syn::meta::ParseNestedMeta) -> syn::Result<()>,
) {
    let mut seen: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("nix")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = path_text(&meta.path);
            if seen.contains(&key) {
                // Consume the value so parsing can go on past it.
                if meta.input.peek(syn::Token![=]) {
                    let _ = expression_tokens(&meta, &key);
                }
                return Err(meta.error(format!(
                    "`{key}` is given twice; one would silently replace the other"
                )));
            }
            seen.push(key);
            if let Err(error) = each(&meta) {
                // Record it and skip the value, so the other keys are still read.
                cx.syn_error(error);
                if meta.input.peek(syn::Token![=]) {
                    let _ = expression_tokens(&meta, "value");
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

fn string_value(meta: &syn::meta::ParseNestedMeta, key: &str) -> syn::Result<LitStr> {
    let value = meta.value()?;
    let expr: syn::Expr = value.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a string literal, as in `{key} = \"...\"`"),
        )),
    }
}

/// The value of `rename_all = "..."`, one of the known conventions.
fn case_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<Case> {
    let lit = string_value(meta, "rename_all")?;
    Case::from_name(&lit.value()).ok_or_else(|| {
        syn::Error::new(
            lit.span(),
            format!(
                "unknown `rename_all` convention; expected one of {}",
                Case::NAMES
            ),
        )
    })
}

pub fn container(cx: &Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for_each_nix_meta(cx, attrs, |meta| {
        if meta.path.is_ident("rename_all") {
            out.rename_all = Some(case_value(meta)?);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown `nix` attribute `{}` here; expected `rename_all`",
                path_text(&meta.path)
            )))
        }
    });
    out
}

pub fn item(cx: &Ctxt, attrs: &[Attribute], what: &str) -> ItemAttrs {
    let mut out = ItemAttrs::default();
    for_each_nix_meta(cx, attrs, |meta| {
        if meta.path.is_ident("rename") {
            let lit = string_value(meta, "rename")?;
            if lit.value().is_empty() || lit.value().contains('\0') {
                return Err(syn::Error::new(
                    lit.span(),
                    "`rename` must be a non-empty name without NUL",
                ));
            }
            out.rename = Some(lit.value());
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown `nix` attribute `{}` on a {what}; expected `rename`",
                path_text(&meta.path)
            )))
        }
    });
    out
}

/// The module's options; `None` (with the errors in `cx`) when a required one is
/// missing or invalid.
pub fn module(cx: &Ctxt, input: &syn::DeriveInput) -> Option<ModuleAttrs> {
    let (mut category, mut name, mut namespace, mut rename_all) = (None, None, None, None);
    for_each_nix_meta(cx, &input.attrs, |meta| {
        if meta.path.is_ident("category") {
            let lit = string_value(meta, "category")?;
            // Given, even if wrong: one error for it, not a second saying it is missing.
            category = Some((lit.value(), lit.span()));
            if !["system", "services", "desktop", "home"].contains(&lit.value().as_str()) {
                return Err(syn::Error::new(
                    lit.span(),
                    "unknown category; expected \"system\", \"services\", \"desktop\" or \"home\" (a Home Manager module)",
                ));
            }
        } else if meta.path.is_ident("name") {
            let lit = string_value(meta, "name")?;
            name = Some(lit.value());
        } else if meta.path.is_ident("namespace") {
            let lit = string_value(meta, "namespace")?;
            let segments: Vec<String> = lit.value().split('.').map(str::to_owned).collect();
            if segments.iter().any(|s| s.is_empty() || s.contains('\0')) {
                return Err(syn::Error::new(
                    lit.span(),
                    "`namespace` is a dotted option path such as \"fleet.docker\"",
                ));
            }
            namespace = Some(segments);
        } else if meta.path.is_ident("rename_all") {
            rename_all = Some(case_value(meta)?);
        } else {
            return Err(meta.error(format!(
                "unknown `nix` attribute `{}` on a module; expected `category`, `name`, `namespace` or `rename_all`",
                path_text(&meta.path)
            )));
        }
        Ok(())
    });
    let missing = |what: &str, example: &str| {
        cx.error_spanned_by(
            &input.ident,
            format!("`#[derive(NixModule)]` needs `#[nix({what} = {example})]` on the struct"),
        );
    };
    if category.is_none() {
        missing("category", "\"services\"");
    }
    if namespace.is_none() {
        missing("namespace", "\"fleet.docker\"");
    }
    Some(ModuleAttrs {
        category: category?,
        name,
        namespace: namespace?,
        rename_all,
    })
}

pub fn option(cx: &Ctxt, attrs: &[Attribute]) -> OptionAttrs {
    let mut out = OptionAttrs::default();
    for_each_nix_meta(cx, attrs, |meta| {
        if meta.path.is_ident("rename") {
            out.rename = Some(string_value(meta, "rename")?.value());
        } else if meta.path.is_ident("default") {
            out.default = Some(expression_tokens(meta, "default")?);
        } else if meta.path.is_ident("example") {
            out.example = Some(expression_tokens(meta, "example")?);
        } else {
            return Err(meta.error(format!(
                "unknown `nix` attribute `{}` on an option field; expected `default`, `example` or `rename`",
                path_text(&meta.path)
            )));
        }
        Ok(())
    });
    out
}

/// The tokens of `key = <expression>` up to the next top-level comma.
///
/// The expression is not parsed here: it is emitted as written, converted through
/// `IntoValue` with its own span, so rustc type-checks it against the field and reports
/// a mismatch at the user's expression. (Parsing arbitrary expressions would need syn's
/// `full` feature, which costs every user compile time.)
fn expression_tokens(meta: &syn::meta::ParseNestedMeta, key: &str) -> syn::Result<TokenStream> {
    let input = meta.value()?;
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(syn::Token![,]) {
        let tree: proc_macro2::TokenTree = input.parse()?;
        tokens.extend([tree]);
    }
    if tokens.is_empty() {
        return Err(meta.error(format!("`{key}` needs a value, as in `{key} = ...`")));
    }
    Ok(tokens)
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
