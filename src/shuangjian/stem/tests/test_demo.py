"""The STEM demo: the document's courses at their real places, the award, the research project, a rural
gap across the province, the schools' published rates untouched, and loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from shuangjian.schools import demo as schools_demo
from shuangjian.schools.selectors import school_rates
from shuangjian.stats.kpis import KpiContext, compute_kpis
from shuangjian.stem import demo
from shuangjian.stem.models import CompetitionEntry, CourseState, ResearchProject, StemCourse

AS_OF = dt.date(2023, 6, 5)


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_demo_load(db, tmp_path, monkeypatch):
    seed_week = schools_demo.reported_week(AS_OF)
    monkeypatch.setattr(schools_demo, "demo_weeks", lambda: [seed_week])
    monkeypatch.setattr(schools_demo, "history_weeks", lambda: ([seed_week], [seed_week]))
    schools_demo.load(scale="small", workdir=tmp_path, stdout=io.StringIO())
    out = io.StringIO()
    demo.load(scale="small", workdir=tmp_path, stdout=out)
    places = {
        c.name: (c.school.name, c.school.county_id, c.state)
        for c in StemCourse.objects.filter(
            school__code__in=[r[0] for r in demo.NAMED_SCHOOLS], adopted_from__isnull=True
        ).select_related("school")
    }
    assert places["农历天空下——廿四节气"] == ("保靖县岳阳学校", "433125", CourseState.RECOGNISED)
    assert places["游戏点亮童年"][:2] == ("湖南大学幼儿园", "430104")
    assert places["高铁中的STEM"][1].startswith("4302")  # 株洲
    assert places["湘西民居－湘西木屋"][1].startswith("4331") and places["高脚马"][2] == CourseState.SUBMITTED
    entry = CompetitionEntry.objects.get(title="无人驾驶火星车")
    assert (entry.competition.edition, entry.top_n, entry.group, entry.group_rank) == (4, 50, "学前教育段", 2)
    assert entry.school.county_id.startswith("4331")  # 湘西州
    project = ResearchProject.objects.get(title="基于STEM幼儿园课程的研发与实践研究")
    assert project.school.name == "郴州市直属机关幼儿园" and project.state == "MIDTERM_PASSED"
    kpis = compute_kpis(
        KpiContext(as_of=AS_OF, date_from=seed_week[0], date_to=seed_week[0] + dt.timedelta(days=6)),
        [
            "stem.rural.coverage_rate",
            "stem.urban.coverage_rate",
            "stem.rural.gap",
            "stem.courses.recognised",
            "stem.awards",
            "stem.courses.adoptions",
            "stem.after_school.science_day_share",
            "stem.rural.counties_below_target",
        ],
    )
    assert (
        kpis["stem.courses.recognised"] == 4
        and kpis["stem.awards"] == 1
        and kpis["stem.courses.adoptions"] > 0
    )
    assert kpis["stem.rural.gap"] > 0.2 and kpis["stem.rural.counties_below_target"] > 0
    assert 0 < kpis["stem.after_school.science_day_share"] < 1
    # the burden-reduction figures the seed document publishes are untouched
    monday = seed_week[0]
    assert (
        school_rates(date_from=monday, date_to=monday + dt.timedelta(days=6))["after_school_coverage_rate"]
        == 1.0
    )
    counts = (StemCourse.objects.count(), StemCourse.history.count())
    demo.load(scale="small", workdir=tmp_path, stdout=io.StringIO())
    assert (StemCourse.objects.count(), StemCourse.history.count()) == counts
    assert "STEM教育：" in out.getvalue()
