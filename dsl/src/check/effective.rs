//! What a host's configuration actually defines: the definitions of its own and of the
//! modules it imports, with modules that declare options and are not enabled left out,
//! `cfg.*` references replaced by the values the host gives them (or their defaults),
//! and attribute-set values flattened into one definition per leaf.
//!
//! The checks that need the whole host (conflicts, references, secrets, lints) read
//! this instead of re-deriving it.

use std::collections::BTreeMap;

use crate::model::{Definition, Lint, Location, Merge, Module, Order, Priority};
use crate::nix::Expr;
use crate::plan::{Plan, PlannedHome, PlannedHost, PlannedUser};

/// Where a definition was made.
#[derive(Clone, Copy)]
pub(crate) enum Origin<'a> {
    /// A module the host imports.
    Module(&'a Module),
    /// The host's or user's own definitions, with the checks silenced there.
    Own(&'a [Lint]),
    /// A definition flakesmith makes on the entity's behalf (`system.stateVersion`
    /// from `Host::new`, ...), named by the constructor that asked for it.
    Generated(&'static str),
}

impl Origin<'_> {
    pub(crate) fn allows(&self, lint: Lint) -> bool {
        match self {
            Origin::Module(module) => module.allowed.contains(&lint),
            Origin::Own(allowed) => allowed.contains(&lint),
            Origin::Generated(_) => false,
        }
    }

    /// Whether the definition is the entity's own (not a module's).
    pub(crate) fn is_own(&self) -> bool {
        matches!(self, Origin::Own(_))
    }

    pub(crate) fn describe(&self, entity: &str) -> String {
        match self {
            Origin::Module(module) => format!("module `{}`", module.name),
            Origin::Own(_) => entity.to_owned(),
            Origin::Generated(constructor) => format!("{entity} (through `{constructor}`)"),
        }
    }
}

/// One definition of one leaf option path, as it applies to the host.
pub(crate) struct Leaf<'a> {
    pub path: Vec<String>,
    /// The value with `cfg.*` resolved; `None` when it depends on something the checker
    /// cannot know (an unset option without default, a function of `config`).
    pub value: Option<Expr>,
    pub priority: Priority,
    pub order: Order,
    /// How the option's type merges this definition with others.
    pub merge: Merge,
    pub location: Location,
    pub origin: Origin<'a>,
    /// Where the module system puts this definition among the others of its option
    /// (lists concatenate in this order within one `mkBefore`/normal/`mkAfter` group),
    /// as seen from the entity's own evaluation: (the module's place, the definition's
    /// place in the module).
    pub rank: (usize, usize),
    /// How many submodules the option lies in: each evaluates the definitions it is
    /// given as modules of its own, in the reverse order (see [`list_order`]).
    pub submodules: u8,
}

/// A host's or user's applicable definitions, one per leaf.
pub(crate) struct Effective<'a> {
    /// The entity, as messages name it: "host `desk`", "Home Manager user `alice`".
    pub entity: String,
    /// Checks silenced on the entity itself.
    pub allowed: &'a [Lint],
    pub leaves: Vec<Leaf<'a>>,
    /// Leaf indices by path, in definition order.
    by_path: BTreeMap<Vec<String>, Vec<usize>>,
}

/// A definition with where it came from and its place in the module system's order.
type Raw<'a> = (&'a Definition, Origin<'a>, (usize, usize));

