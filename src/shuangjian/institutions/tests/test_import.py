"""`shuangjian import institutions FILE`: GBK CSV and .xlsx, bad rows (nothing changes), clean
(applied), re-import (no change), --skip-invalid, exit codes, the upload page."""

import datetime as dt

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from shuangjian.common.codes import credit_code_make
from shuangjian.institutions.models import Institution, InstitutionEpisode

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "机构名称",
    "区县代码",
    "培训类别",
    "培训形式",
    "服务对象",
    "办学性质",
    "审批日期",
    "终止日期",
    "终止原因",
    "纳入资金监管",
    "办学许可证号",
]
A = credit_code_make("52430102MJ9000001")
B = credit_code_make("52430105MJ9000002")
C = credit_code_make("91430405MA9000003")


def clean_rows():
    return [
        [
            A,
            "芙蓉区启明学科培训学校",
            "430102",
            "学科类",
            "线下",
            "义务教育",
            "非营利性",
            "2019-03-01",
            "2021-11-30",
            "转型",
            "是",
            "教民4301021900001",
        ],
        [
            A,
            "芙蓉区启明学科培训学校",
            "430102",
            "非学科类",
            "线下",
            "义务教育、学龄前",
            "非营利性",
            "2021/12/1",
            "",
            "",
            "是",
            "教民4301021900001",
        ],
        [
            B,
            "开福区星辰艺术培训中心",
            "430105",
            "非学科类",
            "线下",
            "学龄前,义务教育",
            "营利性",
            "2020年5月6日",
            "",
            "",
            "否",
            "",
        ],
        [
            C,
            "珠晖区学而思远线上培训",
            "430405",
            "学科类",
            "线上",
            "义务教育",
            "营利性",
            "2018-09-01",
            "2022-03-15",
            "吊销",
            "否",
            "教民4304051800003",
        ],
    ]


def write_csv(path, rows, encoding="gbk", header=HEADER):
    import csv

    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(path, *extra):
    try:
        call_command("import", "institutions", str(path), "--quiet", *extra)
    except SystemExit as exit_:
        return exit_.code
    return 0


def snapshot():
    return (
        sorted(Institution.objects.values_list("credit_code", "name", "status", "updated_at")),
        sorted(
            InstitutionEpisode.objects.values_list(
                "institution__credit_code", "category", "approved_on", "ended_on"
            )
        ),
        Institution.history.count() + InstitutionEpisode.history.count(),
    )


def test_clean_gbk_csv_is_applied_and_reimport_changes_nothing(tmp_path, capsys):
    path = write_csv(tmp_path / "名册.csv", clean_rows())
    assert run(path) == 0
    a = Institution.objects.get(credit_code=A)
    assert a.status == "LICENSED" and a.category == "NON_SUBJECT" and a.fund_supervised
    assert a.audiences == "PRESCHOOL,COMPULSORY"
    subject = a.episodes.get(category="SUBJECT")
    assert (subject.ended_on, subject.end_reason) == (dt.date(2021, 11, 30), "TRANSFORMED")
    assert a.episodes.get(category="NON_SUBJECT").approved_on == dt.date(2021, 12, 1)
    assert Institution.objects.get(credit_code=C).status == "REVOKED"
    assert "新增 3" in capsys.readouterr().out
    before = snapshot()
    assert run(path) == 0
    assert snapshot() == before
    assert "跳过（重复）3" in capsys.readouterr().out


def test_gbk_csv_with_bad_rows_changes_nothing_and_lists_every_error(tmp_path, capsys):
    run(write_csv(tmp_path / "first.csv", clean_rows()[:1]))
    before = snapshot()
    rows = clean_rows()
    rows[1][0] = A[:17] + ("0" if A[17] != "0" else "1")  # wrong check character (row 3)
    rows[2][2] = "430100"  # not a county-level code (row 4)
    rows[2][7] = "2020-13-01"  # bad date, same row
    rows[3][9] = "关停"  # unknown end reason (row 5)
    rows.append(
        [
            credit_code_make("52430102MJ9000009"),
            "新机构",
            "430102",
            "学科类",
            "线下",
            "高中",
            "",
            "2020-01-01",
            "",
            "",
            "也许",
            "",
        ]
    )  # two bad cells (row 6)
    assert run(write_csv(tmp_path / "bad.csv", rows)) == 1
    err = capsys.readouterr().err
    assert "第3行“统一社会信用代码”列：统一社会信用代码校验位错误" in err
    assert "第4行“区县代码”列：“430100”不是县级行政区划代码" in err
    assert "第4行“审批日期”列" in err
    assert "第5行“终止原因”列：“关停”无效" in err
    assert "第6行“服务对象”列" in err and "第6行“纳入资金监管”列" in err
    assert snapshot() == before


