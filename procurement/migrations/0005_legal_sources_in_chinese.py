"""Legal-parameter sources cited in Chinese (walk report item 6).

The built-in sources (procurement/parameters.py) were English shorthand ("GPL Art 35") and were
quoted as-is inside Chinese messages. The defaults now carry the Chinese citation; a row the
bureau saved with the old default source of its key gets the new one. A source the bureau wrote
itself is left alone, and so are the historical rows (they record what was saved).
"""

from django.db import migrations, models

# key: (old default source, new default source), frozen here: the defaults may change later.
SOURCES = {
    "intention_min_lead": (
        "财库〔2020〕10号",
        "《关于开展政府采购意向公开工作的通知》（财库〔2020〕10号）",
    ),
    "tender_bid_period_min": (
        "GPL Art 35",
        "《中华人民共和国政府采购法》第三十五条",
    ),
    "consultation_response_min": (
        "财库〔2014〕214号 Art 10",
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条",
    ),
    "negotiation_response_min": (
        "MOF Order 74 Art 29",
        "《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条",
    ),
    "inquiry_response_min": (
        "MOF Order 74 Art 45",
        "《政府采购非招标采购方式管理办法》（财政部令第74号）第四十五条",
    ),
    "tender_clarification_cutoff": (
        "IR Art 31",
        "《中华人民共和国政府采购法实施条例》第三十一条",
    ),
    "consultation_clarification_cutoff": (
        "财库〔2014〕214号 Art 10",
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条",
    ),
    "nontender_clarification_cutoff": (
        "MOF Order 74 Arts 29, 45",
        "《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条、第四十五条",
    ),
    "price_weight_goods_min": (
        "MOF Order 87 Art 55",
        "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条",
    ),
    "price_weight_services_min": (
        "MOF Order 87 Art 55",
        "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条",
    ),
    "consultation_price_weight_goods_min": (
        "财库〔2014〕214号 Art 24",
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
    ),
    "consultation_price_weight_goods_max": (
        "财库〔2014〕214号 Art 24",
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
    ),
    "consultation_price_weight_services_min": (
        "财库〔2014〕214号 Art 24",
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
    ),
    "consultation_price_weight_services_max": (
        "财库〔2014〕214号 Art 24",
        "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
    ),
    "sme_reserve_full_below_goods_services": (
        "财库〔2020〕46号 Art 7",
        "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第七条",
    ),
    "sme_reserve_full_below_works": (
        "财库〔2020〕46号 Art 7",
        "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第七条",
    ),
    "sme_reserve_share_above": (
        "财库〔2020〕46号 Art 8; 财库〔2022〕19号",
        "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第八条；《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
    ),
    "smallmicro_deduction_goods_services_min": (
        "财库〔2022〕19号",
        "《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
    ),
    "smallmicro_deduction_goods_services_max": (
        "财库〔2022〕19号",
        "《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
    ),
    "smallmicro_deduction_works_min": (
        "财库〔2020〕46号 Art 9",
        "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第九条",
    ),
    "smallmicro_deduction_works_max": (
        "财库〔2020〕46号 Art 9",
        "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第九条",
    ),
    "public_tender_threshold_goods_services": (
        "GPL Art 27; 国办发〔2019〕55号; 财库〔2019〕69号",
        "《国务院办公厅关于印发中央预算单位政府集中采购目录及标准（2020年版）的通知》（国办发〔2019〕55号）；《地方预算单位政府集中采购目录及标准指引（2020年版）》（财库〔2019〕69号）",
    ),
    "single_source_follow_on_max": (
        "GPL Art 31(3)",
        "《中华人民共和国政府采购法》第三十一条第三项",
    ),
    "decryption_window_default": (
        "电子招标投标办法 Arts 30–31 (practice 30–60 minutes)",
        "《电子招标投标办法》（国家发展和改革委员会等八部委令第20号）第三十条、第三十一条（实践中解密时限通常为30至60分钟）",
    ),
}


def to_chinese(apps, schema_editor):
    LegalParameter = apps.get_model("procurement", "LegalParameter")
    for key, (old, new) in SOURCES.items():
        LegalParameter.objects.filter(key=key, source=old).update(source=new)


def to_english(apps, schema_editor):
    LegalParameter = apps.get_model("procurement", "LegalParameter")
    for key, (old, new) in SOURCES.items():
        LegalParameter.objects.filter(key=key, source=new).update(source=old)


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0004_method_approval"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicallegalparameter",
            name="source",
            field=models.CharField(
                help_text="Regulation and article, cited in Chinese as in the messages that quote it, e.g. 《中华人民共和国政府采购法》第三十五条.",
                max_length=200,
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="legalparameter",
            name="source",
            field=models.CharField(
                help_text="Regulation and article, cited in Chinese as in the messages that quote it, e.g. 《中华人民共和国政府采购法》第三十五条.",
                max_length=200,
                verbose_name="source",
            ),
        ),
        migrations.RunPython(to_chinese, to_english),
    ]
