//! A steering committee: one version of an administrative unit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "committee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `CENTRAL`, `PROVINCE`, `DISTRICT` or `COMMUNE`.
    pub level: crate::enums::Level,
    /// The official administrative-unit code (`"08"`, `"02269"`); `VN` for the central committee.
    pub code: String,
    /// The committee's name as documents write it ("Ban Chỉ đạo 138 tỉnh Tuyên Quang").
    pub name: String,
    pub unit_name: String,
    pub unit_short_name: String,
    pub unit_type: String,
    /// Lower-case, diacritic-free form of the committee and unit names, for search.
    pub search_key: String,
    pub parent_id: Option<i64>,
    /// Distance from the central committee (0 for CENTRAL).
    pub depth: i16,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    /// The unit of today's tree this committee's records count under when a
    /// rollup is asked in today's units: itself for today's units, the
    /// successor for an old commune or province, the new province for an old
    /// district.
    pub current_id: Option<i64>,
    /// Place in a pre-order walk of the whole tree (children by code).
    pub lft: i64,
    /// Place of the last committee of this one's subtree: the subtree is
    /// the committees whose `lft` is in `lft..=rgt`.
    pub rgt: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
