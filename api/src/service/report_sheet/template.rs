//! `reportTemplate`: the workbook (or CSV) a committee fills in and sends
//! back, prefilled with the reports that exist. Layout: see the module above.

use std::collections::HashMap;

use entities::{committee, indicator, report};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format as XFormat,
    Workbook, XlsxError,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    CSV_COLUMNS, DATA_SHEET, HEADER_ROWS, ID_COLUMNS, LAYOUT, MARKER, META_SHEET, Meta, MetaRow,
};
use crate::error::{Error, Result};
use crate::ids::{Kind, encode};
use crate::service::enums::{ReportInclusion, ReportStatus, Units};
use crate::service::export::{self, Format, StoredFile};
use crate::service::period::Period;
use crate::service::report::MAX_VALUE;
use crate::service::rollup;
use crate::service::write::Write;

/// Whose rows a template has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    /// The committee's own report.
    Own,
    /// One row per committee directly below it that existed in the period.
    Children,
}

/// What `reportTemplate` asks for.
pub struct Spec {
    pub committee_id: i64,
    pub period: Period,
    pub rows: Rows,
    pub format: Format,
}

/// One committee of a template, with its report if there is one.
struct Line {
    committee: committee::Model,
    report: Option<report::Model>,
    values: HashMap<String, f64>,
}

/// The indicators a report's numbers are entered for: the counts (rates
/// are computed from them), in reference order.
pub async fn entered_indicators(db: &impl ConnectionTrait) -> Result<Vec<indicator::Model>> {
    Ok(indicator::Entity::find()
        .filter(indicator::Column::Aggregation.eq("SUM"))
        .order_by_asc(indicator::Column::Position)
        .all(db)
        .await?)
}

/// Whether a report in this state may still change (none yet, a draft, or
/// returned for correction).
pub fn editable(status: Option<ReportStatus>) -> bool {
    matches!(
        status,
        None | Some(ReportStatus::Draft | ReportStatus::Returned)
    )
}

fn status_label(status: Option<ReportStatus>) -> &'static str {
    match status {
        None => "Chưa có báo cáo",
        Some(ReportStatus::Draft) => "Bản nháp",
        Some(ReportStatus::Submitted) => "Đã gửi, chờ duyệt (khóa)",
        Some(ReportStatus::Approved) => "Đã duyệt (khóa)",
        Some(ReportStatus::Returned) => "Bị trả lại, cần sửa",
    }
}

/// Builds the template of a committee in the caller's subtree for a
/// period, stores it for download, and audits it.
pub async fn create(w: &Write<'_>, spec: Spec) -> Result<entities::export::Model> {
    let v = w.caller().ok_or(Error::Unauthenticated)?;
    let committee = w
        .committee(spec.committee_id, &["input", "committeeId"])
        .await?;
    if !w.in_subtree(committee.id).await? {
        return Err(Error::Forbidden);
    }
    let db = w.tx();
    let committees = match spec.rows {
        Rows::Own => vec![committee.clone()],
        Rows::Children => rollup::children(
            db,
            w.scope(),
            &[committee.id],
            spec.period.start(),
            spec.period.end(),
            Units::AsOf,
        )
        .await?
        .remove(&committee.id)
        .unwrap_or_default(),
    };
    let indicators = entered_indicators(db).await?;
    let lines = lines(db, committees, spec.period).await?;
    let meta = Meta {
        period: spec.period.to_string(),
        committee: encode(Kind::Committee, committee.id),
        columns: indicators.iter().map(|i| i.code.clone()).collect(),
        rows: lines
            .iter()
            .zip(HEADER_ROWS + 1..)
            .map(|(l, row)| MetaRow {
                row,
                committee: encode(Kind::Committee, l.committee.id),
                code: l.committee.code.clone(),
                version: l.report.as_ref().map_or(0, |r| r.version),
            })
            .collect(),
    };
    let content = match spec.format {
        Format::Csv => csv(&meta, &lines),
        _ => xlsx(&committee, &meta, &indicators, &lines)
            .map_err(|e| Error::Internal(std::sync::Arc::new(e.into())))?,
    };
    let format = if spec.format == Format::Csv {
        Format::Csv
    } else {
        Format::Xlsx
    };
    let rows = match spec.rows {
        Rows::Own => "own",
        Rows::Children => "children",
    };
    let stored = export::store_file(
        db,
        StoredFile {
            committee_id: committee.id,
            definition: "report_template",
            period: &meta.period,
            format,
            include: ReportInclusion::Submitted,
            suppress_below: None,
            account_id: v.account_id,
            file_name: format!(
                "hub138-mau-bao-cao-{}-{}-{rows}.{}",
                committee.code,
                meta.period,
                format.extension()
            ),
        },
        content,
    )
    .await?;
    w.audit(
        Some(committee.id),
        None,
        None,
        Some(serde_json::json!({
            "export": stored.id, "template": rows, "period": meta.period,
            "format": stored.format, "rows": meta.rows.len(), "size": stored.size,
        })),
    )
    .await?;
    Ok(stored)
}

/// Each committee with its report for the period and the report's values.
async fn lines(
    db: &impl ConnectionTrait,
    committees: Vec<committee::Model>,
    period: Period,
) -> Result<Vec<Line>> {
    let ids: Vec<i64> = committees.iter().map(|c| c.id).collect();
    let reports = report::Entity::find()
        .filter(report::Column::CommitteeId.is_in(ids))
        .filter(report::Column::Period.eq(period.to_string()))
        .all(db)
        .await?;
    let report_ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let mut values = crate::service::report::values(db, &report_ids).await?;
    let mut by_committee: HashMap<i64, report::Model> =
        reports.into_iter().map(|r| (r.committee_id, r)).collect();
    Ok(committees
        .into_iter()
        .map(|c| {
            let report = by_committee.remove(&c.id);
            let values = report
                .as_ref()
                .and_then(|r| values.remove(&r.id))
                .unwrap_or_default()
                .into_iter()
                .map(|v| (v.indicator_code, v.value))
                .collect();
            Line {
                committee: c,
                report,
                values,
            }
        })
        .collect())
}

