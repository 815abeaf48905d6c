"""`shuangjian import vocational-schools|vocational-majors FILE` exactly as DESIGN.md says."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from shuangjian.vocational.importers import SchoolMajorImporter, VocationalSchoolImporter, template_xlsx
from shuangjian.vocational.models import AnnualReturn, Designation, SchoolMajor, VocationalSchool

pytestmark = pytest.mark.django_db

HEADER = [
    "学校标识码",
    "学校名称",
    "区县代码",
    "办学层次",
    "举办者类型",
    "统计年度",
    "学历教育在校生数",
    "专任教师数",
    "双师型教师数",
    "占地面积",
    "校舍建筑面积",
    "教学仪器设备值",
    "纸质图书",
    "省双优建设",
    "职教中心",
    "停办日期",
]


def write_csv(path, header, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def run_import(kind: str, path: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", kind, path, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


GOOD = [
    [
        "3643010001",
        "长沙县职业中专学校",
        "430121",
        "中职",
        "公办",
        "2021",
        "1500",
        "70",
        "30",
        "50000",
        "26000",
        "4000000",
        "50000",
        "否",
        "是",
        "",
    ],
    [
        "3643010001",
        "长沙县职业中专学校",
        "430121",
        "中职",
        "公办",
        "2022",
        "1600",
        "75",
        "32",
        "50000",
        "26000",
        "4200000.50",
        "52000",
        "是",
        "是",
        "",
    ],
    [
        "4143010002",
        "湖南某职业技术学院",
        "430104",
        "高职专科",
        "公办",
        "2022",
        "9000",
        "400",
        "200",
        "600000",
        "300000",
        "80000000",
        "700000",
        "",
        "",
        "",
    ],
]


def test_schools_import_creates_returns_and_designations(tmp_path):
    path = write_csv(tmp_path / "s.csv", HEADER, GOOD, encoding="gb18030")
    code, out, err = run_import("vocational-schools", path)
    assert code == 0, err
    assert "新增 3" in out  # one row per (school, year) return
    school = VocationalSchool.objects.get(code="3643010001")
    assert school.level == "SECONDARY" and school.sponsor == "PUBLIC" and school.county_id == "430121"
    assert AnnualReturn.objects.get(school=school, year=2022).equipment_fen == 420000050
    double = Designation.objects.get(school=school, kind="DOUBLE_EXCELLENCE")
    assert double.started_on == dt.date(2022, 1, 1) and double.ended_on is None
    centre = Designation.objects.get(school=school, kind="CENTRE")
    assert centre.started_on == dt.date(2021, 1, 1)
    # the history records the change with a reason
    assert school.history.first().history_change_reason
    # re-importing the same file changes nothing
    code, out, _ = run_import("vocational-schools", path)
    assert code == 0 and "新增 0，更新 0，跳过（重复）3" in out
    assert Designation.objects.count() == 2 and AnnualReturn.objects.count() == 3


def test_every_bad_cell_named_and_nothing_changed(tmp_path):
    rows = [
        GOOD[0],
        [
            "4143010009",
            "",
            "430121",
            "中职",
            "国有",
            "20x2",
            "-5",
            "10",
            "12",
            "abc",
            "",
            "1.234",
            "",
            "也许",
            "",
            "",
        ],
        [
            "3643010003",
            "某校",
            "439999",
            "高职专科",
            "民办",
            "2022",
            "100",
            "10",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        GOOD[0],
    ]
    path = write_csv(tmp_path / "bad.csv", HEADER, rows)
    code, out, err = run_import("vocational-schools", path)
    assert code == 1 and "未导入" in out
    for expected in (
        "第3行“学校标识码”列",
        "第3行“学校名称”列：不能为空",
        "第3行“举办者类型”列",
        "第3行“统计年度”列",
        "第3行“学历教育在校生数”列",
        "第3行“双师型教师数”列",
        "第3行“占地面积”列",
        "第3行“教学仪器设备值”列",
        "第3行“省双优建设”列",
        "第4行“学校标识码”列：“3643010003”前两位与办学层次",
        "第5行“统计年度”列：与第2行是同一学校同一年度",
    ):
        assert expected in err, expected
    assert not VocationalSchool.objects.exists()
    # with --skip-invalid the good row is applied and the others reported
    code, out, err = run_import("vocational-schools", path, "--skip-invalid")
    assert code == 0 and VocationalSchool.objects.count() == 1


def test_missing_column_and_unknown_column(tmp_path):
    path = write_csv(tmp_path / "m.csv", HEADER[:5] + ["备注"], [GOOD[0][:5] + ["x"]])
    code, _out, err = run_import("vocational-schools", path)
    assert code == 2 and "缺少必需的列" in err and "统计年度" in err


def test_older_year_does_not_overwrite_newer_name_and_no_flips(tmp_path):
    newer = write_csv(tmp_path / "n.csv", HEADER, [GOOD[1][:1] + ["新校名"] + GOOD[1][2:]])
    assert run_import("vocational-schools", newer)[0] == 0
    older = write_csv(tmp_path / "o.csv", HEADER, [GOOD[0]])
    assert run_import("vocational-schools", older)[0] == 0
    school = VocationalSchool.objects.get(code="3643010001")
    assert school.name == "新校名"
    assert AnnualReturn.objects.get(school=school, year=2021).name == "长沙县职业中专学校"
    # 2021 否 for 双优 does not end the designation that started in 2022
    assert Designation.objects.get(school=school, kind="DOUBLE_EXCELLENCE").ended_on is None


def test_majors_import_checks_catalogue_and_level(tmp_path):
    run_import("vocational-schools", write_csv(tmp_path / "s.csv", HEADER, GOOD))
    header = ["学校标识码", "专业代码", "专业名称", "开设年份", "停招年份"]
    rows = [
        ["3643010001", "660103", "数控技术应用", "2015", ""],
        ["3643010001", "710204", "数字媒体技术应用", "2018", "2022"],
        ["3643010001", "510204", "数字媒体技术", "2018", ""],  # 高职专科 code at a 中职
        ["4143010002", "520101k", "临床医学", "2021", ""],  # K code, lower case tolerated
        ["4143010002", "519999", "不存在", "2021", ""],
        ["9999999999", "660103", "数控技术应用", "2015", ""],
        ["3643010001", "660103", "数控技术应用", "2016", "2014"],
    ]
    path = write_csv(tmp_path / "m.csv", header, rows)
    code, out, err = run_import("vocational-majors", path)
    assert code == 1
    assert "第4行“专业代码”列：“510204 数字媒体技术”是高职专科专业，不能作为中职学校的专业" in err
    assert "第6行“专业代码”列：“519999”不在职业教育专业目录中" in err
    assert "第7行“学校标识码”列：学校“9999999999”不在职业院校名册中" in err
    assert "第8行“停招年份”列" in err
    assert not SchoolMajor.objects.exists()
    code, out, err = run_import("vocational-majors", path, "--skip-invalid")
    assert code == 0 and SchoolMajor.objects.count() == 3
    assert SchoolMajor.objects.get(major__code="520101K").school.code == "4143010002"
    stopped = SchoolMajor.objects.get(major__code="710204")
    assert stopped.stopped_year == 2022 and not stopped.is_offered_in(2022)
    code, out, _ = run_import("vocational-majors", path, "--skip-invalid")
    assert "新增 0，更新 0，跳过（重复）3" in out


def test_templates_list_the_columns():
    import openpyxl

    for importer in (VocationalSchoolImporter, SchoolMajorImporter):
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx(importer.kind)))
        assert [c.value for c in book.worksheets[0][1]] == [c.header for c in importer.columns]
        assert book.sheetnames[1] == "填写说明"


def test_xlsx_import_with_excel_dates(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    row = list(GOOD[0])
    row[15] = dt.date(2022, 8, 31)
    sheet.append(row)
    path = tmp_path / "s.xlsx"
    book.save(path)
    code, _out, err = run_import("vocational-schools", str(path))
    assert code == 0, err
    assert VocationalSchool.objects.get(code="3643010001").closed_on == dt.date(2022, 8, 31)
