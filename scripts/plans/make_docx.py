#!/usr/bin/env python3
"""Builds the .docx fixture of a seed plan for the plandoc tests.

The Word file is made from the text copy of seed 002 (Ninh Bình 2026-2030):
the header and the signature go in two-column tables as in the real
documents, Roman headings are bold, the "1." headings under each Roman
section use real Word automatic numbering (numbering.xml, restarting in each
section), and the "-" items are a Word bullet list. The "a)" items keep their
letters as text (Vietnamese letters run a, b, c, d, đ, e, g: Word's
lowerLetter would give f).

Run it (python-docx in a virtualenv under /tmp):

    python3 -m venv /tmp/docxenv && /tmp/docxenv/bin/pip install python-docx
    /tmp/docxenv/bin/python scripts/plans/make_docx.py \
        data/demo/plans/002_fafc0a697c43e3cd.txt \
        plandoc/tests/data/plans/002_fafc0a697c43e3cd.docx
"""

import re
import sys

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def el(tag, **attrs):
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k), str(v))
    return e


def add_abstract(numbering, abstract_id, fmt, text):
    a = el("w:abstractNum", **{"w:abstractNumId": abstract_id})
    a.append(el("w:multiLevelType", **{"w:val": "singleLevel"}))
    lvl = el("w:lvl", **{"w:ilvl": 0})
    lvl.append(el("w:start", **{"w:val": 1}))
    lvl.append(el("w:numFmt", **{"w:val": fmt}))
    lvl.append(el("w:lvlText", **{"w:val": text}))
    lvl.append(el("w:lvlJc", **{"w:val": "left"}))
    a.append(lvl)
    # abstractNum elements come before num elements.
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(a)
    else:
        first_num.addprevious(a)


def add_num(numbering, num_id, abstract_id, restart=False):
    n = el("w:num", **{"w:numId": num_id})
    n.append(el("w:abstractNumId", **{"w:val": abstract_id}))
    if restart:
        o = el("w:lvlOverride", **{"w:ilvl": 0})
        o.append(el("w:startOverride", **{"w:val": 1}))
        n.append(o)
    numbering.append(n)


def number(paragraph, num_id):
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def lines_of(path):
    """Paragraphs of the text copy: one per line; a line starting in lower
    case (and is not an "a)" item) continues the one before (a page break
    in a sentence)."""
    out = []
    for raw in open(path, encoding="utf-8"):
        t = raw.strip()
        if not t:
            continue
        if out and t[0].islower() and not re.match(r"^[a-zđ]\)", t):
            out[-1] += " " + t
        else:
            out.append(t)
    return out


def main(src, dst):
    paras = lines_of(src)
    doc = Document()
    numbering = doc.part.numbering_part.element
    add_abstract(numbering, 90, "decimal", "%1.")
    add_abstract(numbering, 91, "bullet", "-")
    bullet_num = 200
    add_num(numbering, bullet_num, 91)
    next_num = 300

    i = 0
    # Header table: issuer and number | motto and date.
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("ỦY BAN NHÂN DÂN").bold = True
    left.add_paragraph().add_run("TỈNH NINH BÌNH").bold = True
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    while i < len(paras) and not paras[i].startswith("KẾ HOẠCH"):
        t = paras[i]
        if t.startswith("Số"):
            left.add_paragraph(t)
        else:
            right.add_paragraph().add_run(t).italic = True
        i += 1

    current_num = None
    signature = []
    recipients = []
    in_recipients = False
    for t in paras[i:]:
        plain = t.replace("**", "")
        if plain.startswith("Nơi nhận"):
            in_recipients = True
            recipients.append(plain)
            continue
        if in_recipients:
            if plain.startswith("-"):
                recipients.append(plain)
            else:
                signature.append(plain)
            continue
        if plain == "KẾ HOẠCH":
            p = doc.add_paragraph()
            p.add_run(plain).bold = True
            continue
        m = re.match(r"^([IVX]+)\.\s+(.*)$", plain)
        if m:
            p = doc.add_paragraph()
            p.add_run(plain).bold = True
            current_num = next_num
            next_num += 1
            add_num(numbering, current_num, 90, restart=True)
            continue
        m = re.match(r"^(\d+)\.\s+(.*)$", plain)
        if m and current_num is not None:
            p = doc.add_paragraph()
            p.add_run(m.group(2)).bold = True
            number(p, current_num)
            continue
        m = re.match(r"^-\s*(.*)$", plain)
        if m:
            p = doc.add_paragraph(m.group(1))
            number(p, bullet_num)
            continue
        doc.add_paragraph(plain)

    # Signature table: recipients | signature.
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run(recipients[0] if recipients else "Nơi nhận:").bold = True
    for r in recipients[1:]:
        left.add_paragraph(r)
    first = True
    for s in signature:
        p = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        p.add_run(s).bold = s.isupper()
    doc.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
