"""The fund-events import in chunks (issue 19): a tiny ``FUNDS_IMPORT_CHUNK`` makes every file of
these tests cross several sorted runs and several applied chunks; the results must be those of one
chunk — events in (发生时间, 流水号) order, all or nothing — and `funds check` must hold."""

from __future__ import annotations

import pytest

from shuangjian.funds.importers import FundEventImporter
from shuangjian.funds.models import Contract, FundEvent, Posting, PrepaymentViolation, Transfer

from .conftest import assert_ledger_ok
from .test_import import write

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(FundEvent.objects.values_list("key", "kind", "amount_fen")),
        sorted(Transfer.objects.values_list("event__key", "kind", "amount_fen")),
        Posting.objects.count(),
        sorted(
            Contract.objects.values_list(
                "contract_no", "hours_consumed", "released_fen", "refunded_fen", "status", "closed_at"
            )
        ),
        sorted(PrepaymentViolation.objects.values_list("contract__contract_no", "rule")),
    )


@pytest.fixture
def events(institution):
    """Thirteen events of three contracts, listed in reverse time order (and a tie on 发生时间)."""
    code = institution.credit_code
    rows = [
        ["K01", "2024-03-01 09:00", code, "HT1", "S1", "缴费", "3000.00", "30"],
        ["K02", "2024-03-01 09:05", code, "HT2", "S2", "缴费", "7000", "70"],
        ["K03", "2024-03-02 09:00", code, "HT1", "S1", "消课", "", "1"],
        ["K04", "2024-03-02 09:00", code, "HT2", "S2", "消课", "", "3"],
        ["K05", "2024-03-03 09:00", code, "HT3", "S3", "缴费", "1000", "10"],
        ["K06", "2024-03-04 09:00", code, "HT1", "S1", "消课", "", "2"],
        ["K07", "2024-03-05 09:00", code, "HT3", "S3", "消课", "", "10"],
        ["K08", "2024-03-06 09:00", code, "HT2", "S2", "退费", "", ""],
        ["K09", "2024-03-07 09:00", code, "HT1", "S1", "消课", "", "0.5"],
        ["K10", "2024-03-08 09:00", code, "HT1", "S1", "消课", "", "1.5"],
        ["K11", "2024-03-09 09:00", code, "HT1", "S1", "消课", "", "3"],
        ["K12", "2024-03-09 09:00", code, "HT1", "S1", "消课", "", "2"],
        ["K13", "2024-03-09 09:00", code, "HT1", "S1", "退费", "2000", ""],
    ]
    return list(reversed(rows))


def test_out_of_order_file_applies_in_key_order_across_chunks(tmp_path, events, settings):
    # Reversed in the file: applied in file order, every 消课 would come before its 缴费, and the
    # tie K12 (消课) / K13 (退费) at the same moment must apply K12 first.
    settings.FUNDS_IMPORT_CHUNK = 2
    path = write(tmp_path / "e.csv", events)
    report = FundEventImporter().run(path)
    assert report.applied and not report.errors, report.errors
    assert report.created == 13
    before = snapshot()
    report = FundEventImporter().run(path)  # every key already in the ledger, in every chunk
    assert report.applied and report.created == 0 and report.skipped == 13
    assert snapshot() == before
    assert_ledger_ok()


def test_chunked_equals_whole(tmp_path, events, settings, institution):
    settings.FUNDS_IMPORT_CHUNK = 2
    path = write(tmp_path / "e.csv", events)
    report = FundEventImporter().run(path)
    assert report.applied and not report.errors, report.errors
    assert report.created == 13
    ht1 = Contract.objects.get(contract_no="HT1")
    # 1 + 2 + 0.5 + 1.5 + 3 + 2 hours of 30 released by the cumulative rule, then the rest refunded.
    assert (ht1.hours_consumed, ht1.released_fen, ht1.refunded_fen) == (10, 100_000, 200_000)
    assert ht1.status == "REFUNDED"
    ht2 = Contract.objects.get(contract_no="HT2")
    assert (ht2.refunded_fen, ht2.status) == (700_000 - 30_000, "REFUNDED")
    assert ht2.closed_at is not None
    ht3 = Contract.objects.get(contract_no="HT3")
    assert ht3.status == "COMPLETED" and ht3.released_fen == 100_000
    assert PrepaymentViolation.objects.filter(contract=ht2).exists()  # 70 hours > 60
    assert_ledger_ok()


