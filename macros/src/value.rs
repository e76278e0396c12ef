//! `#[derive(NixValue)]`: code generation.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::attr;
use crate::case::Case;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let container = attr::container(&input.attrs)?;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`NixValue` cannot be derived for generic types; use a concrete type",
        ));
    }
    let body = match &input.data {
        Data::Struct(data) => {
            struct_body(&data.fields, container.rename_all.unwrap_or(Case::Camel))?
        }
        Data::Enum(data) => enum_body(data, container.rename_all.unwrap_or(Case::Kebab))?,
        Data::Union(data) => {
            return Err(syn::Error::new(
                data.union_token.span,
                "`NixValue` cannot be derived for unions; use a struct or an enum",
            ))
        }
    };
    let name = &input.ident;
    Ok(quote! {
        impl ::flakesmith::ToNix for #name {
            fn to_nix(&self) -> ::core::result::Result<::flakesmith::nix::Expr, ::flakesmith::nix::ValueError> {
                #body
            }
        }

        impl ::flakesmith::IntoValue<#name> for #name {
            fn into_value(self) -> #name {
                self
            }
        }
    })
}

/// A struct with named fields becomes an attribute set.
fn struct_body(fields: &Fields, case: Case) -> syn::Result<TokenStream> {
    let Fields::Named(named) = fields else {
        return Err(syn::Error::new_spanned(
            fields,
            "`NixValue` needs named fields: a tuple or unit struct has no attribute names to become a Nix attribute set",
        ));
    };
    let mut inserts = Vec::new();
    for field in &named.named {
        let options = attr::item(&field.attrs, "field")?;
        let ident = field.ident.as_ref().expect("named fields have names");
        let key = options
            .rename
            .unwrap_or_else(|| case.apply(&ident.to_string()));
        inserts.push(quote! {
            attrs.insert(#key, ::flakesmith::ToNix::to_nix(&self.#ident)?);
        });
    }
    Ok(quote! {
        let mut attrs = ::flakesmith::nix::Attrs::new();
        #(#inserts)*
        ::core::result::Result::Ok(::flakesmith::nix::Expr::Attrs(attrs))
    })
}

/// An enum of unit variants becomes a string, as `types.enum` values are.
fn enum_body(data: &syn::DataEnum, case: Case) -> syn::Result<TokenStream> {
    if data.variants.is_empty() {
        return Err(syn::Error::new(
            data.enum_token.span,
            "`NixValue` needs at least one variant: an empty enum has no value to write",
        ));
    }
    let mut arms = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                &variant.fields,
                "`NixValue` enums become Nix strings, so every variant must be a unit variant without fields",
            ));
        }
        let options = attr::item(&variant.attrs, "variant")?;
        let ident = &variant.ident;
        let text = options
            .rename
            .unwrap_or_else(|| case.apply(&ident.to_string()));
        arms.push(quote! { Self::#ident => #text });
    }
    Ok(quote! {
        ::flakesmith::nix::Expr::string(match self { #(#arms,)* })
    })
}
