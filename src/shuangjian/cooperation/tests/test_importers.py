"""`shuangjian import vocational-programmes|x-certificate-sites` exactly per DESIGN.md (real files)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from shuangjian.common.testing import make_credit_code
from shuangjian.cooperation.choices import FilingState, SiteState
from shuangjian.cooperation.models import AssessmentSite, Enterprise, Programme, XCertificate
from shuangjian.cooperation.testing import make_voc_school
from shuangjian.stats.kpis import KpiContext, compute_kpis

pytestmark = pytest.mark.django_db

HEAD = [
    "项目编号",
    "项目类型",
    "学校标识码",
    "专业代码",
    "企业统一社会信用代码",
    "企业名称",
    "年级",
    "学生人数",
    "协议签订日期",
    "结束日期",
]


def _csv(path: Path, header, rows, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(*args):
    try:
        call_command("import", *args)
    except SystemExit as exc:
        return exc.code
    return 0


def test_programmes_import_all_or_nothing_and_reimport_noop(tmp_path, capsys):
    college = make_voc_school("430102", level="ASSOCIATE", majors=("460103", "510201"))
    zz = make_voc_school("430211", level="SECONDARY", majors=("660103",))
    ent = make_credit_code("430104")
    good = [
        ["XT-001", "学徒制", college.code, "460103", ent, "湖南某重工有限公司", 2022, 45, "2022/8/20", ""],
        [
            "DD-001",
            "订单班",
            zz.code,
            "660103",
            ent,
            "湖南某重工有限公司",
            2021,
            38,
            "2021年9月1日",
            "2024-06-30",
        ],
    ]
    bad = good + [
        [
            "XT-002",
            "学徒班",
            "4143999999",
            "999999",
            ent[:17] + ("0" if ent[17] != "0" else "1"),
            "",
            "二〇二二",
            0,
            "2022-02-30",
            "",
        ],
        ["XT-001", "学徒制", college.code, "460103", ent, "另一个名称", 2022, 5, "2022-09-01", ""],
        [
            "XT-003",
            "学徒制",
            college.code,
            "660103",
            ent,
            "湖南某重工有限公司",
            2022,
            5,
            "2022-09-01",
            "2022-08-01",
        ],
    ]
    path = _csv(tmp_path / "bad.csv", HEAD, bad, encoding="gbk")
    assert _run("vocational-programmes", str(path)) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    for expected in (
        "第4行“项目类型”列",
        "第4行“学校标识码”列",
        "第4行“企业统一社会信用代码”列",
        "校验位",
        "第4行“企业名称”列：不能为空",
        "第4行“年级”列",
        "第4行“学生人数”列",
        "第4行“协议签订日期”列",
        "第5行“项目编号”列：与第2行重复",
        "第5行“企业名称”列",
        "第6行“专业代码”列",
        "第6行“结束日期”列",
    ):
        assert expected in text, expected
    assert Programme.objects.count() == 0 and Enterprise.objects.count() == 0

    xlsx = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(list(reversed(HEAD)) + ["备注"])
    for row in good:
        wb.active.append(list(reversed(row)) + ["x"])
    wb.save(xlsx)
    assert _run("vocational-programmes", str(xlsx)) == 0
    assert Programme.objects.filter(state__in=[FilingState.APPROVED, FilingState.COMPLETED]).count() == 2
    assert Enterprise.objects.count() == 1
    history = sum(p.history.count() for p in Programme.objects.all())
    assert _run("vocational-programmes", str(xlsx)) == 0
    assert sum(p.history.count() for p in Programme.objects.all()) == history

    values = compute_kpis(KpiContext(as_of=dt.date(2023, 6, 5)))
    assert values["vocational.apprenticeship.schools"] == 1
    assert values["vocational.apprenticeship.students"] == 45
    assert values["vocational.order_class.schools"] == 1 and values["vocational.order_class.students"] == 38


def test_skip_invalid_applies_good_rows(tmp_path):
    college = make_voc_school("430102", level="ASSOCIATE")
    rows = [
        ["XT-1", "学徒制", college.code, "460103", make_credit_code(), "甲公司", 2022, 20, "2022-09-01", ""],
        ["XT-2", "学徒制", college.code, "460103", "123", "乙公司", 2022, 20, "2022-09-01", ""],
    ]
    path = _csv(tmp_path / "p.csv", HEAD, rows)
    assert _run("vocational-programmes", str(path), "--skip-invalid") == 0
    assert list(Programme.objects.values_list("code", flat=True)) == ["XT-1"]


def test_missing_column_named(tmp_path, capsys):
    path = _csv(tmp_path / "p.csv", HEAD[:-3], [])
    assert _run("vocational-programmes", str(path)) == 2
    assert "“协议签订日期”" in capsys.readouterr().err


def test_sites_import_and_kpis(tmp_path, capsys):
    a = make_voc_school("430102", level="ASSOCIATE")
    b = make_voc_school("430103", level="ASSOCIATE")
    make_voc_school("430104", level="ASSOCIATE")
    head = ["站点编号", "学校标识码", "证书名称", "培训评价组织", "等级", "批准日期", "撤销日期"]
    rows = [
        ["ZD-1", a.code, "Web前端开发", "工业和信息化部教育与考试中心", "初级、中级", "2020-05-01", ""],
        ["ZD-2", b.code, "Web前端开发", "工业和信息化部教育与考试中心", "高级", "2020-05-01", "2022-12-31"],
        ["ZD-3", b.code, "老年照护", "北京中福长者文化科技有限公司", "初级,中级,高级", "2023-07-01", ""],
    ]
    assert _run("x-certificate-sites", str(_csv(tmp_path / "s.csv", head, rows))) == 0
    assert XCertificate.objects.count() == 2
    assert XCertificate.objects.get(name="Web前端开发").levels == "JUNIOR,INTERMEDIATE,SENIOR"
    assert AssessmentSite.objects.get(code="ZD-2").state == SiteState.REVOKED
    values = compute_kpis(KpiContext(as_of=dt.date(2023, 6, 5)))
    assert values["vocational.x_certificate.sites"] == 2  # ZD-3 approved later
    assert values["vocational.x_certificate.sites_active"] == 1
    assert values["vocational.x_certificate.pilot_share"] == round(1 / 3, 4)
    bad = [["ZD-9", a.code, "", "组织", "特级", "2020-13-01", "2019-01-01"]]
    assert _run("x-certificate-sites", str(_csv(tmp_path / "b.csv", head, bad))) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert "第2行“证书名称”列：不能为空" in text and "第2行“等级”列" in text and "第2行“批准日期”列" in text
    assert AssessmentSite.objects.count() == 3
