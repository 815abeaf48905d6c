"""Accuracy of the training-item classifier (分类鉴别) on the labelled evaluation set.

Prints accuracy and per-class precision/recall for the whole set and separately for its dev part
(errors looked at while writing the rules), its held-out part (written together with the dev part,
errors never looked at) and its blind part (written after the rules were frozen; never tuned on).
Data: src/shuangjian/institutions/data/classify_eval.csv (项目名称, 项目简介, 适用对象, 申报类别,
标注类别, 划分). Run: .venv/bin/python benchmarks/classify_eval.py [--errors]
"""

import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings.test")

import django  # noqa: E402

django.setup()

from shuangjian.institutions.classification import classify  # noqa: E402

DATA = ROOT / "src" / "shuangjian" / "institutions" / "data" / "classify_eval.csv"
LABEL = {"学科类": "SUBJECT", "非学科类": "NON_SUBJECT"}


def report(title: str, rows: list[tuple[str, str]]) -> None:
    total = len(rows)
    correct = sum(1 for gold, pred in rows if gold == pred)
    print(f"{title}: {total} 条, 准确率 accuracy = {correct / total:.4f} ({correct}/{total})")
    for cls in ("SUBJECT", "NON_SUBJECT"):
        tp = sum(1 for g, p in rows if g == cls and p == cls)
        fp = sum(1 for g, p in rows if g != cls and p == cls)
        fn = sum(1 for g, p in rows if g == cls and p != cls)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"  {cls:<12} precision = {precision:.4f}  recall = {recall:.4f}  (support {tp + fn})")


def main() -> None:
    with DATA.open(encoding="utf-8") as handle:
        data = list(csv.DictReader(handle))
    start = time.perf_counter()
    results = []
    errors = []
    for row in data:
        verdict = classify(
            row["项目名称"], row["项目简介"], audience=row["适用对象"], declared=row["申报类别"]
        )
        gold = LABEL[row["标注类别"]]
        results.append((row["划分"], gold, verdict.category))
        if gold != verdict.category:
            errors.append((row, verdict))
    elapsed = time.perf_counter() - start
    report("全部 all", [(g, p) for _s, g, p in results])
    report("调试集 dev", [(g, p) for s, g, p in results if s == "dev"])
    report("留出集 holdout", [(g, p) for s, g, p in results if s == "holdout"])
    report("盲测集 blind（规则冻结后新写，未据此调整）", [(g, p) for s, g, p in results if s == "blind"])
    print(f"耗时 {elapsed * 1000:.0f} ms（含 jieba 词典加载），{len(data)} 条")
    if "--errors" in sys.argv:
        for row, verdict in errors:
            print(f"  ✗ [{row['划分']}] {row['项目名称']} 标注={row['标注类别']} → {verdict.reasons[0]}")


if __name__ == "__main__":
    main()
