#!/usr/bin/env python3
"""Builds the .docx fixture of a plan whose tasks are an assignment grid.

A Word table as committees draw it: a two-row header ("STT", "Nội dung" and
"Thời gian" merged down, "Cơ quan thực hiện" spanning "Chủ trì" and "Phối
hợp"), group rows spanning the table ("I. CÔNG TÁC TRUYỀN THÔNG"), several
agencies in a cell as separate paragraphs, and one lead cell merged down
over two tasks.

Run it (python-docx in a virtualenv under /tmp):

    python3 -m venv /tmp/docxenv && /tmp/docxenv/bin/pip install python-docx
    /tmp/docxenv/bin/python scripts/plans/make_grid_docx.py \
        plandoc/tests/data/plans/grid.docx
"""

import sys

from docx import Document

# (number, content, lead, coordinating, time); a lead of None continues the
# lead cell above (a vertical merge); a row of one string is a group.
ROWS = [
    "I. CÔNG TÁC TRUYỀN THÔNG",
    ("1", "Tuyên truyền về phòng, chống mua bán người tại các xã biên giới",
     ["Sở Văn hóa, Thể thao và Du lịch"],
     ["Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"], "Từ ngày 01/7 đến 31/7"),
    ("2", "Tổ chức hội nghị tập huấn cho cán bộ cấp xã", ["Công an tỉnh"],
     ["Sở Tư pháp", "Ủy ban nhân dân các xã, phường"], "Quý II"),
    "II. CÔNG TÁC ĐẤU TRANH, XỬ LÝ TỘI PHẠM",
    ("3", "Mở đợt cao điểm tấn công, trấn áp tội phạm mua bán người",
     ["Công an tỉnh"], ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"], "Trước ngày 30/9"),
    ("4", "Điều tra các vụ án mua bán người", None,
     ["Viện kiểm sát nhân dân tỉnh"], "Thường xuyên"),
    ("5", "Tiếp nhận, hỗ trợ nạn nhân bị mua bán trở về", ["Sở Nội vụ"],
     ["Các sở, ngành, địa phương"], "Thường xuyên"),
]


def cell_lines(cell, lines):
    cell.text = lines[0]
    for extra in lines[1:]:
        cell.add_paragraph(extra)


def main(out):
    d = Document()
    for line in [
        "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
        "Số: 210/KH-UBND",
        "Hà Tĩnh, ngày 20 tháng 2 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện công tác phòng, chống mua bán người năm 2025",
        "Thực hiện Kế hoạch số 25/KH-BCĐ138/CP ngày 10/01/2025 của Ban Chỉ đạo 138/CP, "
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
    ]:
        d.add_paragraph(line)
    d.add_paragraph().add_run("I. MỤC ĐÍCH, YÊU CẦU").bold = True
    d.add_paragraph("1. Phấn đấu trên 90% số vụ án mua bán người được điều tra, khám phá.")
    d.add_paragraph().add_run("II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN").bold = True

    t = d.add_table(rows=2 + len(ROWS), cols=5)
    t.style = "Table Grid"
    h0, h1 = t.rows[0].cells, t.rows[1].cells
    h0[0].text, h0[1].text, h0[2].text, h0[4].text = (
        "STT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Thời gian")
    h1[2].text, h1[3].text = "Chủ trì", "Phối hợp"
    h0[2].merge(h0[3])
    for j in (0, 1, 4):
        h0[j].merge(h1[j])
    above = None
    for i, r in enumerate(ROWS):
        cells = t.rows[2 + i].cells
        if isinstance(r, str):
            cells[0].merge(cells[4]).text = r
            continue
        n, content, lead, coord, time = r
        cells[0].text, cells[1].text, cells[4].text = n, content, time
        cell_lines(cells[3], coord)
        if lead is None:
            above.merge(cells[2])
        else:
            cell_lines(cells[2], lead)
            above = cells[2]

    d.add_paragraph().add_run("III. TỔ CHỨC THỰC HIỆN").bold = True
    d.add_paragraph(
        "Các sở, ngành, địa phương báo cáo kết quả định kỳ 06 tháng, năm về Ủy ban nhân dân "
        "tỉnh (qua Công an tỉnh) trước ngày 15/6 và 15/12.")
    for line in ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Báu Hà"]:
        d.add_paragraph(line)
    d.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
