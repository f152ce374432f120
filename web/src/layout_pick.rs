//! The layout picker's logic, apart from its view: which role the user gave each
//! dataset of a file's tree, turned into a [`Layout`] (paths made relative to each
//! animal's group when the animals are a pattern), the guesses that pre-fill it, and how
//! the picked names tables pair with the picked files ([`NamesPlan`], shown before
//! loading).

use ganglion_data::DataError;
use ganglion_data::layout::{
    Channel, ChannelKind, FileTree, Layout, NameTable, Node, file_stem, guess_time_axis, is_table_for, match_by_stem,
};

/// What a dataset is, as the user says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not used.
    None,
    /// The activity matrix.
    Activity,
    /// The time vector (seconds).
    Time,
    /// The rate (frames per second).
    Rate,
    /// Neuron names.
    Names,
    /// A 0/1 behaviour flag per frame.
    Binary,
    /// Integer behaviour states per frame.
    Labels,
    /// A continuous behaviour signal.
    Continuous,
}

/// Roles as the picker's menus write them.
pub const ROLES: [(&str, &str, Role); 8] = [
    ("none", "-", Role::None),
    ("activity", "activity (neurons x frames)", Role::Activity),
    ("time", "time vector (s)", Role::Time),
    ("rate", "rate (frames/s)", Role::Rate),
    ("names", "neuron names", Role::Names),
    ("binary", "behaviour: 0/1 flag", Role::Binary),
    ("labels", "behaviour: state codes", Role::Labels),
    ("continuous", "behaviour: continuous signal", Role::Continuous),
];

impl Role {
    /// The menu value of a role.
    pub fn key(self) -> &'static str {
        ROLES.iter().find(|(_, _, r)| *r == self).map_or("none", |(k, _, _)| k)
    }

    /// The role of a menu value.
    pub fn from_key(key: &str) -> Role {
        ROLES.iter().find(|(k, _, _)| *k == key).map_or(Role::None, |(_, _, r)| *r)
    }
}

/// Everything the user chose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picks {
    /// `(path, role)` of every dataset given a role.
    pub roles: Vec<(String, Role)>,
    /// Groups holding one animal each (`/worm*`); empty: the file is one animal.
    pub animals: String,
    /// Which axis of the activity is time.
    pub time_axis: Option<usize>,
    /// Frames per second typed in, when the file has no time vector or rate.
    pub rate_hz: Option<f64>,
    /// Names tables picked beside the data, `(file name, text)` (`column,name` CSV or JSON).
    pub name_tables: Vec<(String, String)>,
    /// Whether name indices, and the tables' columns, count from 0 or 1.
    pub name_base: usize,
    /// Continuous signals' thresholds (`-0.1, 0.1`) by path; absent: predicted as is.
    pub thresholds: Vec<(String, String)>,
}

impl Picks {
    fn with(&self, role: Role) -> impl Iterator<Item = &str> {
        self.roles.iter().filter(move |(_, r)| *r == role).map(|(p, _)| p.as_str())
    }
}

/// `/worm1` -> `/worm*`, `/data(2)` -> `/data(*)`: the pattern of the activity's animal
/// group, when it matches at least two groups of the file.
pub fn suggest_animals(tree: &FileTree, activity: &str) -> Option<String> {
    let parent = activity.rsplit_once('/')?.0;
    let (grand, group) = parent.rsplit_once('/')?;
    let stem = group.trim_end_matches(|c: char| c.is_ascii_digit());
    let pattern = if let Some(inner) = group.strip_suffix(')').and_then(|g| g.rsplit_once('(')) {
        format!("{}(*)", inner.0)
    } else if stem.len() < group.len() {
        format!("{stem}*")
    } else {
        return None;
    };
    let pattern = format!("{grand}/{pattern}");
    (tree.matching(&pattern).len() >= 2).then_some(pattern)
}

/// The time axis the shapes suggest for the picked activity.
pub fn suggest_time_axis(tree: &FileTree, picks: &Picks) -> Option<usize> {
    let activity = picks.with(Role::Activity).next()?;
    let shape = match tree.get(activity)? {
        Node::Numbers { shape, .. } => shape.clone(),
        _ => return None,
    };
    let length = |role| {
        picks.with(role).next().and_then(|p| match tree.get(p)? {
            Node::Numbers { values, .. } => Some(values.len()),
            Node::Texts { values, .. } => Some(values.len()),
            _ => None,
        })
    };
    Some(guess_time_axis(&shape, length(Role::Time), length(Role::Names)))
}

