//! `#[derive(NixValue)]`: code generation.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::attr;
use crate::case::Case;
use crate::docs::doc_text;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let container = attr::container(&input.attrs)?;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`NixValue` cannot be derived for generic types; use a concrete type",
        ));
    }
    let (body, nix_type) = match &input.data {
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

        ::flakesmith::value::value_of_itself!(#name);

        impl ::flakesmith::NixType for #name {
            type Value = #name;
            fn nix_type() -> ::flakesmith::nix::Expr {
                #nix_type
            }
        }
    })
}

/// A struct with named fields becomes an attribute set; its option type is a submodule.
fn struct_body(fields: &Fields, case: Case) -> syn::Result<(TokenStream, TokenStream)> {
    let Fields::Named(named) = fields else {
        return Err(syn::Error::new_spanned(
            fields,
            "`NixValue` needs named fields: a tuple or unit struct has no attribute names to become a Nix attribute set",
        ));
    };
    let mut inserts = Vec::new();
    let mut declarations = Vec::new();
    for field in &named.named {
        let options = attr::item(&field.attrs, "field")?;
        let ident = field.ident.as_ref().expect("named fields have names");
        let key = options
            .rename
            .unwrap_or_else(|| case.apply(&ident.to_string()));
        inserts.push(quote! {
            attrs.insert(#key, ::flakesmith::ToNix::to_nix(&self.#ident)?);
        });
        let (ty, description) = (&field.ty, doc_text(&field.attrs));
        declarations.push(quote!(::flakesmith::OptionDecl::of::<#ty>(#key, #description)));
    }
    let body = quote! {
        let mut attrs = ::flakesmith::nix::Attrs::new();
        #(#inserts)*
        ::core::result::Result::Ok(::flakesmith::nix::Expr::Attrs(attrs))
    };
    let nix_type = quote!(::flakesmith::module_options::submodule_type(
        vec![#(#declarations),*]
    ));
    Ok((body, nix_type))
}

/// An enum of unit variants becomes a string, as `types.enum` values are.
fn enum_body(data: &syn::DataEnum, case: Case) -> syn::Result<(TokenStream, TokenStream)> {
    if data.variants.is_empty() {
        return Err(syn::Error::new(
            data.enum_token.span,
            "`NixValue` needs at least one variant: an empty enum has no value to write",
        ));
    }
    let mut arms = Vec::new();
    let mut texts = Vec::new();
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
        texts.push(text);
    }
    let body = quote! {
        ::flakesmith::nix::Expr::string(match self { #(#arms,)* })
    };
    let nix_type = quote!(::flakesmith::module_options::enum_type(&[#(#texts),*]));
    Ok((body, nix_type))
}