impl<'a> Effective<'a> {
    /// The host's modules, its own definitions and the ones flakesmith adds, ranked in
    /// the module system's order ([`merge_order`]: proven against the real lib in
    /// `tests/tests/merging.rs`).
    pub(crate) fn of_host(plan: &'a Plan<'a>, planned: &'a PlannedHost<'a>) -> Self {
        let host = planned.host;
        let own = Origin::Own(&host.allowed);
        // The host's own definitions are its file's, or a module of its imports where the
        // Rust put them (`Host::own_definitions_here`).
        let own_file = if planned.definitions_after.is_some() {
            File::Definitions
        } else {
            File::Entity
        };
        let host_imports = |indices: &[usize]| -> Vec<File> {
            indices
                .iter()
                .map(|&i| match planned.nested.get(&i) {
                    Some(&levels) if levels > 0 => File::Nested(i, levels),
                    _ => File::Module(i),
                })
                .collect()
        };
        let order = merge_order(&[File::Entity], |file| match file {
            File::Entity => match planned.definitions_after {
                Some(ahead) => {
                    let ahead = ahead.min(planned.imports.len());
                    let mut files = host_imports(&planned.imports[..ahead]);
                    files.push(File::Definitions);
                    files.extend(host_imports(&planned.imports[ahead..]));
                    files
                }
                None => host_imports(&planned.imports),
            },
            File::Nested(i, 1) => vec![File::Module(i)],
            File::Nested(i, levels) => vec![File::Nested(i, levels - 1)],
            File::Module(i) => modules(&plan.modules[i].imports),
            File::Entry | File::Additions | File::Definitions => Vec::new(),
        });
        let mut raw: Vec<Raw<'a>> = Vec::new();
        for (group, file) in reading_order(order) {
            match file {
                File::Module(i) => module_definitions(plan.modules[i].module, group, &mut raw),
                // The host's own definitions, then the ones `Host::new` adds.
                file if file == own_file => {
                    let generated = planned
                        .generated
                        .iter()
                        .map(|d| (d, Origin::Generated("Host::new")));
                    let definitions = host.definitions.iter().map(|d| (d, own)).chain(generated);
                    raw.extend(
                        definitions
                            .enumerate()
                            .map(|(j, (d, origin))| (d, origin, (group, j))),
                    );
                }
                _ => {}
            }
        }
        Self::from_raw(format!("host `{}`", host.name), &host.allowed, &raw)
    }

    /// A Home Manager user's definitions, with the ones flakesmith adds (written first),
    /// the Home Manager modules every user gets and the ones the user imports, and, on a
    /// host that adds to the user, that host's additions and their modules, ranked in the
    /// module system's order ([`merge_order`]) inside the user's submodule: Home
    /// Manager's modules and `sharedModules` come first, then the user's entry, which is
    /// `home/<user>.nix` or, on a host that adds to the user, a module importing it and
    /// the host's `home-<user>.nix` (proven against the real lib in `tests/tests/home.rs`).
    pub(crate) fn of_user(
        plan: &'a Plan<'a>,
        planned: &'a PlannedUser<'a>,
        on_host: Option<(&str, &'a PlannedHome<'a>)>,
    ) -> Self {
        let user = planned.user;
        let mut entity = format!("Home Manager user `{}`", user.name);
        let mut initial = modules(&plan.shared_home);
        initial.push(if on_host.is_some() {
            File::Entry
        } else {
            File::Entity
        });
        let order = merge_order(&initial, |file| match file {
            File::Entry => vec![File::Entity, File::Additions],
            File::Entity => modules(&planned.imports),
            File::Additions => on_host.map_or_else(Vec::new, |(_, home)| modules(&home.imports)),
            File::Module(i) => modules(&plan.modules[i].imports),
            // Users import no module nested.
            File::Definitions | File::Nested(..) => Vec::new(),
        });
        let mut raw: Vec<Raw<'a>> = Vec::new();
        for (group, file) in reading_order(order) {
            match file {
                File::Module(i) => module_definitions(plan.modules[i].module, group, &mut raw),
                File::Entry | File::Definitions | File::Nested(..) => {}
                // `home/<user>.nix`: the definitions flakesmith adds, then the user's.
                File::Entity => {
                    let generated = planned
                        .generated
                        .iter()
                        .map(|d| (d, Origin::Generated("User::new")));
                    let own = user
                        .definitions
                        .iter()
                        .map(|d| (d, Origin::Own(&user.allowed)));
                    raw.extend(
                        generated
                            .chain(own)
                            .enumerate()
                            .map(|(j, (d, origin))| (d, origin, (group, j))),
                    );
                }
                File::Additions => {
                    if let Some((_, home)) = on_host {
                        let additions = home.additions;
                        raw.extend(
                            additions
                                .definitions
                                .iter()
                                .enumerate()
                                .map(|(j, d)| (d, Origin::Own(&additions.allowed), (group, j))),
                        );
                    }
                }
            }
        }
        if let Some((host, _)) = on_host {
            entity.push_str(&format!(" on host `{host}`"));
        }
        Self::from_raw(entity, &user.allowed, &raw)
    }

