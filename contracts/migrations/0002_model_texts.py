"""The bureau's first model contract texts (IR Art 47: "国务院财政部门应当会同国务院有关部门制定
政府采购合同标准文本"), one per kind of procurement; the bureau versions them in the admin."""

from __future__ import annotations

import datetime as dt

from django.db import migrations

COMMON = """第一条 合同文件：本合同条款、采购文件、中标（成交）供应商的投标（响应）文件及中标（成交）通知书共同构成本合同，互为补充。
第二条 质量：{quality}
第三条 交付：乙方按本合同约定的时间、地点和方式交付，并提交交付清单及相关证明文件。
第四条 验收：甲方按本合同约定的验收方案及时组织履约验收，出具验收书，验收书列明各项标准的验收情况（《中华人民共和国政府采购法实施条例》第四十五条）。
第五条 付款：甲方按本合同约定的付款计划将资金支付至乙方指定账户；乙方为中小企业的，付款期限自交付（以验收为付款条件的，自验收合格）之日起不超过三十日，约定的付款期限最长不得超过六十日（《保障中小企业款项支付条例》第九条）。甲方迟延支付的，按约定利率支付逾期利息；未约定的，按每日万分之五支付（同条例第十七条）。有争议的部分不影响无争议部分的支付。
第六条 违约责任：任何一方违约，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。
第七条 合同变更：双方不得擅自变更、中止或者终止合同（《中华人民共和国政府采购法》第五十条）；追加与合同标的相同的{noun}的，可以签订补充合同，所有补充合同的采购金额不得超过原合同采购金额的百分之十（同法第四十九条）。
第八条 争议解决：双方协商解决；协商不成的，依法向甲方所在地人民法院提起诉讼。
第九条 生效：本合同经双方电子签名后生效。"""

TEXTS = [
    ("goods", "政府采购货物合同（范本）", "货物符合采购文件及投标文件载明的技术参数、质量标准，全新、未使用过，附合格证明及说明书。", "货物"),
    ("services", "政府采购服务合同（范本）", "服务符合采购文件及响应文件载明的服务内容、服务标准和人员要求。", "服务"),
    ("works", "政府采购工程合同（范本）", "工程符合国家强制性标准、设计文件及采购文件载明的质量要求。", "工程"),
]


def add_texts(apps, schema_editor):
    ContractTemplate = apps.get_model("contracts", "ContractTemplate")
    for kind, title, quality, noun in TEXTS:
        ContractTemplate.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "title": title,
                "body": COMMON.format(quality=quality, noun=noun),
                "effective_from": dt.date(2020, 1, 1),
                "is_active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(add_texts, migrations.RunPython.noop)]
