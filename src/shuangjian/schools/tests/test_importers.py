"""Template round-trip (download, fill with openpyxl, import) and row-level Chinese errors."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from shuangjian.schools.importers import IMPORTER_CLASSES, HomeworkImporter, SchoolImporter
from shuangjian.schools.models import AfterSchoolWeek, Exam, HomeworkDay, School, SchoolClass
from shuangjian.schools.testing import make_school

pytestmark = pytest.mark.django_db


def download(client, kind: str) -> openpyxl.Workbook:
    response = client.get(reverse("schools:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def fill(workbook: openpyxl.Workbook, rows: list[dict], path) -> str:
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert sheet.max_row == 1, "the template is empty"
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return str(path)


def run_import(kind: str, path: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", kind, path, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_every_template_lists_its_columns_and_notes(client, make_user):
    client.force_login(make_user("COUNTY", region="430102"))
    for kind, importer in IMPORTER_CLASSES.items():
        workbook = download(client, kind)
        assert [c.value for c in workbook.worksheets[0][1]] == [c.header for c in importer.columns]
        assert workbook.sheetnames[1] == "填写说明"


def test_round_trip_all_report_types(client, make_user, tmp_path):
    client.force_login(make_user("PROVINCE", region="430000"))
    schools = fill(
        download(client, "schools"),
        [
            {
                "学校标识码": "4301029001",
                "学校名称": "芙蓉区测试小学",
                "区县代码": "430102",
                "学段类型": "小学",
                "芙蓉学校": "否",
                "在校生数": 800,
                "每年级班级数": 2,
            },
            {
                "学校标识码": "４３３１２５９００１",
                "学校名称": "保靖县芙蓉学校",
                "区县代码": "433125",
                "学段类型": "九年一贯制",
                "芙蓉学校": "是",
                "每年级班级数": 1,
            },
        ],
        tmp_path / "schools.xlsx",
    )
    assert run_import("schools", schools)[0] == 0
    primary = School.objects.get(code="4301029001")
    furong = School.objects.get(code="4331259001")  # full-width digits normalised
    assert furong.is_furong and furong.kind == "NINE_YEAR" and furong.classes.count() == 9
    assert primary.classes.count() == 12 and primary.students == 800

    homework = fill(
        download(client, "school-homework"),
        [
            {
                "学校标识码": "4301029001",
                "年级": "三年级",
                "班级": "2班",
                "日期": dt.date(2026, 10, 9),
                "学科": "数学",
                "作业内容": "练习册第5页",
                "预计时长(分钟)": 30,
            },
            {
                "学校标识码": "4301029001",
                "年级": 3,
                "班级": 2,
                "日期": "2026/10/9",
                "学科": "语文",
                "作业内容": "朗读课文",
                "预计时长(分钟)": 15,
                "书面作业": "否",
            },
            {
                "学校标识码": "4301029001",
                "年级": 1,
                "班级": 1,
                "日期": "2026年10月9日",
                "学科": "无",
                "预计时长(分钟)": 0,
            },
        ],
        tmp_path / "homework.xlsx",
    )
    assert run_import("school-homework", homework)[0] == 0
    day = HomeworkDay.objects.get(school_class__school=primary, school_class__grade=3, school_class__number=2)
    assert (day.written_minutes, day.total_minutes, day.has_written, day.items.count()) == (30, 45, True, 2)
    empty = HomeworkDay.objects.get(school_class__school=primary, school_class__grade=1)
    assert empty.items.count() == 0 and empty.written_minutes == 0

    weekly = fill(
        download(client, "school-weekly"),
        [
            {
                "学校标识码": "4301029001",
                "周次": "2026-W41",
                "开展天数": 3,
                "每天时长(小时)": 2,
                "结束时间": "17:45",
                "参加学生数": 500,
                "申请学生数": 500,
                "参与教职工数": 40,
                "收费金额(元)": "1,200.50",
                "财政补助(元)": 3000,
            },
        ],
        tmp_path / "weekly.xlsx",
    )
    assert run_import("school-weekly", weekly)[0] == 0
    record = AfterSchoolWeek.objects.get(school=primary)
    assert (
        record.week_start == dt.date(2026, 10, 5)
        and record.fee_fen == 120050
        and record.subsidy_fen == 300000
    )

    exams = fill(
        download(client, "school-exams"),
        [
            {
                "学校标识码": "4331259001",
                "年级": "初一",
                "考试类型": "期中",
                "考试名称": "七年级期中考试",
                "考试日期": dt.date(2026, 11, 10),
                "学期": "2026-2027-1",
                "科目": "语文、数学",
            },
        ],
        tmp_path / "exams.xlsx",
    )
    assert run_import("school-exams", exams)[0] == 0
    assert Exam.objects.get(school=furong).grade == 7

    # Re-importing the same files changes nothing.
    for kind, path in (
        ("schools", schools),
        ("school-homework", homework),
        ("school-weekly", weekly),
        ("school-exams", exams),
    ):
        code, out, _err = run_import(kind, path)
        assert code == 0 and "新增 0，更新 0" in out, (kind, out)


def test_bad_rows_are_reported_in_chinese_and_nothing_changes(tmp_path):
    school = make_school("430102", classes_per_grade=1)
    path = tmp_path / "homework.csv"
    path.write_text(
        "学校标识码,年级,班级,日期,学科,作业内容,预计时长(分钟),书面作业\n"
        f"{school.code},3,1,2026-10-09,数学,练习,30,是\n"
        f"{school.code},3,9,2026-10-09,数学,练习,30,是\n"
        f"{school.code},十年级,1,2026-10-09,数学,练习,30,是\n"
        f"NOPE1,3,1,2026-10-09,数学,练习,30,是\n"
        f"{school.code},3,1,2026-13-09,数学,练习,30,是\n"
        f"{school.code},3,1,2026-10-09,数学,练习,30,是\n"
        f"{school.code},4,1,2026-10-09,语文,,30,是\n",
        encoding="utf-8",
    )
    code, _out, err = run_import("school-homework", str(path))
    assert code == 1
    assert "第3行“班级”列" in err and "没有3年级9班" in err
    assert "第4行“年级”列" in err
    assert "第5行“学校标识码”列：学校“NOPE1”不在学校名册中" in err
    assert "第6行“日期”列" in err
    assert "第7行“学科”列：与第2行是同一班级同一天同一学科" in err
    assert "第8行“作业内容”列：不能为空" in err
    assert HomeworkDay.objects.count() == 0
    code, out, _err = run_import("school-homework", str(path), "--skip-invalid")
    assert code == 0 and "新增 1" in out and HomeworkDay.objects.count() == 1


def test_missing_column_and_bad_weekly_figures(tmp_path):
    school = make_school("430102")
    path = tmp_path / "weekly.csv"
    path.write_text("学校标识码,周次\n1,2026-W41\n", encoding="utf-8")
    code, _out, err = run_import("school-weekly", str(path))
    assert code == 2 and "缺少必需的列" in err and "开展天数" in err
    path.write_text(
        "学校标识码,周次,开展天数,每天时长(小时),结束时间,参加学生数,申请学生数,参与教职工数\n"
        f"{school.code},2026-W41,8,2,17:30,1,1,1\n"
        f"{school.code},2026-W42,5,2.25,17:30,1,1,1\n"
        f"{school.code},2026-W43,5,2,25:00,1,1,1\n",
        encoding="utf-8",
    )
    code, _out, err = run_import("school-weekly", str(path))
    assert code == 1
    assert "第2行“开展天数”列：应在0至7之间" in err
    assert "第3行“每天时长(小时)”列" in err
    assert "第4行“结束时间”列" in err
    assert not AfterSchoolWeek.objects.exists()


def test_importer_checks_the_uploaders_scope(make_user, tmp_path):
    own = make_school("430102", classes_per_grade=1)
    other = make_school("430102", classes_per_grade=1)
    teacher = make_user("SCHOOL", school=own)
    path = tmp_path / "h.csv"
    path.write_text(
        "学校标识码,年级,班级,日期,学科,作业内容,预计时长(分钟)\n"
        f"{own.code},3,1,2026-10-09,数学,练习,30\n{other.code},3,1,2026-10-09,数学,练习,30\n",
        encoding="utf-8",
    )
    report = HomeworkImporter(actor=teacher).run(str(path))
    assert not report.applied and [str(e) for e in report.errors] == [
        f"第3行“学校标识码”列：无权填报学校“{other.code}”的数据"
    ]
    county = make_user("COUNTY", region="430405")
    schools = tmp_path / "s.csv"
    schools.write_text(
        "学校标识码,学校名称,区县代码,学段类型\n4301029009,某小学,430102,小学\n", encoding="utf-8"
    )
    report = SchoolImporter(actor=county).run(str(schools))
    assert (
        "不在本单位管辖范围内" in str(report.errors[0])
        and not School.objects.filter(code="4301029009").exists()
    )


def test_upload_page_imports_for_a_school_user(client, make_user, tmp_path):
    school = make_school("430102", classes_per_grade=1)
    client.force_login(make_user("SCHOOL", school=school))
    page = client.get(reverse("schools:import"))
    assert page.status_code == 200 and "作业公示模板" in page.content.decode()
    data = (
        "学校标识码,年级,班级,日期,学科,作业内容,预计时长(分钟)\n"
        f"{school.code},5,1,2026-10-09,数学,练习,30\n{school.code},5,1,2026-10-09,英语,,20\n"
    ).encode("gb18030")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        reverse("schools:import"), {"kind": "school-homework", "file": SimpleUploadedFile("h.csv", data)}
    )
    assert (
        bad.status_code == 400 and "作业内容" in bad.content.decode() and "不能为空" in bad.content.decode()
    )
    good = client.post(
        reverse("schools:import"),
        {"kind": "school-homework", "skip_invalid": "on", "file": SimpleUploadedFile("h.csv", data)},
    )
    assert good.status_code == 200 and HomeworkDay.objects.filter(school_class__school=school).count() == 1
    assert SchoolClass.objects.filter(school=school).count() == 6


def test_class_list_adds_and_retires_classes(tmp_path):
    school = make_school("430102", kind="PRIMARY", classes_per_grade=1)
    path = tmp_path / "classes.csv"
    path.write_text(
        "学校标识码,年级,班级,学生数,在用\n"
        f"{school.code},1,2,45,是\n{school.code},3,1,,否\n{school.code},7,1,40,是\n",
        encoding="utf-8",
    )
    code, _out, err = run_import("school-classes", str(path))
    assert code == 1 and "第4行“年级”列" in err and "没有7年级" in err
    code, out, _err = run_import("school-classes", str(path), "--skip-invalid")
    assert code == 0 and "新增 1，更新 1" in out
    assert SchoolClass.objects.get(school=school, grade=1, number=2).students == 45
    assert not SchoolClass.objects.get(school=school, grade=3, number=1).is_active
    code, out, _err = run_import("school-classes", str(path), "--skip-invalid")
    assert "新增 0，更新 0" in out