    fn from_raw(entity: String, allowed: &'a [Lint], raw: &[Raw<'a>]) -> Self {
        let mut leaves = Vec::new();
        for (definition, origin, rank) in raw {
            let cfg = match origin {
                Origin::Module(module) if module.options.is_some() => {
                    match module_cfg(module, raw) {
                        Some(cfg) => Some(cfg),
                        None => continue, // not enabled on this host: its config does not apply
                    }
                }
                _ => None,
            };
            let resolve = |expr: &Expr| match &cfg {
                Some(cfg) => substitute(expr, cfg),
                None => Some(expr.clone()),
            };
            if let Some(condition) = &definition.condition {
                if resolve(condition) != Some(Expr::Bool(true)) {
                    continue; // false, or not known to be true: not a definition we can judge
                }
            }
            let value = definition.value.as_ref().ok().and_then(resolve);
            let mut flat = Vec::new();
            let at = (definition.path.segments(), definition.submodules);
            flatten(at, value, definition.merge, &mut flat);
            for (path, value, merge, submodules) in flat {
                leaves.push(Leaf {
                    path,
                    value,
                    priority: definition.priority,
                    order: definition.order,
                    merge,
                    location: definition.location,
                    origin: *origin,
                    rank: *rank,
                    submodules,
                });
            }
        }
        let mut by_path: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (index, leaf) in leaves.iter().enumerate() {
            by_path.entry(leaf.path.clone()).or_default().push(index);
        }
        Effective {
            entity,
            allowed,
            leaves,
            by_path,
        }
    }

    /// The leaves of one path, in definition order.
    pub(crate) fn leaves_at(&self, path: &[&str]) -> Vec<&Leaf<'a>> {
        let key: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        self.by_path
            .get(&key)
            .map(|ix| ix.iter().map(|i| &self.leaves[*i]).collect())
            .unwrap_or_default()
    }

    /// Every path with its leaves.
    pub(crate) fn paths(&self) -> impl Iterator<Item = (&Vec<String>, Vec<&Leaf<'a>>)> {
        self.by_path
            .iter()
            .map(|(path, ix)| (path, ix.iter().map(|i| &self.leaves[*i]).collect()))
    }

    /// The value the module system would settle on for `path`, when the checker can tell.
    pub(crate) fn winning(&self, path: &[&str]) -> Option<Expr> {
        winning_value(&self.leaves_at(path))
    }

    /// Whether `path` is known to end up `true`.
    pub(crate) fn is_true(&self, path: &[&str]) -> bool {
        self.winning(path) == Some(Expr::Bool(true))
    }
}

/// The value a set of definitions of one option settles on: the strongest priority wins,
/// lists at that priority concatenate in `mkBefore`/normal/`mkAfter` order, and within
/// one of those in the module system's order of definitions.
pub(crate) fn winning_value(leaves: &[&Leaf]) -> Option<Expr> {
    let (_, mut top) = strongest(leaves)?;
    if top.len() > 1 && top.iter().any(|l| l.merge == Merge::Concatenated) {
        // Joined with a separator the type names and the checker does not keep.
        return None;
    }
    if top.iter().all(|l| matches!(l.value, Some(Expr::List(_)))) && top.len() > 1 {
        top.sort_by_key(|l| (order_rank(l.order), list_order(l)));
        let mut items = Vec::new();
        for leaf in top {
            if let Some(Expr::List(list)) = &leaf.value {
                items.extend(list.iter().cloned());
            }
        }
        return Some(Expr::List(items));
    }
    top.first().and_then(|l| l.value.clone())
}