def test_bad_row_in_the_last_chunk_writes_nothing(tmp_path, events, settings, institution):
    settings.FUNDS_IMPORT_CHUNK = 2
    # The latest event (last chunk) consumes more than HT3 has left: the whole file is refused.
    late = ["K99", "2024-03-10 09:00", institution.credit_code, "HT3", "S3", "消课", "", "1"]
    path = write(tmp_path / "e.csv", [late, *events])
    report = FundEventImporter().run(path)
    assert not report.applied
    assert [(e.row, e.column) for e in report.errors] == [(2, "合同编号")]
    assert "课时已全部消完" in report.errors[0].reason
    assert (FundEvent.objects.count(), Transfer.objects.count(), Contract.objects.count()) == (0, 0, 0)
    assert PrepaymentViolation.objects.count() == 0
    # With --skip-invalid the other rows apply and the bad one is reported.
    report = FundEventImporter().run(path, skip_invalid=True)
    assert report.applied and report.created == 13 and len(report.errors) == 1
    assert_ledger_ok()


def test_key_reused_in_a_later_chunk(tmp_path, events, settings, institution):
    settings.FUNDS_IMPORT_CHUNK = 2
    code = institution.credit_code
    same = ["K01", "2024-03-01 09:00", code, "HT1", "S1", "缴费", "3000.00", "30"]
    other = ["K03", "2024-03-20 09:00", code, "HT1", "S1", "消课", "", "1"]
    path = write(tmp_path / "e.csv", [*events, same, other])
    report = FundEventImporter().run(path)
    assert not report.applied
    assert [(e.row, e.column) for e in report.errors] == [(16, "流水号")]
    assert "流水号“K03”已用于内容不同的流水" in report.errors[0].reason
    assert FundEvent.objects.count() == 0
    report = FundEventImporter().run(path, skip_invalid=True)
    assert report.created == 13 and report.skipped == 1 and len(report.errors) == 1
    assert_ledger_ok()


def test_stage_timings_are_reported(tmp_path, events, settings):
    settings.FUNDS_IMPORT_CHUNK = 3
    importer = FundEventImporter()
    importer.run(write(tmp_path / "e.csv", events))
    assert set(importer.timings) == {"parse", "sort", "read", "simulate", "write", "commit"}
    assert all(seconds >= 0 for seconds in importer.timings.values())


@pytest.mark.parametrize("cache", [1, 30_000])
def test_institution_maps_dropped_and_read_again(tmp_path, events, settings, institution, monkeypatch, cache):
    """A file with more institutions than ``INSTITUTION_CACHE`` (the maps are dropped and read again
    chunk after chunk) gives the same ledger as one that fits: accounts and subject episodes included."""
    from shuangjian.common.testing import make_institution
    from shuangjian.funds import importers
    from shuangjian.institutions.models import InstitutionEpisode

    monkeypatch.setattr(importers, "INSTITUTION_CACHE", cache)
    settings.FUNDS_IMPORT_CHUNK = 2
    subject = make_institution("430103", name="学科类机构")
    InstitutionEpisode.objects.create(
        institution=subject,
        category="SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        approved_on="2020-01-01",
    )
    # ¥6,000 in one payment: over the non-subject cap (¥5,000), no cap for subject training (RULES.md §1.3).
    mine = [
        ["S01", "2024-03-01 10:00", subject.credit_code, "XK1", "T1", "缴费", "6000", "20"],
        ["S02", "2024-03-02 10:00", subject.credit_code, "XK1", "T1", "消课", "", "2"],
        ["S03", "2024-03-06 10:00", subject.credit_code, "XK2", "T2", "缴费", "6000", "20"],
        ["S04", "2024-03-09 10:00", subject.credit_code, "XK2", "T2", "消课", "", "4"],
        ["N01", "2024-03-05 10:00", institution.credit_code, "FX1", "T3", "缴费", "6000", "20"],
    ]
    path = write(tmp_path / "e.csv", [*events, *mine])
    report = FundEventImporter().run(path)
    assert report.applied and not report.errors, report.errors
    assert report.created == 18
    assert sorted(PrepaymentViolation.objects.values_list("contract__contract_no", "rule")) == [
        ("FX1", "AMOUNT"),
        ("HT2", "AMOUNT"),  # ¥7,000 and 70 hours in the shared events
        ("HT2", "HOURS"),
    ]
    assert Contract.objects.get(contract_no="XK2").released_fen == 120_000
    report = FundEventImporter().run(path)
    assert report.applied and report.created == 0 and report.skipped == 18
    assert_ledger_ok()