def test_skip_invalid_applies_good_rows(tmp_path, capsys):
    rows = clean_rows()
    rows[3][0] = "123"
    assert run(write_csv(tmp_path / "mixed.csv", rows, encoding="utf-8-sig"), "--skip-invalid") == 0
    assert set(Institution.objects.values_list("credit_code", flat=True)) == {A, B}
    assert "统一社会信用代码应为18位" in capsys.readouterr().err


def test_xlsx_with_errors_then_clean_with_excel_dates_and_full_width_code(tmp_path):
    rows = clean_rows()
    rows[0][7] = dt.datetime(2019, 3, 1)
    rows[2][0] = "".join(chr(ord(c) + 0xFEE0) for c in B)  # full-width credit code
    bad = [list(r) for r in rows]
    bad[1][3] = "学科类"  # duplicate key (A, 学科类) → row 3
    bad[2][10] = ""  # required 纳入资金监管 empty → row 4
    assert run(write_xlsx(tmp_path / "bad.xlsx", bad)) == 1
    assert not Institution.objects.exists()
    assert run(write_xlsx(tmp_path / "ok.xlsx", rows)) == 0
    assert Institution.objects.count() == 3
    assert InstitutionEpisode.objects.get(
        institution__credit_code=A, category="SUBJECT"
    ).approved_on == dt.date(2019, 3, 1)
    before = snapshot()
    assert run(write_xlsx(tmp_path / "ok2.xlsx", rows)) == 0
    assert snapshot() == before


def test_changed_file_updates_and_audits(tmp_path):
    run(write_csv(tmp_path / "v1.csv", clean_rows()))
    rows = clean_rows()
    rows[2][1] = "开福区星辰艺术培训中心（更名）"
    rows[2][8], rows[2][9] = "2024-01-31", "停办"
    assert run(write_csv(tmp_path / "v2.csv", rows)) == 0
    b = Institution.objects.get(credit_code=B)
    assert b.name.endswith("（更名）") and b.status == "SUSPENDED"
    assert b.history.first().history_change_reason.startswith("名册导入：更新")


def test_missing_column_and_unknown_column(tmp_path, capsys):
    header = [h for h in HEADER if h != "培训类别"]
    rows = [[c for i, c in enumerate(r) if HEADER[i] != "培训类别"] for r in clean_rows()]
    assert run(write_csv(tmp_path / "missing.csv", rows, header=header)) == 2
    assert "缺少必需的列：“培训类别”" in capsys.readouterr().err
    extra = [r + ["备注"] for r in clean_rows()]
    assert run(write_csv(tmp_path / "extra.csv", extra, header=HEADER + ["备注"])) == 0
    assert "未知列“备注”已忽略" in capsys.readouterr().err


def test_upload_page_shows_row_errors_and_refuses_foreign_rows(tmp_path, client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    county = make_user("COUNTY", region="430102")
    client.force_login(county)
    data = tmp_path / "x.csv"
    write_csv(data, clean_rows())
    upload = SimpleUploadedFile("名册.csv", data.read_bytes())
    response = client.post(reverse("institutions:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "未导入（未做任何修改）" in body
    assert "不在本单位管辖范围" in body and '<td class="num">4</td>' in body
    assert not Institution.objects.exists()
    province = make_user("PROVINCE", region="430000")
    client.force_login(province)
    response = client.post(
        reverse("institutions:import"), {"file": SimpleUploadedFile("名册.csv", data.read_bytes())}
    )
    assert "已导入" in response.content.decode() and Institution.objects.count() == 3
