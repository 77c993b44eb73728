"""Issue 10, finding 5: no exported cell is a live formula (CSV and XLSX, every export)."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from sanxiang.exports import FORMULA_START, read_cell, safe_cell, safe_row

ATTACKS = ['=HYPERLINK("http://evil.example","点此")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_10_5_a_cell_starting_like_a_formula_is_written_as_text(attack):
    cell = safe_cell(attack)
    assert cell == "'" + attack
    assert read_cell(cell) == attack  # the importers read an exported file back unchanged


def test_10_5_numbers_dates_and_plain_text_are_unchanged():
    values = [-5, 3.5, dt.date(2026, 3, 5), None, "罚款", "2026-03-05", "'quoted"]
    assert safe_row(values) == values


class _Rows:
    """Stands in for the export's queryset: one published decision's public fields."""

    def __init__(self, public):
        self.public = public

    def iterator(self, chunk_size):
        yield type("Decision", (), {"public": self.public})()


def test_10_5_the_public_double_disclosure_exports_hold_no_formula():
    from sanxiang.disclosure import export
    from sanxiang.disclosure import fields as F

    kind = "penalty"
    public = {key: ATTACKS[i % len(ATTACKS)] for i, (_name, key) in enumerate(F.COLUMNS[kind])}
    public.update(fine_amount="3000", confiscation_amount="0")  # amounts are numbers, written in 万元
    row = export.row(kind, public)
    assert not any(isinstance(c, str) and c.startswith(FORMULA_START) for c in row)

    text = "".join(export.csv_lines(kind, _Rows(public)))
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
    assert lines and all(not c.startswith(FORMULA_START) for cells in lines for c in cells)
    book = load_workbook(io.BytesIO(export.xlsx_bytes(kind, _Rows(public))))
    cells = [c for r in book.active.iter_rows(min_row=2) for c in r]
    assert cells and all(c.data_type != "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith(FORMULA_START) for c in cells)


@pytest.mark.django_db
def test_10_5_the_catalog_export_holds_no_formula(agency_a):
    from sanxiang.catalog import xlsx
    from sanxiang.catalog.models import ListKind

    data = xlsx.catalog_export(kind=ListKind.ITEMS, agency=agency_a, on=dt.date(2026, 3, 5))
    book = load_workbook(io.BytesIO(data))
    assert all(c.data_type != "f" for ws in book.worksheets for r in ws.iter_rows() for c in r)


def test_10_5_the_import_error_report_csv_escapes_the_rejected_values(tmp_path):
    from sanxiang.registry.management.commands.import_entities import write_errors_csv

    error = type(
        "E", (), {"line": 2, "label": "名称", "value": "=cmd|' /C calc'!A0", "rule": "r", "message": "m"}
    )
    report = type("R", (), {"errors": [error]})()
    path = tmp_path / "errors.csv"
    write_errors_csv(report, path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
