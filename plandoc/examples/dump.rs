//! Prints the paragraphs and the reading of a plan: `cargo run --example dump -- FILE`.
#![allow(clippy::unwrap_used, clippy::print_stdout)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let doc = plandoc::extract(&std::fs::read(path).unwrap()).unwrap();
    for p in &doc.paragraphs {
        println!(
            "[{}-{}{}{}] {:?} {}",
            p.first_line,
            p.last_line,
            if p.bold { " B" } else { "" },
            if p.in_table { " T" } else { "" },
            p.numbering,
            p.text.chars().take(90).collect::<String>()
        );
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&plandoc::read(&doc)).unwrap()
    );
}