/// The layout the picks describe.
pub fn build_layout(tree: &FileTree, picks: &Picks, name: &str) -> Result<Layout, String> {
    let animals = picks.animals.trim();
    let roots = if animals.is_empty() { Vec::new() } else { tree.matching(animals) };
    if !animals.is_empty() && roots.is_empty() {
        return Err(format!("no group of the file matches the animals pattern {animals}"));
    }
    // A path inside one animal's group is written relative to it, so it names the same
    // dataset in every animal; anything else stays absolute (shared by all animals).
    let relative = |path: &str| -> String {
        roots
            .iter()
            .find_map(|root| path.strip_prefix(root.as_str()).and_then(|rest| rest.strip_prefix('/')))
            .map_or_else(|| path.to_owned(), str::to_owned)
    };
    let mut activity = picks.with(Role::Activity);
    let first = activity.next().ok_or("pick the dataset that holds the activity")?;
    if activity.next().is_some() {
        return Err("pick one activity dataset".into());
    }
    let one = |role: Role, what: &str| -> Result<Option<String>, String> {
        let mut it = picks.with(role);
        let found = it.next().map(&relative);
        if it.next().is_some() {
            return Err(format!("pick at most one {what}"));
        }
        Ok(found)
    };
    let mut layout = Layout::new(relative(first));
    layout.name = format!("{name} (picked in the ganglion notebook)");
    layout.animals = (!animals.is_empty()).then(|| animals.to_owned());
    layout.time_axis = picks.time_axis;
    layout.time = one(Role::Time, "time vector")?;
    layout.rate = one(Role::Rate, "rate")?;
    layout.names = one(Role::Names, "names dataset")?;
    layout.rate_hz = picks.rate_hz.filter(|r| r.is_finite() && *r > 0.0);
    layout.name_base = picks.name_base.min(1);
    for (path, role) in &picks.roles {
        let kind = match role {
            Role::Binary => ChannelKind::Binary,
            Role::Labels => ChannelKind::Labels,
            Role::Continuous => ChannelKind::Continuous,
            _ => continue,
        };
        let thresholds = match picks.thresholds.iter().find(|(p, _)| p == path) {
            Some((_, text)) if !text.trim().is_empty() => text
                .split(',')
                .map(|t| t.trim().parse::<f64>().map_err(|_| format!("{path}: threshold {t:?} is not a number")))
                .collect::<Result<Vec<_>, _>>()?,
            _ => Vec::new(),
        };
        layout.behaviour.push(Channel { thresholds, ..Channel::new(relative(path), kind) });
    }
    Ok(layout)
}

/// How the picked names tables pair with the picked data files.
#[derive(Debug, Clone, PartialEq)]
pub enum NamesPlan {
    /// No table: the names the files hold, if any.
    FromFiles,
    /// One table named after none of the files: every file's columns take it.
    Everywhere(NameTable),
    /// Each file takes its own table, paired by stem (`worm3.h5` and `worm3.csv`).
    PerFile(Vec<(String, NameTable)>),
}

impl NamesPlan {
    /// What the picker shows before loading: a line per file.
    pub fn lines(&self) -> Vec<String> {
        match self {
            NamesPlan::FromFiles => Vec::new(),
            NamesPlan::Everywhere(t) => vec![format!("every file <- {}", t.describe())],
            NamesPlan::PerFile(pairs) => pairs.iter().map(|(f, t)| format!("{f} <- {}", t.describe())).collect(),
        }
    }

    /// `layout` with the plan in it, and the tables to send with the files: one table
    /// for every file travels inside the layout; tables all named `{stem}.EXT` become
    /// the layout's pattern, so a downloaded layout finds them again beside the files.
    pub fn apply_to(&self, mut layout: Layout) -> (Layout, Vec<NameTable>) {
        match self {
            NamesPlan::FromFiles => (layout, Vec::new()),
            NamesPlan::Everywhere(t) => {
                layout.name_map = Some(t.text.clone());
                (layout, Vec::new())
            }
            NamesPlan::PerFile(pairs) => {
                let extension = |t: &NameTable| t.file.rsplit_once('.').map(|(_, x)| x.to_owned());
                let first = pairs.first().and_then(|(_, t)| extension(t));
                let by_stem = pairs
                    .iter()
                    .all(|(f, t)| file_stem(&t.file) == file_stem(f) && !t.file.contains('/') && extension(t) == first);
                if let (true, Some(x)) = (by_stem, first) {
                    layout.name_tables = Some(format!("{{stem}}.{x}"));
                }
                (layout, pairs.iter().map(|(_, t)| t.clone()).collect())
            }
        }
    }
}

/// The picked `(file name, text)` tables, counting from `base`.
fn picked_tables(tables: &[(String, String)], base: usize) -> Vec<NameTable> {
    tables.iter().map(|(file, text)| NameTable { file: file.clone(), text: text.clone(), base }).collect()
}

/// Pairs the picked tables (counting from `base`) with `data_files`.
pub fn names_plan(data_files: &[&str], tables: &[(String, String)], base: usize) -> Result<NamesPlan, DataError> {
    let tables = picked_tables(tables, base);
    match tables.as_slice() {
        [] => Ok(NamesPlan::FromFiles),
        [one] if !data_files.iter().any(|d| is_table_for(&one.file, d)) => Ok(NamesPlan::Everywhere(one.clone())),
        _ => {
            let matched = match_by_stem(data_files, &tables)?;
            Ok(NamesPlan::PerFile(data_files.iter().map(|d| d.to_string()).zip(matched).collect()))
        }
    }
}

