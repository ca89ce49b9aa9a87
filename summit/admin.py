"""The editors' correction desk.

Thin: forms place annotations (``annotation_place``), and every write goes through a
service in ``summit.services.editing`` / ``summit.services.speakers``. History of
every annotation, speaker, alias and article is kept by django-simple-history and
revertible from each object's History page.
"""

from __future__ import annotations

from functools import cache

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.db import connections
from django.db.models import F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from summit import admin_views, search
from summit.admin_views import admin_url, plural
from summit.forms import ArticleForm, ClaimForm, EntityMentionForm, QuoteForm, SpeakerForm
from summit.models import (
    Article,
    Claim,
    EntityMention,
    Feed,
    FeedEntry,
    Paragraph,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerMerge,
    SpeakerSplit,
    Status,
    as_id,
    normalise_name,
)
from summit.nlp.types import shorten
from summit.pagination import BoundedPaginator
from summit.services.editing import (
    ARTICLE_EDITABLE_FIELDS,
    annotation_delete,
    annotation_revert,
    annotation_save,
    annotation_set_status,
    article_update,
    claim_set_highlighted,
    machine_version,
)
from summit.services.feeds import feeds_poll
from summit.services.history import stale_change, versions_of
from summit.services.quotations import quotation_others
from summit.services.speakers import (
    speaker_delete,
    speaker_duplicates,
    speaker_made_by_pipeline,
    speaker_merge_preview,
    speaker_save,
)

HISTORY_LIST_TEMPLATE = "admin/summit/object_history_list.html"


admin.site.site_header = "Summit correction desk"
admin.site.site_title = "Summit"
admin.site.index_title = "Correct annotations, speakers and articles"


# Rows a changelist of annotations or speakers shows: rendering a row is the admin's
# cost (its queries are bounded), and 100 rows took twice the 100 ms a page may take.
LIST_PER_PAGE = 50
# A speaker search finding at most this many speakers lists them by their ids.
SPEAKER_SEARCH_IDS = 2_000


# Each list row's version, posted with an action (``DeskMixin.fresh_only``).
VERSION_PREFIX = "_version_"


class DeskChangeList(ChangeList):
    """Each row's change address from one ``reverse`` a list, not one a row (resolving
    the admin's URL patterns 50 times was a fifth of a changelist's rows)."""

    @cached_property
    def _change_url(self) -> tuple[str, str]:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        url = reverse(name, args=("0",), current_app=self.model_admin.admin_site.name)
        before, _, after = url.rpartition("/0/")
        return f"{before}/", f"/{after}"

    def url_for_result(self, result):
        before, after = self._change_url
        return f"{before}{quote(getattr(result, self.pk_attname))}{after}"


class IndexedSortChangeList(DeskChangeList):
    """Sorts only by the columns in its admin's ``sortable_by``, those an index serves:
    Django's own takes ``?o=`` for any column (a sort of the whole table when no index
    serves it), and leaves only the header links out."""

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


def _short(text: str, limit: int = 90) -> str:
    return shorten(text, limit)


