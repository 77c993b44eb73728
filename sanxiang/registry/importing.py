"""Import of the 市场主体名录库 (market-entity directory) from CSV or XLSX.

``market_entities_import`` reads a file streaming (CSV in UTF-8 with or without BOM or in GB18030;
XLSX through openpyxl in read-only mode), validates every row, reports every bad row with its line,
field and the rule it breaks, and upserts the good rows by 统一社会信用代码 in batches.

All or nothing: the whole import runs in one ``transaction.atomic()``. When any row is bad the
transaction is rolled back and nothing is written, unless the operator asked to skip bad rows.
See docs/decisions/0004-entity-import.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.registry.models import MarketEntity
from sanxiang.registry.validators import (
    CREDIT_CODE_RULE,
    normalize_credit_code,
    validate_credit_code,
    validate_region_code,
)

# ---------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    required: bool
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", True, 18),
    Column("name", "名称", True, 200),
    Column("kind", "主体类型", True),
    Column("legal_representative", "法定代表人", True, 50),
    Column("region_code", "行政区划代码", True, 6),
    Column("address", "住所", False, 200),
    Column("industry", "行业", False, 100),
    Column("established_on", "成立日期", False),
    Column("status", "登记状态", False),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
# Header names accepted for each field: the Chinese label, a few labels common in exports from
# 市场监管 systems, and the English field name.
HEADER_ALIASES: dict[str, str] = {}
for _c in COLUMNS:
    HEADER_ALIASES[_c.label] = _c.field
    HEADER_ALIASES[_c.field] = _c.field
HEADER_ALIASES.update(
    {
        "主体名称": "name",
        "企业名称": "name",
        "法定代表人或经营者": "legal_representative",
        "法定代表人（负责人、经营者）": "legal_representative",
        "经营者": "legal_representative",
        "区划代码": "region_code",
        "住所（经营场所）": "address",
        "经营场所": "address",
        "地址": "address",
        "所属行业": "industry",
        "成立日期（注册日期）": "established_on",
        "注册日期": "established_on",
        "状态": "status",
        "经营状态": "status",
    }
)

# 主体类型 and 登记状态 as written in exports; the model's English values are accepted too.
KIND_VALUES: dict[str, str] = {str(label): value for value, label in MarketEntity.Kind.choices}
KIND_VALUES.update({v: v for v in MarketEntity.Kind.values})
KIND_VALUES.update(
    {"农民合作社": MarketEntity.Kind.COOPERATIVE, "个体户": MarketEntity.Kind.INDIVIDUAL_BUSINESS}
)
STATUS_VALUES: dict[str, str] = {str(label): value for value, label in MarketEntity.Status.choices}
STATUS_VALUES.update({v: v for v in MarketEntity.Status.values})
# 存续 is written 在营、开业、在业、在册 by several provincial systems; 吊销未注销 is still 吊销.
STATUS_VALUES.update(
    {
        "在营": MarketEntity.Status.OPERATING,
        "开业": MarketEntity.Status.OPERATING,
        "在业": MarketEntity.Status.OPERATING,
        "在册": MarketEntity.Status.OPERATING,
        "存续（在营、开业、在册）": MarketEntity.Status.OPERATING,
        "吊销，未注销": MarketEntity.Status.REVOKED,
        "吊销未注销": MarketEntity.Status.REVOKED,
        "吊销，已注销": MarketEntity.Status.DEREGISTERED,
    }
)

# GB 32100-2015 4.2: for 登记管理部门 9 (工商, now 市场监管) the 机构类别 code says what the entity is.
CREDIT_KIND_FOR_DEPARTMENT_9 = {
    "1": MarketEntity.Kind.ENTERPRISE,
    "2": MarketEntity.Kind.INDIVIDUAL_BUSINESS,
    "3": MarketEntity.Kind.COOPERATIVE,
}

UPDATE_FIELDS = [c.field for c in COLUMNS if c.field != "credit_code"]


class ExistingPolicy(enum.StrEnum):
    """What to do with a row whose credit code is already in the directory."""

    UPDATE = "update"  # upsert: a periodic refresh of the directory
    REFUSE = "refuse"  # report it as an error


# Rule codes, reused by tests and the error CSV.
class Rule(enum.StrEnum):
    REQUIRED = "required"
    MAX_LENGTH = "max_length"
    CHOICE = "choice"
    DATE = "date"
    DATE_FUTURE = "date_future"
    KIND_MISMATCH = "credit_code_kind"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    EXISTS = "exists"
    HEADER = "header"
    FILE = "file"


# ---------------------------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where (line, field), what (value) and which rule it breaks."""

    line: int
    field: str
    rule: str
    message: str
    value: str = ""

    @property
    def label(self) -> str:
        column = COLUMN_BY_FIELD.get(self.field)
        return column.label if column else _OTHER_LABELS.get(self.field, self.field)

    def __str__(self) -> str:
        where = f"第{self.line}行 " if self.line else ""
        # Messages name their rule, which usually starts with the field's label.
        text = self.message if self.message.startswith(self.label) else f"{self.label}: {self.message}"
        shown = f"（值「{self.value}」）" if self.value else ""
        return f"{where}{text}{shown}"


