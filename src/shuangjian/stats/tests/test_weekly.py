"""The weekly report: contents, issue numbers, Word and PDF renderings, the page and the archive."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from shuangjian.stats.testing import _supervised_institution
from shuangjian.stats.weekly import WeeklyReportError, issue_number, parse_week, weekly_build

pytestmark = pytest.mark.django_db


def test_week_parsing_and_issue_number():
    import datetime as dt

    assert parse_week("2023-W22") == (dt.date(2023, 5, 29), dt.date(2023, 6, 4))
    assert issue_number(dt.date(2023, 5, 29)) == 20
    assert issue_number(dt.date(2023, 6, 5)) == 21  # the reply of 2023-06-05 counts 21 issues
    for bad in ("2023-22", "2023-W54", "W22"):
        with pytest.raises(WeeklyReportError):
            parse_week(bad)
    with pytest.raises(WeeklyReportError, match="尚未开始"):
        weekly_build(week="2099-W01")
    # The first issue's week is number 1; a week before it has no number and no report.
    assert issue_number(dt.date(2023, 1, 16)) == 1
    with pytest.raises(WeeklyReportError, match=r"2023-W02 早于每周专报第1期所在周（2023-W03），没有期号"):
        weekly_build(week="2023-W02")
    with pytest.raises(WeeklyReportError, match="2022-W10 早于"):
        issue_number(dt.date(2022, 3, 7))


@pytest.fixture
def data():
    for county in ("430102", "430102", "430405"):
        _supervised_institution(county)


def test_docx_has_headings_and_figures(data, tmp_path, capsys):
    out = tmp_path / "report.docx"
    call_command("report", "weekly", "--week", "2023-W22", "--out", str(out))
    document = Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "湖南省“双减”工作每周专报" in text and "第20期（2023年5月29日—2023年6月4日）" in text
    for heading in (
        "本周要点",
        "一、校外培训治理",
        "二、投诉举报与线索",
        "五、校内减负",
        "六、职业教育",
        "七、STEM教育与科普",
        "八、逾期事项（按下级区域）",
    ):
        assert heading in text
    headline = document.tables[0]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in headline.rows}
    assert rows["在册机构数"][1] == "3"
    assert rows["机构全流程监管比例"][1] == "100.00%"
    assert document.inline_shapes, "charts are embedded as images"


def test_region_report_counts_only_the_region(data):
    report = weekly_build(week="2023-W22", region_code="430400")
    active = next(f for f in report.headline if f.kpi_id == "institutions.active")
    assert active.value == 1 and report.title.startswith("衡阳市")


def test_pdf_renders_with_chinese_text(data, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", "weekly", "--week", "2023-W22", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "每周专报" in text and "在册机构数" in text
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")], check=True
    )
    assert list(tmp_path.glob("p*.png"))


def test_html_and_usage_errors(data, tmp_path, capsys):
    out = tmp_path / "r.html"
    call_command("report", "weekly", "--week", "2023-W22", "--out", str(out))
    assert "<h1>湖南省“双减”工作每周专报</h1>" in out.read_text()
    for argv in (
        ["--week", "2023-W99", "--out", str(out)],
        ["--week", "2023-W22", "--out", str(tmp_path / "x.txt")],
        ["--week", "2023-W22", "--region", "999999", "--out", str(out)],
    ):
        with pytest.raises(SystemExit) as exit_info:
            call_command("report", "weekly", *argv)
        assert exit_info.value.code == 2
    assert "参数错误" in capsys.readouterr().err


def test_weekly_page_scoping(client, make_user, data):
    client.force_login(make_user("CITY", region="430400"))
    html = client.get(reverse("stats:weekly"), {"week": "2023-W22"}).content.decode()
    assert "衡阳市“双减”工作每周专报" in html
    assert client.get(reverse("stats:weekly"), {"week": "2023-W22", "region": "430100"}).status_code == 404
    url = reverse("stats:weekly_download", args=["2023-W22", "docx"])
    assert client.get(url, {"region": "430100"}).status_code == 404


def test_download_files_an_issue_in_the_archive(client, make_user, data):
    from shuangjian.stats.models import WeeklyReportIssue

    client.force_login(make_user("PROVINCE", region="430000"))
    response = client.get(reverse("stats:weekly_download", args=["2023-W22", "docx"]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    issue = WeeklyReportIssue.objects.get(region_id="430000", week="2023-W22")
    assert issue.number == 20 and issue.docx
    archive = client.get(reverse("stats:weekly_archive")).content.decode()
    assert "第20期" in archive
    stored = client.get(reverse("stats:weekly_file", args=[issue.pk, "docx"]))
    assert stored.content == response.content