/// The strongest priority among `leaves` and the leaves defined at it: the definitions
/// the module system keeps (`None` without leaves).
pub(crate) fn strongest<'l, 'a>(leaves: &[&'l Leaf<'a>]) -> Option<(Priority, Vec<&'l Leaf<'a>>)> {
    let strongest = leaves.iter().map(|l| l.priority).min()?;
    let top = leaves
        .iter()
        .copied()
        .filter(|l| l.priority == strongest)
        .collect();
    Some((strongest, top))
}

/// Where a definition's list goes among the others of its `mkBefore`/normal/`mkAfter`
/// group. The entity's evaluation orders modules by [`Leaf::rank`]; a submodule
/// (`users.users.<name>`, a `submodule` option) is evaluated with the definitions it was
/// given as its modules, and `evalModules` reverses its module list before merging
/// (`mergeModules prefix (reverseList ...)` in `lib/modules.nix`), so each submodule the
/// option lies in turns the modules' order round again. Definitions of one module stay
/// in their order: flakesmith writes a module's repeated definitions of a path as one
/// `lib.mkMerge` at that path, below the submodule. Proven against the real lib in
/// `tests/tests/merging.rs` (top level, `attrsOf submodule`, `submodule`, `listOf
/// submodule`) and `tests/tests/home.rs` (Home Manager users).
fn list_order(leaf: &Leaf) -> (usize, usize) {
    let (module, definition) = leaf.rank;
    if leaf.submodules % 2 == 1 {
        (usize::MAX - module, definition)
    } else {
        (module, definition)
    }
}

/// A file of an entity's evaluation, as [`merge_order`] walks its imports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum File {
    /// The host's `default.nix`, or the user's `home/<user>.nix`.
    Entity,
    /// The entry of a Home Manager user a host adds to: a module importing the user's
    /// file and the host's additions.
    Entry,
    /// `hosts/<host>/home-<user>.nix`.
    Additions,
    /// A module: an index into [`Plan::modules`].
    Module(usize),
    /// A host's own definitions as a module of its file's imports
    /// ([`Host::own_definitions_here`](crate::model::Host::own_definitions_here)).
    Definitions,
    /// A module that only imports, this many levels above a module of the host's
    /// ([`Host::import_nested`](crate::model::Host::import_nested)).
    Nested(usize, usize),
}

/// Modules by their indices into [`Plan::modules`].
fn modules(indices: &[usize]) -> Vec<File> {
    indices.iter().map(|&i| File::Module(i)).collect()
}

/// The files of one evaluation in the order the module system merges their definitions:
/// `collectModules` gathers the modules breadth first (`genericClosure` over each
/// module's imports, each file once), and `evalModules` reverses that list
/// (`mergeModules prefix (reverseList ...)` in `lib/modules.nix`). So the last-imported
/// module of the deepest level comes first and the entity's own file last.
fn merge_order(initial: &[File], imports: impl Fn(File) -> Vec<File>) -> Vec<File> {
    let mut closure: Vec<File> = Vec::new();
    let mut next = 0;
    for &file in initial {
        if !closure.contains(&file) {
            closure.push(file);
        }
    }
    while next < closure.len() {
        for file in imports(closure[next]) {
            if !closure.contains(&file) {
                closure.push(file);
            }
        }
        next += 1;
    }
    closure.reverse();
    closure
}

/// Files in merge order with their ranks, rearranged for messages: the modules as they
/// are imported (breadth first), then the entity's own files. Ranks, not this order,
/// decide how lists concatenate; messages list definitions in the order the user reads
/// the configuration.
fn reading_order(merge_order: Vec<File>) -> Vec<(usize, File)> {
    let mut files: Vec<(usize, File)> = merge_order.into_iter().enumerate().rev().collect();
    files.sort_by_key(|(_, file)| !matches!(file, File::Module(_)));
    files
}

