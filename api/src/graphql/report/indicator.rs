//! `Indicator`: reference data of periodic reports.

use async_graphql::{Context, Object, Result};
use entities::indicator;

use crate::graphql::loaders::{IndicatorCode, Loaders};

/// An indicator. Indicators are reference data named by their `code`
/// (not Relay nodes).
#[derive(Clone, Debug)]
pub struct Indicator(pub indicator::Model);

#[Object]
impl Indicator {
    /// The stable code (`tips_resolved_rate`).
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name_vi(&self) -> &str {
        &self.0.name_vi
    }

    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// `COUNT` or `PERCENT`.
    async fn unit(&self) -> &str {
        &self.0.unit
    }

    /// `SUM`: values add up the tree. `RATIO`: numerator / denominator of the
    /// rolled-up values, never an average of rates.
    async fn aggregation(&self) -> &str {
        &self.0.aggregation
    }

    async fn numerator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        load(ctx, self.0.numerator_code.clone()).await
    }

    async fn denominator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        load(ctx, self.0.denominator_code.clone()).await
    }
}

pub async fn load(ctx: &Context<'_>, code: Option<String>) -> Result<Option<Indicator>> {
    let Some(code) = code else { return Ok(None) };
    Ok(ctx
        .data::<Loaders>()?
        .one(IndicatorCode(code))
        .await?
        .map(Indicator))
}
