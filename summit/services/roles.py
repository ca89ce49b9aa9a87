"""Who may do what: the "Editors" group and the staff accounts in it.

Readers never need an account. Editors are staff users in the Editors group, which
holds exactly the permissions to correct annotations, speakers and articles in the
admin — nothing over users, groups or settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps as global_apps
from django.db import transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import Group

EDITORS_GROUP = "Editors"

# (app label, model name) -> actions. Historical models: simple-history's history and
# revert views check the base model's permissions by default, and the historical
# models' "view" ones when SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS is set.
EDITOR_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("summit", "quote"): ("view", "add", "change", "delete"),
    ("summit", "entitymention"): ("view", "add", "change", "delete"),
    ("summit", "claim"): ("view", "add", "change", "delete"),
    ("summit", "speaker"): ("view", "add", "change", "delete"),
    ("summit", "speakeralias"): ("view", "add", "change", "delete"),
    ("summit", "article"): ("view", "change"),
    ("summit", "paragraph"): ("view",),
    ("summit", "speakermerge"): ("view",),
    ("summit", "speakersplit"): ("view",),
    ("summit", "historicalquote"): ("view",),
    ("summit", "historicalentitymention"): ("view",),
    ("summit", "historicalclaim"): ("view",),
    ("summit", "historicalspeaker"): ("view",),
    ("summit", "historicalspeakeralias"): ("view",),
    ("summit", "historicalarticle"): ("view",),
}


def editor_permission_codenames() -> set[str]:
    """``app_label.codename`` of every permission an editor holds."""
    return {
        f"{app_label}.{action}_{model}"
        for (app_label, model), actions in EDITOR_PERMISSIONS.items()
        for action in actions
    }


def editors_group_ensure(*, apps=global_apps):
    """Create or update the Editors group so it holds exactly ``EDITOR_PERMISSIONS``.

    Works inside a migration (pass its ``apps``): permissions are normally created by
    ``post_migrate``, after every migration ran, so missing content types and
    permissions are created here; ``post_migrate`` then finds them and skips them.
    Models the given app registry does not know yet (an older migration state) are
    left out; a later migration calling this again adds them.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permissions = []
    with transaction.atomic():
        for (app_label, model_name), actions in EDITOR_PERMISSIONS.items():
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            content_type, _ = content_type_model.objects.get_or_create(
                app_label=app_label, model=model_name
            )
            for action in actions:
                permission, _ = permission_model.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model_name}",
                    defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"[:255]},
                )
                permissions.append(permission)
        group, _ = group_model.objects.get_or_create(name=EDITORS_GROUP)
        group.permissions.set(permissions)
    return group


def editor_create(*, username: str, email: str = "", password: str | None = None):
    """A staff user in the Editors group (an existing user is made one)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    with transaction.atomic():
        group: Group = editors_group_ensure()
        user, created = user_model._default_manager.get_or_create(
            **{user_model.USERNAME_FIELD: username}, defaults={"email": email}
        )
        user.is_staff = True
        if email:
            user.email = email
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        user.groups.add(group)
    return user, created