_OTHER_LABELS = {"file": "文件", "encoding": "文件编码", "header": "表头", "csv": "CSV"}


@dataclass
class ImportReport:
    path: str
    format: str
    encoding: str | None = None
    rows_read: int = 0
    imported: int = 0  # new entities
    updated: int = 0  # existing entities whose fields changed
    unchanged: int = 0  # existing entities identical to the row
    skipped: int = 0  # bad rows left out (only with skip_bad_rows)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def blocked(self) -> bool:
        """True when errors stopped the import: nothing was written."""
        return not self.committed

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.errors})


class _Rollback(Exception):
    """Raised inside the transaction to undo everything when the import is blocked."""


# ---------------------------------------------------------------------------------------------
# Reading


class FileProblem(Exception):
    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


@dataclass
class _Source:
    header: list[Any]
    rows: Iterator[tuple[int, list[Any]]]  # (line number, cells)
    format: str
    encoding: str | None
    estimated_rows: int | None
    close: Callable[[], None]


def detect_encoding(path: Path, *, chunk_size: int = 1 << 20) -> str:
    """``utf-8-sig`` when the file starts with a BOM or decodes as UTF-8 throughout, else GB18030.

    GB18030 is what Excel and most office systems in China write when saving "CSV"; it is a
    superset of GBK and GB2312. The whole file is checked because a UTF-8 prefix proves nothing.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        first = fh.read(3)
        if first == codecs.BOM_UTF8:
            return "utf-8-sig"
        chunk = first
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = fh.read(chunk_size)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _open_csv(path: Path, encoding: str | None) -> _Source:
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise FileProblem(
                RowError(0, "encoding", Rule.FILE, f"文件编码: 不支持的编码 {encoding}")
            ) from None
        if encoding == "utf-8":
            encoding = "utf-8-sig"  # tolerate a BOM even when UTF-8 is named
    else:
        encoding = detect_encoding(path)
    fh = path.open(encoding=encoding, newline="")  # closed by _Source.close
    reader = csv.reader(fh)
    try:
        header = next(reader, None)
    except UnicodeDecodeError as exc:
        fh.close()
        raise FileProblem(
            RowError(
                1,
                "encoding",
                Rule.FILE,
                f"文件编码: 无法按 {encoding} 解码 ({exc.reason})，请用 --encoding 指定正确的编码",
            )
        ) from None
    if header is None:
        fh.close()
        raise FileProblem(RowError(1, "header", Rule.HEADER, "表头: 文件为空，第1行应为表头"))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        line = reader.line_num + 1  # the physical line a record starts on
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise FileProblem(
                    RowError(
                        line,
                        "encoding",
                        Rule.FILE,
                        f"文件编码: 无法按 {encoding} 解码 ({exc.reason})，请用 --encoding 指定正确的编码",
                    )
                ) from None
            except csv.Error as exc:
                raise FileProblem(RowError(line, "csv", Rule.FILE, f"CSV 格式错误: {exc}")) from None
            yield line, cells
            line = reader.line_num + 1

    return _Source(header, rows(), "csv", encoding, max(_count_lines(path) - 1, 0), fh.close)


def _open_xlsx(path: Path) -> _Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise FileProblem(RowError(0, "file", Rule.FILE, f"XLSX 文件无法读取: {exc}")) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        workbook.close()
        raise FileProblem(RowError(1, "header", Rule.HEADER, "表头: 工作表为空，第1行应为表头"))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(values, start=2):
            yield number, list(cells)

    estimated = (sheet.max_row - 1) if sheet.max_row else None
    return _Source(list(header), rows(), "xlsx", None, estimated, workbook.close)


def _open(path: Path, encoding: str | None) -> _Source:
    if not path.is_file():
        raise FileProblem(RowError(0, "file", Rule.FILE, f"文件不存在: {path}"))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _open_xlsx(path)
    if suffix in {".csv", ".txt"}:
        return _open_csv(path, encoding)
    raise FileProblem(
        RowError(0, "file", Rule.FILE, f"文件格式: 仅支持 CSV 和 XLSX，实际为「{suffix or path.name}」")
    )


def _map_header(header: list[Any], report: ImportReport) -> dict[str, int]:
    """Column index for each field; raises FileProblem naming every missing or repeated column."""
    index: dict[str, int] = {}
    problems: list[RowError] = []
    for i, cell in enumerate(header):
        name = re.sub(r"\s+", "", str(cell or "")).lstrip("\ufeff")
        if not name:
            continue
        mapped = HEADER_ALIASES.get(name) or HEADER_ALIASES.get(name.lower())
        if mapped is None:
            report.ignored_columns.append(name)
        elif mapped in index:
            problems.append(
                RowError(1, mapped, Rule.HEADER, f"表头: 列「{COLUMN_BY_FIELD[mapped].label}」出现了两次")
            )
        else:
            index[mapped] = i
    missing = [c for c in COLUMNS if c.required and c.field not in index]
    for column in missing:
        problems.append(
            RowError(
                1,
                column.field,
                Rule.HEADER,
                f"表头: 缺少必填列「{column.label}」（也可写作 {column.field}）",
            )
        )
    if problems:
        if missing and len(missing) == sum(c.required for c in COLUMNS):
            problems.append(
                RowError(
                    1,
                    "header",
                    Rule.HEADER,
                    "表头: 未识别任何列；如果文件不是 UTF-8，请用 --encoding 指定编码（如 gb18030）",
                )
            )
        raise _HeaderProblems(problems)
    return index


class _HeaderProblems(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


# ---------------------------------------------------------------------------------------------
# Validating one row


def _is_blank(cells: list[Any]) -> bool:
    """A row with nothing in it (an empty CSV line, a formatted but empty spreadsheet row)."""
    for cell in cells:
        if cell is None:
            continue
        if not isinstance(cell, str) or cell.strip():
            return False
    return True


def _text(value: Any) -> str:
    """A cell as text: XLSX numbers typed as numbers (220702, 220702.0) become their digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
