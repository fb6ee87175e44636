//! The checked-in `schema.graphql` is exactly what the code generates.

pub async fn sdl_matches_checked_in_file() -> anyhow::Result<()> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = hub138::graphql::sdl();
    if checked_in != generated {
        anyhow::bail!(
            "schema.graphql is out of date; regenerate it with \
             `cargo run -p hub138 -- schema > schema.graphql`"
        );
    }
    Ok(())
}
