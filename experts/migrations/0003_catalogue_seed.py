"""A few categories of the government procurement catalogue (政府采购品目分类目录), so that lots can
name one and experts be matched to it from the first start; the bureau adds the rest in the
admin. The goods codes are those of the catalogue (财库〔2013〕189号) as provincial centralised
procurement catalogues reproduce them (e.g. 福建省: 服务器 A02010103, 台式计算机 A02010104,
便携式计算机 A02010105, 电子白板 A020206); of the services only the two branches 信息技术服务 (C16)
and 医疗卫生服务 (C21), whose sub-codes the bureau enters from the catalogue in force.
Seeding is idempotent (by code) and never deletes on the way back: lots may point at a row."""

from __future__ import annotations

from django.db import migrations

# code, name, parent code
CATEGORIES = [
    ("A", "货物", None),
    ("A02", "通用设备", "A"),
    ("A0201", "计算机设备及软件", "A02"),
    ("A020101", "计算机设备", "A0201"),
    ("A02010103", "服务器", "A020101"),
    ("A02010104", "台式计算机", "A020101"),
    ("A02010105", "便携式计算机", "A020101"),
    ("A020102", "计算机网络设备", "A0201"),
    ("A02010201", "路由器", "A020102"),
    ("A02010202", "交换设备", "A020102"),
    ("A020108", "计算机软件", "A0201"),
    ("A0202", "办公设备", "A02"),
    ("A020201", "复印机", "A0202"),
    ("A020202", "投影仪", "A0202"),
    ("A020204", "多功能一体机", "A0202"),
    ("A020206", "电子白板", "A0202"),
    ("C", "服务", None),
    ("C16", "信息技术服务", "C"),
    ("C21", "医疗卫生服务", "C"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("procurement", "CatalogueCategory")
    by_code = {}
    for code, name, parent in CATEGORIES:
        row, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "parent": by_code.get(parent)}
        )
        by_code[code] = row


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0002_committee_remote_evaluation"),
        ("procurement", "0008_catalogue_category"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
