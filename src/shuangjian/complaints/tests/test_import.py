"""`shuangjian import reports FILE [--skip-invalid]` — the DESIGN.md file contract."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from shuangjian.common.testing import make_credit_code, make_institution
from shuangjian.complaints.choices import Status
from shuangjian.complaints.models import Report, RiskFlag

pytestmark = pytest.mark.django_db
HEADER = [
    "线索编号",
    "来源",
    "类型",
    "区县代码",
    "统一社会信用代码",
    "受理时间",
    "是否有效",
    "办结时间",
    "内容",
]


def _csv(tmp_path, rows, header=HEADER, encoding="utf-8", name="reports.csv"):
    path = tmp_path / name
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _run(*args):
    try:
        call_command("import", "reports", *map(str, args), "--quiet")
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_good_file_applies_with_states_deadlines_and_risk(tmp_path, capsys):
    institution = make_institution("430102")
    unknown_code = make_credit_code("430405")
    path = _csv(
        tmp_path,
        [
            [
                "XS-001",
                "随手拍",
                "违规学科类培训",
                "430102",
                institution.credit_code,
                "2025-09-30 10:00",
                "是",
                "2025-10-20 09:00",
                "周末补课",
            ],
            ["XS-002", "电话", "爆雷", "430102", institution.credit_code, "2025/9/30", "", "", "机构关门"],
            ["XS-003", "部转", "违规收费", "430405", unknown_code, "2025年10月9日", "否", "", ""],
            ["XS-004", "督查", "其他", "430405", "", "2025-10-09 08:00", "是", "", "督查发现"],
        ],
    )
    assert _run(path) == 0
    assert "已导入：共 4 行，新增 4" in capsys.readouterr().out
    closed = Report.objects.get(number="XS-001")
    assert closed.status == Status.CLOSED and closed.is_valid and closed.institution == institution
    assert closed.due_date == dt.date(2025, 10, 28) and closed.closed_on_time
    assert closed.history.get().history_change_reason == "批量导入"
    collapse = Report.objects.get(number="XS-002")
    assert collapse.status == Status.NEW and collapse.urgent
    assert RiskFlag.objects.get(report=collapse).institution == institution
    invalid = Report.objects.get(number="XS-003")
    assert invalid.status == Status.ACCEPTED and invalid.is_valid is False
    assert invalid.institution is None and invalid.institution_credit_code == unknown_code
    assert Report.objects.get(number="XS-004").status == Status.HANDLING


def test_reimporting_the_same_file_changes_nothing(tmp_path, capsys):
    path = _csv(tmp_path, [["A1", "电话", "其他", "430102", "", "2025-06-05 14:30", "", "", "内容"]])
    assert _run(path) == 0
    before = list(Report.objects.values_list("id", "status", "due_date"))
    history = Report.history.count()
    capsys.readouterr()
    assert _run(path) == 0
    out = capsys.readouterr().out
    assert "新增 0" in out and "跳过（重复）1" in out
    assert list(Report.objects.values_list("id", "status", "due_date")) == before
    assert Report.history.count() == history


def test_bulk_written_rows_read_like_saved_ones_with_their_history(tmp_path, county_officer):
    """The import writes reports, risk flags and their history rows in bulk (plain INSERT / COPY):
    keys follow the platform's own records without collision, foreign keys point at the right
    rows, and every record has one "+" history row naming the importing user and the reason."""
    from shuangjian.complaints.importers import ReportImporter
    from shuangjian.complaints.services import report_create

    institution = make_institution("430102")
    before, _code = report_create(
        source="PHONE", report_type="OTHER", county_code="430102", description="平台登记"
    )
    path = _csv(
        tmp_path,
        [
            ["E1", "电话", "其他", "430102", "", "2025-06-05 14:30", "是", "", "导入一"],
            ["E2", "网络", "爆雷", "430102", institution.credit_code, "2025-06-06", "否", "", "导入二"],
        ],
    )
    result = ReportImporter(actor=county_officer).run(path)
    assert result.applied and result.created == 2
    after, _code = report_create(
        source="PHONE", report_type="OTHER", county_code="430102", description="导入之后登记"
    )
    first, second = Report.objects.get(number="E1"), Report.objects.get(number="E2")
    assert before.pk < first.pk < second.pk < after.pk
    assert first.created_by == county_officer and first.created_at is not None
    assert first.acknowledged_at == first.received_at and first.judged_at == first.received_at
    for report in (first, second):
        (row,) = report.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            county_officer,
            "批量导入",
        )
        assert (row.status, row.due_date, row.received_at, row.created_at) == (
            report.status,
            report.due_date,
            report.received_at,
            report.created_at,
        )
    flag = RiskFlag.objects.get()
    assert (
        flag.report == second
        and flag.institution == institution
        and flag.institution_text == institution.name
    )
    assert flag.cleared_at is None and flag.raised_at == second.received_at
    (row,) = flag.history.all()
    assert (
        row.history_user == county_officer
        and row.history_change_reason == "爆雷/冒烟线索导入，列入机构风险清单"
    )
    assert not RiskFlag.objects.filter(report=first).exists()


def test_bad_rows_are_all_reported_and_nothing_changes(tmp_path, capsys):
    path = _csv(
        tmp_path,
        [
            ["B1", "电话", "其他", "430102", "", "2025-06-05", "", "", "好行"],
            ["B2", "微信", "其他", "430102", "", "2025-06-05", "", "", ""],
            ["B3", "电话", "乱收费", "430102", "", "2025-06-05", "", "", ""],
            ["B4", "电话", "其他", "430100", "", "2025-06-05", "", "", ""],
            ["B5", "电话", "其他", "430102", "91430102MA4L12345X", "2025-06-05", "", "", ""],
            ["B6", "电话", "其他", "430102", "", "2025-13-05", "", "", ""],
            ["B7", "电话", "其他", "430102", "", "2025-06-05", "可能", "", ""],
            ["B8", "电话", "其他", "430102", "", "2025-06-05", "是", "2025-06-01", ""],
            ["B1", "电话", "其他", "430102", "", "2025-06-06", "", "", "同号不同内容"],
            ["", "电话", "其他", "430102", "", "2025-06-05", "", "", ""],
        ],
    )
    assert _run(path) == 1
    err = capsys.readouterr().err
    for expected in [
        "第3行“来源”列",
        "第4行“类型”列",
        "第5行“区县代码”列：“430100”不是区县级",
        "第6行“统一社会信用代码”列",
        "第7行“受理时间”列",
        "第8行“是否有效”列",
        "第9行“办结时间”列：不能早于受理时间",
        "第10行“线索编号”列：“B1”与第2行编号相同但内容不同",
        "第11行“线索编号”列：不能为空",
    ]:
        assert expected in err, expected
    assert not Report.objects.exists()


def test_skip_invalid_applies_the_good_rows(tmp_path, capsys):
    path = _csv(
        tmp_path,
        [
            ["C1", "电话", "其他", "430102", "", "2025-06-05", "", "", ""],
            ["C2", "电话", "不存在", "430102", "", "2025-06-05", "", "", ""],
        ],
    )
    assert _run(path, "--skip-invalid") == 0
    captured = capsys.readouterr()
    assert "第3行“类型”列" in captured.err and "新增 1" in captured.out
    assert list(Report.objects.values_list("number", flat=True)) == ["C1"]


def test_changed_row_for_an_imported_number_is_refused(tmp_path):
    assert _run(_csv(tmp_path, [["D1", "电话", "其他", "430102", "", "2025-06-05", "", "", "原内容"]])) == 0
    changed = _csv(
        tmp_path, [["D1", "电话", "其他", "430102", "", "2025-06-05", "是", "", "原内容"]], name="b.csv"
    )
    assert _run(changed) == 1
    assert Report.objects.get(number="D1").is_valid is None


def test_gbk_csv_with_free_column_order_and_unknown_column(tmp_path, capsys):
    header = ["内容", "受理时间", "区县代码", "类型", "来源", "线索编号", "备注"]
    path = _csv(
        tmp_path,
        [["ＧＢＫ编码", "2025-06-05 09:00", "４３０１０２", "虚假广告", "网络", "E1", "x"]],
        header=header,
        encoding="gbk",
    )
    assert _run(path) == 0
    assert "未知列“备注”已忽略" in capsys.readouterr().err
    report = Report.objects.get(number="E1")
    assert report.county_id == "430102" and report.source == "ONLINE"


def test_missing_required_column_and_usage_errors(tmp_path, capsys):
    path = _csv(
        tmp_path, [["F1", "电话", "其他", "2025-06-05"]], header=["线索编号", "来源", "类型", "受理时间"]
    )
    assert _run(path) == 2
    assert "缺少必需的列：“区县代码”" in capsys.readouterr().err
    assert _run(tmp_path / "nope.csv") == 2


def test_xlsx_with_excel_dates(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [
            "X1",
            "随手拍",
            "冒烟",
            "430102",
            None,
            dt.datetime(2025, 6, 5, 9, 30),
            "是",
            dt.datetime(2025, 6, 6, 17, 0),
            "课时大幅打折促销",
        ]
    )
    path = tmp_path / "reports.xlsx"
    workbook.save(path)
    assert _run(path) == 0
    report = Report.objects.get(number="X1")
    assert timezone.localtime(report.received_at).hour == 9 and report.status == Status.CLOSED
    assert report.urgent and RiskFlag.objects.filter(report=report).exists()


def test_demo_loader_writes_and_imports_a_reports_file(tmp_path):
    import io

    from shuangjian.complaints.demo import load

    make_institution("430102")
    out = io.StringIO()
    load(scale="small", workdir=tmp_path, stdout=out)
    assert (tmp_path / "reports.csv").exists()
    assert Report.objects.filter(imported=True).count() == 120
    assert "查询码" in out.getvalue() and "已导入：共 120 行，新增 120" in out.getvalue()
    total = Report.objects.count()
    again = io.StringIO()
    load(scale="small", workdir=tmp_path, stdout=again)
    assert Report.objects.count() == total and "演示数据已存在" in again.getvalue()
