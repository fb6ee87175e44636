//! Renders an export [`Document`] as XLSX, CSV (UTF-8 with a BOM, so Excel
//! reads the Vietnamese right) or JSON (the shape is documented in the README).

use rust_xlsxwriter::{Format as XFormat, FormatAlign, Workbook, XlsxError};
use serde_json::{Value, json};

use crate::service::export::{Cell, Document, Format, Table};

/// Rates are written with two decimals in CSV; XLSX keeps the full value
/// and shows two.
const RATE_DECIMALS: usize = 2;

pub fn render(doc: &Document, format: Format) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Xlsx => xlsx(doc).map_err(|e| anyhow::anyhow!("xlsx: {e}")),
        Format::Csv => csv(doc),
        Format::Json => Ok(serde_json::to_vec_pretty(&json_of(doc))?),
    }
}

/// The cell as CSV text.
pub fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Count(v) => whole(*v),
        Cell::Rate { value, .. } => {
            value.map_or_else(String::new, |v| format!("{v:.RATE_DECIMALS$}"))
        }
        Cell::Hidden(n) => format!("<{n}"),
        Cell::Empty => String::new(),
    }
}

fn whole(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

fn include_words(doc: &Document) -> &'static str {
    match doc.include {
        crate::service::enums::ReportInclusion::Approved => {
            "Chỉ số liệu của báo cáo đã được phê duyệt"
        }
        crate::service::enums::ReportInclusion::Submitted => {
            "Số liệu của báo cáo đã gửi và đã được phê duyệt (gồm cả báo cáo chưa phê duyệt)"
        }
    }
}

fn cover_rows(doc: &Document) -> Vec<(&'static str, String)> {
    vec![
        (
            "Biểu mẫu",
            format!("{} ({})", doc.definition.title, doc.definition.code),
        ),
        (
            "Phạm vi",
            format!("{} (mã {})", doc.scope.name, doc.scope.code),
        ),
        ("Kỳ báo cáo", doc.period.to_string()),
        (
            "Thời điểm lập (UTC)",
            doc.generated_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        ),
        ("Người lập", doc.generated_by.clone()),
        ("Số liệu", include_words(doc).to_owned()),
        (
            "Đơn vị hành chính",
            match doc.units {
                crate::service::enums::Units::AsOf => "Theo địa giới tại kỳ báo cáo".to_owned(),
                crate::service::enums::Units::Current => "Theo địa giới hiện hành".to_owned(),
            },
        ),
        (
            "Ẩn số liệu nhỏ",
            doc.suppress_below.map_or_else(
                || "Không (số liệu chính xác)".to_owned(),
                |n| format!("Số từ 1 đến {} hiển thị là \"<{n}\"", n - 1),
            ),
        ),
    ]
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut i = 2;
    while taken.contains(&name) {
        name = format!("{clean} {i}");
        i += 1;
    }
    name
}

