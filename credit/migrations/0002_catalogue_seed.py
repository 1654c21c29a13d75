"""The first indicator catalogue (RULES.md §13.3–§13.4), as data the bureau edits in versions.

RULES.md §13.4 derives the purchaser, agency additions, expert additions and supplier items from
legal duties; §13.3 (a) gives the Shandong 2023 expert list with its points and (b) the 华侨大学
2023 agency list with its points (bold items there are the key ★ items here). Who rates whom
follows K-7: the purchaser is rated by the agency, experts and suppliers; the agency by the
purchaser and experts; the expert by the purchaser and agency; the supplier by the purchaser.
An empty rater list and an `auto` rule: the platform scores the item from the record.

The rows are frozen here (a later change is a new catalogue version, made by the bureau); the
seeder is idempotent, so the browser tests write it again after a live-server flush.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import migrations

N1 = "after_evaluation"
N2 = "after_acceptance"
P, A, E, S = "purchaser", "agency", "expert", "supplier"
R134 = "RULES.md §13.4"
SD = "山东 2023 附件1"  # RULES.md §13.3 (a)
HQ = "华侨大学 2023"  # RULES.md §13.3 (b)

# code, rated, raters, node, title, points, key, auto rule, source
INDICATORS = [
    # 采购人 (purchaser) — after the evaluation
    ("P01", P, [], N1, "采购意向提前30日公开", 5, False, "intention_lead", R134),
    ("P02", P, [], N1, "采购实施计划已备案", 4, False, "plan_filed", R134),
    ("P03", P, [A, E, S], N1, "采购需求合法，无品牌、规格、地域歧视", 8, True, "", R134),
    ("P04", P, [A], N1, "按时确认采购文件", 4, False, "", R134),
    ("P05", P, [A, E, S], N1, "未设置最低价或其他不合理条件", 5, False, "", R134),
    ("P06", P, [A, E], N1, "采购人代表经授权并准时到场", 4, False, "", R134),
    ("P07", P, [A, E], N1, "未向评审专家作倾向性、误导性发言", 5, False, "", R134),
    ("P08", P, [], N1, "5个工作日内确认中标（成交）供应商", 5, False, "result_confirmed", R134),
    ("P09", P, [], N1, "7个工作日内答复质疑", 5, False, "questions_replied", R134),
    ("P10", P, [], N1, "3个工作日内答复询问", 4, False, "inquiries_answered", R134),
    ("P11", P, [A], N1, "配合投诉处理", 4, False, "", R134),
    # 采购人 — after acceptance
    ("P12", P, [], N2, "在法定期限内签订政府采购合同", 5, False, "contract_signed", R134),
    ("P13", P, [], N2, "合同签订后2个工作日内公告", 5, False, "contract_announced", R134),
    ("P14", P, [S, A], N2, "合同内容与招标文件、投标文件一致", 5, False, "", R134),
    ("P15", P, [S], N2, "按计划及时组织履约验收", 5, False, "", R134),
    ("P16", P, [], N2, "在法定期限内支付合同款项", 8, True, "paid_in_time", R134),
    ("P17", P, [S], N2, "按合同约定支付预付款", 4, False, "", R134),
    ("P18", P, [S], N2, "按时退还投标及履约保证金", 4, False, "", R134),
    ("P19", P, [S], N2, "未提出合同以外的不合理要求", 4, False, "", R134),
    ("P20", P, [S], N2, "配合合同融资（收款账户变更）", 3, False, "", R134),
    ("P21", P, [S], N2, "公共服务项目验收结果按规定公开", 3, False, "", R134),
    # 代理机构 (agency) — after the evaluation
    ("A01", A, [P, E], N1, "工作人员熟悉政府采购法律法规", 5, False, "", HQ),
    ("A02", A, [P, E], N1, "准确通知专家评审时间、地点及变更情况", 5, False, "", HQ),
    ("A03", A, [P, E], N1, "评审前统一保管通讯工具", 5, False, "", HQ),
    ("A04", A, [P, E], N1, "核验专家身份及采购人代表授权", 5, False, "", HQ),
    ("A05", A, [P, E], N1, "提供必要的评审条件和环境", 5, False, "", HQ),
    ("A06", A, [P, E], N1, "保证评审活动不受外界干扰", 5, False, "", HQ),
    ("A07", A, [P, E], N1, "宣布评审纪律和回避要求，介绍政策及采购文件", 5, False, "", HQ),
    ("A08", A, [P, E], N1, "采购文件编制完整、规范", 9, True, "", HQ),
    ("A09", A, [P, E], N1, "评审方法和评审标准合法", 5, False, "", HQ),
    ("A10", A, [P, E], N1, "确保评审委员会独立评审，制止倾向性言论", 5, False, "", HQ),
    ("A11", A, [P, E], N1, "工作人员不发表歧视性、倾向性意见，不干预评审", 9, True, "", HQ),
    ("A12", A, [P, E], N1, "无关人员不进入评审现场", 5, False, "", HQ),
    ("A13", A, [P, E], N1, "认真复核评审结果", 9, True, "", HQ),
    ("A14", A, [P, E], N1, "评审活动全程录音录像", 9, True, "", HQ),
    ("A15", A, [P, E], N1, "服务细致、耐心、规范", 5, False, "", HQ),
    ("A16", A, [P], N1, "接受采购人监督", 4, False, "", HQ),
    ("A17", A, [P], N1, "及时处理质疑", 4, False, "", HQ),
    ("A22", A, [], N1, "2个工作日内发布中标（成交）结果公告", 5, False, "result_announced", R134),
    ("A23", A, [P], N1, "5个工作日内退还投标保证金", 4, False, "", R134),
    ("A24", A, [P], N1, "公开代理服务费收取标准", 3, False, "", R134),
    ("A25", A, [P], N1, "公告内容准确", 4, False, "", R134),
    ("A26", A, [P], N1, "采购文件及时归档", 4, False, "", R134),
    ("A27", A, [P], N1, "质疑答复质量", 4, False, "", R134),
    ("A28", A, [], N1, "7个工作日内答复质疑", 4, False, "questions_replied", R134),
    ("A29", A, [], N1, "3个工作日内答复询问", 4, False, "inquiries_answered", R134),
    # 评审专家 (expert) — after the evaluation
    ("E01", E, [P, A], N1, "熟悉政府采购法律法规和规章制度", 7, False, "", SD),
    ("E02", E, [P, A], N1, "具备项目所需的专业知识", 7, False, "", SD),
    ("E03", E, [P, A], N1, "确认参加后不缺席，事先在系统中请假", 6, False, "", SD),
    ("E04", E, [P, A], N1, "不迟到、不早退", 5, False, "", SD),
    ("E05", E, [P, A], N1, "迟到未能参加评审的不索取劳务报酬", 5, False, "", SD),
    ("E06", E, [P, A], N1, "出示有效身份证件，上交通讯工具", 5, False, "", SD),
    ("E07", E, [P, A], N1, "服从现场管理，不与外界联系、不喧哗走动", 7, False, "", SD),
    ("E08", E, [P, A], N1, "认真阅读采购文件，客观公正评分", 5, False, "", SD),
    ("E09", E, [P, A], N1, "发现文件违反强制性规定或有歧义时停止评审并书面报告", 5, False, "", SD),
    ("E10", E, [P, A], N1, "否决投标或认定报价无效时详细说明理由", 5, False, "", SD),
    ("E11", E, [P, A], N1, "拒绝与投标文件不一致、口头或未签字的澄清", 5, False, "", SD),
    ("E12", E, [P, A], N1, "客观分无错误", 7, True, "", SD),
    ("E13", E, [P, A], N1, "无畸高畸低评分", 6, True, "", SD),
    ("E14", E, [P, A], N1, "不故意拖延评审", 5, False, "", SD),
    ("E15", E, [P, A], N1, "签署评审报告，有异议的书面说明理由", 5, False, "", SD),
    ("E16", E, [P, A], N1, "不记录、复制或带走评审资料", 5, False, "", SD),
    ("E17", E, [P, A], N1, "不超标准索取劳务报酬和差旅费", 10, False, "", SD),
    ("E18", E, [], N1, "评审前签署回避声明", 5, False, "declaration_signed", R134),
    # 供应商 (supplier) — decryption at the opening; the rest after acceptance
    ("S01", S, [], N1, "开标时按时解密投标文件", 5, False, "decrypted", R134),
    ("S02", S, [P], N2, "按时签订合同", 5, False, "", R134),
    ("S03", S, [P], N2, "按期交付", 5, False, "", R134),
    ("S04", S, [P], N2, "质量符合合同约定", 8, True, "", R134),
    ("S05", S, [P], N2, "一次性通过验收", 5, False, "", R134),
    ("S06", S, [P], N2, "售后服务响应及时", 5, False, "", R134),
    ("S07", S, [P], N2, "人员配备与投标文件一致", 5, False, "", R134),
    ("S08", S, [P], N2, "无违法分包、转包", 6, True, "", R134),
    ("S09", S, [P], N2, "如实履行中小企业声明（制造商与声明一致）", 5, False, "", R134),
    ("S10", S, [P], N2, "未提供虚假材料", 6, True, "", R134),
    ("S11", S, [], N2, "无查无实据的投诉（财政部令第94号第三十七条）", 5, False, "no_groundless_complaint", R134),
    ("S12", S, [P], N2, "履行履约保证金或保函义务", 4, False, "", R134),
]

VERSION_NAME = "四方评价指标体系（2026版）"
IN_FORCE_FROM = dt.datetime(2020, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


def seed(apps, schema_editor):
    Version = apps.get_model("credit", "CatalogueVersion")
    Indicator = apps.get_model("credit", "Indicator")
    version, _created = Version.objects.get_or_create(
        name=VERSION_NAME,
        defaults={
            "effective_from": IN_FORCE_FROM,
            "note": "按 RULES.md §13.3–§13.4 生成；取得本市正式指标后请另建新版本。",
        },
    )
    for position, row in enumerate(INDICATORS, start=1):
        code, rated, raters, node, title, points, key, auto, source = row
        Indicator.objects.get_or_create(
            version=version,
            code=code,
            defaults={
                "rated": rated,
                "raters": raters,
                "node": node,
                "title": title,
                "points": Decimal(points),
                "is_key": key,
                "auto_rule": auto,
                "source": source,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
