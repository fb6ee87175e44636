//! `importPlanDocument` through the real router with real documents: the
//! seed plans as text and as Word, previewed and committed; corrections;
//! who may import; bad files.

use std::io::Write as _;

use anyhow::{Context as _, Result, bail, ensure};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{Session, TestApp};
use crate::ensure_eq;

const IMPORT: &str = "mutation($input: ImportPlanDocumentInput!) { importPlanDocument(input: $input) {
  preview { format issuer proposedCommittee { id } place issuedOn { year month day } signingCapacity
    draft { documentNumber title kind issuedOn periodFrom periodTo orientationYear signatoryName signatoryTitle
      implementsPlanIds references { document issuedOn issuer }
      targets { indicatorCode comparator value unit sourceText }
      reportingRules { cadence deadlineMonthDay deadlineDate addresseeAgencyId sourceText }
      sections { number title }
      tasks { number sectionNumber title description category allRelevantAgencies windowFrom windowTo dueOn
        partners firstLine lastLine
        lead { agencyId name kind match agency { name } } coordinating { agencyId name kind match } } }
    agencies { agencyId name kind match } warnings { code message firstLine lastLine } }
  plan { id status title committee { id } tasks(first: 100) { totalCount } document { fileName size sha256 url } }
  userErrors { field code message } } }";

pub(crate) const SEED_000: &[u8] = include_bytes!("../../data/demo/plans/000_a9bae549e9344898.txt");
const SEED_000_JSON: &str = include_str!("../../data/demo/plans/000_a9bae549e9344898.json");
const SEED_002_DOCX: &[u8] =
    include_bytes!("../../plandoc/tests/data/plans/002_fafc0a697c43e3cd.docx");

