"""The "Editors" group: exactly the permissions to correct annotations and articles.

Permissions are normally created by post_migrate, after all migrations; the group
needs them now, so ``editors_group_ensure`` creates missing content types and
permissions through the migration state's models.
"""

from django.db import migrations


def create_editors_group(apps, schema_editor):
    from summit.services.roles import editors_group_ensure

    editors_group_ensure(apps=apps)


def remove_editors_group(apps, schema_editor):
    from summit.services.roles import EDITORS_GROUP

    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("summit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
