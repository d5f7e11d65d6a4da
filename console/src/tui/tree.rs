//! The thread tree as rows on the screen: built from the paths, with folded
//! subtrees hidden, siblings sorted, and a selection that follows its path
//! from one snapshot to the next.

use super::model::{Snapshot, Thread};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How siblings are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sort {
    /// As the snapshot lists them (the dump's order: by when they started).
    Tree,
    /// The most CPU first (no figure last).
    Cpu,
    /// The longest blocked first (not blocked last).
    Blocked,
}

impl Sort {
    pub(crate) fn next(self) -> Sort {
        match self {
            Sort::Tree => Sort::Cpu,
            Sort::Cpu => Sort::Blocked,
            Sort::Blocked => Sort::Tree,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Sort::Tree => "tree order",
            Sort::Cpu => "CPU",
            Sort::Blocked => "time blocked",
        }
    }
}

/// One visible row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Its thread's index in the snapshot.
    pub(crate) thread: usize,
    pub(crate) depth: usize,
    /// How many threads are below it in the tree.
    pub(crate) descendants: usize,
    /// Folded, with descendants hidden.
    pub(crate) folded: bool,
}

/// What the user chose of the tree: folds, the sort, the selection. Kept by
/// path, so it holds across snapshots.
#[derive(Debug)]
pub(crate) struct TreeView {
    folded: HashSet<String>,
    pub(crate) sort: Sort,
    selected: Option<String>,
    /// The rows of the last snapshot given to [`TreeView::update`].
    rows: Vec<Row>,
    /// The index of the selected row in `rows`.
    cursor: usize,
    /// Each row's path (the snapshot's, copied: the view outlives it).
    paths: Vec<String>,
}

impl Default for TreeView {
    fn default() -> TreeView {
        TreeView {
            folded: HashSet::new(),
            sort: Sort::Tree,
            selected: None,
            rows: Vec::new(),
            cursor: 0,
            paths: Vec::new(),
        }
    }
}

impl TreeView {
    pub(crate) fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub(crate) fn cursor(&self) -> usize {
        self.cursor
    }

    pub(crate) fn selected_path(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// The selected row.
    pub(crate) fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.cursor)
    }

    /// Rebuilds the rows from `snapshot`. The selection stays on its path;
    /// if that thread is gone or hidden, it goes to its nearest visible
    /// ancestor, else stays at the same height on the screen.
    pub(crate) fn update(&mut self, snapshot: &Snapshot) {
        self.rows = rows(snapshot, &self.folded, self.sort);
        self.paths = self
            .rows
            .iter()
            .map(|row| snapshot.threads[row.thread].path.clone())
            .collect();
        let found = self.selected.as_deref().and_then(|selected| {
            let mut path = selected;
            loop {
                if let Some(at) = self.paths.iter().position(|p| p == path) {
                    return Some(at);
                }
                path = path.rsplit_once('/')?.0;
            }
        });
        self.cursor = found.unwrap_or(self.cursor.min(self.rows.len().saturating_sub(1)));
        self.selected = self.paths.get(self.cursor).cloned();
    }

    /// Moves the selection by `delta` rows, within the tree.
    pub(crate) fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.paths.get(self.cursor).cloned();
    }

    /// Folds (`Some(true)`), unfolds (`Some(false)`) or toggles (`None`) the
    /// selected row's subtree; a row without children is left as it is.
    /// The rows are rebuilt at the next [`TreeView::update`].
    pub(crate) fn fold(&mut self, fold: Option<bool>) {
        let (Some(row), Some(path)) = (self.rows.get(self.cursor), self.selected.clone()) else {
            return;
        };
        if row.descendants == 0 {
            return;
        }
        let fold = fold.unwrap_or(!self.folded.contains(&path));
        if fold {
            self.folded.insert(path);
        } else {
            self.folded.remove(&path);
        }
    }

    pub(crate) fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
    }
}

