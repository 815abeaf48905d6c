"""Demo-like data for the operations tests, loaded through the platform's own importers.

The demo province's generators write the registry, the public reports and a custody statement
(small scale) and the ``import`` command loads them, as ``shuangjian demo load`` does before the
areas' own steps; two uploaded files land in the default storage. Run in a configured Django
process (``python -c "…; load()"``).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

#: Files put into the default storage, name → bytes (a photo and a licensing PDF).
MEDIA = {
    "complaints/photos/sample-photo.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9",
    "licensing/1/sample-charter.pdf": b"%PDF-1.4\n% sample\n" + b"0" * 5000 + b"\n%%EOF\n",
}


def load() -> None:
    """Regions, registry, reports, fund events (small scale) and the two media files."""
    from shuangjian.demo.funds import generate_fund_events, write_fund_events_csv
    from shuangjian.demo.institutions import generate_institutions, write_institutions_csv
    from shuangjian.demo.loader import at_risk_institutions
    from shuangjian.demo.reports import generate_reports, write_reports_csv

    out = io.StringIO()
    call_command("load-regions", stdout=out)
    institutions = generate_institutions()
    at_risk = at_risk_institutions(institutions)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = [
            ("institutions", write_institutions_csv(institutions, work / "机构名册.csv")),
            (
                "reports",
                write_reports_csv(generate_reports(institutions, at_risk), work / "投诉举报线索.csv"),
            ),
            (
                "fund-events",
                write_fund_events_csv(
                    generate_fund_events(institutions, at_risk, scale="small"), work / "托管账户流水.csv"
                ),
            ),
        ]
        for kind, path in files:
            call_command("import", kind, str(path), "--quiet", stdout=out)
    for name, content in MEDIA.items():
        default_storage.save(name, ContentFile(content))
