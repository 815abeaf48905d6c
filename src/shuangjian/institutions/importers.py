"""`shuangjian import institutions FILE`: the institutions registry file (机构名册, DESIGN.md).

One row per institution per category episode; key (统一社会信用代码, 培训类别). Validates every row
(credit-code check character, county-level GB/T 2260 code, values, dates) and what the rows of one
institution must agree on (one row per category, at most one open episode, 转型 ordering), then
applies in one transaction. 机构名称, 区县代码, 办学性质 and 纳入资金监管 are the values *during that
episode* and may differ between an institution's rows (DESIGN.md): each episode keeps them as its
profile (:class:`InstitutionProfile`); the institution shows the current episode's.

Institutions, episodes and profiles are created or updated only where something differs, so
re-importing the same file changes nothing (no new history rows either). When a later export gives
an open episode other values than the latest recorded ones (a rename, a supervision change), the
change is recorded once, dated the day of the import; for an ended episode the values are corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangjian.common.audit import audit
from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.importing import (
    Column,
    Importer,
    ImportReport,
    RowError,
    cell_text,
    parse_date,
    parse_yes_no,
    require,
)
from shuangjian.common.text import clean_name, nfkc
from shuangjian.regions.models import Region, RegionLevel

from .choices import Audience, Category, EndReason, Mode, Nature, Status
from .models import Institution, InstitutionEpisode, InstitutionProfile
from .services import profile_changes_text
from .validation import EARLIEST_DATE, date_bound_error

CATEGORY = {"学科类": Category.SUBJECT, "非学科类": Category.NON_SUBJECT}
MODE = {"线下": Mode.OFFLINE, "线上": Mode.ONLINE}
AUDIENCE = {"学龄前": Audience.PRESCHOOL, "义务教育": Audience.COMPULSORY, "普通高中": Audience.HIGH_SCHOOL}
NATURE = {"营利性": Nature.FOR_PROFIT, "非营利性": Nature.NON_PROFIT}
END_REASON = {
    "停办": EndReason.SUSPENDED,
    "注销": EndReason.DEREGISTERED,
    "吊销": EndReason.REVOKED,
    "转型": EndReason.TRANSFORMED,
}
END_STATUS = {
    EndReason.SUSPENDED: Status.SUSPENDED,
    EndReason.DEREGISTERED: Status.DEREGISTERED,
    EndReason.REVOKED: Status.REVOKED,
}
AUDIENCE_ORDER = [Audience.PRESCHOOL, Audience.COMPULSORY, Audience.HIGH_SCHOOL]


@dataclass(frozen=True)
class InstitutionRow:
    """One parsed row of the registry file."""

    credit_code: str
    name: str
    county: str
    category: str
    mode: str
    audiences: str
    nature: str
    approved_on: dt.date
    ended_on: dt.date | None
    end_reason: str
    fund_supervised: bool
    license_no: str


def _choice(
    cells: dict[str, Any], header: str, row: int, mapping: dict[str, str], required: bool = True
) -> str:
    text = nfkc(cell_text(cells, header))
    if not text:
        if required:
            raise RowError(row, header, "不能为空")
        return ""
    if text not in mapping:
        raise RowError(row, header, f"“{text}”无效，应为" + " / ".join(mapping))
    return mapping[text]


class InstitutionImporter(Importer):
    """The registry file: columns and rules of DESIGN.md "Institutions (机构名册)"."""

    kind = "institutions"
    title = "机构名册"
    columns = [
        Column("统一社会信用代码"),
        Column("机构名称"),
        Column("区县代码"),
        Column("培训类别"),
        Column("培训形式"),
        Column("服务对象"),
        Column("办学性质", required=False),
        Column("审批日期"),
        Column("终止日期", required=False),
        Column("终止原因", required=False),
        Column("纳入资金监管"),
        Column("办学许可证号", required=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> InstitutionRow:
        errors: list[RowError] = []

        def attempt(fn, *args):
            try:
                return fn(*args)
            except RowError as error:
                errors.append(error)
                return None

        def code() -> str:
            raw = require(cells, "统一社会信用代码", row_number)
            try:
                return credit_code_normalize(raw)
            except CreditCodeError as error:
                raise RowError(row_number, "统一社会信用代码", str(error)) from None

        def county() -> str:
            value = nfkc(require(cells, "区县代码", row_number))
            if value not in self._counties:
                raise RowError(row_number, "区县代码", f"“{value}”不是县级行政区划代码（GB/T 2260）")
            return value

        def audiences() -> str:
            text = nfkc(require(cells, "服务对象", row_number)).replace(",", "、").replace("，", "、")
            parts = [p.strip() for p in text.split("、") if p.strip()]
            bad = [p for p in parts if p not in AUDIENCE]
            if bad or not parts:
                raise RowError(
                    row_number,
                    "服务对象",
                    f"“{'、'.join(bad)}”无效，应为学龄前、义务教育、普通高中之一或多项",
                )
            values = {AUDIENCE[p] for p in parts}
            return ",".join(a for a in AUDIENCE_ORDER if a in values)

        def date(header: str, required: bool) -> dt.date | None:
            value = cells.get(header)
            if value is None or str(value).strip() == "":
                if required:
                    raise RowError(row_number, header, "不能为空")
                return None
            try:
                day = parse_date(value)
            except ValueError as error:
                raise RowError(row_number, header, str(error)) from None
            message = date_bound_error(day, label="", earliest=EARLIEST_DATE)
            if message:
                raise RowError(row_number, header, message)
            return day

        def yes_no() -> bool:
            try:
                value = parse_yes_no(cells.get("纳入资金监管"))
            except ValueError as error:
                raise RowError(row_number, "纳入资金监管", str(error)) from None
            if value is None:
                raise RowError(row_number, "纳入资金监管", "不能为空，应为“是”或“否”")
            return value

        def name() -> str:
            return clean_name(require(cells, "机构名称", row_number))[:200]

        credit_code = attempt(code)
        inst_name = attempt(name)
        county_code = attempt(county)
        category = attempt(_choice, cells, "培训类别", row_number, CATEGORY)
        mode = attempt(_choice, cells, "培训形式", row_number, MODE)
        audience = attempt(audiences)
        nature = attempt(_choice, cells, "办学性质", row_number, NATURE, False)
        approved_on = attempt(date, "审批日期", True)
        ended_on = attempt(date, "终止日期", False)
        end_reason = attempt(_choice, cells, "终止原因", row_number, END_REASON, False)
        fund = attempt(yes_no)
        license_no = nfkc(cell_text(cells, "办学许可证号"))[:60]
        if not errors:
            if ended_on and approved_on and ended_on < approved_on:
                errors.append(RowError(row_number, "终止日期", "终止日期不能早于审批日期"))
            if ended_on and not end_reason:
                errors.append(RowError(row_number, "终止原因", "填写了终止日期时必须填写终止原因"))
            if end_reason and not ended_on:
                errors.append(RowError(row_number, "终止日期", "填写了终止原因时必须填写终止日期"))
            if end_reason == EndReason.TRANSFORMED and category != Category.SUBJECT:
                errors.append(RowError(row_number, "终止原因", "只有学科类办学期间可以因“转型”终止"))
        if errors:
            # Report every bad cell of the row; the framework records one error per raise, so the
            # first goes up and the others ride along on it.
            first = errors[0]
            first.extra = errors[1:]
            raise first
        return InstitutionRow(
            credit_code=credit_code,
            name=inst_name,
            county=county_code,
            category=category,
            mode=mode,
            audiences=audience,
            nature=nature or "",
            approved_on=approved_on,
            ended_on=ended_on,
            end_reason=end_reason or "",
            fund_supervised=fund,
            license_no=license_no,
        )

    def validate_records(self, records: list[tuple[int, InstitutionRow]]) -> list[RowError]:
        """What the rows of one credit code must agree on: one row per category, at most one open
        episode, and a 转型 is followed by a non-subject episode approved no earlier. Name, county,
        nature and supervision may differ (they are each episode's own values)."""
        errors: list[RowError] = []
        seen: dict[tuple[str, str], int] = {}
        rows_of: dict[str, list[tuple[int, InstitutionRow]]] = {}
        for number, rec in records:
            key = (rec.credit_code, rec.category)
            if key in seen:
                errors.append(
                    RowError(number, "培训类别", f"与第{seen[key]}行重复：同一机构同一培训类别只能有一行")
                )
                continue
            seen[key] = number
            rows_of.setdefault(rec.credit_code, []).append((number, rec))
        for _code, rows in rows_of.items():
            open_rows = [(n, r) for n, r in rows if r.ended_on is None]
            if len(open_rows) > 1:
                n, _r = open_rows[1]
                errors.append(
                    RowError(
                        n, "终止日期", f"同一机构只能有一个未终止的办学期间（另见第{open_rows[0][0]}行）"
                    )
                )
            for n, r in rows:
                if r.end_reason == EndReason.TRANSFORMED:
                    successor = [x for x in rows if x[1].category == Category.NON_SUBJECT]
                    if successor and r.ended_on and successor[0][1].approved_on < r.ended_on:
                        errors.append(
                            RowError(
                                successor[0][0], "审批日期", f"转型后的非学科类审批日期早于第{n}行的转型日期"
                            )
                        )
        return errors

    def apply(self, records: list[tuple[int, InstitutionRow]], report: ImportReport) -> None:
        """Write in one transaction: new institutions, their episodes and profiles in bulk (with
        history rows), changed ones one by one; unchanged ones are not touched (re-import writes nothing)."""
        from simple_history.utils import bulk_create_with_history

        by_code: dict[str, list[InstitutionRow]] = {}
        for _n, rec in records:
            by_code.setdefault(rec.credit_code, []).append(rec)
        actor = self.actor if getattr(self.actor, "pk", None) else None
        today = timezone.localdate()
        with transaction.atomic():
            existing: dict[str, Institution] = {}
            episodes: dict[tuple[int, str], InstitutionEpisode] = {}
            profiles: dict[int, list[InstitutionProfile]] = {}
            codes = list(by_code)
            for start in range(0, len(codes), 2000):
                chunk = codes[start : start + 2000]
                existing.update({i.credit_code: i for i in Institution.objects.filter(credit_code__in=chunk)})
                for e in InstitutionEpisode.objects.filter(institution__credit_code__in=chunk):
                    episodes[(e.institution_id, e.category)] = e
                for p in InstitutionProfile.objects.filter(institution__credit_code__in=chunk).order_by(
                    "valid_from"
                ):
                    profiles.setdefault(p.episode_id, []).append(p)
            pending: list[tuple[Institution, list[InstitutionRow], dict[str, str]]] = []
            for done, (code, rows) in enumerate(by_code.items(), start=1):
                changed = self._apply_institution(
                    code, rows, existing.get(code), episodes, profiles, pending, today
                )
                if changed == "created":
                    report.created += 1
                elif changed == "updated":
                    report.updated += 1
                else:
                    report.skipped += 1
                if self.progress and (done % 1000 == 0 or done == len(by_code)):
                    self.progress(done, len(by_code))
            if pending:
                self._create_pending(pending, actor, bulk_create_with_history)

    def _create_pending(self, pending, actor, bulk_create_with_history) -> None:
        """Bulk-create new institutions with their episodes and one profile per episode."""
        created = bulk_create_with_history(
            [inst for inst, _rows, _natures in pending],
            Institution,
            batch_size=500,
            default_user=actor,
            default_change_reason="名册导入：新增",
        )
        by_created_code = {inst.credit_code: inst for inst in created}
        if any(inst.pk is None for inst in created):  # backends that do not return keys
            by_created_code = {
                i.credit_code: i for i in Institution.objects.filter(credit_code__in=list(by_created_code))
            }
        new_episodes = [
            InstitutionEpisode(
                institution=by_created_code[inst.credit_code],
                category=rec.category,
                **self._episode_values(rec),
            )
            for inst, rows, _natures in pending
            for rec in rows
        ]
        made = bulk_create_with_history(
            new_episodes,
            InstitutionEpisode,
            batch_size=500,
            default_user=actor,
            default_change_reason="名册导入：新增办学期间",
        )
        episode_of = {(e.institution_id, e.category): e for e in made}
        if any(e.pk is None for e in made):
            ids = [i.pk for i in by_created_code.values()]
            episode_of = {
                (e.institution_id, e.category): e
                for e in InstitutionEpisode.objects.filter(institution_id__in=ids)
            }
        new_profiles = []
        for inst, rows, natures in pending:
            institution = by_created_code[inst.credit_code]
            for rec in rows:
                episode = episode_of[(institution.pk, rec.category)]
                new_profiles.append(
                    InstitutionProfile(
                        episode=episode,
                        institution=institution,
                        valid_from=rec.approved_on,
                        **self._profile_wanted(rec, natures[rec.category]),
                    )
                )
        bulk_create_with_history(
            new_profiles,
            InstitutionProfile,
            batch_size=500,
            default_user=actor,
            default_change_reason="名册导入：登记事项",
        )

    @staticmethod
    def _episode_values(rec: InstitutionRow) -> dict[str, Any]:
        return {
            "mode": rec.mode,
            "audiences": rec.audiences,
            "approved_on": rec.approved_on,
            "ended_on": rec.ended_on,
            "end_reason": rec.end_reason,
            "license_no": rec.license_no,
        }

    @staticmethod
    def _profile_wanted(rec: InstitutionRow, nature: str) -> dict[str, Any]:
        return {
            "name": rec.name,
            "county_id": rec.county,
            "nature": nature,
            "fund_supervised": rec.fund_supervised,
        }

    @staticmethod
    def _natures(rows: list[InstitutionRow], fallback: str) -> dict[str, str]:
        """办学性质 per category: the row's, else carried over from the previous episode (date order)."""
        out: dict[str, str] = {}
        carry = fallback
        for rec in sorted(rows, key=lambda r: r.approved_on):
            carry = rec.nature or carry
            out[rec.category] = carry
        return out

    def _apply_profile(
        self,
        episode: InstitutionEpisode,
        rec: InstitutionRow,
        plist: list[InstitutionProfile],
        nature: str,
        actor: Any,
        today: dt.date,
    ) -> bool:
        """Bring the episode's profiles in line with the row. Returns whether anything was written.

        No profile yet: one from the episode's approval date. Else, when the row's values differ from
        the latest profile: an open episode records the change from ``today`` (a later export with a
        rename: recorded once, re-importing it again finds the values equal); an ended episode, or a
        latest profile starting today, is corrected in place.
        """
        wanted = self._profile_wanted(rec, rec.nature or (plist[-1].nature if plist else nature))
        if not plist:
            profile = InstitutionProfile(
                episode=episode,
                institution_id=episode.institution_id,
                valid_from=episode.approved_on,
                **wanted,
            )
            audit(profile, user=actor, reason="名册导入：登记事项")
            profile.save()
            plist.append(profile)
            return True
        changed = False
        first = plist[0]
        if first.valid_from != episode.approved_on and (
            first.valid_to is None or episode.approved_on < first.valid_to
        ):
            first.valid_from = episode.approved_on
            audit(first, user=actor, reason="名册导入：登记事项起始日期随审批日期更正")
            first.save()
            changed = True
        last = plist[-1]
        before = {k: getattr(last, k) for k in wanted}
        text = profile_changes_text(before, wanted)
        if not text:
            return changed
        if rec.ended_on is None and today > last.valid_from and today >= episode.approved_on:
            new = InstitutionProfile(
                episode=episode,
                institution_id=episode.institution_id,
                valid_from=today,
                **{**before, **wanted},
            )
            last.valid_to = today
            audit(last, user=actor, reason=f"名册导入：自 {today:%Y-%m-%d} 起由新登记事项取代")
            last.save()
            audit(new, user=actor, reason=f"名册导入：登记事项变更（{today:%Y-%m-%d}）：{text}")
            new.save()
            plist.append(new)
        else:
            for key, value in wanted.items():
                setattr(last, key, value)
            audit(last, user=actor, reason=f"名册导入：更正登记事项：{text}")
            last.save()
        return True

    def _apply_institution(self, code, rows, institution, episodes, profiles, pending, today) -> str:
        current = max(rows, key=lambda r: (r.ended_on is None, r.ended_on or r.approved_on, r.approved_on))
        active = [r for r in rows if r.ended_on is None]
        license_no = next(
            (r.license_no for r in sorted(rows, key=lambda r: r.approved_on, reverse=True) if r.license_no),
            "",
        )
        if active:
            status = Status.LICENSED
        else:
            status = END_STATUS.get(current.end_reason, Status.DEREGISTERED)
        natures = self._natures(rows, institution.nature if institution is not None else "")
        # An ended institution (停办/注销/吊销) records its lifecycle date and reason as a regulator's
        # transition does (services.institution_transition), so the public blacklist shows them.
        lifecycle: dict[str, Any] = {}
        if not active:
            end_label = next((k for k, v in END_REASON.items() if v == current.end_reason), "")
            lifecycle = {
                "status_changed_on": current.ended_on,
                "status_reason": f"名册登记：{end_label}（终止日期 {current.ended_on:%Y-%m-%d}）",
            }
        actor = self.actor if getattr(self.actor, "pk", None) else None
        if institution is None:
            fresh = {
                "category": current.category,
                "mode": current.mode,
                "audiences": current.audiences,
                **self._profile_wanted(current, natures[current.category]),
            }
            if license_no:
                fresh["license_no"] = license_no
            pending.append(
                (Institution(credit_code=code, status=status, **fresh, **lifecycle), rows, natures)
            )
            return "created"
        outcome = "unchanged"
        current_profile: InstitutionProfile | None = None
        for rec in rows:
            episode = episodes.get((institution.pk, rec.category))
            wanted = self._episode_values(rec)
            if episode is None:
                episode = InstitutionEpisode(institution=institution, category=rec.category, **wanted)
                audit(episode, user=actor, reason="名册导入：新增办学期间")
                episode.save()
                episodes[(institution.pk, rec.category)] = episode
                outcome = "updated"
            else:
                diff = {k: v for k, v in wanted.items() if getattr(episode, k) != v}
                if diff:
                    for k, v in diff.items():
                        setattr(episode, k, v)
                    audit(episode, user=actor, reason="名册导入：更新办学期间")
                    episode.save()
                    outcome = "updated"
            plist = profiles.setdefault(episode.pk, [])
            if self._apply_profile(episode, rec, plist, natures[rec.category], actor, today):
                outcome = "updated"
            if rec is current:
                current_profile = plist[-1]
        values: dict[str, Any] = {
            "category": current.category,
            "mode": current.mode,
            "audiences": current.audiences,
        }
        if current_profile is not None:
            values.update(
                name=current_profile.name,
                county_id=current_profile.county_id,
                fund_supervised=current_profile.fund_supervised,
            )
            if current_profile.nature:
                values["nature"] = current_profile.nature
        if license_no:
            values["license_no"] = license_no
        # Rectification is the regulator's state inside 已审批; the file does not know it.
        if institution.status == Status.RECTIFYING and status == Status.LICENSED:
            status = Status.RECTIFYING
        if status != institution.status:
            values["status"] = status
            values.update(lifecycle)
        diff = {k: v for k, v in values.items() if getattr(institution, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(institution, k, v)
            audit(institution, user=actor, reason="名册导入：更新 " + "、".join(sorted(diff)))
            institution.save()
            outcome = "updated"
        return outcome