/// `layout` with the picked names in it, and the tables to send with `data_files`: a
/// layout's own names pattern pairs the tables (counting from its `name_base`);
/// otherwise they pair by stem ([`names_plan`]).
pub fn with_names(layout: Layout, data_files: &[&str], picks: &Picks) -> Result<(Layout, Vec<NameTable>), DataError> {
    if layout.name_tables.is_some() {
        let tables = picked_tables(&picks.name_tables, layout.name_base);
        return Ok((layout, tables));
    }
    Ok(names_plan(data_files, &picks.name_tables, picks.name_base)?.apply_to(layout))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganglion_data::Format;

    fn tree() -> FileTree {
        let numbers = |shape: Vec<usize>| {
            let n = shape.iter().product();
            Node::Numbers { shape, values: vec![0.0; n] }
        };
        let worm = || {
            Node::Group(vec![
                ("traces".into(), numbers(vec![50, 4])),
                ("t".into(), numbers(vec![50])),
                ("flag".into(), numbers(vec![50])),
            ])
        };
        FileTree::from_root(Node::Group(vec![("worm1".into(), worm()), ("worm2".into(), worm())]), Format::Hdf5)
    }

    #[test]
    fn picks_in_one_animal_become_a_layout_for_every_animal() {
        let tree = tree();
        assert_eq!(suggest_animals(&tree, "/worm1/traces").as_deref(), Some("/worm*"));
        let picks = Picks {
            roles: vec![
                ("/worm1/traces".into(), Role::Activity),
                ("/worm1/t".into(), Role::Time),
                ("/worm1/flag".into(), Role::Binary),
            ],
            animals: "/worm*".into(),
            ..Picks::default()
        };
        assert_eq!(suggest_time_axis(&tree, &picks), Some(0));
        let layout = build_layout(&tree, &picks, "x.h5").expect("builds");
        assert_eq!(layout.activity, "traces");
        assert_eq!(layout.time.as_deref(), Some("t"));
        assert_eq!(layout.behaviour[0].path, "flag");
        assert_eq!(layout.animals.as_deref(), Some("/worm*"));
    }

    #[test]
    fn missing_or_doubled_picks_are_named() {
        let tree = tree();
        assert!(build_layout(&tree, &Picks::default(), "x").unwrap_err().contains("activity"));
        let two = Picks {
            roles: vec![("/worm1/traces".into(), Role::Activity), ("/worm2/traces".into(), Role::Activity)],
            ..Picks::default()
        };
        assert!(build_layout(&tree, &two, "x").unwrap_err().contains("one activity"));
        let nothing = Picks { animals: "/fish*".into(), ..two };
        assert!(build_layout(&tree, &nothing, "x").unwrap_err().contains("/fish*"));
    }

    #[test]
    fn picked_tables_pair_with_files_by_stem_or_serve_every_file() {
        let files = ["worm_a.h5", "worm_b.h5"];
        let t = |f: &str| (f.to_string(), "1,AVAL\n".to_string());
        let plan = names_plan(&files, &[t("worm_b.csv"), t("worm_a.csv")], 1).expect("pairs");
        assert_eq!(
            plan.lines(),
            ["worm_a.h5 <- table worm_a.csv (columns from 1)", "worm_b.h5 <- table worm_b.csv (columns from 1)"]
        );
        let (layout, tables) = plan.apply_to(Layout::new("/traces"));
        assert_eq!((layout.name_tables.as_deref(), tables.len()), (Some("{stem}.csv"), 2));
        let one = names_plan(&files, &[t("ids.csv")], 0).expect("one for all");
        assert_eq!(one.lines(), ["every file <- table ids.csv (columns from 0)"]);
        assert!(one.apply_to(Layout::new("/traces")).0.name_map.is_some());
        let e = names_plan(&files, &[t("worm_a.csv"), t("fish.csv")], 1).expect_err("fish.csv fits no file");
        assert_eq!(e.file.as_deref(), Some("fish.csv"));
        // One table named after one of two files is that file's, and the other has none.
        let e = names_plan(&files, &[t("worm_a.csv")], 1).expect_err("worm_b has no table");
        assert_eq!(e.file.as_deref(), Some("worm_b.h5"));
        // A layout file's own pattern pairs the tables itself, counting from its base.
        let picks = Picks { name_tables: vec![t("w_a.csv")], name_base: 0, ..Picks::default() };
        let patterned = Layout { name_tables: Some("{stem}.csv".into()), name_base: 1, ..Layout::new("/traces") };
        let (_, tables) = with_names(patterned, &files, &picks).expect("the pattern decides");
        assert_eq!((tables[0].file.as_str(), tables[0].base), ("w_a.csv", 1));
    }
}
