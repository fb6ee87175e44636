//! A plan the reader has not been tuned on: a pre-reform district's
//! "Tháng hành động" plan with the other assignment forms of the genre.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use plandoc::{extract, read};

const PLAN: &str = "UBND HUYỆN BẮC QUANG
BAN CHỈ ĐẠO 138
Số: 45/KH-BCĐ
Bắc Quang, ngày 05 tháng 7 năm 2024

KẾ HOẠCH
Tháng hành động phòng, chống mua bán người từ ngày 01/7 đến 31/7/2024

Căn cứ Kế hoạch số 19/KH-BCĐ138/CP ngày 15/01/2024 của Ban Chỉ đạo 138/CP về thực hiện công tác phòng, chống mua bán người năm 2024; Ban Chỉ đạo 138 huyện xây dựng kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Phấn đấu ít nhất 95% số vụ án mua bán người được điều tra, khám phá.

II. NHIỆM VỤ CỤ THỂ
1. Công an huyện
a) Mở đợt cao điểm tấn công, trấn áp tội phạm mua bán người.
b) Tổ chức tuyên truyền tại các xã, thị trấn biên giới; phối hợp với lực lượng chức năng tỉnh Vân Nam, Trung Quốc trao đổi thông tin.
2. Phòng Lao động - Thương binh và Xã hội huyện
a) Tiếp nhận, hỗ trợ nạn nhân bị mua bán trở về, hoàn thành trước ngày 15/12.
3. Các nhiệm vụ khác
a) Tổ chức hội nghị sơ kết công tác phòng, chống mua bán người.
(Cơ quan chủ trì: Văn phòng HĐND và UBND huyện; cơ quan phối hợp: Công an huyện, Phòng Tư pháp huyện)
b) Giao Phòng Văn hóa và Thông tin huyện chủ trì, phối hợp với Đài Truyền thanh huyện và các cơ quan liên quan xây dựng chuyên mục tuyên truyền.
c) Rà soát hồ sơ kết hôn có yếu tố nước ngoài.
Đơn vị thực hiện: Phòng Tư pháp huyện, Ủy ban nhân dân các xã, thị trấn.

III. TỔ CHỨC THỰC HIỆN
1. Các cơ quan, đơn vị báo cáo kết quả về Ban Chỉ đạo 138 huyện (qua Công an huyện) trước ngày 05/8/2024.
2. Giao Công an huyện là cơ quan thường trực theo dõi, đôn đốc thực hiện Kế hoạch này.

Nơi nhận:
- BCĐ 138 tỉnh;
- Lưu: VT.

TM. BAN CHỈ ĐẠO
TRƯỞNG BAN

PHÓ CHỦ TỊCH UBND HUYỆN
Nguyễn Văn An
";

#[test]
fn reads_an_unseen_district_plan() {
    let r = read(&extract(PLAN.as_bytes()).unwrap());
    assert_eq!(r.document_number.as_deref(), Some("45/KH-BCĐ"));
    assert_eq!(r.place.as_deref(), Some("Bắc Quang"));
    assert_eq!(r.issued_on.and_then(|d| d.day), Some(5));
    assert_eq!(r.kind, "CAMPAIGN");
    let p = r.period.unwrap();
    assert_eq!(
        (p.from.to_string(), p.to.to_string()),
        ("2024-07-01".to_owned(), "2024-07-31".to_owned())
    );
    assert_eq!(r.implements.len(), 1);
    assert_eq!(r.targets.len(), 1);
    assert_eq!(r.targets[0].comparator, "GTE");
    assert_eq!(
        r.targets[0].indicator.as_deref(),
        Some("cases_investigated_solved_rate")
    );
    let numbers: Vec<&str> = r.tasks.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["a)", "b)", "a)", "a)", "b)", "c)"]);
    let t = &r.tasks;
    assert_eq!(t[0].lead, ["Công an huyện"]);
    assert_eq!(t[1].lead, ["Công an huyện"]);
    assert!(
        t[1].partners.iter().any(|p| p.contains("Vân Nam")),
        "{:?}",
        t[1].partners
    );
    assert_eq!(t[2].lead, ["Phòng Lao động - Thương binh và Xã hội huyện"]);
    assert_eq!(
        t[2].due_on.map(|d| (d.day, d.month, d.year)),
        Some((Some(15), Some(12), None))
    );
    assert_eq!(t[3].lead, ["Văn phòng HĐND và UBND huyện"]);
    assert_eq!(t[3].coordinating, ["Công an huyện", "Phòng Tư pháp huyện"]);
    assert_eq!(t[4].lead, ["Phòng Văn hóa và Thông tin huyện"]);
    assert_eq!(t[4].coordinating, ["Đài Truyền thanh huyện"]);
    assert!(t[4].all_relevant);
    assert_eq!(t[5].lead, ["Phòng Tư pháp huyện"]);
    assert_eq!(t[5].collective, ["Ủy ban nhân dân các xã, thị trấn"]);
    assert_eq!(r.reporting.len(), 1);
    assert_eq!(r.reporting[0].cadence, "ONE_OFF");
    assert_eq!(r.reporting[0].deadline.as_deref(), Some("08-05"));
    assert_eq!(r.standing_agency.as_deref(), Some("Công an huyện"));
    let s = r.signatory.unwrap();
    assert_eq!(s.name, "Nguyễn Văn An");
    assert_eq!(s.capacity.as_deref(), Some("TM. BAN CHỈ ĐẠO"));
    assert!(
        r.issuer.as_deref().is_some_and(|i| i.contains("Bắc Quang")),
        "{:?}",
        r.issuer
    );
}