DATE_RULE = "成立日期: 应为日期，格式 YYYY-MM-DD（也接受 YYYY/M/D、YYYYMMDD、YYYY年M月D日）"


def parse_date(value: Any) -> dt.date | None:
    """Parse a date cell; raises ValueError with the rule in the message."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0]  # "2020-01-02 00:00:00" from spreadsheets
    for pattern in _DATE_PATTERNS:
        if m := pattern.match(text):
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise ValueError(f"成立日期: {text} 不是真实日期") from None
    raise ValueError(DATE_RULE)


def _validate_row(
    line: int, cells: list[Any], columns: dict[str, int], today: dt.date
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    raw: dict[str, Any] = {}
    for column in COLUMNS:
        i = columns.get(column.field)
        raw[column.field] = cells[i] if i is not None and i < len(cells) else None

    def fail(name: str, rule: str, message: str, value: Any = "") -> None:
        errors.append(RowError(line, name, rule, message, _text(value)))

    for column in COLUMNS:
        if column.field == "established_on":
            continue
        text = _text(raw[column.field])
        if column.required and not text:
            fail(column.field, Rule.REQUIRED, f"{column.label}: 必填项为空")
            continue
        if column.max_length and len(text) > column.max_length:
            fail(
                column.field,
                Rule.MAX_LENGTH,
                f"{column.label}: 最多{column.max_length}个字符，实际为{len(text)}个",
                text[:40],
            )
            continue
        values[column.field] = text

    if "credit_code" in values:
        code = normalize_credit_code(values["credit_code"])
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            fail("credit_code", exc.code or "credit_code", exc.messages[0], values["credit_code"])
            del values["credit_code"]
        else:
            values["credit_code"] = code

    if "region_code" in values:
        try:
            validate_region_code(values["region_code"])
        except ValidationError as exc:
            fail("region_code", exc.code or "region_code", exc.messages[0], values["region_code"])
            del values["region_code"]

    if "kind" in values:
        kind = KIND_VALUES.get(values["kind"])
        if kind is None:
            fail(
                "kind",
                Rule.CHOICE,
                f"主体类型: 应为 {'、'.join(str(lbl) for lbl in MarketEntity.Kind.labels)} 之一",
                values["kind"],
            )
            del values["kind"]
        else:
            values["kind"] = kind

    if values.get("status"):
        status = STATUS_VALUES.get(values["status"])
        if status is None:
            fail(
                "status",
                Rule.CHOICE,
                f"登记状态: 应为 {'、'.join(str(lbl) for lbl in MarketEntity.Status.labels)} 之一",
                values["status"],
            )
            del values["status"]
        else:
            values["status"] = status
    elif "status" in values:
        values["status"] = MarketEntity.Status.OPERATING

    try:
        established = parse_date(raw["established_on"])
    except ValueError as exc:
        fail("established_on", Rule.DATE, str(exc), raw["established_on"])
    else:
        if established and established > today:
            fail(
                "established_on",
                Rule.DATE_FUTURE,
                f"成立日期: 不得晚于导入当日 {today.isoformat()}",
                raw["established_on"],
            )
        else:
            values["established_on"] = established

    # GB 32100-2015 4.2: a code issued by 市场监管 (department 9) states the kind of entity.
    code, kind = values.get("credit_code"), values.get("kind")
    if code and kind and code[0] == "9" and kind != MarketEntity.Kind.OTHER:
        expected = CREDIT_KIND_FOR_DEPARTMENT_9.get(code[1])
        if expected and expected != kind:
            fail(
                "kind",
                Rule.KIND_MISMATCH,
                f"主体类型: 与{CREDIT_CODE_RULE}第2位机构类别码「{code[1]}」"
                f"（{MarketEntity.Kind(expected).label}）不符",
                MarketEntity.Kind(kind).label,
            )
    return values, errors


# ---------------------------------------------------------------------------------------------
# The service


def market_entities_import(
    *,
    actor: Any | None,
    path: str | Path,
    encoding: str | None = None,
    existing: ExistingPolicy | str = ExistingPolicy.UPDATE,
    skip_bad_rows: bool = False,
    batch_size: int = 2000,
    today: dt.date | None = None,
    on_start: Callable[[int | None], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the 市场主体名录库 from ``path`` (CSV or XLSX) and return what happened.

    Nothing is written when any row is bad, unless ``skip_bad_rows``. Rows whose credit code is
    already in the directory are updated (``existing="update"``) or reported (``"refuse"``).
    ``on_start(estimated_rows)`` and ``on_progress(rows_done_since_last_call)`` feed a progress bar.
    ``actor`` is the user running the import (None for the console operator).
    """
    path = Path(path)
    existing = ExistingPolicy(existing)
    today = today or timezone.localdate()
    report = ImportReport(path=str(path), format=path.suffix.lower().lstrip("."))
    try:
        source = _open(path, encoding)
    except FileProblem as problem:
        report.errors.append(problem.error)
        return report
    report.format, report.encoding = source.format, source.encoding
    try:
        columns = _map_header(source.header, report)
    except _HeaderProblems as problems:
        source.close()
        report.errors.extend(problems.errors)
        return report
    if on_start:
        on_start(source.estimated_rows)

    update_fields = [f for f in UPDATE_FIELDS if f in columns]
    seen: dict[str, int] = {}  # credit code -> line it was first seen on
    pending: list[tuple[int, dict[str, Any]]] = []
    state = {"writing": True}  # stays True while every row so far is good (or bad rows are skipped)

    def flush() -> None:
        if pending:
            refused = _write_batch(
                pending, existing=existing, update_fields=update_fields, write=state["writing"], report=report
            )
            if refused and not skip_bad_rows:
                state["writing"] = False
        pending.clear()

    try:
        with transaction.atomic():
            try:
                for line, cells in source.rows:
                    if _is_blank(cells):
                        continue
                    report.rows_read += 1
                    values, errors = _validate_row(line, cells, columns, today)
                    code = values.get("credit_code")
                    if code:
                        first = seen.get(code)
                        if first is None:
                            seen[code] = line
                        else:
                            errors.append(
                                RowError(
                                    line,
                                    "credit_code",
                                    Rule.DUPLICATE_IN_FILE,
                                    f"统一社会信用代码: 与第{first}行重复，同一文件内不得重复（保留第{first}行）",
                                    code,
                                )
                            )
                    if errors:
                        report.errors.extend(errors)
                        report.skipped += 1
                        if not skip_bad_rows:
                            state["writing"] = False
                    elif state["writing"] or existing is ExistingPolicy.REFUSE:
                        # When blocked, rows are still checked against the directory (refuse mode)
                        # so that the operator sees every problem in one run.
                        pending.append((line, values))
                        if len(pending) >= batch_size:
                            flush()
                    if on_progress and report.rows_read % 1000 == 0:
                        on_progress(1000)
                flush()
            except FileProblem as problem:
                report.errors.append(problem.error)
                state["writing"] = False
            if on_progress and report.rows_read % 1000:
                on_progress(report.rows_read % 1000)
            if not state["writing"]:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError as exc:
        # Another writer inserted one of these codes between our check and our insert.
        report.errors.append(
            RowError(0, "credit_code", Rule.EXISTS, f"统一社会信用代码: 写入冲突，未导入任何数据 ({exc})")
        )
    else:
        report.committed = True
    finally:
        source.close()
    report.errors.sort(key=lambda e: e.line)
    if not report.committed:
        report.imported = report.updated = report.unchanged = 0
    return report