/// The visible rows of `snapshot`: depth first, siblings in `sort`'s order,
/// nothing below a folded path. A thread whose parent is not in the snapshot
/// hangs from its nearest ancestor that is, or is a root.
pub(crate) fn rows(snapshot: &Snapshot, folded: &HashSet<String>, sort: Sort) -> Vec<Row> {
    let threads = &snapshot.threads;
    let index: HashMap<&str, usize> = threads
        .iter()
        .enumerate()
        .map(|(at, thread)| (thread.path.as_str(), at))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); threads.len()];
    let mut roots = Vec::new();
    for (at, thread) in threads.iter().enumerate() {
        let mut parent = thread.parent_path();
        let parent_at = loop {
            match parent {
                None => break None,
                Some(path) => match index.get(path) {
                    Some(&found) if found != at => break Some(found),
                    _ => parent = path.rsplit_once('/').map(|(up, _)| up),
                },
            }
        };
        match parent_at {
            Some(parent) => children[parent].push(at),
            None => roots.push(at),
        }
    }
    let order = |a: &usize, b: &usize| compare(&threads[*a], &threads[*b], sort);
    roots.sort_by(order);
    for siblings in &mut children {
        siblings.sort_by(order);
    }
    let mut descendants = vec![0; threads.len()];
    // The snapshot may list a child before its parent: count from the roots.
    fn count(at: usize, children: &[Vec<usize>], descendants: &mut [usize]) -> usize {
        let below = children[at]
            .iter()
            .map(|&child| 1 + count(child, children, descendants))
            .sum();
        descendants[at] = below;
        below
    }
    for &root in &roots {
        count(root, &children, &mut descendants);
    }
    let mut rows = Vec::with_capacity(threads.len());
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&root| (root, 0)).collect();
    while let Some((at, depth)) = stack.pop() {
        let is_folded = descendants[at] > 0 && folded.contains(&threads[at].path);
        rows.push(Row {
            thread: at,
            depth,
            descendants: descendants[at],
            folded: is_folded,
        });
        if !is_folded {
            stack.extend(children[at].iter().rev().map(|&child| (child, depth + 1)));
        }
    }
    rows
}

