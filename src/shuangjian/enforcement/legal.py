"""Legal bases (法律依据) a case may cite, as data with their RULES.md status.

Each entry: key → :class:`LegalBasis` (short title, what it says, source D-number, status). Status
follows RULES.md: FOUND, or UNCERTAIN where RULES.md §10 could not confirm the article (the fee and
prepaid-fee article "第二十二条？" and the illegal-income article "第四十二条？" are UNCERTAIN and are
shown as 待核实 wherever they are cited). Article numbers are given only where RULES.md states them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LegalBasis:
    key: str
    title: str
    text: str
    source: str
    status: str  # FOUND / UNCERTAIN (RULES.md labels)

    @property
    def label(self) -> str:
        suffix = "（条款待核实）" if self.status == "UNCERTAIN" else ""
        return f"{self.title}{suffix}"


D8 = "《校外培训行政处罚暂行办法》（教育部令第53号，2023-10-15施行）"

LEGAL_BASES: dict[str, LegalBasis] = {
    b.key: b
    for b in [
        LegalBasis(
            "D8-UNAUTHORISED",
            f"{D8}：擅自举办校外培训机构",
            "未经审批开展校外培训，同时具备有专门场所（线下）或特定网站/应用（线上）、从业人员2人以上、"
            "有组织分工的，责令停止举办、退还所收费用，对举办者处违法所得1倍以上5倍以下罚款。",
            "RULES.md §10（D8）",
            "FOUND",
        ),
        LegalBasis(
            "D8-DISGUISED",
            f"{D8}：变相违规开展学科类培训",
            "利用即时通讯、网络会议、直播平台有偿培训；在居民楼、酒店、咖啡厅等场所有偿一对一、一对多培训；"
            "以咨询、文化传播、素质拓展、思维训练、家政服务、家庭教育指导、住家教师、众筹私教、游学、研学、"
            "夏令营、托管等名义有偿开展学科类培训的，责令改正、退还所收费用，予以警告或通报批评；情节严重的，"
            "处5万元以下罚款；情节特别严重的，处5万元以上10万元以下罚款。",
            "RULES.md §10（D8）",
            "FOUND",
        ),
        LegalBasis(
            "D8-COMPETITION",
            f"{D8}：擅自举办面向中小学生的社会竞赛",
            "未经批准举办面向3岁以上学龄前儿童、中小学生的社会竞赛的，退还所收费用，予以警告等（存档文本不完整）。",
            "RULES.md §10（D8）",
            "FOUND",
        ),
        LegalBasis(
            "D8-PENALTY-TYPES",
            f"{D8}：处罚种类",
            "警告、通报批评；罚款、没收违法所得、没收非法财物；责令停止招生；责令停止办学；吊销许可证件；"
            "限制从业；法律、行政法规规定的其他行政处罚。",
            "RULES.md §10（D8）",
            "FOUND",
        ),
        LegalBasis(
            "D8-ART22-FEES",
            f"{D8}第二十二条（?）：违规收费、预收费",
            "校外培训机构违反收费、预收费管理规定的处罚条款。条款序号仅见于非官方资料，须对照教育部原文核实。",
            "RULES.md §10 UNCERTAIN",
            "UNCERTAIN",
        ),
        LegalBasis(
            "D8-ART42-INCOME",
            f"{D8}第四十二条（?）：违法所得的计算",
            "违法所得的计算方法，已退还的未消课预收费是否予以扣除。仅见于非官方资料，须对照教育部原文核实。",
            "RULES.md §10 UNCERTAIN",
            "UNCERTAIN",
        ),
        LegalBasis(
            "D2-PREPAID",
            "《关于加强校外培训机构预收费监管工作的通知》（教监管函〔2021〕2号）",
            "预收费须全部进入监管账户；不得一次性收取或以充值、次卡等形式变相收取时间跨度超过3个月或60课时的费用。",
            "RULES.md §1.1–1.2（D2 及地方实施）",
            "FOUND",
        ),
        LegalBasis(
            "D4-IN-SERVICE",
            "《校外培训机构从业人员管理办法（试行）》",
            "校外培训机构不得聘用中小学、幼儿园在职教师；从业人员违反行为红线的纳入黑名单。",
            "RULES.md §5（D4）",
            "FOUND",
        ),
        LegalBasis(
            "D1-HOLIDAYS",
            "《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》：培训时间",
            "学科类培训不得占用国家法定节假日、休息日及寒暑假期组织。",
            "RULES.md §2（D1）",
            "FOUND",
        ),
        LegalBasis(
            "D1-ADVERTISING",
            "《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》：校外培训广告管理",
            "严禁在主流媒体、新媒体、公共场所、居民区各类广告牌和网络平台等刊发、播发校外培训广告。"
            "RULES.md 未收录该条原文，须核实。",
            "D1（原文未在 RULES.md 核实）",
            "UNCERTAIN",
        ),
    ]
}


def legal_basis_choices() -> list[tuple[str, str]]:
    """(key, label) pairs for forms; UNCERTAIN entries carry （条款待核实）."""
    return [(b.key, b.label) for b in LEGAL_BASES.values()]
