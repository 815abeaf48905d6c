"""Imports of supervisors and admission plans (DESIGN.md file contract): every bad cell named in
Chinese, all or nothing, re-import changes nothing, GBK CSV and .xlsx, rows limited to the uploader."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from shuangjian.governance.importers import AdmissionPlanImporter, SupervisorImporter
from shuangjian.governance.models import AdmissionPlan, Supervisor

pytestmark = pytest.mark.django_db

SUP_HEADER = "聘书编号,姓名,选聘区域代码,监督领域,工作单位,联系电话,聘期开始,聘期结束,选聘依据\n"
ADM_HEADER = "年度,区县代码,学校标识码,学校名称,招生计划数,指标生分配数,指标生录取数,跨区域招生数\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_supervisors_import_is_all_or_nothing_and_names_every_bad_cell(tmp_path):
    path = write(
        tmp_path,
        "s.csv",
        SUP_HEADER
        + "HN001,张三,430000,校外培训,家长代表,13812345678,2022-03-01,2024-02-29,选聘文件\n"
        + "HN002,,439999,体育,,12345,2022/3/1,2021年1月1日,\n",
    )
    report = SupervisorImporter().run(path)
    assert not report.applied and Supervisor.objects.count() == 0
    messages = [str(e) for e in report.errors]
    assert "第3行“姓名”列：不能为空" in messages
    assert any(m.startswith("第3行“选聘区域代码”列：“439999”不是有效的行政区划代码") for m in messages)
    assert any(m.startswith("第3行“监督领域”列：“体育”无效") for m in messages)
    assert any(m.startswith("第3行“联系电话”列") for m in messages)
    assert "第3行“聘期结束”列：不能早于聘期开始" in messages


def test_supervisors_import_gbk_then_reimport_is_a_no_op(tmp_path):
    text = (
        SUP_HEADER
        + "HN001,张三,430000,校外培训,家长代表,13812345678,2022-03-01,2024-02-29,选聘文件\n"
        + "SJD430100,李四,430100,综合,,,2022年4月1日,2024-03-31,\n"
    )
    path = write(tmp_path, "s.csv", text, "gbk")
    out = io.StringIO()
    call_command("import", "supervisors", str(path), stdout=out)
    assert Supervisor.objects.count() == 2
    assert Supervisor.objects.get(number="SJD430100").level == "CITY"
    history_rows = Supervisor.history.count()
    again = SupervisorImporter().run(path)
    assert again.applied and again.skipped == 2 and again.created == again.updated == 0
    assert Supervisor.history.count() == history_rows


def test_admission_plans_xlsx_and_rule_checks(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ADM_HEADER.strip().split(","))
    sheet.append([2022, "430102", "G1", "长郡中学", 800, 440, 420, 0])
    sheet.append([2022, "430102", "G2", "雅礼中学", 600, 700, None, -1])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    report = AdmissionPlanImporter().run(path)
    messages = [str(e) for e in report.errors]
    assert not report.applied
    assert "第3行“指标生分配数”列：700 超过招生计划数 600" in messages
    assert any(m.startswith("第3行“跨区域招生数”列：应在0至100000之间") for m in messages)
    sheet.delete_rows(3)
    workbook.save(path)
    assert AdmissionPlanImporter().run(path).created == 1
    assert AdmissionPlan.objects.get().quota_share == 0.55
    assert AdmissionPlanImporter().run(path).skipped == 1


def test_upload_refuses_rows_outside_the_uploaders_region(tmp_path, client, make_user):
    client.force_login(make_user("COUNTY", region="430102"))
    data = (ADM_HEADER + "2022,430405,G9,珠晖区一中,500,260,,\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("governance:import", args=["admission-plans"]), {"file": SimpleUploadedFile("a.csv", data)}
    )
    assert response.status_code == 200
    assert "不在本账号的管辖区域内" in response.content.decode()
    assert not AdmissionPlan.objects.exists()
    template = client.get(reverse("governance:import", args=["supervisors"]) + "?template=1")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_admission_figures_and_shortfalls_follow_the_rule_data(tmp_path):
    from shuangjian.common.models import RuleParameter
    from shuangjian.governance.selectors import admission_figures, admission_shortfalls

    path = write(
        tmp_path,
        "a.csv",
        ADM_HEADER + "2022,430102,G1,甲中学,1000,450,400,\n"
        "2022,430405,G2,乙中学,1000,600,500,12\n" + "2022,430111,G3,丙中学,1000,520,500,\n",
    )
    AdmissionPlanImporter().run(path)
    assert admission_figures(year=2022)["quota_share"] == 0.5233
    short = {s["code"]: s["problems"] for s in admission_shortfalls(year=2022)}
    assert short["430102"] == ["指标生分配比例 45.00%，低于 50%"]
    assert short["430405"] == ["指标生录取比例 83.33%，低于 85%", "跨区域招生 12 人"]
    assert "430111" not in short
    RuleParameter.objects.create(
        key="admissions.quota_share_min", region_id="430111", value=0.6, source="测试"
    )
    assert "430111" in {s["code"] for s in admission_shortfalls(year=2022)}
