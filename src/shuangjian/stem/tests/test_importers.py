"""`shuangjian import stem-courses FILE`: the README contract (real files: .xlsx and GBK CSV)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from shuangjian.schools.models import School
from shuangjian.schools.testing import make_school
from shuangjian.stem.importers import StemCourseImporter
from shuangjian.stem.models import StemCourse

HEADERS = [
    "学校标识码",
    "课程名称",
    "学段",
    "载体",
    "主学科",
    "融合学科",
    "课时",
    "开设日期",
    "结束日期",
    "参与学生数",
    "纳入课后服务",
    "资源类型",
    "城乡分类",
    "课程目标",
]


@pytest.fixture
def schools(db):
    return {
        "p": make_school("433125", name="保靖县岳阳学校", kind="NINE_YEAR", students=800),
        "k": make_school(
            "433101", name="吉首市演示幼儿园", kind="KINDERGARTEN", students=200, urban_rural="URBAN"
        ),
    }


def good_rows(s):
    return [
        [
            s["p"].code,
            "《农历天空下——廿四节气》",
            "小学",
            "学科融合",
            "语文",
            "数学、科学、美术、音乐、书法、表演",
            16,
            "2023/3/1",
            "",
            120,
            "是",
            "科普基地、科技馆",
            "乡村",
            "认识二十四节气",
        ],
        [
            s["k"].code,
            "无人驾驶火星车",
            "学前",
            "现代科技",
            "科学",
            "数学,美术",
            "20",
            "2021年3月1日",
            "2021-07-10",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def write_xlsx(path, rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_gbk_csv(path, rows, headers=HEADERS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


def test_xlsx_import_then_reimport_changes_nothing(schools, tmp_path):
    path = write_xlsx(tmp_path / "课程.xlsx", good_rows(schools))
    report = StemCourseImporter().run(path)
    assert report.applied and report.created == 2 and not report.errors
    course = StemCourse.objects.get(name="农历天空下——廿四节气")
    assert (course.stage, course.carrier, course.subjects) == (
        "PRIMARY",
        "SUBJECT",
        "数学、科学、美术、音乐、书法、表演",
    )
    assert course.in_after_school and course.resource_kinds == "SCIENCE_BASE,MUSEUM" and course.pupils == 120
    assert School.objects.get(pk=schools["p"].pk).urban_rural == "RURAL"  # registry lacked it: recorded
    history_before = StemCourse.history.count()
    again = StemCourseImporter().run(path)
    assert (again.created, again.updated, again.skipped) == (0, 0, 2)
    assert StemCourse.history.count() == history_before


def test_gbk_csv_import_through_the_command(schools, tmp_path, capsys):
    path = write_gbk_csv(tmp_path / "课程.csv", good_rows(schools))
    call_command("import", "stem-courses", str(path))
    assert StemCourse.objects.count() == 2


def test_every_bad_cell_is_named_and_nothing_changes(schools, tmp_path):
    rows = good_rows(schools) + [
        [
            "9999999999",
            "未知学校课程",
            "小学",
            "学科融合",
            "语文",
            "数学",
            10,
            "2023-03-01",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            schools["k"].code,
            "幼儿园小学课",
            "小学",
            "外星科技",
            "科学",
            "数学",
            0,
            "2023-02-30",
            "",
            "",
            "也许",
            "博物馆",
            "郊区",
            "",
        ],
        [
            schools["p"].code,
            "倒序课程",
            "初中",
            "传统文化",
            "历史",
            "美术",
            8,
            "2023-03-01",
            "2023-02-01",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            schools["p"].code,
            "人数过多",
            "初中",
            "传统文化",
            "历史",
            "美术",
            8,
            "2023-03-01",
            "",
            900,
            "",
            "",
            "",
            "",
        ],
        [
            schools["k"].code,
            "城乡不一致",
            "学前",
            "游戏活动",
            "游戏",
            "科学",
            8,
            "2023-03-01",
            "",
            "",
            "",
            "",
            "乡村",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    report = StemCourseImporter().run(path)
    assert not report.applied and StemCourse.objects.count() == 0
    messages = [str(e) for e in report.errors]
    expected = [
        "第4行“学校标识码”列：学校“9999999999”不在学校名册中",
        "第5行“载体”列：“外星科技”应为学科融合、传统文化、现代科技或游戏活动",
        "第5行“课时”列：应在1至400之间，而不是0",
        "第5行“开设日期”列：“2023-02-30”不是有效日期（例：2023-06-05、2023/6/5、2023年6月5日）",
        "第5行“纳入课后服务”列：“也许”应为“是”或“否”",
        "第5行“资源类型”列：未知的资源类型：博物馆（可填科普基地、科技馆、合作企业、高校、其他）",
        "第5行“城乡分类”列：“郊区”应为城区、镇区或乡村（或城乡分类代码111、112、121、122、123、210、220）",
        "第6行“结束日期”列：不能早于开设日期（2023-03-01）",
        "第7行“参与学生数”列：参与学生数应在0至在校生数（800）之间",
        "第8行“城乡分类”列：与学校名册的城乡分类（城区）不一致",
    ]
    for line in expected:
        assert line in messages, (line, messages)
    # with --skip-invalid the good rows apply and the bad ones are reported
    report = StemCourseImporter().run(path, skip_invalid=True)
    assert report.applied and report.created == 2 and StemCourse.objects.count() == 2


def test_missing_column_and_school_scope(schools, tmp_path, make_user):
    from shuangjian.common.importing import ImportFileError

    path = write_xlsx(tmp_path / "missing.xlsx", [["x"]], headers=["学校标识码"])
    with pytest.raises(ImportFileError, match="缺少必需的列：“课程名称”"):
        StemCourseImporter().run(path)
    teacher = make_user("SCHOOL", school=schools["k"])
    report = StemCourseImporter(actor=teacher).run(write_xlsx(tmp_path / "scope.xlsx", good_rows(schools)))
    assert not report.applied
    assert f"第2行“学校标识码”列：无权填报学校“{schools['p'].code}”的数据" in [str(e) for e in report.errors]


def test_course_in_review_cannot_be_changed_by_import(schools, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows(schools))
    StemCourseImporter().run(path)
    StemCourse.objects.filter(name="无人驾驶火星车").update(state="RECOGNISED")
    rows = good_rows(schools)
    rows[1][6] = 24
    report = StemCourseImporter().run(write_xlsx(tmp_path / "b.xlsx", rows))
    assert "第3行“课程名称”列：课程已进入审核流程（省级优秀STEM课程），不能通过导入修改" in [
        str(e) for e in report.errors
    ]
    # the same file as before is still a no-op for the recognised course
    assert StemCourseImporter().run(path).applied