fn xlsx(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = XFormat::new().set_bold();
    let header = XFormat::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let counts = XFormat::new().set_num_format("#,##0");
    let rates = XFormat::new().set_num_format("0.00");
    let total_counts = XFormat::new().set_bold().set_num_format("#,##0");
    let total_rates = XFormat::new().set_bold().set_num_format("0.00");
    let right = XFormat::new().set_align(FormatAlign::Right);
    let cover = wb.add_worksheet();
    cover.set_name("Thông tin chung")?;
    cover.write_string_with_format(0, 0, &doc.definition.title, &bold)?;
    for (i, (k, v)) in cover_rows(doc).iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(0) + 2;
        cover.write_string_with_format(r, 0, *k, &bold)?;
        cover.write_string(r, 1, v)?;
    }
    cover.set_column_width(0, 22)?;
    cover.set_column_width(1, 90)?;
    let mut taken = vec!["Thông tin chung".to_owned()];
    for table in &doc.tables {
        let name = sheet_name(&table.title, &taken);
        taken.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        let mut widths: Vec<usize> = table
            .columns
            .iter()
            .map(|c| c.heading().chars().count().min(24))
            .collect();
        for (c, col) in table.columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, c, col.heading(), &header)?;
        }
        let mut write_row = |r: u32, row: &[Cell], is_total: bool| -> Result<(), XlsxError> {
            for (c, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(text(cell).chars().count());
                }
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                let (cf, rf) = if is_total {
                    (&total_counts, &total_rates)
                } else {
                    (&counts, &rates)
                };
                match cell {
                    Cell::Text(s) if is_total => {
                        ws.write_string_with_format(r, c, s, &bold)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Count(v) => {
                        ws.write_number_with_format(r, c, *v, cf)?;
                    }
                    Cell::Rate { value: Some(v), .. } => {
                        ws.write_number_with_format(r, c, *v, rf)?;
                    }
                    Cell::Hidden(n) => {
                        ws.write_string_with_format(r, c, format!("<{n}"), &right)?;
                    }
                    Cell::Rate { value: None, .. } | Cell::Empty => {}
                }
            }
            Ok(())
        };
        let mut r = 1u32;
        for row in &table.rows {
            write_row(r, row, false)?;
            r += 1;
        }
        if let Some(total) = &table.total {
            write_row(r, total, true)?;
        }
        for (c, w) in widths.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            // Vietnamese letters are about as wide as Latin ones; add room
            // for the autofilter arrow and bold text.
            #[allow(clippy::cast_precision_loss)]
            let width = (*w as f64 * 1.1 + 2.0).clamp(8.0, 60.0);
            ws.set_column_width(c, width)?;
        }
        ws.set_row_height(0, 45)?;
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

fn csv(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = ::csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        w.write_record([doc.definition.title.as_str()])?;
        for (k, v) in cover_rows(doc) {
            w.write_record([k, v.as_str()])?;
        }
        for table in &doc.tables {
            w.write_record([""])?;
            write_table(&mut w, table)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A table in CSV: its title, the headings, the rows, the total.
fn write_table<W: std::io::Write>(w: &mut ::csv::Writer<W>, table: &Table) -> anyhow::Result<()> {
    w.write_record([table.title.as_str()])?;
    w.write_record(table.columns.iter().map(|c| c.heading()))?;
    for row in table.rows.iter().chain(table.total.iter()) {
        w.write_record(row.iter().map(text))?;
    }
    Ok(())
}

fn cell_json(cell: &Cell) -> Value {
    match cell {
        Cell::Text(s) => json!(s),
        Cell::Count(v) => json!(v),
        Cell::Rate { value, .. } => json!(value),
        Cell::Hidden(n) => json!(format!("<{n}")),
        Cell::Empty => Value::Null,
    }
}

fn row_json(table: &Table, row: &[Cell]) -> Value {
    let mut o = serde_json::Map::new();
    for (col, cell) in table.columns.iter().zip(row) {
        o.insert(col.key().to_owned(), cell_json(cell));
    }
    Value::Object(o)
}

/// The JSON shape (see the README).
pub fn json_of(doc: &Document) -> Value {
    json!({
        "definition": doc.definition.code,
        "title": doc.definition.title,
        "scope": {"code": doc.scope.code, "level": doc.scope.level, "name": doc.scope.name},
        "period": doc.period.to_string(),
        "include": doc.include.as_str(),
        "units": doc.units.as_str(),
        "generatedAt": doc.generated_at.to_rfc3339(),
        "generatedBy": doc.generated_by,
        "suppressBelow": doc.suppress_below,
        "sections": doc.tables.iter().map(|t| json!({
            "title": t.title,
            "columns": t.columns.iter().map(|c| json!({"key": c.key(), "heading": c.heading()})).collect::<Vec<_>>(),
            "rows": t.rows.iter().map(|r| row_json(t, r)).collect::<Vec<_>>(),
            "total": t.total.as_ref().map(|r| row_json(t, r)),
        })).collect::<Vec<_>>(),
    })
}
