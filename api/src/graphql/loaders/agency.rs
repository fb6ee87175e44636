//! Agencies and memberships: by id, a committee's pages, its standing agency.

use super::*;
use entities::{agency, membership};

/// A page of a committee's agencies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyPageKey {
    pub committee: i64,
    pub filter: AgencyFilter,
    pub args: PageArgs,
    pub columns: Columns,
}

/// Hashes the committee alone: the keys of one request differ in little else,
/// and hashing the rest (filters, page arguments) on every load costs more
/// than the rare equal hash ([`Eq`] still tells such keys apart).
impl Hash for AgencyPageKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.committee.hash(state);
    }
}

impl Batched for AgencyPageKey {
    type Spec = (AgencyFilter, PageArgs, Columns);
    fn split(&self) -> (i64, Self::Spec) {
        (
            self.committee,
            (self.filter.clone(), self.args.clone(), self.columns),
        )
    }
}

/// A page of a committee's memberships.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MembershipPageKey {
    pub committee: i64,
    pub args: PageArgs,
}

impl Batched for MembershipPageKey {
    type Spec = PageArgs;
    fn split(&self) -> (i64, Self::Spec) {
        (self.committee, self.args.clone())
    }
}

/// Agency by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AgencyId(pub i64);
/// Membership by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipId(pub i64);
/// The membership of an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipOfAgency(pub i64);
/// The standing agency of a committee, reading `columns` of its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StandingAgencyOf(pub i64, pub Columns);

impl Batched for StandingAgencyOf {
    type Spec = Columns;
    fn split(&self) -> (i64, Columns) {
        (self.0, self.1)
    }
}

by_id_loader!(AgencyId, agency::Model, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::by_ids(db, scope, &ids)
        .await?
        .into_iter()
        .map(|m| (AgencyId(m.id), m))
        .collect())
});

by_id_loader!(MembershipId, membership::Model, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::memberships_by_ids(db, scope, &ids)
        .await?
        .into_iter()
        .map(|m| (MembershipId(m.id), m))
        .collect())
});

by_id_loader!(MembershipOfAgency, membership::Model, |db, _scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    Ok(agencies::memberships_by_agency(db, &ids)
        .await?
        .into_iter()
        .map(|(agency, m)| (MembershipOfAgency(agency), m))
        .collect())
});

by_id_loader!(StandingAgencyOf, agency::Model, |db, _scope, keys| {
    let mut out = HashMap::new();
    for (columns, ids) in groups(keys) {
        for (committee, a) in agencies::standing_by_committee(db, &ids, columns).await? {
            out.insert(StandingAgencyOf(committee, columns), a);
        }
    }
    Ok(out)
});

by_id_loader!(
    AgencyPageKey,
    Arc<Page<agency::Model>>,
    |db, _scope, keys| {
        let mut out = HashMap::new();
        for ((filter, args, columns), committees) in groups(keys) {
            let mut pages =
                agencies::pages_by_committee(db, &committees, &filter, &args, columns).await?;
            for committee in committees {
                let page = pages
                    .remove(&committee)
                    .unwrap_or_else(|| Page::empty(&args));
                let key = AgencyPageKey {
                    committee,
                    filter: filter.clone(),
                    args: args.clone(),
                    columns,
                };
                out.insert(key, Arc::new(page));
            }
        }
        Ok(out)
    }
);

by_id_loader!(
    MembershipPageKey,
    Arc<Page<membership::Model>>,
    |db, _scope, keys| {
        let mut out = HashMap::new();
        for (args, committees) in groups(keys) {
            let mut pages = agencies::membership_pages(db, &committees, &args).await?;
            for committee in committees {
                let page = pages
                    .remove(&committee)
                    .unwrap_or_else(|| Page::empty(&args));
                out.insert(
                    MembershipPageKey {
                        committee,
                        args: args.clone(),
                    },
                    Arc::new(page),
                );
            }
        }
        Ok(out)
    }
);
