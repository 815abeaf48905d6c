"""The weekly report (每周专报): built from the KPI registry, rendered as HTML, .docx and PDF.

``weekly_build`` gathers the figures of one ISO week (Monday–Sunday, Asia/Shanghai) and of the week
before for comparison; every figure comes from :func:`shuangjian.stats.kpis.compute_kpis`, so the
report, the dashboard and the ``kpis`` command never disagree. Charts are PNGs drawn by matplotlib
with Debian's Noto Sans CJK font. PDF is printed by Debian's chromium from the HTML rendering.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from shuangjian.common.errors import DomainError
from shuangjian.common.fonts import cjk_font
from shuangjian.common.rules import province_code, rule_value
from shuangjian.regions.models import Region

from .kpis import KPIS, KpiContext, compute_kpis, display

WEEK_RE = re.compile(r"^(\d{4})-?W(\d{2})$")


class WeeklyReportError(DomainError):
    """A week that cannot be reported (bad label, unknown region); the message is Chinese."""

    code = "bad_week"
    http_status = 400


def parse_week(label: str) -> tuple[dt.date, dt.date]:
    """(Monday, Sunday) of an ISO week written ``YYYY-Www``; raises :class:`WeeklyReportError`."""
    match = WEEK_RE.match((label or "").strip().upper())
    if not match:
        raise WeeklyReportError(f"周次“{label}”格式错误，应为 YYYY-Www，如 2023-W22")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeeklyReportError(f"{year}年没有第{week}周") from None
    return monday, monday + dt.timedelta(days=6)


def week_label(day: dt.date) -> str:
    """ISO week label of a date: 2023-06-05 → ``2023-W23``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def issue_number(monday: dt.date) -> int:
    """第N期: weeks since the first issue's week (rule data ``stats.weekly_first_week``) + 1.

    Raises :class:`WeeklyReportError` for a week before the first issue: it has no issue number
    (a report numbered 第0期 or 第-44期 would be mistaken for a real issue).
    """
    first_label = str(rule_value("stats.weekly_first_week"))
    first_monday, _ = parse_week(first_label)
    if monday < first_monday:
        raise WeeklyReportError(
            f"{week_label(monday)} 早于每周专报第1期所在周（{week_label(first_monday)}），没有期号，不能生成专报"
            "（第1期所在周是规则数据“stats.weekly_first_week”）"
        )
    return (monday - first_monday).days // 7 + 1


@dataclass
class Figure:
    """A headline figure: value this week, last week, and the change (numbers only)."""

    kpi_id: str
    name: str
    value: Any
    previous: Any
    text: str
    previous_text: str
    change_text: str


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    title: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class WeeklyReport:
    """Everything a rendering needs; no rendering computes a figure itself."""

    week: str
    number: int
    monday: dt.date
    sunday: dt.date
    region: Region
    headline: list[Figure]
    sections: list[Section]
    generated_at: dt.datetime

    @property
    def title(self) -> str:
        return f"{self.region.name}“双减”工作每周专报"

    @property
    def subtitle(self) -> str:
        return (
            f"第{self.number}期（{self.monday.year}年{self.monday.month}月{self.monday.day}日—"
            f"{self.sunday.year}年{self.sunday.month}月{self.sunday.day}日）"
        )


def _fmt(kpi_id: str, value: Any) -> str:
    return display(kpi_id, value)


def _change(kpi_id: str, value: Any, previous: Any) -> str:
    if value is None or previous is None or isinstance(value, dict):
        return "—"
    kpi = KPIS[kpi_id]
    delta = value - previous
    if kpi.is_rate:
        return (
            "持平"
            if abs(delta) < 5e-5
            else f"{'上升' if delta > 0 else '下降'} {abs(delta) * 100:.2f} 个百分点"
        )
    if delta == 0:
        return "持平"
    from shuangjian.common.text import fen_to_yuan_text

    amount = fen_to_yuan_text(abs(delta)) if kpi.unit == "分" else f"{abs(delta):,}"
    return f"{'增加' if delta > 0 else '减少'} {amount}"