async fn import(
    s: &Session<'_>,
    name: &str,
    file: Vec<u8>,
    input: Value,
) -> Result<(Value, Vec<(String, String)>)> {
    let (status, body) = s.upload(IMPORT, input, name, file).await?;
    ensure_eq!(status, 200);
    if body.get("errors").is_some() {
        bail!("import failed: {body}");
    }
    let payload = body["data"]["importPlanDocument"].clone();
    let errors = payload["userErrors"]
        .as_array()
        .context("userErrors")?
        .iter()
        .map(|e| {
            (
                e["field"]
                    .as_array()
                    .map(|f| {
                        f.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .unwrap_or_default(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    Ok((payload, errors))
}

fn seed_numbers(json: &str) -> Result<Vec<String>> {
    let seed: Value = serde_json::from_str(json)?;
    Ok(seed["sections"]
        .as_array()
        .context("sections")?
        .iter()
        .flat_map(|s| s["tasks"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["number"].as_str().map(str::to_owned))
        .collect())
}

/// Writes nothing counted here.
async fn counts(app: &TestApp) -> Result<[i64; 5]> {
    Ok([
        app.rows("plan").await?,
        app.rows("task").await?,
        app.rows("agency").await?,
        app.rows("plan_document").await?,
        app.rows("plan_section").await?,
    ])
}

/// The Tuyên Quang 2024 plan (hard-wrapped text): previewed with every task
/// and assignment, then committed as one audited import with its document.
pub async fn seed_plan_preview_and_commit() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2024-01-01").await?;
    let coordinator = app.session("tuyenquang.coordinator").await?;
    let before = counts(&app).await?;
    let (r, errors) = import(
        &coordinator,
        "ke-hoach-2024.txt",
        SEED_000.to_vec(),
        json!({"committeeId": tq, "dryRun": true}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    ensure_eq!(counts(&app).await?, before);
    let p = &r["preview"];
    ensure_eq!(p["format"], json!("TEXT"));
    ensure_eq!(r["plan"], Value::Null);
    let draft = &p["draft"];
    ensure_eq!(draft["kind"], json!("ANNUAL"));
    ensure_eq!(
        (draft["periodFrom"].clone(), draft["periodTo"].clone()),
        (json!("2024-01-01"), json!("2024-12-31"))
    );
    let tasks = draft["tasks"].as_array().context("tasks")?;
    let numbers: Vec<String> = tasks
        .iter()
        .filter_map(|t| t["number"].as_str().map(str::to_owned))
        .collect();
    ensure_eq!(numbers, seed_numbers(SEED_000_JSON)?);
    // Sections by their path in the outline: "2.1." under "2." under "II.".
    let sections: Vec<&str> = draft["sections"]
        .as_array()
        .context("sections")?
        .iter()
        .filter_map(|s| s["number"].as_str())
        .collect();
    ensure!(sections.contains(&"II.2.1"), "{sections:?}");
    // Every agency the document names is in the registry, matched.
    for t in tasks {
        for a in t["lead"]
            .as_array()
            .into_iter()
            .chain(t["coordinating"].as_array())
            .flatten()
        {
            ensure!(a["agencyId"].is_string(), "unmatched {a}");
            ensure!(a["match"] != "NEW", "{a}");
        }
        ensure!(t["firstLine"].as_u64() > Some(0));
    }
    ensure!(
        tasks
            .iter()
            .any(|t| t["lead"][0]["agency"]["name"] == "Công an tỉnh Tuyên Quang"),
        "Công an tỉnh leads somewhere"
    );
    let indicators: Vec<&str> = draft["targets"]
        .as_array()
        .context("targets")?
        .iter()
        .filter_map(|t| t["indicatorCode"].as_str())
        .collect();
    ensure!(indicators.contains(&"tips_received_rate"), "{indicators:?}");
    let deadlines: Vec<&str> = draft["reportingRules"]
        .as_array()
        .context("rules")?
        .iter()
        .filter_map(|r| r["deadlineMonthDay"].as_str())
        .collect();
    ensure!(deadlines.contains(&"03-29") && deadlines.contains(&"09-10"));
    ensure!(
        draft["references"]
            .as_array()
            .context("references")?
            .iter()
            .any(|r| r["document"]
                .as_str()
                .is_some_and(|d| d.contains("113-NQ/TU")))
    );

    let audits = app.rows("audit_event").await?;
    let (r, errors) = import(
        &coordinator,
        "ke-hoach-2024.txt",
        SEED_000.to_vec(),
        json!({"committeeId": tq, "dryRun": false}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    let plan = &r["plan"];
    ensure_eq!(plan["status"], json!("DRAFT"));
    ensure_eq!(plan["committee"]["id"], json!(tq));
    ensure_eq!(
        plan["tasks"]["totalCount"].as_u64(),
        Some(u64::try_from(numbers.len())?)
    );
    ensure_eq!(app.rows("audit_event").await?, audits + 1);
    let doc = &plan["document"];
    ensure_eq!(doc["fileName"], json!("ke-hoach-2024.txt"));
    ensure_eq!(doc["sha256"], json!(hex::encode(Sha256::digest(SEED_000))));
    let url = doc["url"].as_str().context("url")?;
    let got = coordinator.download(url).await?;
    ensure_eq!(got.0, 200);
    ensure!(got.1 == SEED_000, "the document comes back as uploaded");
    // Whoever may not read the plan gets what a nonexistent plan gets.
    let commune = app.session("hagiang2.viewer").await?;
    let hidden = commune.download(url).await?;
    let missing = commune.download("/plans/UGxhbjo5OTk5OTk/document").await?;
    ensure_eq!(hidden, missing);
    ensure_eq!(hidden.0, 404);
    let anonymous = app.client().get(app.url(url)).send().await?;
    ensure_eq!(anonymous.status().as_u16(), 401);
    Ok(())
}

/// A Word document reads like its text; a committee outside the caller's
/// reach answers like a nonexistent one; reading is not writing.
pub async fn docx_and_scope() -> Result<()> {
    let app = TestApp::new().await?;
    let p37 = app.committee_id("PROVINCE", "37", "2026-03-01").await?;
    let central = app.session("central.viewer").await?;
    let (r, errors) = import(
        &central,
        "ke-hoach.docx",
        SEED_002_DOCX.to_vec(),
        json!({"committeeId": p37}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    ensure_eq!(r["preview"]["format"], json!("DOCX"));
    ensure_eq!(r["preview"]["proposedCommittee"]["id"], json!(p37));
    let tasks = r["preview"]["draft"]["tasks"].as_array().context("tasks")?;
    ensure_eq!(tasks.len(), 42);
    ensure_eq!(r["preview"]["draft"]["kind"], json!("PROGRAMME"));
    ensure_eq!(r["preview"]["draft"]["orientationYear"], json!(2035));
    // A viewer reads, but does not write.
    let before = counts(&app).await?;
    let (_, body) = central
        .upload(
            IMPORT,
            json!({"committeeId": p37, "dryRun": false}),
            "ke-hoach.docx",
            SEED_002_DOCX.to_vec(),
        )
        .await?;
    ensure_eq!(body["errors"][0]["extensions"]["code"], json!("FORBIDDEN"));
    ensure_eq!(counts(&app).await?, before);
    // Out of scope reads as nonexistent, in the field and the message.
    let tq = app.session("tuyenquang.admin").await?;
    let (hidden, e1) = import(
        &tq,
        "ke-hoach.docx",
        SEED_002_DOCX.to_vec(),
        json!({"committeeId": p37, "dryRun": false}),
    )
    .await?;
    let (missing, e2) = import(
        &tq,
        "ke-hoach.docx",
        SEED_002_DOCX.to_vec(),
        json!({"committeeId": "Q29tbWl0dGVlOjk5OTk5OTk", "dryRun": false}),
    )
    .await?;
    ensure_eq!(
        e1,
        vec![("input.committeeId".to_owned(), "NOT_FOUND".to_owned())]
    );
    ensure_eq!(e1, e2);
    ensure_eq!(hidden["userErrors"], missing["userErrors"]);
    ensure_eq!(counts(&app).await?, before);
    Ok(())
}

const SMALL_PLAN: &str = "KẾ HOẠCH
Tuyên truyền phòng, chống mua bán người năm 2026

I. NHIỆM VỤ
1. Tổ chức tuyên truyền về phòng, chống mua bán người tại các thôn, tổ dân phố (Công an phường chủ trì, phối hợp với Hội Nông dân phường Hà Giang 2 thực hiện).
2. Rà soát, hỗ trợ nạn nhân trở về (các cơ quan, đơn vị liên quan thực hiện).
";

/// A name the registry lacks is proposed as a new agency: an ADMIN's to
/// add; an EDITOR corrects the draft instead, and the corrections are what
/// is written.
pub async fn new_agencies_and_corrections() -> Result<()> {
    let app = TestApp::new().await?;
    let viewer = app.session("hagiang2.viewer").await?;
    let d = viewer
        .data("{ me { committee { id } } }", json!({}))
        .await?;
    let hg = d["me"]["committee"]["id"]
        .as_str()
        .context("committee")?
        .to_owned();
    let editor = app.session("hagiang2.editor").await?;
    let (r, errors) = import(
        &editor,
        "plan.md",
        SMALL_PLAN.as_bytes().to_vec(),
        json!({"committeeId": hg}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    let draft = r["preview"]["draft"].clone();
    let tasks = draft["tasks"].as_array().context("tasks")?;
    ensure_eq!(tasks.len(), 2);
    let coordinating = &tasks[0]["coordinating"][0];
    ensure_eq!(coordinating["match"], json!("NEW"));
    ensure_eq!(tasks[1]["allRelevantAgencies"], json!(true));
    ensure!(
        r["preview"]["warnings"]
            .as_array()
            .context("warnings")?
            .iter()
            .any(|w| w["code"] == "UNRESOLVED_AGENCY")
    );
    let before = counts(&app).await?;
    let (_, errors) = import(
        &editor,
        "plan.md",
        SMALL_PLAN.as_bytes().to_vec(),
        json!({"committeeId": hg, "dryRun": false}),
    )
    .await?;
    ensure_eq!(
        errors,
        vec![(
            "input.draft.tasks.0.coordinating.0".to_owned(),
            "FORBIDDEN".to_owned()
        )]
    );
    ensure_eq!(counts(&app).await?, before);

    // The editor's corrections: a new title, the coordinating agency left out.
    let mut corrected = draft.clone();
    corrected["title"] = json!("Kế hoạch tuyên truyền 2026 (đã sửa)");
    let mut out_tasks = Vec::new();
    for t in tasks {
        let pick = |list: &Value| -> Vec<Value> {
            list.as_array()
                .into_iter()
                .flatten()
                .filter(|a| a["agencyId"].is_string())
                .map(|a| json!({"agencyId": a["agencyId"], "name": a["name"], "kind": a["kind"]}))
                .collect()
        };
        out_tasks.push(json!({
            "number": t["number"], "sectionNumber": t["sectionNumber"], "title": t["title"],
            "description": t["description"], "category": t["category"],
            "lead": pick(&t["lead"]), "coordinating": pick(&t["coordinating"]),
            "allRelevantAgencies": t["allRelevantAgencies"],
        }));
    }
    let draft_input = json!({
        "documentNumber": corrected["documentNumber"], "title": corrected["title"],
        "kind": corrected["kind"], "periodFrom": corrected["periodFrom"],
        "periodTo": corrected["periodTo"], "sections": corrected["sections"], "tasks": out_tasks,
    });
    let (r, errors) = import(
        &editor,
        "plan.md",
        SMALL_PLAN.as_bytes().to_vec(),
        json!({"committeeId": hg, "dryRun": false, "draft": draft_input}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    ensure_eq!(
        r["plan"]["title"],
        json!("Kế hoạch tuyên truyền 2026 (đã sửa)")
    );
    ensure_eq!(r["plan"]["tasks"]["totalCount"], json!(2));
    ensure_eq!(app.rows("agency").await?, before[2]);

    // An ADMIN's import adds the agency.
    let admin = app.session("hagiang2.admin").await?;
    let (_, errors) = import(
        &admin,
        "plan.md",
        SMALL_PLAN.as_bytes().to_vec(),
        json!({"committeeId": hg, "dryRun": false}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    ensure_eq!(app.rows("agency").await?, before[2] + 1);
    Ok(())
}

fn zip_of(files: &[(&str, &[u8])]) -> Result<Vec<u8>> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        out.start_file(*name, options)?;
        out.write_all(bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

/// Bad files: each a clear userError on `input.file`, nothing written, and
/// the server answers the next request.
pub async fn bad_documents_are_refused() -> Result<()> {
    let app = TestApp::new().await?;
    let tq = app.committee_id("PROVINCE", "08", "2026-01-01").await?;
    let editor = app.session("tuyenquang.editor").await?;
    let big = vec![b' '; 65 * 1024 * 1024];
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", &big),
    ])?;
    drop(big);
    let mut garbage = Vec::with_capacity(10_000_000);
    let mut x: u32 = 138;
    while garbage.len() < 10_000_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        garbage.extend_from_slice(&x.to_le_bytes());
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", Vec::new(), "INVALID_FILE"),
        ("garbage.docx", garbage[..4096].to_vec(), "INVALID_FILE"),
        (
            "scan.pdf",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "INVALID_FILE",
        ),
        ("bomb.docx", bomb, "INVALID_FILE"),
        ("big.docx", garbage, "INVALID_FILE"),
        (
            "letter.txt",
            "Kính gửi: Ủy ban nhân dân tỉnh\nĐề nghị quý cơ quan xem xét.\n"
                .as_bytes()
                .to_vec(),
            "NO_TASKS",
        ),
    ];
    let before = counts(&app).await?;
    for (name, bytes, code) in cases {
        let (r, errors) = import(
            &editor,
            name,
            bytes,
            json!({"committeeId": tq, "dryRun": false}),
        )
        .await?;
        ensure_eq!(
            (name, errors),
            (name, vec![("input.file".to_owned(), code.to_owned())])
        );
        let message = r["userErrors"][0]["message"].as_str().unwrap_or_default();
        ensure!(message.len() > 20, "{name}: {message}");
    }
    ensure_eq!(counts(&app).await?, before);
    let d = editor.data("{ me { username } }", json!({})).await?;
    ensure_eq!(d["me"]["username"], json!("tuyenquang.editor"));
    Ok(())
}

/// `hub138 plan import`: the back catalogue from a terminal — a dry run
/// writes nothing, an import as an account follows its rules, as the system
/// it creates the plan of the committee in force on the plan's date.
pub async fn cli_import() -> Result<()> {
    use hub138::config::PlanCommand;
    let app = TestApp::new().await?;
    let dir = std::env::temp_dir().join(format!("hub138-plan-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("ke-hoach.docx");
    std::fs::write(&path, SEED_002_DOCX)?;
    let events = hub138::service::events::Events::default();
    let run = |dry_run: bool, username: Option<&str>| PlanCommand::Import {
        file: path.clone(),
        committee: "PROVINCE:37".to_owned(),
        date: None,
        dry_run,
        json: false,
        username: username.map(str::to_owned),
    };
    let before = counts(&app).await?;
    hub138::cli::plan(&app.db, &events, run(true, None)).await?;
    ensure_eq!(counts(&app).await?, before);
    // An account of another province does not see the committee.
    let refused = hub138::cli::plan(&app.db, &events, run(false, Some("tuyenquang.admin"))).await;
    ensure!(refused.is_err());
    ensure_eq!(counts(&app).await?, before);
    hub138::cli::plan(&app.db, &events, run(false, None)).await?;
    let after = counts(&app).await?;
    ensure_eq!(after[0], before[0] + 1);
    ensure_eq!(after[1], before[1] + 42);
    ensure_eq!(after[3], before[3] + 1);
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// An agency's declared alias matches ("Viện Kiểm sát nhân dân" is the
/// registry's "Viện kiểm sát nhân dân tỉnh Lạng Sơn").
pub async fn aliases_match() -> Result<()> {
    let app = TestApp::new().await?;
    let ls = app.committee_id("PROVINCE", "20", "2022-07-01").await?;
    let central = app.session("central.viewer").await?;
    let text = "KẾ HOẠCH\nTuyên truyền phòng, chống mua bán người năm 2022\n\nI. NHIỆM VỤ\n1. Đẩy nhanh việc giải quyết các vụ án mua bán người (Viện Kiểm sát nhân dân chủ trì, phối hợp với Tòa án nhân dân thực hiện).\n";
    let (r, errors) = import(
        &central,
        "plan.txt",
        text.as_bytes().to_vec(),
        json!({"committeeId": ls}),
    )
    .await?;
    ensure_eq!(errors, vec![]);
    let task = &r["preview"]["draft"]["tasks"][0];
    ensure_eq!(
        (
            task["lead"][0]["match"].clone(),
            task["lead"][0]["agency"]["name"].clone()
        ),
        (
            json!("ALIAS"),
            json!("Viện kiểm sát nhân dân tỉnh Lạng Sơn")
        )
    );
    ensure_eq!(task["coordinating"][0]["match"], json!("ALIAS"));
    Ok(())
}
