//! Inputs that are not plans give the right error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};

use plandoc::{DocError, Format, detect, extract, read};
use zip::write::SimpleFileOptions;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn empty_and_blank() {
    assert_eq!(extract(b""), Err(DocError::Empty));
    assert_eq!(extract(b"  \n\t \r\n"), Err(DocError::Empty));
    assert_eq!(detect(b"\xef\xbb\xbf \n"), Err(DocError::Empty));
}

#[test]
fn binary_garbage() {
    let garbage: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    assert!(matches!(extract(&garbage), Err(DocError::NotADocument(_))));
    assert!(matches!(
        extract(b"\x00\x01\x02abc"),
        Err(DocError::NotADocument(_))
    ));
}

#[test]
fn images_and_pdfs() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    assert_eq!(extract(png), Err(DocError::ScannedImage));
    assert_eq!(
        detect(b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        Err(DocError::ScannedImage)
    );
    assert_eq!(detect(b"II*\x00\x08\x00"), Err(DocError::ScannedImage));
    assert_eq!(
        extract(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        Err(DocError::Pdf)
    );
    let msg = DocError::Pdf.to_string();
    assert!(msg.contains(".docx") && msg.contains("text"), "{msg}");
    assert!(
        DocError::ScannedImage
            .to_string()
            .contains("scanned images are not read")
    );
}

#[test]
fn zip_bomb_named_docx() {
    // document.xml declares (and unpacks to) more than 64 MiB; it packs small.
    let big = vec![b' '; 65 * 1024 * 1024];
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", &big),
    ]);
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    assert_eq!(detect(&bomb), Ok(Format::Docx));
    assert!(matches!(extract(&bomb), Err(DocError::TooLarge(_))));
}

#[test]
fn zip_without_document_xml() {
    let z = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
    assert!(matches!(extract(&z), Err(DocError::NotADocument(_))));
    let broken = b"PK\x03\x04not really a zip".to_vec();
    assert!(matches!(extract(&broken), Err(DocError::Corrupt(_))));
}

#[test]
fn minimal_docx() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>KẾ HOẠCH</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Phòng, chống mua bán người năm 2025 &amp; </w:t></w:r><w:r><w:t>hơn</w:t></w:r></w:p></w:body></w:document>"#;
    let z = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let doc = extract(&z).unwrap();
    assert_eq!(doc.paragraphs.len(), 2);
    assert!(doc.paragraphs[0].bold);
    assert_eq!(
        doc.paragraphs[1].text,
        "Phòng, chống mua bán người năm 2025 & hơn"
    );
}

#[test]
fn text_without_tasks() {
    let doc = extract(
        "KẾ HOẠCH\nVề việc tổ chức hội nghị\n\nĐề nghị các đơn vị cử người tham dự đầy đủ.\n"
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(doc.format, Format::Text);
    let r = read(&doc);
    assert!(r.tasks.is_empty());
    assert!(
        r.warnings.iter().any(|w| w.code == "NO_TASKS"),
        "{:?}",
        r.warnings
    );
    assert!(r.warnings.iter().any(|w| w.code == "NO_PERIOD"));
}