def _write_batch(
    batch: list[tuple[int, dict[str, Any]]],
    *,
    existing: ExistingPolicy,
    update_fields: list[str],
    write: bool,
    report: ImportReport,
) -> int:
    """Upsert (or, when refusing existing codes, insert) one batch; returns how many rows were refused."""
    codes = [values["credit_code"] for _, values in batch]
    current = {
        row["credit_code"]: row
        for row in MarketEntity.objects.filter(credit_code__in=codes).values("credit_code", *update_fields)
    }
    to_write: list[MarketEntity] = []
    new = changed = unchanged = refused = 0
    for line, values in batch:
        before = current.get(values["credit_code"])
        if before is None:
            new += 1
        elif existing is ExistingPolicy.REFUSE:
            refused += 1
            report.errors.append(
                RowError(
                    line,
                    "credit_code",
                    Rule.EXISTS,
                    "统一社会信用代码: 已在市场主体名录库中（本次导入设置为不更新已有主体）",
                    values["credit_code"],
                )
            )
            continue
        elif all(before[f] == values[f] for f in update_fields):
            unchanged += 1
            continue
        else:
            changed += 1
        to_write.append(MarketEntity(**values))
    report.skipped += refused
    if not write:
        return refused
    if to_write:
        if existing is ExistingPolicy.UPDATE and update_fields:
            MarketEntity.objects.bulk_create(
                to_write,
                batch_size=len(to_write),
                update_conflicts=True,
                unique_fields=["credit_code"],
                update_fields=update_fields,
            )
        else:
            MarketEntity.objects.bulk_create(to_write, batch_size=len(to_write))
    report.imported += new
    report.updated += changed
    report.unchanged += unchanged
    return refused
