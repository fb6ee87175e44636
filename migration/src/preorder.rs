//! The committee tree numbered in pre-order: each committee's `lft` is its
//! place in a depth-first walk from the central committee (children by
//! code, then id), and `rgt` the place of the last committee of its
//! subtree. "`x` is in `a`'s subtree" is then `a.lft <= x.lft <= a.rgt`, and a
//! viewer's scope is a handful of ranges. The migration numbers an existing
//! tree; the seed numbers the tree it loads.

use std::collections::HashMap;

use sea_orm_migration::sea_orm::{ConnectionTrait, DbErr, Statement};

/// (id, lft, rgt) of every committee, from (id, parent, code) rows.
pub fn number(rows: &[(i64, Option<i64>, String)]) -> Vec<(i64, i64, i64)> {
    let mut children: HashMap<Option<i64>, Vec<(&str, i64)>> = HashMap::new();
    for (id, parent, code) in rows {
        children.entry(*parent).or_default().push((code, *id));
    }
    for list in children.values_mut() {
        list.sort_unstable();
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut next = 1_i64;
    // (committee, index of its entry in `out`, whether its children are pushed)
    let mut stack: Vec<(i64, usize, bool)> = Vec::new();
    let roots: Vec<i64> = children
        .get(&None)
        .map(|l| l.iter().map(|c| c.1).collect())
        .unwrap_or_default();
    for root in roots.into_iter().rev() {
        stack.push((root, usize::MAX, false));
    }
    while let Some((id, slot, expanded)) = stack.pop() {
        if expanded {
            // Every committee of the subtree is numbered: close the range.
            if let Some(entry) = out.get_mut(slot) {
                let entry: &mut (i64, i64, i64) = entry;
                entry.2 = next - 1;
            }
            continue;
        }
        let slot = out.len();
        out.push((id, next, next));
        next += 1;
        stack.push((id, slot, true));
        if let Some(list) = children.get(&Some(id)) {
            for (_, child) in list.iter().rev() {
                stack.push((*child, usize::MAX, false));
            }
        }
    }
    out
}

/// Numbers the committees stored in `db` (every row, in batches).
pub async fn renumber(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, parent_id, code FROM committee",
        ))
        .await?;
    let mut tree = Vec::with_capacity(rows.len());
    for r in rows {
        tree.push((
            r.try_get::<i64>("", "id")?,
            r.try_get::<Option<i64>>("", "parent_id")?,
            r.try_get::<String>("", "code")?,
        ));
    }
    for chunk in number(&tree).chunks(1000) {
        // Integers only: written as literals.
        let values: Vec<String> = chunk
            .iter()
            .map(|(id, l, r)| format!("({id}, {l}, {r})"))
            .collect();
        let sql = format!(
            "WITH v(id, lft, rgt) AS (VALUES {}) \
             UPDATE committee SET lft = v.lft, rgt = v.rgt FROM v WHERE committee.id = v.id",
            values.join(", ")
        );
        db.execute_raw(Statement::from_string(backend, sql)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn subtrees_are_ranges() {
        // 1 ─┬─ 2 ── 4
        //    └─ 3 ─┬─ 5
        //          └─ 6
        let rows = vec![
            (1, None, "VN".to_owned()),
            (3, Some(1), "b".to_owned()),
            (2, Some(1), "a".to_owned()),
            (4, Some(2), "x".to_owned()),
            (6, Some(3), "z".to_owned()),
            (5, Some(3), "y".to_owned()),
        ];
        let mut got = number(&rows);
        got.sort_unstable();
        assert_eq!(
            got,
            vec![
                (1, 1, 6),
                (2, 2, 3),
                (3, 4, 6),
                (4, 3, 3),
                (5, 5, 5),
                (6, 6, 6)
            ]
        );
    }
}
