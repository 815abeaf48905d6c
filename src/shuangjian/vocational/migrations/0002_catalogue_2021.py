"""Load the 2021 vocational major catalogue (data/catalogue_2021_*.txt; source in data/README.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from shuangjian.vocational.catalogue import read_catalogue

    Item = apps.get_model("vocational", "CatalogueItem")
    ids: dict[str, int] = {}
    for entry in read_catalogue():
        item = Item.objects.create(
            code=entry.code, name=entry.name, level=entry.level, kind=entry.kind,
            parent_id=ids.get(entry.parent) if entry.parent else None,
            national_control=entry.national_control, edition="2021",
        )
        ids[entry.code] = item.pk


def unload(apps, schema_editor):
    Item = apps.get_model("vocational", "CatalogueItem")
    for kind in ("MAJOR", "CLASS", "CATEGORY"):
        Item.objects.filter(edition="2021", kind=kind).delete()


class Migration(migrations.Migration):
    dependencies = [("vocational", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