class DeskMixin:
    """What every editable model of the desk shares: the history list that names the
    language pipeline, a reason on every form, success messages that say what
    happened, and a safe way back (``?next=``) to the page the editor came from."""

    object_history_list_template = HISTORY_LIST_TEMPLATE

    def action_checkbox(self, obj):
        """Each row's checkbox, the admin's own markup made without rendering a widget's
        template for every row (a third of a changelist's time), nor a ``format_html``
        for each of its parts."""
        label = escape(gettext("Select this object for an action - {}").format(obj))
        pk = escape(obj.pk)
        box = (
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{pk}" '
            f'class="action-select" aria-label="{label}">'
        )
        version = getattr(obj, "desk_version", None)
        if version is not None:
            box += f'<input type="hidden" name="{VERSION_PREFIX}{pk}" value="{escape(version)}">'
        return mark_safe(box)  # every part escaped

    def get_changelist(self, request, **kwargs):
        return DeskChangeList

    def get_changelist_instance(self, request):
        """The list's rows each carry the version the editor sees (one query a page),
        posted back with an action: see ``fresh_only``."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)  # evaluated once; the template reuses them
        versions = versions_of(self.model, [row.pk for row in rows])
        for row in rows:
            row.desk_version = versions.get(row.pk, "0")
        return changelist

    def fresh_only(self, request, queryset):
        """The selected rows still at the version the editor's list showed. A row
        another editor changed since is left out of the action, with their change said
        (as a change form refuses a stale save); acting again is then a choice."""
        sent = {}
        for key, value in request.POST.items():
            if key.startswith(VERSION_PREFIX) and (pk := as_id(key[len(VERSION_PREFIX) :])):
                sent[pk] = value
        if not sent:
            return queryset
        now = versions_of(self.model, list(sent))
        changed = [pk for pk, version in sent.items() if version and now.get(pk, "0") != version]
        stale = list(queryset.filter(pk__in=changed)) if changed else []
        for obj in stale:
            said = stale_change(obj, sent[obj.pk])
            self.message_user(
                request, f"Left out “{_short(str(obj), 60)}”: {said}", messages.WARNING
            )
        return queryset.exclude(pk__in=[obj.pk for obj in stale]) if stale else queryset

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        said = getattr(request, "summit_message", None)
        if said and level == messages.SUCCESS:
            message = said
        return super().message_user(request, message, level, *args, **kwargs)

    def _next(self, request) -> str | None:
        target = request.POST.get("next") or request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target if target.startswith("/") else None
        return None

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        target = self._next(request)
        if target and "_continue" not in request.POST and "_addanother" not in request.POST:
            return HttpResponseRedirect(target)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        target = self._next(request)
        if target and "_continue" not in request.POST and "_addanother" not in request.POST:
            return HttpResponseRedirect(target)
        return response


class ReadOnlyMixin:
    """For records kept for the audit trail (and their inlines): shown, never changed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


MOVED_KINDS = (  # key in a record's ``moved``, one, many
    ("quotes", "quote", "quotes"),
    ("mentions", "mention", "mentions"),
    ("claims", "claim", "claims"),
    ("aliases", "alias", "aliases"),
)


class MovedMixin:
    """The one "what moved" display of merge and split records."""

    @admin.display(description="Moved")
    def moved_counts(self, obj):
        parts = []
        for key, one, many in MOVED_KINDS:
            value = obj.moved.get(key, 0)
            n = len(value) if isinstance(value, list) else value
            parts.append(f"{n} {one if n == 1 else many}")
        return ", ".join(parts)

    @admin.display(description="What moved")
    def moved_list(self, obj):
        ids = obj.moved.get("ids", obj.moved)
        groups = []
        for (key, one, many), model in zip(
            MOVED_KINDS, (Quote, EntityMention, Claim, SpeakerAlias), strict=True
        ):
            wanted = ids.get(key) or []
            if not isinstance(wanted, list) or not wanted:
                continue
            found = model._default_manager.in_bulk(wanted)
            items = [
                (admin_url(found[pk]), _short(str(found[pk]))) if pk in found else ("", f"#{pk}")
                for pk in wanted
            ]
            groups.append({"title": one if len(wanted) == 1 else many, "items": items})
        return render_to_string("admin/summit/moved.html", {"groups": groups})


# Annotations ---------------------------------------------------------------------------


class ChosenFilter(admin.SimpleListFilter):
    """The list narrowed to one article or speaker, chosen from a row's link (or a link
    from elsewhere, such as the delete-speaker page). The sidebar names the choice and
    clears it; it lists no other choices: finding them would read the whole table."""

    field = ""

    def lookups(self, request, model_admin):
        pk = as_id(self.value() or "")
        model = model_admin.model._meta.get_field(self.field).related_model
        chosen = model._default_manager.filter(pk=pk).first() if pk else None
        return [(str(pk), _short(str(chosen), 50))] if chosen else []

    def queryset(self, request, queryset):
        pk = as_id(self.value() or "")
        return queryset.filter(**{f"{self.field}_id": pk}) if pk else queryset


def chosen_filter(field: str, title: str) -> type[ChosenFilter]:
    return type(
        f"{field.title()}Chosen",
        (ChosenFilter,),
        {"field": field, "title": title, "parameter_name": f"{field}__id__exact"},
    )


def narrowing_link(field: str, description: str):
    """A list column showing the row's article or speaker as a link that narrows the
    list to it (``chosen_filter``)."""

    @admin.display(description=description, ordering=field)
    def cell(self, obj):
        related = getattr(obj, field)
        if related is None:
            return "—"
        return format_html(
            '<a href="?{}" title="Only this {}’s rows">{}</a>',
            urlencode({f"{field}__id__exact": related.pk}),
            description.lower(),
            _short(str(related), 60),
        )

    return cell