/// A module's definitions, ranked `group` among the entity's files.
fn module_definitions<'a>(module: &'a Module, group: usize, raw: &mut Vec<Raw<'a>>) {
    raw.extend(
        module
            .definitions
            .iter()
            .enumerate()
            .map(|(j, d)| (d, Origin::Module(module), (group, j))),
    );
}

fn order_rank(order: Order) -> u8 {
    match order {
        Order::Before => 0,
        Order::Normal => 1,
        Order::After => 2,
    }
}

/// The values of a module's own options on this host, or `None` when the module is not
/// enabled there.
fn module_cfg(module: &Module, raw: &[Raw]) -> Option<BTreeMap<String, Expr>> {
    let options = module.options.as_ref()?;
    let value_of = |name: &str| -> Option<Expr> {
        let path = options.option_path(name);
        let leaves: Vec<Leaf> = raw
            .iter()
            .filter(|(d, _, _)| d.path == path && d.condition.is_none())
            .map(|(d, origin, rank)| Leaf {
                path: Vec::new(),
                value: d.value.clone().ok(),
                priority: d.priority,
                order: d.order,
                merge: d.merge,
                location: d.location,
                origin: *origin,
                rank: *rank,
                submodules: d.submodules,
            })
            .collect();
        winning_value(&leaves.iter().collect::<Vec<_>>())
    };
    if value_of("enable") != Some(Expr::Bool(true)) {
        return None;
    }
    let mut cfg = BTreeMap::new();
    cfg.insert("enable".to_owned(), Expr::Bool(true));
    for declaration in &options.options {
        let value = value_of(&declaration.name)
            .or_else(|| declaration.default.clone().and_then(Result::ok));
        if let Some(value) = value {
            cfg.insert(declaration.name.clone(), value);
        }
    }
    Some(cfg)
}

/// `expr` with every `cfg.<name>` replaced; `None` if one of them is unknown.
fn substitute(expr: &Expr, cfg: &BTreeMap<String, Expr>) -> Option<Expr> {
    Some(match expr {
        Expr::Select(var, path) if var.as_str() == "cfg" => {
            let [name] = path.as_slice() else { return None };
            cfg.get(name)?.clone()
        }
        Expr::List(items) => Expr::List(
            items
                .iter()
                .map(|i| substitute(i, cfg))
                .collect::<Option<_>>()?,
        ),
        Expr::Attrs(attrs) => {
            let mut out = crate::nix::Attrs::new();
            for (key, value) in attrs.entries() {
                out.insert(key.clone(), substitute(value, cfg)?);
            }
            Expr::Attrs(out)
        }
        other => other.clone(),
    })
}

/// A leaf path, its value, and the merge rule of the type there.
/// A leaf's path, value, merge rule and how many submodules it lies in.
type Flat = (Vec<String>, Option<Expr>, Merge, u8);

/// Splits an attribute-set value into one value per leaf path, the way the module
/// system merges them key by key; each leaf takes the merge rule of the values one key
/// down (an `attrsOf lines` leaf concatenates, a submodule's leaves are judged equal).
fn flatten(
    (path, submodules): (Vec<String>, u8),
    value: Option<Expr>,
    merge: Merge,
    out: &mut Vec<Flat>,
) {
    match value {
        Some(Expr::Attrs(attrs)) if !attrs.is_empty() => {
            // The keys of a submodule's value are options of the submodule.
            let inside = match merge {
                Merge::Submodule | Merge::NullOr(Merge::Submodule) => submodules + 1,
                _ => submodules,
            };
            for (key, child) in attrs.entries() {
                let mut child_path = path.clone();
                child_path.push(key.clone());
                flatten(
                    (child_path, inside),
                    Some(child.clone()),
                    merge.of_child(),
                    out,
                );
            }
        }
        // A raw snippet that is a plain literal is that value to every check.
        Some(Expr::Raw(text)) => {
            let value = crate::nix::analyse_raw(&text)
                .literal
                .unwrap_or(Expr::Raw(text));
            out.push((path, Some(value), merge, submodules))
        }
        other => out.push((path, other, merge, submodules)),
    }
}
