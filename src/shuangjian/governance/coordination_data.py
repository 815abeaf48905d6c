"""The provincial 双减 coordination group's 24 member units, with each unit's duty and source.

The seed document (湘教复字〔2023〕283号) says the group has 24 provincial units as members but does
not list them. Units it (or Hunan's own price document D13) names in a 双减 role are FOUND (6); the
others (18) are the provincial counterparts of
the departments that the national documents give 双减 duties (D1 双减意见, D2 six-department prepaid
fee notice, D4 practitioners, D6/D13 prices, D7 thirteen-department non-subject opinion — see
shared/RULES.md §0) and are marked UNCERTAIN: their membership in Hunan's group is inferred, not read.
The provincial regulator corrects the list on the coordination page (add / leave).
"""

from __future__ import annotations

SEED = "湘教复字〔2023〕283号"

#: (name, role, duty, source, status)
PROVINCIAL_UNITS: list[tuple[str, str, str, str, str]] = [
    (
        "省教育厅",
        "LEAD",
        "牵头协调小组日常工作；校外培训机构审批与监管；校内减负提质；每周专报",
        f"{SEED}：将“双减”定为全省教育系统“一号”工程",
        "FOUND",
    ),
    (
        "省委宣传部",
        "MEMBER",
        "统筹“双减”宣传和舆论引导",
        f"{SEED}：省委宣传部发出加强“双减”宣传工作的提示",
        "FOUND",
    ),
    (
        "省委编办",
        "MEMBER",
        "机构编制保障：支持设立校外教育培训监管处",
        f"{SEED}：支持省教育厅成立校外教育培训监管处，配备6名编制",
        "FOUND",
    ),
    (
        "省委政法委",
        "MEMBER",
        "将“双减”纳入平安建设考核和网格化综合治理",
        f"{SEED}：纳入平安建设考核体系和网格化综合治理体系",
        "FOUND",
    ),
    (
        "省市场监管局",
        "MEMBER",
        "校外培训收费、广告和合同监管；联合建立举报长效机制",
        f"{SEED}：联合省市场监管局建立“双减”举报长效机制；D2、D5",
        "FOUND",
    ),
    (
        "省委网信办",
        "MEMBER",
        "线上培训和网络信息内容监管",
        "D1（双减意见）网信职责；成员身份待核实",
        "UNCERTAIN",
    ),
    (
        "省发展改革委",
        "MEMBER",
        "学科类培训政府指导价",
        "D13（湘发改价费规〔2021〕862号，与省教育厅、省市场监管局联合印发）",
        "FOUND",
    ),
    ("省公安厅", "MEMBER", "配合查处违法违规培训、维护稳定", "D1 公安职责；成员身份待核实", "UNCERTAIN"),
    ("省民政厅", "MEMBER", "非营利性培训机构登记管理", "D1 民政职责；成员身份待核实", "UNCERTAIN"),
    (
        "省财政厅",
        "MEMBER",
        "课后服务经费保障",
        f"{SEED}：建立课后服务经费保障机制；成员身份待核实",
        "UNCERTAIN",
    ),
    (
        "省人力资源社会保障厅",
        "MEMBER",
        "从业人员管理、职业技能类培训监管",
        "D4（教育部办公厅、人社部办公厅）；成员身份待核实",
        "UNCERTAIN",
    ),
    ("省司法厅", "MEMBER", "行政执法监督与法治宣传", "D8 执法程序；成员身份待核实", "UNCERTAIN"),
    (
        "省科技厅",
        "MEMBER",
        "科技类非学科培训、科普资源进课后服务",
        "D7（十三部门）；成员身份待核实",
        "UNCERTAIN",
    ),
    ("省文化和旅游厅", "MEMBER", "文化艺术类非学科培训监管", "D7（十三部门）；成员身份待核实", "UNCERTAIN"),
    ("省体育局", "MEMBER", "体育类非学科培训监管", "D7（十三部门）；成员身份待核实", "UNCERTAIN"),
    ("省卫生健康委", "MEMBER", "学生健康与卫生防疫指导", "D1 卫生健康职责；成员身份待核实", "UNCERTAIN"),
    ("省住房城乡建设厅", "MEMBER", "培训场所房屋安全", "D7 场所安全；成员身份待核实", "UNCERTAIN"),
    ("省应急管理厅", "MEMBER", "培训场所消防和安全生产", "D7 场所安全；成员身份待核实", "UNCERTAIN"),
    ("省广播电视局", "MEMBER", "广播电视和网络视听培训广告管控", "D1 广告管控；成员身份待核实", "UNCERTAIN"),
    (
        "中国人民银行长沙中心支行",
        "MEMBER",
        "预收费资金银行托管监管",
        "D2（六部门预收费监管通知）；成员身份待核实",
        "UNCERTAIN",
    ),
    (
        "湖南银保监局",
        "MEMBER",
        "培训贷等金融产品监管、托管银行监管",
        "D2（六部门预收费监管通知）；成员身份待核实",
        "UNCERTAIN",
    ),
    (
        "国家税务总局湖南省税务局",
        "MEMBER",
        "培训机构税收监管",
        "D2（六部门预收费监管通知）；成员身份待核实",
        "UNCERTAIN",
    ),
    ("共青团湖南省委", "MEMBER", "青少年校外活动与志愿服务", "D1 群团职责；成员身份待核实", "UNCERTAIN"),
    (
        "省妇联",
        "MEMBER",
        "家庭教育指导、家长学校建设",
        f"{SEED}：积极推进家校社共育；成员身份待核实",
        "UNCERTAIN",
    ),
]