/// Siblings' order; equal ones keep the snapshot's order (the sort is stable).
fn compare(a: &Thread, b: &Thread, sort: Sort) -> Ordering {
    let descending = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    match sort {
        Sort::Tree => Ordering::Equal,
        Sort::Cpu => descending(a.cpu_percent, b.cpu_percent),
        Sort::Blocked => descending(
            a.blocked_ms.map(|ms| ms as f64),
            b.blocked_ms.map(|ms| ms as f64),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snapshot(threads: serde_json::Value) -> Snapshot {
        Snapshot::from_json(&json!({ "threads": threads }))
    }

    /// The visible rows as `"  name"` lines, indented by depth, folded ones
    /// marked `+N`.
    fn shown(view: &TreeView, snapshot: &Snapshot) -> Vec<String> {
        view.rows()
            .iter()
            .map(|row| {
                let thread = &snapshot.threads[row.thread];
                let fold = if row.folded {
                    format!(" +{}", row.descendants)
                } else {
                    String::new()
                };
                format!("{}{}{fold}", "  ".repeat(row.depth), thread.name)
            })
            .collect()
    }

    fn tour() -> Snapshot {
        snapshot(json!([
            {"path": "main", "cpu_percent": 1.0},
            {"path": "main/console", "cpu_percent": null},
            {"path": "main/console/client-1", "cpu_percent": 0.5},
            {"path": "main/holder", "cpu_percent": 3.0},
            {"path": "main/waiter", "blocked_ms": 12_000},
            {"path": "main/group", "cpu_percent": 7.0, "blocked_ms": 40},
            {"path": "main/group/leaf", "blocked_ms": 50}
        ]))
    }

    #[test]
    fn the_tree_is_built_from_the_paths_and_indented_by_depth() {
        let snapshot = tour();
        let mut view = TreeView::default();
        view.update(&snapshot);
        assert_eq!(
            shown(&view, &snapshot),
            [
                "main",
                "  console",
                "    client-1",
                "  holder",
                "  waiter",
                "  group",
                "    leaf"
            ]
        );
        assert_eq!(view.rows()[0].descendants, 6);
        assert_eq!(view.selected_path(), Some("main"), "the first row at first");
    }

    #[test]
    fn an_orphan_hangs_from_its_nearest_ancestor_and_a_child_may_come_first() {
        let snapshot = snapshot(json!([
            {"path": "main/a/b/c"}, {"path": "main"}, {"path": "other"}
        ]));
        let mut view = TreeView::default();
        view.update(&snapshot);
        assert_eq!(shown(&view, &snapshot), ["main", "  c", "other"]);
    }

    #[test]
    fn folding_hides_the_subtree_and_counts_it() {
        let snapshot = tour();
        let mut view = TreeView::default();
        view.update(&snapshot);
        view.move_by(1); // main/console
        view.fold(None);
        view.update(&snapshot);
        assert_eq!(
            shown(&view, &snapshot),
            [
                "main",
                "  console +1",
                "  holder",
                "  waiter",
                "  group",
                "    leaf"
            ]
        );
        view.fold(Some(true)); // already folded: stays so
        view.update(&snapshot);
        assert!(view.rows()[1].folded);
        view.fold(None);
        view.update(&snapshot);
        assert_eq!(shown(&view, &snapshot).len(), 7, "unfolded again");
        view.move_by(-1);
        view.fold(Some(true));
        view.update(&snapshot);
        assert_eq!(shown(&view, &snapshot), ["main +6"]);
        view.fold(Some(false));
        view.update(&snapshot);
        assert_eq!(shown(&view, &snapshot).len(), 7);
    }

    #[test]
    fn a_leaf_does_not_fold() {
        let snapshot = tour();
        let mut view = TreeView::default();
        view.update(&snapshot);
        view.move_by(3); // main/holder
        view.fold(None);
        view.update(&snapshot);
        assert!(!view.rows()[3].folded);
    }

    #[test]
    fn sorting_orders_siblings_and_keeps_children_under_their_parent() {
        let snapshot = tour();
        let mut view = TreeView::default();
        view.cycle_sort();
        assert_eq!(view.sort, Sort::Cpu);
        view.update(&snapshot);
        assert_eq!(
            shown(&view, &snapshot),
            [
                "main",
                "  group",
                "    leaf",
                "  holder",
                "  console",
                "    client-1",
                "  waiter"
            ]
        );
        view.cycle_sort();
        assert_eq!(view.sort, Sort::Blocked);
        view.update(&snapshot);
        assert_eq!(
            shown(&view, &snapshot),
            [
                "main",
                "  waiter",
                "  group",
                "    leaf",
                "  console",
                "    client-1",
                "  holder"
            ]
        );
        view.cycle_sort();
        assert_eq!(view.sort, Sort::Tree);
    }

    #[test]
    fn the_selection_follows_its_path_across_snapshots_and_sorts() {
        let mut view = TreeView::default();
        view.update(&tour());
        view.move_by(4);
        assert_eq!(view.selected_path(), Some("main/waiter"));
        view.cycle_sort(); // by CPU: the waiter moves to the last row
        view.update(&tour());
        assert_eq!(view.selected_path(), Some("main/waiter"));
        assert_eq!(view.cursor(), 6);
        // A new thread above it: the selection stays on the waiter.
        let mut more = tour();
        more.threads.insert(
            1,
            Thread {
                path: "main/new".into(),
                name: "new".into(),
                cpu_percent: Some(99.0),
                ..Thread::default()
            },
        );
        view.update(&more);
        assert_eq!(view.selected_path(), Some("main/waiter"));
        assert_eq!(view.cursor(), 7);
    }

    #[test]
    fn a_gone_selection_goes_to_its_nearest_ancestor() {
        let mut view = TreeView::default();
        view.update(&tour());
        view.move_by(6);
        assert_eq!(view.selected_path(), Some("main/group/leaf"));
        let mut gone = tour();
        gone.threads
            .retain(|thread| thread.path != "main/group/leaf");
        view.update(&gone);
        assert_eq!(view.selected_path(), Some("main/group"));
        // Gone with all its ancestors: the same height on the screen.
        view.update(&snapshot(json!([{"path": "x"}, {"path": "y"}, {"path": "z"}, {"path": "w"}, {"path": "v"}, {"path": "u"}])));
        assert_eq!(view.selected_path(), Some("u"));
    }

    #[test]
    fn moving_stays_within_the_rows_and_an_empty_tree_has_no_selection() {
        let mut view = TreeView::default();
        view.update(&Snapshot::default());
        view.move_by(3);
        assert_eq!(view.selected_path(), None);
        view.fold(None);
        view.update(&tour());
        view.move_by(-3);
        assert_eq!(view.cursor(), 0);
        view.move_by(100);
        assert_eq!(view.selected_path(), Some("main/group/leaf"));
    }
}
