"""市场主体名录库 import: formats, every bad row reported, all-or-nothing, upsert, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from sanxiang.registry.demo_entities import (
    HEADER,
    as_import_row,
    generate_entities,
    organization_code,
    write_csv,
    write_xlsx,
)
from sanxiang.registry.importing import ExistingPolicy, Rule, market_entities_import
from sanxiang.registry.management.commands.import_entities import ERRORS_HEADER, EXIT_BLOCKED
from sanxiang.registry.models import MarketEntity
from sanxiang.registry.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    validate_credit_code,
)
from sanxiang.testing.factories import MarketEntityFactory, make_credit_code

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def entities(n: int, seed: int = 7) -> list[dict]:
    return list(generate_entities(n, seed=seed, region_codes=["220702", "220721"]))


def rows_of(items: list[dict]) -> list[list[str]]:
    rows = []
    for entity in items:
        row = as_import_row(entity)
        row[7] = row[7].isoformat()
        rows.append(row)
    return rows


def write_rows(path, rows, *, header=HEADER, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(path, **kw):
    kw.setdefault("today", TODAY)
    return market_entities_import(actor=None, path=path, **kw)


def stored(code: str) -> dict:
    return MarketEntity.objects.filter(credit_code=code).values(*FIELDS).get()


FIELDS = [
    "credit_code", "name", "kind", "legal_representative", "region_code",
    "address", "industry", "established_on", "status",
]  # fmt: skip


def wrong_check_character(code: str) -> str:
    right = code[17]
    wrong = next(ch for ch in CREDIT_CODE_ALPHABET if ch != right)
    return code[:17] + wrong


# ----------------------------------------------------------------------------------------------
# Formats


def test_a_good_utf8_csv_imports_every_row_with_every_field(tmp_path):
    expected = entities(25)
    path = write_csv(tmp_path / "名录.csv", 25, seed=7, region_codes=["220702", "220721"])

    report = run_import(path)

    assert report.committed and not report.errors
    assert (report.rows_read, report.imported, report.updated, report.skipped) == (25, 25, 0, 0)
    assert report.encoding == "utf-8-sig"
    assert MarketEntity.objects.count() == 25
    for entity in expected:
        assert stored(entity["credit_code"]) == entity


def test_a_utf8_csv_without_bom_imports(tmp_path):
    expected = entities(3)
    path = write_rows(tmp_path / "nobom.csv", rows_of(expected), encoding="utf-8")

    report = run_import(path)

    assert report.committed and report.imported == 3
    assert stored(expected[0]["credit_code"])["name"] == expected[0]["name"]


def test_a_gb18030_csv_is_detected_and_decoded(tmp_path):
    expected = entities(12)
    path = write_csv(tmp_path / "gb.csv", 12, seed=7, region_codes=["220702", "220721"], encoding="gb18030")
    assert path.read_bytes()[:3] != b"\xef\xbb\xbf"  # no BOM: detection has to work from the bytes

    report = run_import(path)

    assert report.committed and report.imported == 12
    assert report.encoding == "gb18030"
    for entity in expected:
        assert stored(entity["credit_code"]) == entity


def test_the_encoding_can_be_named_and_a_wrong_one_is_reported_with_a_hint(tmp_path):
    path = write_csv(tmp_path / "gb.csv", 4, seed=7, encoding="gb18030")

    assert run_import(path, encoding="GB18030").imported == 4
    MarketEntity.objects.all().delete()

    utf8 = write_csv(tmp_path / "u.csv", 4, seed=7, encoding="utf-8")
    report = run_import(utf8, encoding="gb18030")
    assert report.blocked
    assert report.errors[0].field in {"encoding", "header"}
    assert "--encoding" in report.errors[-1].message
    assert MarketEntity.objects.count() == 0

    report = run_import(utf8, encoding="klingon")
    assert report.blocked and report.errors[0].field == "encoding"
    assert "klingon" in report.errors[0].message


def test_an_xlsx_imports_with_date_cells_and_numeric_region_codes(tmp_path):
    from openpyxl import load_workbook

    expected = entities(30, seed=11)
    path = write_xlsx(tmp_path / "名录.xlsx", 30, seed=11, region_codes=["220702", "220721"])
    # Spreadsheets often hold the region code as a number: rewrite column E as integers.
    book = load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].value = int(row[0].value)
    book.save(path)

    report = run_import(path)

    assert report.committed and report.format == "xlsx"
    assert report.imported == 30
    for entity in expected:
        assert stored(entity["credit_code"]) == entity


def test_english_field_names_and_english_values_are_accepted_as_header_and_labels(tmp_path):
    entity = entities(1)[0]
    path = write_rows(tmp_path / "en.csv", [[entity[f] for f in FIELDS]], header=FIELDS)

    report = run_import(path)

    assert report.committed and report.imported == 1
    assert stored(entity["credit_code"]) == entity


def test_dates_in_the_formats_offices_write_are_read(tmp_path):
    items = entities(4)
    rows = rows_of(items)
    for row, text in zip(rows, ["2020/1/2", "20200102", "2020年1月2日", "2020-01-02 00:00:00"], strict=True):
        row[7] = text

    report = run_import(write_rows(tmp_path / "d.csv", rows))

    assert report.committed
    assert set(MarketEntity.objects.values_list("established_on", flat=True)) == {dt.date(2020, 1, 2)}


def test_unknown_columns_are_ignored_and_listed_and_blank_lines_skipped(tmp_path):
    items = entities(2)
    header = ["序号", *HEADER]
    rows = [[i, *row] for i, row in enumerate(rows_of(items), start=1)]
    rows.insert(1, [""] * len(header))

    report = run_import(write_rows(tmp_path / "x.csv", rows, header=header))

    assert report.committed and report.imported == 2 and report.rows_read == 2
    assert report.ignored_columns == ["序号"]


# ----------------------------------------------------------------------------------------------
# Bad rows: each reported with line, field and the rule; nothing imported


def _bad_check(row):
    row[0] = wrong_check_character(row[0])


def _bad_region(row):
    row[4] = "22070"


def _no_name(row):
    row[1] = "  "


def _bad_date(row):
    row[7] = "2021-02-30"


def _bad_date_format(row):
    row[7] = "去年"


def _future_date(row):
    row[7] = (TODAY + dt.timedelta(days=1)).isoformat()


def _bad_kind(row):
    row[2] = "公司"


def _bad_status(row):
    row[8] = "歇业中"


def _lowercase_code(row):
    row[0] = row[0][:-1] + "o"


def _long_name(row):
    row[1] = "长" * 201


BAD_ROWS = [
    pytest.param(
        _bad_check, "credit_code", "credit_code_check", "校验码错误，第18位应为", id="check-character"
    ),
    pytest.param(_lowercase_code, "credit_code", "credit_code_charset", "GB 32100-2015", id="charset"),
    pytest.param(_bad_region, "region_code", "region_code_format", "GB/T 2260", id="region-code"),
    pytest.param(_no_name, "name", Rule.REQUIRED, "名称: 必填项为空", id="missing-name"),
    pytest.param(_bad_date, "established_on", Rule.DATE, "2021-02-30 不是真实日期", id="unreal-date"),
    pytest.param(_bad_date_format, "established_on", Rule.DATE, "YYYY-MM-DD", id="date-format"),
    pytest.param(_future_date, "established_on", Rule.DATE_FUTURE, "不得晚于", id="future-date"),
    pytest.param(_bad_kind, "kind", Rule.CHOICE, "企业、个体工商户、农民专业合作社、其他", id="kind"),
    pytest.param(_bad_status, "status", Rule.CHOICE, "存续、吊销、注销", id="status"),
    pytest.param(_long_name, "name", Rule.MAX_LENGTH, "最多200个字符", id="too-long"),
]


@pytest.mark.parametrize(("spoil", "field", "rule", "says"), BAD_ROWS)
def test_a_bad_row_is_reported_with_line_field_and_rule_and_nothing_is_imported(
    tmp_path, spoil, field, rule, says
):
    rows = rows_of(entities(6))
    spoil(rows[3])  # file line 5: header is line 1

    report = run_import(write_rows(tmp_path / "bad.csv", rows))

    assert report.blocked and not report.committed
    assert [(e.line, e.field, e.rule) for e in report.errors] == [(5, field, rule)]
    assert says in report.errors[0].message
    assert report.imported == 0
    assert MarketEntity.objects.count() == 0


def test_the_check_character_error_names_the_standard_and_the_right_character(tmp_path):
    rows = rows_of(entities(2))
    good = rows[1][0]
    rows[1][0] = wrong_check_character(good)

    report = run_import(write_rows(tmp_path / "bad.csv", rows))

    (error,) = report.errors
    assert error.message == f"统一社会信用代码 (GB 32100-2015): 校验码错误，第18位应为 {good[17]}"
    assert error.value == rows[1][0]
    assert str(error).startswith("第3行 统一社会信用代码 (GB 32100-2015)")


def test_a_duplicate_credit_code_in_the_file_is_reported_on_the_later_line(tmp_path):
    rows = rows_of(entities(5))
    rows[4][0] = rows[1][0]

    report = run_import(write_rows(tmp_path / "dup.csv", rows))

    assert [(e.line, e.field, e.rule) for e in report.errors] == [(6, "credit_code", Rule.DUPLICATE_IN_FILE)]
    assert "与第3行重复" in report.errors[0].message
    assert MarketEntity.objects.count() == 0


def test_a_missing_required_column_is_reported_on_the_header_line(tmp_path):
    items = entities(2)
    header = [h for h in HEADER if h != "法定代表人"]
    rows = [[c for i, c in enumerate(r) if i != 3] for r in rows_of(items)]

    report = run_import(write_rows(tmp_path / "h.csv", rows, header=header))

    assert [(e.line, e.field, e.rule) for e in report.errors] == [(1, "legal_representative", Rule.HEADER)]
    assert "缺少必填列「法定代表人」" in report.errors[0].message
    assert MarketEntity.objects.count() == 0


def test_a_department_9_code_must_match_the_declared_kind(tmp_path):
    # GB 32100-2015 4.2: 9 2 is an individual business; declaring it an enterprise is a data error.
    rows = rows_of(entities(1))
    rows[0][0] = make_credit_code(1, department="9", kind="2")
    rows[0][2] = "企业"

    report = run_import(write_rows(tmp_path / "k.csv", rows))

    assert [(e.field, e.rule) for e in report.errors] == [("kind", Rule.KIND_MISMATCH)]
    assert "个体工商户" in report.errors[0].message


def test_every_bad_row_is_reported_and_batches_already_written_are_rolled_back(tmp_path):
    rows = rows_of(entities(40))
    _bad_region(rows[1])
    _no_name(rows[17])
    _bad_check(rows[38])

    report = run_import(write_rows(tmp_path / "many.csv", rows), batch_size=5)

    assert [(e.line, e.field) for e in report.errors] == [
        (3, "region_code"),
        (19, "name"),
        (40, "credit_code"),
    ]
    assert report.blocked and report.bad_rows == 3
    assert MarketEntity.objects.count() == 0


def test_skip_bad_rows_imports_the_good_ones_and_still_reports_the_bad(tmp_path):
    items = entities(12)
    rows = rows_of(items)
    _bad_check(rows[2])
    _bad_region(rows[5])
    rows[9] = [*rows[0][:1], "同码的另一主体", *rows[0][2:]]  # duplicate of line 2: line 2 is kept

    report = run_import(write_rows(tmp_path / "skip.csv", rows), skip_bad_rows=True, batch_size=4)

    assert report.committed
    assert (report.rows_read, report.imported, report.skipped) == (12, 9, 3)
    assert [e.line for e in report.errors] == [4, 7, 11]
    kept = {items[i]["credit_code"] for i in range(12) if i not in (2, 5, 9)}
    assert set(MarketEntity.objects.values_list("credit_code", flat=True)) == kept
    assert stored(items[0]["credit_code"])["name"] == items[0]["name"]


def test_an_xlsx_bad_row_is_reported_with_its_sheet_row_number(tmp_path):
    from openpyxl import Workbook

    rows = rows_of(entities(4))
    _bad_region(rows[2])
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "bad.xlsx")

    report = run_import(tmp_path / "bad.xlsx")

    assert [(e.line, e.field) for e in report.errors] == [(4, "region_code")]
    assert MarketEntity.objects.count() == 0


def test_line_numbers_count_physical_lines_when_a_quoted_field_spans_lines(tmp_path):
    rows = rows_of(entities(3))
    rows[0][5] = "吉林省松原市\n宁江区沿江路1号"  # two physical lines: 2 and 3
    _bad_region(rows[2])  # the third entity starts on physical line 5

    report = run_import(write_rows(tmp_path / "ml.csv", rows))

    assert [(e.line, e.field) for e in report.errors] == [(5, "region_code")]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.csv", None, "文件不存在"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "仅支持 CSV 和 XLSX"),
        ("empty.csv", b"", "文件为空"),
        ("broken.xlsx", b"not a zip", "XLSX 文件无法读取"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_clear_error(tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    report = run_import(path)

    assert report.blocked and len(report.errors) == 1
    assert says in report.errors[0].message


# ----------------------------------------------------------------------------------------------
# Existing entities


def test_an_existing_entity_is_updated_by_credit_code_and_an_identical_one_left_alone(tmp_path):
    items = entities(3)
    changed, same, new = items
    MarketEntityFactory(credit_code=changed["credit_code"], name="旧名称", kind=changed["kind"])
    MarketEntity.objects.create(**same)
    before = MarketEntity.objects.get(credit_code=changed["credit_code"])

    report = run_import(write_rows(tmp_path / "refresh.csv", rows_of(items)))

    assert report.committed
    assert (report.imported, report.updated, report.unchanged) == (1, 1, 1)
    after = MarketEntity.objects.get(credit_code=changed["credit_code"])
    assert after.pk == before.pk and after.imported_at == before.imported_at
    assert stored(changed["credit_code"]) == changed
    assert stored(new["credit_code"]) == new
    assert MarketEntity.objects.count() == 3


def test_a_column_absent_from_the_file_is_not_blanked_on_update(tmp_path):
    entity = entities(1)[0]
    MarketEntity.objects.create(**{**entity, "name": "旧名称"})
    header = HEADER[:5]
    rows = [rows_of([entity])[0][:5]]

    report = run_import(write_rows(tmp_path / "narrow.csv", rows, header=header))

    assert report.committed and report.updated == 1
    assert stored(entity["credit_code"]) == entity  # address, industry, date and status kept


def test_refusing_existing_entities_reports_each_and_imports_nothing(tmp_path):
    items = entities(6)
    MarketEntity.objects.create(**items[4])

    report = run_import(
        write_rows(tmp_path / "r.csv", rows_of(items)), existing=ExistingPolicy.REFUSE, batch_size=2
    )

    assert [(e.line, e.field, e.rule) for e in report.errors] == [(6, "credit_code", Rule.EXISTS)]
    assert report.blocked
    assert MarketEntity.objects.count() == 1
    assert stored(items[4]["credit_code"]) == items[4]

    report = run_import(
        write_rows(tmp_path / "r.csv", rows_of(items)), existing="refuse", skip_bad_rows=True, batch_size=2
    )
    assert report.committed and (report.imported, report.skipped) == (5, 1)
    assert MarketEntity.objects.count() == 6


# ----------------------------------------------------------------------------------------------
# Letter registration departments (GB 32100-2015 4.1)


@pytest.mark.parametrize(("department", "kind"), [("A", "1"), ("N", "2"), ("Y", "1"), ("5", "1")])
def test_codes_from_letter_registration_departments_import(tmp_path, department, kind):
    rows = rows_of(entities(1))
    rows[0][0] = make_credit_code(42, department=department, kind=kind)
    rows[0][2] = "其他"

    report = run_import(write_rows(tmp_path / "letters.csv", rows))

    assert report.committed, report.errors
    assert MarketEntity.objects.get().credit_code == rows[0][0]


# ----------------------------------------------------------------------------------------------
# The command


def test_the_command_imports_and_exits_zero(tmp_path):
    path = write_csv(tmp_path / "ok.csv", 8)
    out, err = io.StringIO(), io.StringIO()

    call_command("import_entities", str(path), "--no-progress", stdout=out, stderr=err)

    assert MarketEntity.objects.count() == 8
    assert "新增 8" in out.getvalue()


def test_the_command_exits_non_zero_prints_errors_and_writes_the_errors_file(tmp_path):
    rows = rows_of(entities(30))
    for row in rows[::3]:
        _bad_region(row)
    errors_file = tmp_path / "errors.csv"
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_entities",
            str(write_rows(tmp_path / "bad.csv", rows)),
            "--no-progress",
            "--show-errors=4",
            f"--errors-file={errors_file}",
            stderr=err,
        )

    assert caught.value.returncode == EXIT_BLOCKED
    assert "名录库未作任何改动" in str(caught.value)
    printed = [line for line in err.getvalue().splitlines() if line.startswith("第")]
    assert printed[0].startswith("第2行 行政区划代码 (GB/T 2260)")
    assert len(printed) == 4
    assert "另有 6 条错误未显示" in err.getvalue()
    with errors_file.open(encoding="utf-8-sig") as fh:
        written = list(csv.reader(fh))
    assert written[0] == ERRORS_HEADER
    assert [r[0] for r in written[1:]] == [str(n) for n in range(2, 32, 3)]
    assert MarketEntity.objects.count() == 0


def test_the_command_with_skip_bad_rows_exits_zero_and_imports_the_rest(tmp_path):
    rows = rows_of(entities(5))
    _bad_check(rows[0])
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_entities",
        str(write_rows(tmp_path / "s.csv", rows)),
        "--skip-bad-rows",
        "--no-progress",
        stdout=out,
        stderr=err,
    )

    assert MarketEntity.objects.count() == 4
    assert "第2行" in err.getvalue() and "跳过 1" in out.getvalue()


def test_the_sanxiang_cli_exits_with_status_1_when_errors_block_the_import(tmp_path, capsys):
    from sanxiang.cli import main

    rows = rows_of(entities(2))
    _bad_date(rows[1])

    with pytest.raises(SystemExit) as caught:
        main(["import-entities", str(write_rows(tmp_path / "b.csv", rows)), "--no-progress"])

    assert caught.value.code == EXIT_BLOCKED
    assert "第3行 成立日期: 2021-02-30 不是真实日期" in capsys.readouterr().err


def test_the_progress_callbacks_count_every_row(tmp_path):
    path = write_csv(tmp_path / "p.csv", 2345)
    started, done = [], []

    report = run_import(path, on_start=started.append, on_progress=done.append)

    assert started == [2345] and sum(done) == 2345 == report.imported


# ----------------------------------------------------------------------------------------------
# The generator


def test_the_generator_is_deterministic_and_every_code_is_valid_unique_and_fits_its_kind():
    first = entities(3000, seed=99)
    assert first == entities(3000, seed=99)
    assert first != entities(3000, seed=100)
    codes = [e["credit_code"] for e in first]
    assert len(set(codes)) == len(codes)
    departments = set()
    for entity in first:
        code = entity["credit_code"]
        validate_credit_code(code)
        assert code[17] == credit_code_check_character(code[:17])
        assert code[8:17] == organization_code(code[8:16])  # GB 11714 组织机构代码
        assert code[2:8] == entity["region_code"]
        departments.add(code[:2])
        if code[0] == "9":
            expected = {"1": "enterprise", "2": "individual_business", "3": "cooperative"}[code[1]]
            assert entity["kind"] == expected
        else:
            assert entity["kind"] == "other"
        assert entity["name"] and entity["legal_representative"] and entity["address"]
    assert {"91", "92", "93", "N2", "Y1"} <= departments


# ----------------------------------------------------------------------------------------------
# The benchmark cannot rot: a 200-row run of the same measurement on the test database


def test_the_import_benchmark_runs_on_a_small_file(tmp_path):
    from benches import import_entities as bench
    from benches.run import discover

    assert "import_entities" in discover()
    result = bench.measure(rows=200, workdir=tmp_path, xlsx=True)

    for key in (
        "raw_insert_bare",
        "raw_insert_indexed",
        "import_csv",
        "import_xlsx",
        "refresh_csv_unchanged",
    ):
        assert result[key]["rows"] == 200
        assert result[key]["rows_per_second"] > 0
    assert result["import_csv"]["imported"] == 200
    assert result["refresh_csv_unchanged"]["unchanged"] == 200
    assert result["ratio_import_csv_to_raw_bare"] > 0