#: Headline figures (compared with the previous week); missing ids are skipped.
HEADLINE = [
    "institutions.active",
    "institutions.offline_compulsory_subject.current",
    "institutions.offline_compulsory_subject.reduction_rate",
    "institutions.online_compulsory_subject.reduction_rate",
    "institutions.fund_supervision_rate",
    "funds.custody_balance_fen",
    "reports.total",
    "reports.valid",
    "reports.on_time_rate",
    "risk.warnings_red_orange",
    "enforcement.cases_opened",
    "schools.after_school_coverage_rate",
    "schools.homework_time_compliance_rate",
]

VOCATIONAL_TITLE = "六、职业教育"

#: Sections: title and the KPI ids listed in it (missing ids are skipped; empty sections say so).
SECTIONS = [
    (
        "一、校外培训治理",
        [
            "institutions.approved_in_period",
            "institutions.ended_in_period",
            "institutions.ended_by_reason",
            "institutions.offline_compulsory_subject.baseline",
            "institutions.offline_compulsory_subject.current",
            "institutions.offline_compulsory_subject.reduction_rate",
            "institutions.online_compulsory_subject.baseline",
            "institutions.online_compulsory_subject.current",
            "institutions.online_compulsory_subject.reduction_rate",
            "institutions.fund_supervised",
            "institutions.fund_supervision_rate",
            "funds.custody_balance_fen",
            "funds.paid_fen",
            "funds.released_fen",
            "funds.refunded_fen",
            "funds.open_contracts",
        ],
    ),
    (
        "二、投诉举报与线索",
        [
            "reports.total",
            "reports.valid",
            "reports.by_type",
            "reports.by_source",
            "reports.closed",
            "reports.on_time_rate",
            "reports.collapse_leads",
            "reports.smoke_leads",
        ],
    ),
    ("三、风险预警", ["risk.warnings_by_level", "risk.warnings_red_orange", "risk.tasks_overdue"]),
    (
        "四、执法检查",
        [
            "enforcement.cases_opened",
            "enforcement.cases_by_kind",
            "enforcement.cases_closed",
            "enforcement.ads_removed",
            "enforcement.unlicensed_closed",
        ],
    ),
    (
        "五、校内减负",
        [
            "schools.homework_time_compliance_rate",
            "schools.homework_publication_rate",
            "schools.after_school_coverage_rate",
            "schools.exam_compliance_rate",
            "schools.count",
            "schools.furong",
        ],
    ),
    (
        VOCATIONAL_TITLE,
        [
            "vocational.schools_by_level.secondary",
            "vocational.schools_by_level.associate",
            "vocational.schools_by_level.bachelor",
            "vocational.secondary.public_counties",
            "vocational.double_excellence.schools",
            "vocational.centres",
            "vocational.city_training_centres",
            "vocational.higher.cities",
            "vocational.standard.scope",
            "vocational.standard.met",
            "vocational.standard.rate",
            # 校企合作与1+X证书 (issue 16)
            "vocational.apprenticeship.schools",
            "vocational.apprenticeship.majors",
            "vocational.apprenticeship.students",
            "vocational.order_class.schools",
            "vocational.order_class.students",
            "vocational.order_class.placement_rate",
            "vocational.x_certificate.pilot_share",
            "vocational.x_certificate.sites",
            "vocational.x_certificate.sites_active",
            "vocational.x_certificate.candidates",
            "vocational.x_certificate.pass_rate",
        ],
    ),
    (
        "七、STEM教育与科普",
        [
            "stem.courses.offered",
            "stem.courses.recognised",
            "stem.courses.adoptions",
            "stem.rural.coverage_rate",
            "stem.urban.coverage_rate",
            "stem.rural.gap",
            "stem.rural.counties_below_target",
            "stem.pupils_reached",
            "stem.after_school.science_day_share",
            "stem.reviews.overdue",
            "stem.awards",
            "stem.research.projects",
            "stem.courses.by_carrier",
            "stem.courses.by_stage",
            "stem.research.by_state",
        ],
    ),
]
#: Chinese ordinals: section titles are renumbered by position once all sections are built.
ORDINALS = "一二三四五六七八九十"

#: Per-city closing list of overdue items.
OVERDUE_KPIS = ["reports.overdue", "risk.tasks_overdue"]


