//! The fleet as a Mermaid flowchart: hosts (grouped by their first tag, with their
//! deployment target), the modules they import (grouped by category), and their Home
//! Manager users with the Home Manager modules each imports. GitHub renders a ```` ```mermaid ```` block as the picture.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::plan::{Plan, PlannedModule};

/// A Mermaid node id: letters, digits and `_` only.
fn id(kind: &str, name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{kind}_{safe}")
}

/// A quoted Mermaid label.
fn label(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "#quot;"))
}

fn module_label(planned: &PlannedModule) -> (String, String) {
    let module = planned.module;
    match &module.external {
        Some(external) => (
            "inputs".to_owned(),
            format!("{}.{}", external.input, external.attribute.join(".")),
        ),
        None => (module.category.to_string(), module.name.clone()),
    }
}

pub(super) fn mermaid(plan: &Plan) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut by_tag: BTreeMap<Option<&str>, Vec<String>> = BTreeMap::new();
    for planned in &plan.hosts {
        let host = planned.host;
        let mut text = host.name.clone();
        if let Some(deployment) = &host.deployment {
            text.push_str(&format!("<br/>{}", deployment.target));
        }
        if host.tags.len() > 1 {
            let tags: Vec<String> = host.tags[1..]
                .iter()
                .map(|(t, _)| format!("@{t}"))
                .collect();
            text.push_str(&format!("<br/>{}", tags.join(" ")));
        }
        let first_tag = host.tags.first().map(|(tag, _)| tag.as_str());
        by_tag.entry(first_tag).or_default().push(format!(
            "{}[{}]",
            id("host", &host.name),
            label(&text)
        ));
    }
    for (tag, hosts) in &by_tag {
        match tag {
            Some(tag) => {
                let _ = writeln!(
                    out,
                    "  subgraph {}[{}]",
                    id("tag", tag),
                    label(&format!("@{tag}"))
                );
                for host in hosts {
                    let _ = writeln!(out, "    {host}");
                }
                out.push_str("  end\n");
            }
            None => {
                for host in hosts {
                    let _ = writeln!(out, "  {host}");
                }
            }
        }
    }
    let mut by_category: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for planned in &plan.modules {
        let (category, name) = module_label(planned);
        let node = id(&format!("module_{category}"), &name);
        by_category.entry(category).or_default().push((node, name));
    }
    for (category, modules) in &by_category {
        let _ = writeln!(
            out,
            "  subgraph {}[{}]",
            id("category", category),
            label(category)
        );
        for (node, name) in modules {
            let _ = writeln!(out, "    {node}[{}]", label(name));
        }
        out.push_str("  end\n");
    }
    if !plan.users.is_empty() {
        let _ = writeln!(
            out,
            "  subgraph home_manager[{}]",
            label("Home Manager users")
        );
        for planned in &plan.users {
            let name = &planned.user.name;
            let _ = writeln!(out, "    {}([{}])", id("user", name), label(name));
        }
        out.push_str("  end\n");
    }
    for planned in &plan.hosts {
        let host = id("host", &planned.host.name);
        for module in plan.imports_of(planned) {
            let (category, name) = module_label(module);
            let _ = writeln!(
                out,
                "  {host} --> {}",
                id(&format!("module_{category}"), &name)
            );
        }
        for user in plan.users_of(planned) {
            let _ = writeln!(out, "  {host} --> {}", id("user", &user.user.name));
        }
    }
    // The modules modules import, and the Home Manager modules each user imports.
    let module_id = |index: usize| {
        let (category, name) = module_label(&plan.modules[index]);
        id(&format!("module_{category}"), &name)
    };
    let importers = plan
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (module_id(i), &m.imports))
        .chain(
            plan.users
                .iter()
                .map(|u| (id("user", &u.user.name), &u.imports)),
        );
    for (from, imports) in importers {
        for &i in imports {
            let _ = writeln!(out, "  {from} --> {}", module_id(i));
        }
    }
    out
}
