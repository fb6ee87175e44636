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