_font = cjk_font  # the CJK font of charts (common/fonts.py)


def bar_chart(title: str, labels: list[str], values: list[float], *, horizontal: bool = True) -> Chart:
    """A bar chart PNG with Chinese labels (Noto Sans CJK)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = _font()
    height = max(2.5, 0.32 * len(labels) + 1) if horizontal else 3.2
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=110)
    if horizontal:
        ax.barh(range(len(labels)), values, color="#b71c1c")
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels, fontproperties=font)
        ax.invert_yaxis()
        for i, v in enumerate(values):
            ax.text(v, i, f" {v:,.0f}" if float(v).is_integer() else f" {v:.2%}", va="center", fontsize=8)
    else:
        ax.bar(range(len(labels)), values, color="#b71c1c")
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, fontproperties=font, rotation=30, ha="right")
    ax.set_title(title, fontproperties=font)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return Chart(title, buffer.getvalue())


def _stem_children(
    section: Section, children: list[Region], sunday: dt.date, monday: dt.date, user: Any
) -> None:
    """Rural vs urban STEM coverage of each division below: a table and a chart (the figure the department
    said it would watch, 湘教复字〔2023〕283号 二)."""
    ids = ["stem.rural.coverage_rate", "stem.urban.coverage_rate", "stem.rural.gap", "stem.courses.offered"]
    rows, names, rural = [], [], []
    for child in children:
        c = KpiContext(as_of=sunday, date_from=monday, date_to=sunday, region_code=child.code, user=user)
        values = compute_kpis(c, ids)
        rows.append([child.name] + [_fmt(k, values[k]) for k in ids])
        names.append(child.name)
        rural.append(values["stem.rural.coverage_rate"] or 0)
    section.tables.append(
        Table("农村与城区学校STEM课程开设率（按下级区域）", ["区域"] + [KPIS[k].name for k in ids], rows)
    )
    section.charts.append(bar_chart("农村学校STEM课程开设率（按下级区域）", names, rural))


def weekly_build(*, week: str, region_code: str | None = None, user: Any = None) -> WeeklyReport:
    """Gather one week's report for ``region_code`` (default 湖南省 430000), scoped to ``user``.

    Raises :class:`WeeklyReportError` for a bad week label, a week not yet begun or before the first
    issue (:func:`issue_number`), or an unknown region.
    """
    from django.utils import timezone

    monday, sunday = parse_week(week)
    if monday > timezone.localdate():
        raise WeeklyReportError(f"{week_label(monday)} 尚未开始，不能生成专报")
    number = issue_number(monday)  # refuses a week before the first issue, before any work
    region = Region.objects.filter(code=region_code or province_code()).first()
    if region is None:
        raise WeeklyReportError(f"区划代码“{region_code}”不存在")
    code = region.code
    ctx = KpiContext(as_of=sunday, date_from=monday, date_to=sunday, region_code=code, user=user)
    prev = KpiContext(
        as_of=sunday - dt.timedelta(days=7),
        date_from=monday - dt.timedelta(days=7),
        date_to=sunday - dt.timedelta(days=7),
        region_code=code,
        user=user,
    )
    wanted = [k for k in dict.fromkeys(HEADLINE + [k for _, ids in SECTIONS for k in ids]) if k in KPIS]
    now_values = compute_kpis(ctx, wanted)
    headline_ids = [k for k in HEADLINE if k in KPIS]
    prev_values = compute_kpis(prev, headline_ids)
    headline = [
        Figure(
            k,
            KPIS[k].name,
            now_values[k],
            prev_values[k],
            _fmt(k, now_values[k]),
            _fmt(k, prev_values[k]),
            _change(k, now_values[k], prev_values[k]),
        )
        for k in headline_ids
    ]
    sections: list[Section] = []
    for title, ids in SECTIONS:
        present = [k for k in ids if k in KPIS]
        section = Section(title)
        if not present:
            section.paragraphs.append("本领域数据尚未接入平台。")
        rows = []
        for k in present:
            value = now_values[k]
            if isinstance(value, dict):
                section.tables.append(
                    Table(KPIS[k].name, ["类别", "数量"], [[a, b] for a, b in value.items()])
                )
                if value:
                    section.charts.append(
                        bar_chart(KPIS[k].name, list(map(str, value)), list(value.values()))
                    )
            else:
                rows.append([KPIS[k].name, _fmt(k, value), KPIS[k].definition])
        if rows:
            section.tables.insert(0, Table("主要指标", ["指标", "本周", "口径"], rows))
        sections.append(section)

    children = list(Region.objects.filter(parent=region).order_by("code"))
    if children and "institutions.offline_compulsory_subject.current" in KPIS:
        per_child = []
        for child in children:
            c = KpiContext(as_of=sunday, date_from=monday, date_to=sunday, region_code=child.code, user=user)
            per_child.append(
                (
                    child.name,
                    compute_kpis(c, ["institutions.offline_compulsory_subject.current"])[
                        "institutions.offline_compulsory_subject.current"
                    ],
                )
            )
        per_child.sort(key=lambda x: -x[1])
        sections[0].charts.insert(
            0,
            bar_chart(
                "线下义务教育阶段学科类机构数（按下级区域）",
                [n for n, _ in per_child],
                [v for _, v in per_child],
            ),
        )

    if children and "vocational.standard.rate" in KPIS:
        vocational = next(sec for sec in sections if sec.title == VOCATIONAL_TITLE)
        per_child = []
        for child in children:
            c = KpiContext(as_of=sunday, date_from=monday, date_to=sunday, region_code=child.code, user=user)
            value = compute_kpis(c, ["vocational.standard.rate"])["vocational.standard.rate"]
            if value is not None:
                per_child.append((child.name, value * 100))
        if per_child:
            per_child.sort(key=lambda x: -x[1])
            vocational.charts.append(
                bar_chart(
                    "中职学校办学条件达标率（%，按下级区域）",
                    [n for n, _ in per_child],
                    [v for _, v in per_child],
                )
            )

    stem_section = next((sec for sec in sections if "STEM" in sec.title), None)
    if stem_section is not None and children and "stem.rural.coverage_rate" in KPIS:
        _stem_children(stem_section, children, sunday, monday, user)

    overdue_ids = [k for k in OVERDUE_KPIS if k in KPIS]
    closing = Section(f"{ORDINALS[len(sections)]}、逾期事项（按下级区域）")
    if overdue_ids and children:
        rows = []
        for child in children:
            c = KpiContext(as_of=sunday, date_from=monday, date_to=sunday, region_code=child.code, user=user)
            values = compute_kpis(c, overdue_ids)
            rows.append([child.name] + [_fmt(k, values[k]) for k in overdue_ids])
        closing.tables.append(Table("逾期事项", ["区域"] + [KPIS[k].name for k in overdue_ids], rows))
    else:
        closing.paragraphs.append("本周无可统计的逾期事项数据。")
    sections.append(closing)
    from .weekly_governance import governance_section

    sections.append(governance_section(monday=monday, sunday=sunday, region_code=code, user=user))
    # Number the sections by position, so areas adding sections never produce two with the same number.
    for index, section in enumerate(sections):
        section.title = f"{ORDINALS[index]}、{section.title.split('、', 1)[-1]}"
    return WeeklyReport(
        week=week_label(monday),
        number=number,
        monday=monday,
        sunday=sunday,
        region=region,
        headline=headline,
        sections=sections,
        generated_at=timezone.now(),
    )


def render_html(report: WeeklyReport, *, standalone: bool = True) -> str:
    """The report as HTML (standalone: a whole document with inline CSS and embedded images)."""
    return render_to_string("stats/weekly_report.html", {"report": report, "standalone": standalone})


def render_docx(report: WeeklyReport) -> bytes:
    """The report as a Word document (python-docx), headings and tables in Chinese."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    style.font.size = Pt(10.5)
    heading = document.add_heading(report.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(report.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading("本周要点", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["指标", "本周", "上周", "变化"], strict=True):
        cell.text = text
    for figure in report.headline:
        cells = table.add_row().cells
        for cell, text in zip(
            cells, [figure.name, figure.text, figure.previous_text, figure.change_text], strict=True
        ):
            cell.text = text
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for t in section.tables:
            document.add_paragraph(t.title).runs[0].bold = True
            grid = document.add_table(rows=1, cols=len(t.headers))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, t.headers, strict=True):
                cell.text = str(text)
            for row in t.rows:
                for cell, value in zip(grid.add_row().cells, row, strict=True):
                    cell.text = "" if value is None else str(value)
        for chart in section.charts:
            document.add_picture(io.BytesIO(chart.png), width=Cm(15))
    footer = document.add_paragraph(
        f"生成时间：{report.generated_at:%Y-%m-%d %H:%M}（数据截至 {report.sunday}）"
    )
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(report: WeeklyReport) -> bytes:
    """The report as PDF, printed from its HTML by Debian's chromium (Playwright).

    Raises ``RuntimeError`` with a Chinese message when chromium is not installed.
    """
    import os
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise RuntimeError("生成 PDF 需要 Debian 的 chromium（apt-get install chromium fonts-noto-cjk）")
    html = render_html(report, standalone=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            )
        finally:
            browser.close()


def render(report: WeeklyReport, fmt: str) -> bytes:
    """``fmt`` in docx / pdf / html; raises :class:`WeeklyReportError` otherwise."""
    if fmt == "docx":
        return render_docx(report)
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "html":
        return render_html(report).encode("utf-8")
    raise WeeklyReportError(f"不支持的格式“{fmt}”：请用 .docx、.pdf 或 .html")


@transaction.atomic
def weekly_issue_file(*, report: WeeklyReport, fmt: str, data: bytes, actor: Any) -> Any:
    """File ``data`` (the rendered .docx or .pdf of ``report``) as the region's issue of the week in
    the archive (WeeklyReportIssue), replacing an earlier file of the same format; audited.
    Returns the issue."""
    from django.core.files.base import ContentFile

    from shuangjian.common.audit import save_audited

    from .models import WeeklyReportIssue

    issue, _created = WeeklyReportIssue.objects.get_or_create(
        region=report.region, week=report.week, defaults={"number": report.number, "generated_by": actor}
    )
    filename = f"{report.region.code}-{report.week}.{fmt}"
    getattr(issue, fmt).save(filename, ContentFile(data), save=False)
    issue.number = report.number
    issue.generated_by = actor
    return save_audited(issue, user=actor, reason=f"生成每周专报 {report.week}（{fmt}）")


def weekly_task_run(task: Any, progress: Any) -> dict[str, Any]:
    """Background task kind ``weekly`` (registered in :mod:`shuangjian.common.operations`): build the
    week's report for ``task.params`` ``{"week": "2026-W48", "region": code or ""}`` in the scope of
    ``task.created_by`` (``Http404`` outside it), file its Word and PDF in the archive
    (:class:`~shuangjian.stats.models.WeeklyReportIssue`, one per region and week) and report the
    steps through ``progress(done, total, phase)``. Returns the result shown on the task's page:
    ``{"summary", "issue_id", "week", "region"}``. Raises :class:`WeeklyReportError` for a bad or future week."""
    from django.core.files.base import ContentFile
    from django.utils.translation import gettext as _

    from shuangjian.common.scoping import region_visible_to

    from .models import WeeklyReportIssue

    user = task.created_by
    region = region_visible_to(user, task.params.get("region") or None)
    progress(0, 3, _("汇总统计"))
    report = weekly_build(week=task.params["week"], region_code=region.code if region else None, user=user)
    issue, _created = WeeklyReportIssue.objects.get_or_create(
        region=report.region, week=report.week, defaults={"number": report.number, "generated_by": user}
    )
    for step, fmt in enumerate(["docx", "pdf"], start=1):
        progress(step, 3, _("生成 Word") if fmt == "docx" else _("生成 PDF"))
        getattr(issue, fmt).save(
            f"{report.region.code}-{report.week}.{fmt}", ContentFile(render(report, fmt)), save=False
        )
    issue.number, issue.generated_by = report.number, user
    issue.save()
    progress(3, 3, _("完成"))
    return {
        "summary": _("%(title)s第%(number)s期（%(week)s）已生成并归档")
        % {"title": report.title, "number": report.number, "week": report.week},
        "issue_id": issue.pk,
        "week": report.week,
        "region": report.region.code,
    }
