//! Indicators: the reference set loaded from `data/reference/indicators.json`.

use std::collections::HashMap;

use entities::indicator;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use crate::error::Result;
use crate::service::page::{self, Cursor, Key, Ordering, Page, PageArgs};

const INDICATORS: &str = include_str!("../../../data/reference/indicators.json");

#[derive(Deserialize)]
struct File {
    indicators: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    code: String,
    name_vi: String,
    name_en: String,
    unit: String,
    aggregation: String,
    numerator: Option<String>,
    denominator: Option<String>,
}

/// Loads the reference indicators (counts first, so rates can point at them).
pub async fn load(db: &impl ConnectionTrait) -> anyhow::Result<usize> {
    let file: File = serde_json::from_str(INDICATORS)?;
    let n = file.indicators.len();
    let rows: Vec<indicator::ActiveModel> = file
        .indicators
        .into_iter()
        .enumerate()
        .map(|(i, e)| indicator::ActiveModel {
            code: Set(e.code),
            name_vi: Set(e.name_vi),
            name_en: Set(e.name_en),
            unit: Set(e.unit),
            aggregation: Set(e.aggregation),
            numerator_code: Set(e.numerator),
            denominator_code: Set(e.denominator),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
        })
        .collect();
    indicator::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(n)
}

/// All indicators, in reference order. The set is small and bounded by
/// the reference data, but it is still paged like every list.
pub async fn list(db: &impl ConnectionTrait, args: &PageArgs) -> Result<Page<indicator::Model>> {
    let ordering = Ordering {
        key: Expr::col((indicator::Entity, indicator::Column::Position)),
        id: Expr::col((indicator::Entity, indicator::Column::Position)),
        desc: false,
    };
    page::fetch(db, indicator::Entity::find(), &ordering, args, |i| Cursor {
        key: Key::Int(i64::from(i.position)),
        id: i64::from(i.position),
    })
    .await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<i64> {
    page::count(db, indicator::Entity::find()).await
}

/// The indicators with these codes.
pub async fn by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, indicator::Model>> {
    Ok(indicator::Entity::find()
        .filter(indicator::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect())
}
