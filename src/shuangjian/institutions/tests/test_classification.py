"""Classification (分类鉴别): tricky cases, the `classify` command contract, the eval set."""

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from shuangjian.institutions.classification import classify

DATA = Path(__file__).resolve().parents[1] / "data" / "classify_eval.csv"


@pytest.mark.parametrize(
    "name,description,audience,expected",
    [
        ("逻辑思维训练营", "以奥数经典题型为主线，讲授鸡兔同笼、行程问题，冲刺小升初", "小学", "SUBJECT"),
        ("思维训练·逻辑狗", "使用逻辑狗教具进行观察、推理游戏，无书面作业", "学龄前", "NON_SUBJECT"),
        ("幼儿英语绘本课", "外教带读英文绘本，学习字母和日常英语单词", "学龄前", "SUBJECT"),
        ("亲子绘本阅读", "中文绘本故事共读、角色扮演和手工延伸活动", "学龄前", "NON_SUBJECT"),
        ("Scratch少儿编程", "通过积木式编程制作动画和小游戏", "小学", "NON_SUBJECT"),
        ("国际象棋入门", "棋子走法、基本杀法、开局原则", "小学", "NON_SUBJECT"),
        ("软笔书法", "学习毛笔执笔、基本笔画和颜体楷书临帖", "小学", "NON_SUBJECT"),
        ("小学作文提升班", "讲解记叙文写作方法，每周一篇作文批改提高作文分数", "小学", "SUBJECT"),
        ("红色研学之旅", "参观韶山毛泽东故居，聆听革命故事，开展团队拓展活动", "初中", "NON_SUBJECT"),
        ("历史研学考点营", "以研学为名，集中讲解中考历史必考知识点并进行模拟测试", "初中", "SUBJECT"),
        ("托管班", "放学后看护、阅读与游戏活动，不进行学科辅导", "小学", "NON_SUBJECT"),
        ("传统文化学习", "汉服礼仪与茶艺体验", "小学", "NON_SUBJECT"),  # 文化学 must not read as 化学
    ],
)
def test_tricky_cases(name, description, audience, expected):
    assert classify(name, description, audience=audience).category == expected


def test_disguised_flag_and_reasons_name_the_dimensions():
    verdict = classify(
        "思维拓展课",
        "以数学拓展题为主，讲解巧算和应用题解题方法，期末冲刺",
        audience="小学",
        declared="非学科类",
    )
    assert verdict.category == "SUBJECT" and verdict.disguised
    text = "".join(verdict.reasons)
    assert "内容：涉及学科知识" in text and "目的：" in text and "方式：" in text
    assert "疑似隐形变异学科类培训" in verdict.reasons[-1]
    assert not classify("小学数学同步", "同步课本讲解", declared="学科类").disguised
    assert not classify("少儿篮球", "运球投篮", declared="非学科类").disguised


def test_eval_set_is_large_enough_and_accuracy_holds():
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 200
    label = {"学科类": "SUBJECT", "非学科类": "NON_SUBJECT"}
    correct = sum(
        classify(r["项目名称"], r["项目简介"], audience=r["适用对象"]).category == label[r["标注类别"]]
        for r in rows
    )
    assert correct / len(rows) >= 0.95


def _run(path, capsys):
    call_command("classify", "--file", str(path), "--json")
    return json.loads(capsys.readouterr().out)


def test_classify_command_csv_gbk_and_xlsx(tmp_path, capsys):
    path = tmp_path / "items.csv"
    path.write_bytes(
        "项目名称,项目简介,适用对象,申报类别\n逻辑思维训练营,以奥数经典题型为主线讲授鸡兔同笼,小学,非学科类\n"
        "少儿篮球,运球投篮训练,小学,非学科类\n幼儿英语,学习英语单词,学龄前,\n".encode("gbk")
    )
    out = _run(path, capsys)
    assert [o["项目名称"] for o in out] == ["逻辑思维训练营", "少儿篮球", "幼儿英语"]
    assert [o["category"] for o in out] == ["SUBJECT", "NON_SUBJECT", "SUBJECT"]
    assert [o["disguised"] for o in out] == [True, False, False]
    assert set(out[0]) == {"项目名称", "category", "disguised", "reasons"} and out[0]["reasons"]
    workbook = openpyxl.Workbook()
    workbook.active.append(["项目简介", "项目名称"])
    workbook.active.append(["钢琴演奏技巧与乐理", "钢琴一对一"])
    workbook.save(tmp_path / "items.xlsx")
    assert _run(tmp_path / "items.xlsx", capsys) == [
        {
            "项目名称": "钢琴一对一",
            "category": "NON_SUBJECT",
            "disguised": False,
            "reasons": classify("钢琴一对一", "钢琴演奏技巧与乐理").reasons,
        }
    ]


def test_classify_command_missing_column_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("名称\n甲\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("classify", "--file", str(path), "--json")
    assert info.value.code == 2
    assert "缺少必需的列" in capsys.readouterr().err
