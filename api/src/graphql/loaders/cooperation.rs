//! Cooperation: counterparts, records and their agencies.

use super::*;
use entities::{agency, cooperation_record, counterpart};

id_key!(
    /// Counterpart by id.
    CounterpartId,
    /// Cooperation record by id.
    RecordId,
    /// The agencies of a cooperation record.
    RecordAgencies,
);

by_key!(
    open CounterpartId,
    counterpart::Model,
    records::counterparts_by_ids,
    |m: &counterpart::Model| m.id
);
by_key!(
    RecordId,
    cooperation_record::Model,
    records::by_ids,
    |m: &cooperation_record::Model| m.id
);

by_id_loader!(RecordAgencies, Vec<agency::Model>, |db, scope, keys| {
    let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let links = records::agencies_of(db, &ids).await?;
    let all: Vec<i64> = links.values().flatten().copied().collect();
    let found: HashMap<i64, agency::Model> = agencies::by_ids(db, scope, &all)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(links
        .into_iter()
        .map(|(record, ids)| {
            let list = ids.iter().filter_map(|id| found.get(id).cloned()).collect();
            (RecordAgencies(record), list)
        })
        .collect())
});
