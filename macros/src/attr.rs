//! Parsing `#[nix(...)]` attributes, kept apart from code generation.

use syn::spanned::Spanned;
use syn::{Attribute, LitStr};

use crate::case::Case;

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

/// Calls `each` for every `key = value` or `key` inside the `#[nix(...)]` attributes.
fn for_each_nix_meta(
    attrs: &[Attribute],
    mut each: impl FnMut(syn::meta::ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("nix")) {
        attr.parse_nested_meta(&mut each)?;
    }
    Ok(())
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

pub fn container(attrs: &[Attribute]) -> syn::Result<ContainerAttrs> {
    let mut out = ContainerAttrs::default();
    for_each_nix_meta(attrs, |meta| {
        if meta.path.is_ident("rename_all") {
            let lit = string_value(&meta, "rename_all")?;
            out.rename_all = Some(Case::from_name(&lit.value()).ok_or_else(|| {
                syn::Error::new(
                    lit.span(),
                    format!(
                        "unknown `rename_all` convention; expected one of {}",
                        Case::NAMES
                    ),
                )
            })?);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown `nix` attribute `{}` here; expected `rename_all`",
                path_text(&meta.path)
            )))
        }
    })?;
    Ok(out)
}

pub fn item(attrs: &[Attribute], what: &str) -> syn::Result<ItemAttrs> {
    let mut out = ItemAttrs::default();
    for_each_nix_meta(attrs, |meta| {
        if meta.path.is_ident("rename") {
            let lit = string_value(&meta, "rename")?;
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
    })?;
    Ok(out)
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