fn csv(meta: &Meta, lines: &[Line]) -> Vec<u8> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let header: Vec<&str> = CSV_COLUMNS
            .iter()
            .copied()
            .chain(meta.columns.iter().map(String::as_str))
            .collect();
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&header);
        for (l, m) in lines.iter().zip(&meta.rows) {
            let mut record = vec![
                m.committee.clone(),
                meta.period.clone(),
                m.version.to_string(),
                l.committee.code.clone(),
                l.committee.name.clone(),
            ];
            record.extend(meta.columns.iter().map(|code| {
                l.values
                    .get(code)
                    .map(|v| format!("{v:.0}"))
                    .unwrap_or_default()
            }));
            let _ = w.write_record(&record);
        }
        let _ = w.flush();
    }
    out
}

fn xlsx(
    committee: &committee::Model,
    meta: &Meta,
    indicators: &[indicator::Model],
    lines: &[Line],
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = XFormat::new().set_bold().set_font_size(13);
    let header = XFormat::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0x00DD_E6F0))
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let small = XFormat::new()
        .set_italic()
        .set_font_color(Color::RGB(0x0055_5555))
        .set_background_color(Color::RGB(0x00DD_E6F0))
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let fixed = XFormat::new().set_background_color(Color::RGB(0x00F2_F2F2));
    let open = XFormat::new()
        .set_unlocked()
        .set_num_format("#,##0")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let closed = XFormat::new()
        .set_num_format("#,##0")
        .set_background_color(Color::RGB(0x00F2_F2F2));
    let last_col = ID_COLUMNS + u16::try_from(indicators.len()).unwrap_or(u16::MAX) - 1;

    let ws = wb.add_worksheet();
    ws.set_name(DATA_SHEET)?;
    ws.write_string_with_format(
        0,
        0,
        format!(
            "Số liệu báo cáo kỳ {} — {} (nhập số nguyên từ 0; ô xám không sửa được)",
            meta.period, committee.name
        ),
        &title,
    )?;
    for (c, h) in ["Mã", "Đơn vị", "Trạng thái báo cáo"].iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(1, c, *h, &header)?;
        ws.write_string_with_format(2, c, "", &small)?;
    }
    for (i, ind) in indicators.iter().enumerate() {
        let c = ID_COLUMNS + u16::try_from(i).unwrap_or(0);
        ws.write_string_with_format(1, c, &ind.name_vi, &header)?;
        let unit = if ind.unit == "COUNT" {
            "số"
        } else {
            &ind.unit
        };
        ws.write_string_with_format(2, c, format!("{unit} · {}", ind.code), &small)?;
        ws.set_column_width(c, 16)?;
    }
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 22)?;
    ws.set_row_height(1, 75)?;
    for (l, m) in lines.iter().zip(&meta.rows) {
        let r = m.row - 1;
        let status = l.report.as_ref().map(|r| r.status);
        ws.write_string_with_format(r, 0, &l.committee.code, &fixed)?;
        ws.write_string_with_format(r, 1, &l.committee.name, &fixed)?;
        ws.write_string_with_format(r, 2, status_label(status), &fixed)?;
        let format = if editable(status) { &open } else { &closed };
        for (i, code) in meta.columns.iter().enumerate() {
            let c = ID_COLUMNS + u16::try_from(i).unwrap_or(0);
            match l.values.get(code) {
                Some(v) => ws.write_number_with_format(r, c, *v, format)?,
                None => ws.write_blank(r, c, format)?,
            };
        }
    }
    if let (Some(first), Some(last)) = (meta.rows.first(), meta.rows.last()) {
        #[allow(clippy::cast_possible_truncation)]
        let bound = MAX_VALUE as i32;
        let rule = DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, bound))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title("Số không hợp lệ")?
            .set_error_message(format!("Nhập một số nguyên từ 0 đến {bound}."))?;
        ws.add_data_validation(first.row - 1, ID_COLUMNS, last.row - 1, last_col, &rule)?;
    }
    ws.set_freeze_panes(HEADER_ROWS, ID_COLUMNS)?;
    ws.protect();

    let hidden = wb.add_worksheet();
    hidden.set_name(META_SHEET)?;
    hidden.write_string(0, 0, MARKER)?;
    hidden.write_string(0, 1, LAYOUT)?;
    hidden.write_string(1, 0, "period")?;
    hidden.write_string(1, 1, &meta.period)?;
    hidden.write_string(2, 0, "committee")?;
    hidden.write_string(2, 1, &meta.committee)?;
    hidden.write_string(3, 0, "columns")?;
    for (i, code) in meta.columns.iter().enumerate() {
        hidden.write_string(3, 1 + u16::try_from(i).unwrap_or(0), code)?;
    }
    hidden.write_string(4, 0, "checksum")?;
    hidden.write_string(4, 1, meta.checksum())?;
    for (i, m) in meta.rows.iter().enumerate() {
        let r = 5 + u32::try_from(i).unwrap_or(0);
        hidden.write_number(r, 0, f64::from(m.row))?;
        hidden.write_string(r, 1, &m.committee)?;
        hidden.write_string(r, 2, &m.code)?;
        hidden.write_number(r, 3, f64::from(m.version))?;
    }
    hidden.protect();
    hidden.set_hidden(true);
    wb.save_to_buffer()
}