/// A province's plan that gives its tasks as an assignment grid (a
/// markdown table here; a Word table reads the same, `docx.rs`).
const GRID_PLAN: &str = "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH

Số: 210/KH-UBND

Hà Tĩnh, ngày 20 tháng 2 năm 2025

KẾ HOẠCH

Thực hiện công tác phòng, chống mua bán người năm 2025

Thực hiện Kế hoạch số 25/KH-BCĐ138/CP ngày 10/01/2025 của Ban Chỉ đạo 138/CP, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Phấn đấu trên 90% số vụ án mua bán người được điều tra, khám phá.

II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN

| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |
|---|---|---|---|---|
| I | CÔNG TÁC TRUYỀN THÔNG | | | |
| 1 | Tuyên truyền về phòng, chống mua bán người tại các xã biên giới | Sở Văn hóa, Thể thao và Du lịch | Công an tỉnh; Bộ Chỉ huy Bộ đội Biên phòng tỉnh | Từ ngày 01/7 đến 31/7 |
| 2 | Tổ chức hội nghị tập huấn cho cán bộ cấp xã | Công an tỉnh | Sở Tư pháp, Ủy ban nhân dân các xã, phường | Quý II |
| II | CÔNG TÁC ĐẤU TRANH, XỬ LÝ TỘI PHẠM | | | |
| 3 | Mở đợt cao điểm tấn công, trấn áp tội phạm mua bán người | Công an tỉnh | Bộ Chỉ huy Bộ đội Biên phòng tỉnh | Trước ngày 30/9 |
| 4 | Tiếp nhận, hỗ trợ nạn nhân bị mua bán trở về | Sở Nội vụ | Các sở, ngành, địa phương | Thường xuyên |

III. TỔ CHỨC THỰC HIỆN

Các sở, ngành, địa phương báo cáo kết quả định kỳ 06 tháng, năm về Ủy ban nhân dân tỉnh (qua Công an tỉnh) trước ngày 15/6 và 15/12.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Báu Hà
";

#[test]
fn reads_a_plan_whose_tasks_are_a_grid() {
    let r = read(&extract(GRID_PLAN.as_bytes()).unwrap());
    let numbers: Vec<&str> = r.tasks.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4"], "{:#?}", r.tasks);
    let t = &r.tasks;
    assert_eq!(t[0].lead, ["Sở Văn hóa, Thể thao và Du lịch"]);
    assert_eq!(
        t[0].coordinating,
        ["Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]
    );
    assert_eq!(
        t[0].window_from.map(|d| (d.day, d.month)),
        Some((Some(1), Some(7)))
    );
    assert_eq!(t[1].lead, ["Công an tỉnh"]);
    assert_eq!(t[1].coordinating, ["Sở Tư pháp"]);
    assert_eq!(t[1].collective, ["Ủy ban nhân dân các xã, phường"]);
    assert_eq!(t[2].lead, ["Công an tỉnh"]);
    assert_eq!(
        t[2].due_on.map(|d| (d.day, d.month)),
        Some((Some(30), Some(9)))
    );
    assert_eq!(t[3].lead, ["Sở Nội vụ"]);
    assert!(t[3].all_relevant);
    // The grid's group rows are the sections of its tasks.
    let sections: Vec<&str> = r.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(
        sections.iter().any(|s| s.contains("TRUYỀN THÔNG"))
            && sections.iter().any(|s| s.contains("ĐẤU TRANH")),
        "{sections:?}"
    );
    assert_eq!(t[0].category.as_deref(), Some("COMMUNICATION"));
    assert_eq!(t[2].category.as_deref(), Some("ENFORCEMENT"));
    let rules: Vec<(&str, Option<&str>)> = r
        .reporting
        .iter()
        .map(|x| (x.cadence.as_str(), x.deadline.as_deref()))
        .collect();
    assert_eq!(
        rules,
        [("SEMIANNUAL", Some("06-15")), ("ANNUAL", Some("12-15"))]
    );
    assert_eq!(r.funding, None);
    assert_eq!(r.implements.len(), 1);
    assert_eq!(
        r.implements[0].issuer.as_deref(),
        Some("Ban Chỉ đạo 138/CP")
    );
}