@cache
def _icon(value: bool | None) -> str:
    """The admin's yes/no icon, made once: each made its static file's address anew."""
    return _boolean_icon(value)


def yes_no(field: str, description: str):
    """A list column of a true/false field (the admin's icons)."""

    @admin.display(description=description)
    def cell(self, obj):
        return _icon(getattr(obj, field))

    return cell


class AnnotationAdmin(DeskMixin, SimpleHistoryAdmin):
    """What quotes, mentions and claims share: placement by text, status actions."""

    list_select_related = ("article",)
    list_per_page = LIST_PER_PAGE
    # A million rows: newest first by the primary key, counts bounded (summit.pagination).
    ordering = ("-pk",)
    show_full_result_count = False
    paginator = BoundedPaginator
    # No index serves a sort by any column (text, speaker, confidence…) of a million
    # rows: the list stays in its own order, and says so (the changelist template).
    sortable_by: tuple[str, ...] = ()
    change_list_template = "admin/summit/annotation_change_list.html"
    readonly_fields = (
        "context",
        "paragraph_link",
        "start",
        "end",
        "edited",
        "created",
        "updated",
    )
    actions = ("mark_verified", "reject")
    history_list_display = ("status", "edited")

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return ("article", *fields) if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        form_fields = [f for f in self.placement_fields if obj is None or f != "article"]
        return [
            (
                None,
                {
                    "fields": [
                        *form_fields,
                        "paragraph_number",
                        *self.annotation_fields,
                        "reason",
                        "version",
                        "offset",
                    ]
                },
            ),
            (
                "Where it stands",
                {"fields": ["context", "paragraph_link", ("start", "end"), *self.place_extra]},
            ),
            ("Record", {"fields": ["edited", ("created", "updated")]}),
        ]

    placement_fields = ("article", "text")
    annotation_fields: tuple[str, ...] = ("status",)
    place_extra: tuple[str, ...] = ()

    delete_confirmation_template = "admin/summit/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/summit/delete_selected_confirmation.html"

    class Media:
        css = {"all": ("summit/desk-admin.css",)}  # lists that fit the screen

    article_cell = narrowing_link("article", "Article")
    speaker_cell = narrowing_link("speaker", "Speaker")
    edited_cell = yes_no("edited", "Edited")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert posts the old version's values: the form sees no change from them.
        request.summit_revert = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        version_id = getattr(request, "summit_revert", None)
        if version_id is not None:
            version = self.model.history.get(id=obj.pk, history_id=version_id)
            annotation_revert(annotation=obj, version=version, by=request.user, reason=reason)
            request.summit_message = (
                f"The {self.model._meta.verbose_name} was reverted to the machine's version."
                if not obj.edited
                else f"The {self.model._meta.verbose_name} was reverted to an earlier version."
            )
            return
        if change and not form.has_changed():
            return
        annotation_save(annotation=obj, by=request.user, reason=reason)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {"machine_made": obj is not None and machine_version(obj) is not None}
        return super().delete_view(request, object_id, {**(extra_context or {}), **extra})

    def delete_model(self, request, obj):
        annotation_delete(annotation=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            annotation_delete(annotation=obj, by=request.user)

    @admin.display(description="Text", ordering="text")
    def short_text(self, obj):
        return _short(obj.text)

    @admin.display(description="Paragraph")
    def paragraph_link(self, obj):
        if not obj.paragraph_id:
            return "—"
        return format_html(
            '<a href="{}">¶{} of {}</a>',
            obj.paragraph.get_absolute_url(),
            obj.paragraph.index + 1,
            obj.article,
        )

    @admin.display(description="In context")
    def context(self, obj):
        if not obj.paragraph_id:
            return "—"
        text = obj.paragraph.text
        end = obj.end if obj.end_paragraph_index == obj.paragraph.index else len(text)
        return format_html(
            "{}<mark>{}</mark>{}", text[: obj.start], text[obj.start : end], text[end:]
        )

    @admin.action(description="Mark verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        queryset = self.fresh_only(request, queryset)
        n = annotation_set_status(annotations=queryset, status=Status.VERIFIED, by=request.user)
        word = self.model._meta.verbose_name
        self.message_user(request, f"{plural(n, word)} marked verified.", messages.SUCCESS)

    @admin.action(description="Reject (hide from readers)", permissions=["change"])
    def reject(self, request, queryset):
        queryset = self.fresh_only(request, queryset)
        n = annotation_set_status(annotations=queryset, status=Status.REJECTED, by=request.user)
        word = self.model._meta.verbose_name
        self.message_user(request, f"{plural(n, word)} rejected.", messages.SUCCESS)


@admin.register(Quote)
class QuoteAdmin(AnnotationAdmin):
    form = QuoteForm
    list_display = (
        "short_text",
        "speaker_cell",
        "article_cell",
        "kind",
        "status",
        "confidence_cell",
        "edited_cell",
    )
    list_filter = (
        chosen_filter("article", "Article"),
        chosen_filter("speaker", "Speaker"),
        "status",
        "kind",
        "edited",
    )
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "speaker_text", "article__title")
    search_help_text = (
        "Words in the quote, its speaker's name or its article's title (the most recent matches)."
    )
    autocomplete_fields = ("article", "speaker")
    readonly_fields = (*AnnotationAdmin.readonly_fields, "end_paragraph")
    annotation_fields = ("kind", "speaker", "speaker_text", "cue", "status")
    place_extra = ("end_paragraph",)
    actions = ("mark_verified", "reject", "set_speaker")
    history_list_display = ("speaker", "status", "edited")

    change_list_template = "admin/summit/quote/change_list.html"

    @admin.display(description="Confidence")
    def confidence_cell(self, obj):
        return None if obj.confidence is None else f"{obj.confidence:.2f}"

    def get_search_results(self, request, queryset, search_term):
        """Through the full-text index, as the reader's quote search
        (``QuoteQuerySet.search``): ``LIKE '%word%'`` over the text, the speaker's name
        and the title read every quote and article."""
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term, read=True), False

    def get_urls(self):
        def review(request):
            return admin_views.quote_review_view(self, request)

        def quotation(request, object_id):
            return admin_views.quotation_correct_view(self, request, object_id)

        return [
            path("review/", self.admin_site.admin_view(review), name="summit_quote_review"),
            path(
                "<path:object_id>/quotation/",
                self.admin_site.admin_view(quotation),
                name="summit_quote_quotation",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            before = Quote.objects.filter(pk=obj.pk).values("group_id", "speaker_id", "status")
            before = before.first()
        super().save_model(request, obj, form, change)
        self._offer_for_quotation(request, obj, before)

    def _offer_for_quotation(self, request, quote, before) -> None:
        """A correction to one telling of a quotation (its speaker, a rejection) is
        offered for the others in one step."""
        if not before or not before["group_id"]:
            return
        new_speaker = quote.speaker_id != before["speaker_id"]
        decided = quote.status != before["status"] and quote.status != Status.MACHINE
        if not (new_speaker or decided):
            return
        others = quotation_others(quote=quote, group_id=before["group_id"])
        if not others:
            return
        url = reverse("admin:summit_quote_quotation", args=[quote.pk])
        self.message_user(
            request,
            format_html(
                'The same quotation stands in {} other article{}. <a href="{}">Correct {} '
                "the same way</a>.",
                len(others),
                "" if len(others) == 1 else "s",
                f"{url}?{urlencode({'group': before['group_id']})}",
                "it" if len(others) == 1 else "them all",
            ),
            messages.INFO,
        )

    @admin.action(description="Set speaker…", permissions=["change"])
    def set_speaker(self, request, queryset):
        queryset = self.fresh_only(request, queryset)
        if not queryset.exists():
            return None  # every one changed meanwhile: back to the list, which says so
        return admin_views.quote_set_speaker_view(self, request, queryset)


@admin.register(EntityMention)
class EntityMentionAdmin(AnnotationAdmin):
    form = EntityMentionForm
    list_display = (
        "text",
        "label",
        "speaker_cell",
        "article_cell",
        "paragraph_at",
        "status",
        "edited_cell",
    )
    # In reading order, newest article first: the order of the article_newest index, so
    # that the database walks it and reads each article's mentions (ordering by
    # "article", the articles' own published-first order, sorted every mention).
    ordering = (
        F("article__published").desc(nulls_last=True),
        "-article__created",
        "-article_id",
        "paragraph__index",
        "start",
    )
    list_filter = (
        chosen_filter("article", "Article"),
        chosen_filter("speaker", "Speaker"),
        # Every label, not only the stored ones: listing those reads every mention.
        "label",
        "status",
        "edited",
    )
    search_fields = ("text", "speaker__name", "article__title")
    autocomplete_fields = ("article", "speaker")
    annotation_fields = ("label", "speaker", "status")
    history_list_display = ("label", "speaker", "status")
    list_select_related = ("speaker", "article", "paragraph")

    @admin.display(description="¶", ordering="paragraph__index")
    def paragraph_at(self, obj):
        return obj.paragraph.index + 1


@admin.register(Claim)
class ClaimAdmin(AnnotationAdmin):
    form = ClaimForm
    list_display = (
        "short_text",
        "kind",
        "holder_cell",
        "highlighted_cell",
        "article_cell",
        "status",
        "edited_cell",
    )
    list_filter = (
        chosen_filter("article", "Article"),
        chosen_filter("holder", "Holder"),
        "kind",
        "highlighted",
        "status",
        "edited",
    )
    holder_cell = narrowing_link("holder", "Holder")
    highlighted_cell = yes_no("highlighted", "Highlighted")
    list_select_related = ("holder", "article")
    search_fields = ("text", "holder__name", "article__title")
    autocomplete_fields = ("article", "holder")
    annotation_fields = ("kind", "holder", "highlighted", "status")
    actions = ("mark_verified", "reject", "highlight", "unhighlight")
    history_list_display = ("kind", "holder", "highlighted", "status")

    @admin.action(description="Highlight for readers", permissions=["change"])
    def highlight(self, request, queryset):
        queryset = self.fresh_only(request, queryset)
        n = claim_set_highlighted(claims=queryset, highlighted=True, by=request.user)
        self.message_user(request, f"{plural(n, 'claim')} highlighted.", messages.SUCCESS)

    @admin.action(description="Stop highlighting", permissions=["change"])
    def unhighlight(self, request, queryset):
        queryset = self.fresh_only(request, queryset)
        n = claim_set_highlighted(claims=queryset, highlighted=False, by=request.user)
        self.message_user(request, f"{plural(n, 'claim')} no longer highlighted.", messages.SUCCESS)


# Speakers ------------------------------------------------------------------------------


class _AliasFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Two aliases of the formset that are one name (once case, accents and look-alike
        letters are ignored): the second is refused with the first's name."""
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            name = (getattr(form, "cleaned_data", None) or {}).get("name")
            if not name or form.cleaned_data.get("DELETE"):
                continue
            key = normalise_name(name)
            if key in seen:
                form.add_error("name", f"“{seen[key]}” is already an alias here, written so.")
            seen.setdefault(key, name)


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    formset = _AliasFormSet
    fields = ("name",)
    extra = 1


class _ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class SpeakerMergeInline(MovedMixin, _ReadOnlyInline):
    model = SpeakerMerge
    fk_name = "into"
    verbose_name = "merge into this speaker"
    verbose_name_plural = "merges into this speaker"
    fields = readonly_fields = ("merged", "moved_counts", "by", "at")

    def get_queryset(self, request):
        # Each row names its speaker (its str) and editor: read with it, not a query each.
        return super().get_queryset(request).select_related("into", "by")

    @admin.display(description="Merged speakers")
    def merged(self, obj):
        return ", ".join(m["name"] for m in obj.merged_names)


class SpeakerSplitInline(MovedMixin, _ReadOnlyInline):
    model = SpeakerSplit
    fk_name = "source"
    verbose_name = "split off this speaker"
    verbose_name_plural = "splits off this speaker"
    fields = readonly_fields = ("new_speaker", "new_name", "moved_counts", "by", "at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "new_speaker", "by")


@admin.register(Speaker)
class SpeakerAdmin(DeskMixin, SimpleHistoryAdmin):
    form = SpeakerForm
    list_display = ("name", "kind", "description", "quote_count", "mention_count", "edited_cell")
    list_filter = ("kind", "edited")
    search_fields = ("name", "aliases__name")
    search_help_text = "Any part of a name or an alias, whatever its case, accents or spaces."
    fields = (
        "name",
        "kind",
        "description",
        "reason",
        "version",
        "slug",
        "edited",
        "quotes_link",
        "duplicates",
        "created",
    )
    readonly_fields = ("slug", "edited", "quotes_link", "duplicates", "created")
    inlines = (SpeakerAliasInline, SpeakerMergeInline, SpeakerSplitInline)
    actions = ("merge_speakers",)
    change_form_template = "admin/summit/speaker/change_form.html"
    history_list_display = ("name", "kind", "description")
    ordering = ("name", "pk")  # the speaker_by_name index; the counts are kept on the row
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False
    paginator = BoundedPaginator

    edited_cell = yes_no("edited", "Edited")

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    @admin.display(description="Mentions", ordering="mention_count")
    def mention_count(self, obj):
        return obj.mention_count

    @admin.display(description="Quotes")
    def quotes_link(self, obj):
        if not obj.pk:
            return "—"
        query = urlencode({"speaker__id__exact": obj.pk})
        url = f"{reverse('admin:summit_quote_changelist')}?{query}"
        # The counter (summit.services.counters), not a count of the rows: the busiest
        # speaker has 150,000 quotes. Rejected quotes are not counted, but listed.
        n = obj.quote_count
        return format_html('<a href="{}">{} quote{} shown</a>', url, n, "" if n == 1 else "s")

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            speaker_save(speaker=obj, by=request.user, reason=form.cleaned_data.get("reason", ""))

    delete_confirmation_template = "admin/summit/speaker/delete_confirmation.html"

    def delete_view(self, request, object_id, extra_context=None):
        speaker = self.get_object(request, unquote(object_id))
        extra: dict = {}
        if speaker is not None:
            [footprint] = speaker_merge_preview(speakers=[speaker])
            where = {
                "quotes": ("quote", "speaker__id__exact"),
                "mentions": ("entitymention", "speaker__id__exact"),
                "claims": ("claim", "holder__id__exact"),
            }
            extra = {
                "footprint": [
                    {
                        "n": getattr(footprint, key),
                        "what": key if getattr(footprint, key) != 1 else key[:-1],
                        "url": reverse(f"admin:summit_{model}_changelist")
                        + "?"
                        + urlencode({lookup: speaker.pk}),
                    }
                    for key, (model, lookup) in where.items()
                ],
                "pipeline_made": speaker_made_by_pipeline(speaker),
                "give_to_choices": [d.speaker for d in speaker_duplicates(speaker=speaker)],
            }
        return super().delete_view(request, object_id, {**(extra_context or {}), **extra})

    def delete_model(self, request, obj):
        chosen = request.POST.get("give_to", "")
        give_to = Speaker.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        speaker_delete(speaker=obj, by=request.user, give_to=give_to)

    def delete_queryset(self, request, queryset):
        for speaker in queryset:
            speaker_delete(speaker=speaker, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        speaker = form.instance
        if not speaker.edited and any(formset.has_changed() for formset in formsets):
            # An alias changed: ingestion must keep the speaker as the editor left it.
            speaker_save(
                speaker=speaker,
                by=request.user,
                reason=form.cleaned_data.get("reason", "") or "Aliases changed",
            )

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(
                lambda request, *a, **kw: func(self, request, *a, **kw)
            )

        return [
            path(
                "<path:object_id>/split/",
                view(admin_views.speaker_split_view),
                name="summit_speaker_split",
            ),
            path(
                "<path:object_id>/merge/",
                view(admin_views.speaker_merge_with_view),
                name="summit_speaker_merge",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        """Names and aliases match across case, punctuation, accents and spaces: "US
        national" finds "U.S. national security professionals". Names are read through
        the trigram index (``search.speakers_containing_sql``) when the words have three
        letters or more, so a search does not test every speaker."""
        compact = normalise_name(search_term).replace(" ", "")
        if not compact:
            found, _ = super().get_search_results(request, queryset, search_term)
            return found, False
        squeezed = Replace("name_key", Value(" "), Value(""))
        vendor = connections[queryset.db].vendor
        if len(compact) >= search.SPEAKER_MIN_LETTERS:
            names = Speaker.objects.filter(
                pk__in=RawSQL(*search.speakers_containing_sql(vendor, compact))
            )
        else:
            names = Speaker.objects.annotate(c=squeezed).filter(c__contains=compact)
        by_alias = SpeakerAlias.objects.annotate(c=squeezed).filter(c__contains=compact)
        # One set (a UNION, not an OR of two tests): as an OR, PostgreSQL walked every
        # speaker in the listing's order to test each against both.
        found = names.order_by().values("pk").union(by_alias.order_by().values("speaker_id"))
        # Read first, when they are few: given the ids, the list reads those speakers by
        # key; given the UNION, PostgreSQL hashed it and read every speaker to join
        # (151,000 rows for the 1,400 "blair" finds).
        ids = [row["pk"] for row in found[: SPEAKER_SEARCH_IDS + 1]]
        if len(ids) > SPEAKER_SEARCH_IDS:
            return queryset.filter(pk__in=found), False
        if not queryset.query.has_filters():
            # Nothing but the search narrows the list: it holds the ids read, and the
            # paginator need not count them again (``get_paginator``).
            request.summit_search_count = len(ids)
        if vendor == "postgresql":
            # One array parameter, not a placeholder per id: the list's count and page
            # each carried the 1,400 "blair" ids, and preparing and binding them
            # (Django's lookup, psycopg's client-side binding) cost more than the SQL.
            return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids])), False
        return queryset.filter(pk__in=ids), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        count = getattr(request, "summit_search_count", None)
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, count=count)

    def get_ordering(self, request):
        if request.GET.get(SEARCH_VAR, "").strip():
            # By name as ever, but in a form the ``speaker_by_name`` index does not serve
            # (a name is never null): given the found ids, PostgreSQL walked the index
            # from "A" until 50 of them came by (1.3 s for "blair") instead of sorting
            # the 1,400 found.
            return (F("name").asc(nulls_first=True), "pk")
        return super().get_ordering(request)

    @admin.display(description="Possible duplicates")
    def duplicates(self, obj):
        if not obj.pk:
            return "—"
        return render_to_string(
            "admin/summit/speaker/duplicates.html",
            {"hints": speaker_duplicates(speaker=obj), "speaker": obj},
        )

    @admin.action(description="Merge the selected speakers…", permissions=["change", "delete"])
    def merge_speakers(self, request, queryset):
        queryset = self.fresh_only(request, queryset)
        if queryset.count() < 2:
            return None  # changed meanwhile: back to the list, which says so
        return admin_views.speaker_merge_view(self, request, queryset)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(DeskMixin, SimpleHistoryAdmin):
    list_display = ("name", "speaker")
    list_select_related = ("speaker",)
    search_fields = ("name", "speaker__name")
    autocomplete_fields = ("speaker",)


class _ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(SpeakerMerge)
class SpeakerMergeAdmin(MovedMixin, _ReadOnlyAdmin):
    list_display = ("into", "merged", "moved_counts", "by", "at", "undone_at")
    list_select_related = ("into", "by")
    search_fields = ("into__name",)
    fields = readonly_fields = (
        "into",
        "merged",
        "moved_counts",
        "moved_list",
        "by",
        "at",
        "undone_by",
        "undone_at",
    )
    change_form_template = "admin/summit/speakermerge/change_form.html"

    def get_urls(self):
        def unmerge(request, object_id):
            return admin_views.speaker_unmerge_view(self, request, object_id)

        return [
            path(
                "<path:object_id>/unmerge/",
                self.admin_site.admin_view(unmerge),
                name="summit_speakermerge_unmerge",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Merged speakers")
    def merged(self, obj):
        return ", ".join(m["name"] for m in obj.merged_names)


@admin.register(SpeakerSplit)
class SpeakerSplitAdmin(MovedMixin, _ReadOnlyAdmin):
    list_display = ("source_name", "new_name", "moved_counts", "by", "at")
    list_select_related = ("by",)
    search_fields = ("source_name", "new_name")
    fields = readonly_fields = (
        "source",
        "source_name",
        "new_speaker",
        "new_name",
        "moved_counts",
        "moved_list",
        "by",
        "at",
    )


# Articles ------------------------------------------------------------------------------


@admin.register(Article)
class ArticleAdmin(DeskMixin, SimpleHistoryAdmin):
    form = ArticleForm
    list_display = ("title", "outlet", "published", "kind", "source_file", "quote_count")
    list_filter = ("kind", "title_derived", "outlet", "published")
    search_fields = ("title", "byline", "source")
    date_hierarchy = "published"
    readonly_fields = (
        "title_derived",
        "source",
        "source_file",
        "content_hash",
        "pipeline",
        "edited_fields",
        "created",
        "updated",
        "paragraphs_with_annotations",
    )
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *ARTICLE_EDITABLE_FIELDS,
                    "reason",
                    "version",
                    "title_derived",
                    "edited_fields",
                ]
            },
        ),
        ("Text and annotations", {"fields": ["paragraphs_with_annotations"]}),
        (
            "Source",
            {
                "fields": [
                    "source",
                    "source_file",
                    "content_hash",
                    "pipeline",
                    "created",
                    "updated",
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    actions = ("reanalyse",)
    history_list_display = ("title", "byline", "outlet", "published", "kind")

    show_full_result_count = False
    paginator = BoundedPaginator

    def has_add_permission(self, request):
        return False  # articles come from ingestion

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in ARTICLE_EDITABLE_FIELDS
        }
        article_update(
            article=obj, data=data, by=request.user, reason=form.cleaned_data.get("reason", "")
        )

    @admin.display(description="Paragraphs")
    def paragraphs_with_annotations(self, obj):
        marks: dict[int, list[dict]] = {}
        for q in obj.quotes.select_related("speaker"):
            who = q.speaker.name if q.speaker else "no speaker"
            marks.setdefault(q.paragraph_id, []).append(
                {
                    "url": admin_url(q),
                    "what": f"Quote ({q.status})",
                    "text": f"{_short(q.text)} — {who}",
                }
            )
        for m in obj.entitymentions.select_related("speaker"):
            linked = f" → {m.speaker}" if m.speaker else ""
            marks.setdefault(m.paragraph_id, []).append(
                {
                    "url": admin_url(m),
                    "what": f"{m.label} ({m.status})",
                    "text": f"{m.text}{linked}",
                }
            )
        for c in obj.claims.select_related("holder"):
            holder = c.holder.name if c.holder else "the author"
            star = " ★" if c.highlighted else ""
            marks.setdefault(c.paragraph_id, []).append(
                {
                    "url": admin_url(c),
                    "what": f"Claim{star} ({c.status})",
                    "text": f"{_short(c.text)} — {holder}",
                }
            )
        paragraphs = [(p, marks.get(p.pk, [])) for p in obj.paragraphs.order_by("index")]
        return render_to_string("admin/summit/article/paragraphs.html", {"paragraphs": paragraphs})

    @admin.action(description="Re-run the language pipeline", permissions=["change"])
    def reanalyse(self, request, queryset):
        from summit.services.ingest import article_reanalyse

        done = 0
        for article in queryset:
            result = article_reanalyse(article=article)
            if result.failed:
                self.message_user(
                    request,
                    f"“{article}” could not be re-analysed: {result.message}",
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, f"{plural(done, 'article')} re-analysed.", messages.SUCCESS)


@admin.register(Paragraph)
class ParagraphAdmin(_ReadOnlyAdmin):
    list_display = ("__str__", "kind", "excerpt")
    list_filter = ("kind",)
    list_select_related = ("article",)
    search_fields = ("text", "article__title")
    fields = readonly_fields = ("article", "index", "kind", "text")

    @admin.display(description="Text")
    def excerpt(self, obj):
        return _short(obj.text, 120)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Feeds polled for new articles (``manage.py feeds``); a broken one shows why."""

    # Few columns, so a broken feed's error fits beside the sidebars (title and interval
    # are on each feed's page).
    list_display = ("url", "outlet", "active", "last_polled", "status")
    list_filter = ("active",)
    search_fields = ("url", "title", "outlet")
    fields = ("url", "title", "outlet", "interval", "active", "next_poll")
    readonly_fields = ("last_polled", "last_result", "last_error", "failures", "etag")
    actions = ("poll_now",)

    class Media:
        css = {"all": ("summit/desk-admin.css",)}  # a broken feed's error on screen

    def get_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields) if obj is not None else self.fields

    @admin.display(description="Last poll")
    def status(self, obj):
        if obj.last_error:
            return format_html(
                '<strong class="feed-failed">Failed ({} in a row): {}</strong>',
                obj.failures,
                _short(obj.last_error, 160),
            )
        return obj.last_result or "—"

    @admin.action(description="Poll now (queue their new articles)", permissions=["change"])
    def poll_now(self, request, queryset):
        for result in feeds_poll(feeds=list(queryset), due_only=False):
            level = messages.ERROR if result.failed else messages.SUCCESS
            self.message_user(request, f"{result.feed.url}: {result.summary()}", level)


@admin.register(FeedEntry)
class FeedEntryAdmin(_ReadOnlyAdmin):
    list_display = ("title", "url", "feed", "published", "author", "first_seen", "task_id")
    list_select_related = ("feed",)
    list_filter = ("feed",)
    search_fields = ("url", "title")
    ordering = ("-pk",)
    show_full_result_count = False
    paginator = BoundedPaginator
    fields = readonly_fields = (
        "url",
        "title",
        "author",
        "published",
        "feed",
        "content_hash",
        "duplicate_of",
        "task_id",
        "first_seen",
        "updated",
    )
