"""The editors' correction desk.

Thin: forms place annotations (``annotation_place``), and every write goes through a
service in ``summit.services.editing`` / ``summit.services.speakers``. History of
every annotation, speaker, alias and article is kept by django-simple-history and
revertible from each object's History page.
"""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from summit.forms import (
    ArticleForm,
    ClaimForm,
    EntityMentionForm,
    QuoteForm,
    SetSpeakerForm,
    SpeakerMergeForm,
    SpeakerSplitForm,
)
from summit.models import (
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerMerge,
    SpeakerSplit,
    Status,
)
from summit.services.editing import (
    ARTICLE_EDITABLE_FIELDS,
    annotation_save,
    annotation_set_status,
    article_update,
    claim_set_highlighted,
    quote_set_speaker,
)
from summit.services.speakers import (
    SpeakerEditError,
    speaker_merge,
    speaker_merge_preview,
    speaker_split,
)

logger = logging.getLogger(__name__)

admin.site.site_header = "Summit correction desk"
admin.site.site_title = "Summit"
admin.site.index_title = "Correct annotations, speakers and articles"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


def _intermediate_context(model_admin, request, queryset, **extra):
    """What an action's intermediate page needs to post the action back."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": request.POST.get("action", ""),
        **extra,
    }


# Annotations ---------------------------------------------------------------------------


class AnnotationAdmin(SimpleHistoryAdmin):
    """What quotes, mentions and claims share: placement by text, status actions."""

    list_select_related = ("article",)
    list_per_page = 100
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

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return ("article", *fields) if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        form_fields = [f for f in self.placement_fields if obj is None or f != "article"]
        return [
            (None, {"fields": [*form_fields, "paragraph_number", *self.annotation_fields]}),
            (
                "Where it stands",
                {"fields": ["context", "paragraph_link", ("start", "end"), *self.place_extra]},
            ),
            ("Record", {"fields": ["edited", ("created", "updated")]}),
        ]

    placement_fields = ("article", "text")
    annotation_fields: tuple[str, ...] = ("status",)
    place_extra: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        if change and not _differs_from_stored(obj):
            return
        annotation_save(annotation=obj, by=request.user)

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
        n = annotation_set_status(annotations=queryset, status=Status.VERIFIED, by=request.user)
        self.message_user(request, f"{n} marked verified.", messages.SUCCESS)

    @admin.action(description="Reject (hide from readers)", permissions=["change"])
    def reject(self, request, queryset):
        n = annotation_set_status(annotations=queryset, status=Status.REJECTED, by=request.user)
        self.message_user(request, f"{n} rejected.", messages.SUCCESS)


def _differs_from_stored(obj) -> bool:
    """Whether a saved object's fields differ from its row (a form save may change none)."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    if stored is None:
        return True
    skip = {"created", "updated"}
    return any(
        getattr(stored, f.attname) != getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in skip
    )


@admin.register(Quote)
class QuoteAdmin(AnnotationAdmin):
    form = QuoteForm
    list_display = ("short_text", "speaker", "article", "kind", "status", "edited")
    list_filter = (
        "status",
        "kind",
        "edited",
        ("article", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "speaker_text", "article__title")
    autocomplete_fields = ("article", "speaker")
    readonly_fields = (*AnnotationAdmin.readonly_fields, "end_paragraph")
    annotation_fields = ("kind", "speaker", "speaker_text", "cue", "status")
    place_extra = ("end_paragraph",)
    actions = ("mark_verified", "reject", "set_speaker")
    history_list_display = ("speaker", "status", "edited")

    @admin.action(description="Set speaker…", permissions=["change"])
    def set_speaker(self, request, queryset):
        if "apply" in request.POST:
            form = SetSpeakerForm(request.POST, admin_site=self.admin_site)
            if form.is_valid():
                speaker = form.cleaned_data["speaker"]
                n = quote_set_speaker(quotes=queryset, speaker=speaker, by=request.user)
                self.message_user(
                    request, f"{n} quotes now attributed to {speaker}.", messages.SUCCESS
                )
                return None
        else:
            form = SetSpeakerForm(admin_site=self.admin_site)
        context = _intermediate_context(
            self,
            request,
            queryset.select_related("speaker", "article"),
            title="Set the speaker of these quotes",
            form=form,
            media=self.media + form.media,
        )
        return TemplateResponse(request, "admin/summit/quote/set_speaker.html", context)


@admin.register(EntityMention)
class EntityMentionAdmin(AnnotationAdmin):
    form = EntityMentionForm
    list_display = ("text", "label", "speaker", "article", "status", "edited")
    list_filter = (
        "label",
        "status",
        "edited",
        ("article", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("speaker", "article")
    search_fields = ("text", "speaker__name", "article__title")
    autocomplete_fields = ("article", "speaker")
    annotation_fields = ("label", "speaker", "status")
    history_list_display = ("label", "speaker", "status")


@admin.register(Claim)
class ClaimAdmin(AnnotationAdmin):
    form = ClaimForm
    list_display = ("short_text", "kind", "holder", "highlighted", "article", "status", "edited")
    list_filter = (
        "kind",
        "highlighted",
        "status",
        "edited",
        ("article", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("holder", "article")
    search_fields = ("text", "holder__name", "article__title")
    autocomplete_fields = ("article", "holder")
    annotation_fields = ("kind", "holder", "highlighted", "status")
    actions = ("mark_verified", "reject", "highlight", "unhighlight")
    history_list_display = ("kind", "holder", "highlighted", "status")

    @admin.action(description="Highlight for readers", permissions=["change"])
    def highlight(self, request, queryset):
        n = claim_set_highlighted(claims=queryset, highlighted=True, by=request.user)
        self.message_user(request, f"{n} claims highlighted.", messages.SUCCESS)

    @admin.action(description="Stop highlighting", permissions=["change"])
    def unhighlight(self, request, queryset):
        n = claim_set_highlighted(claims=queryset, highlighted=False, by=request.user)
        self.message_user(request, f"{n} claims no longer highlighted.", messages.SUCCESS)


# Speakers ------------------------------------------------------------------------------


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    fields = ("name",)
    extra = 1


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SpeakerMergeInline(_ReadOnlyInline):
    model = SpeakerMerge
    fk_name = "into"
    verbose_name = "merge into this speaker"
    verbose_name_plural = "merges into this speaker"
    fields = readonly_fields = ("merged", "moved_counts", "by", "at")

    @admin.display(description="Merged speakers")
    def merged(self, obj):
        return ", ".join(m["name"] for m in obj.merged_names)

    @admin.display(description="Moved")
    def moved_counts(self, obj):
        return _moved_counts(obj.moved)


class SpeakerSplitInline(_ReadOnlyInline):
    model = SpeakerSplit
    fk_name = "source"
    verbose_name = "split off this speaker"
    verbose_name_plural = "splits off this speaker"
    fields = readonly_fields = ("new_speaker", "new_name", "moved_counts", "by", "at")

    @admin.display(description="Moved")
    def moved_counts(self, obj):
        return _moved_counts(obj.moved)


def _moved_counts(moved: dict) -> str:
    parts = []
    for key in ("quotes", "mentions", "claims", "aliases"):
        value = moved.get(key, 0)
        n = len(value) if isinstance(value, list) else value
        parts.append(f"{n} {key}")
    return ", ".join(parts)


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "description", "quote_count", "mention_count", "edited")
    list_filter = ("kind", "edited")
    search_fields = ("name", "aliases__name", "description")
    fields = ("name", "kind", "description", "slug", "edited", "quotes_link", "created")
    readonly_fields = ("slug", "edited", "quotes_link", "created")
    inlines = (SpeakerAliasInline, SpeakerMergeInline, SpeakerSplitInline)
    actions = ("merge_speakers",)
    change_form_template = "admin/summit/speaker/change_form.html"
    history_list_display = ("name", "kind", "description")

    def get_queryset(self, request):
        # Counting groups rows, which drops the default ordering: restate it.
        return super().get_queryset(request).with_counts().order_by("name", "pk")

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
        n = obj.quotes.count()
        return format_html('<a href="{}">{} quote{}</a>', url, n, "" if n == 1 else "s")

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            obj.edited = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        speaker = form.instance
        if not speaker.edited and any(formset.has_changed() for formset in formsets):
            speaker.edited = True  # an alias changed: ingestion must keep the speaker as is
            speaker._history_user = request.user
            speaker.save(update_fields=["edited"])

    def get_urls(self):
        return [
            path(
                "<path:object_id>/split/",
                self.admin_site.admin_view(self.split_view),
                name="summit_speaker_split",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Merge the selected speakers…", permissions=["change", "delete"])
    def merge_speakers(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Choose two or more speakers to merge.", messages.WARNING)
            return None
        if "apply" in request.POST:
            form = SpeakerMergeForm(request.POST, speakers=queryset)
            if form.is_valid():
                into = form.cleaned_data["into"]
                others = queryset.exclude(pk=into.pk)
                try:
                    merge = speaker_merge(into=into, others=others, by=request.user)
                except SpeakerEditError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return None
                self.message_user(
                    request,
                    format_html(
                        'Merged {} into <a href="{}">{}</a>.',
                        ", ".join(m["name"] for m in merge.merged_names),
                        _admin_url(merge.into),
                        merge.into,
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(_admin_url(merge.into))
        preview = speaker_merge_preview(speakers=queryset)
        if "apply" not in request.POST:
            # Suggest keeping the speaker that carries the most.
            best = max(preview, key=lambda r: (r.quotes + r.mentions + r.claims, -r.speaker.pk))
            form = SpeakerMergeForm(speakers=queryset, initial={"into": best.speaker.pk})
        totals = {
            key: sum(getattr(row, key) for row in preview)
            for key in ("quotes", "mentions", "claims", "aliases")
        }
        context = _intermediate_context(
            self,
            request,
            queryset,
            title="Merge speakers",
            form=form,
            preview=preview,
            totals=totals,
        )
        return TemplateResponse(request, "admin/summit/speaker/merge.html", context)

    def split_view(self, request, object_id):
        speaker = get_object_or_404(Speaker, pk=unquote(object_id))
        if not (self.has_change_permission(request, speaker) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            form = SpeakerSplitForm(request.POST, speaker=speaker)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    new = speaker_split(
                        speaker=speaker,
                        name=data["name"],
                        kind=data["kind"],
                        description=data["description"],
                        quotes=data["quotes"],
                        mentions=data["mentions"],
                        claims=data["claims"],
                        aliases=data["aliases"],
                        by=request.user,
                    )
                except SpeakerEditError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(request, f"Split {new} off {speaker}.", messages.SUCCESS)
                    return HttpResponseRedirect(_admin_url(new))
        else:
            form = SpeakerSplitForm(speaker=speaker)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": speaker,
            "title": f"Split {speaker}",
            "form": form,
        }
        return TemplateResponse(request, "admin/summit/speaker/split.html", context)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "speaker")
    list_select_related = ("speaker",)
    search_fields = ("name", "speaker__name")
    autocomplete_fields = ("speaker",)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpeakerMerge)
class SpeakerMergeAdmin(_ReadOnlyAdmin):
    list_display = ("into", "merged", "moved_counts", "by", "at")
    list_select_related = ("into", "by")
    search_fields = ("into__name",)
    fields = readonly_fields = ("into", "merged_names", "moved", "by", "at")

    @admin.display(description="Merged speakers")
    def merged(self, obj):
        return ", ".join(m["name"] for m in obj.merged_names)

    @admin.display(description="Moved")
    def moved_counts(self, obj):
        return _moved_counts(obj.moved)


@admin.register(SpeakerSplit)
class SpeakerSplitAdmin(_ReadOnlyAdmin):
    list_display = ("source_name", "new_name", "moved_counts", "by", "at")
    list_select_related = ("by",)
    search_fields = ("source_name", "new_name")
    fields = readonly_fields = (
        "source",
        "source_name",
        "new_speaker",
        "new_name",
        "moved",
        "by",
        "at",
    )

    @admin.display(description="Moved")
    def moved_counts(self, obj):
        return _moved_counts(obj.moved)


# Articles ------------------------------------------------------------------------------


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleForm
    list_display = ("title", "outlet", "published", "kind", "source_file", "quote_count")
    list_filter = ("kind", "outlet", "published")
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
        (None, {"fields": [*ARTICLE_EDITABLE_FIELDS, "title_derived", "edited_fields"]}),
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

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        url_name = getattr(request.resolver_match, "url_name", "") or ""
        if url_name.endswith("changelist"):
            qs = qs.annotate(quote_count=Count("quotes", filter=~Q(quotes__status=Status.REJECTED)))
        return qs

    def has_add_permission(self, request):
        return False  # articles come from ingestion

    @admin.display(description="Quotes")
    def quote_count(self, obj):
        return getattr(obj, "quote_count", None)

    def save_model(self, request, obj, form, change):
        stored = Article.objects.get(pk=obj.pk)
        data = {
            name: getattr(obj, name)
            for name in ARTICLE_EDITABLE_FIELDS
            if getattr(stored, name) != getattr(obj, name)
        }
        article_update(article=obj, data=data, by=request.user)

    @admin.display(description="Paragraphs")
    def paragraphs_with_annotations(self, obj):
        paragraphs = list(obj.paragraphs.order_by("index"))
        marks: dict[int, list[tuple[str, str, str]]] = {}
        for q in obj.quotes.select_related("speaker"):
            who = q.speaker.name if q.speaker else "no speaker"
            marks.setdefault(q.paragraph_id, []).append(
                (_admin_url(q), f"Quote ({q.status})", f"{_short(q.text)} — {who}")
            )
        for m in obj.entitymentions.select_related("speaker"):
            linked = f" → {m.speaker}" if m.speaker else ""
            marks.setdefault(m.paragraph_id, []).append(
                (_admin_url(m), f"{m.label} ({m.status})", f"{m.text}{linked}")
            )
        for c in obj.claims.select_related("holder"):
            holder = c.holder.name if c.holder else "the author"
            star = " ★" if c.highlighted else ""
            marks.setdefault(c.paragraph_id, []).append(
                (_admin_url(c), f"Claim{star} ({c.status})", f"{_short(c.text)} — {holder}")
            )
        items = format_html_join(
            "",
            "<li><p><strong>¶{}</strong> <em>{}</em> {}</p><ul>{}</ul></li>",
            (
                (
                    p.index + 1,
                    p.get_kind_display(),
                    p.text,
                    format_html_join(
                        "",
                        '<li><a href="{}">{}</a>: {}</li>',
                        marks.get(p.pk, []),
                    ),
                )
                for p in paragraphs
            ),
        )
        return format_html('<ol class="summit-paragraphs">{}</ol>', items)

    @admin.action(description="Re-run the language pipeline", permissions=["change"])
    def reanalyse(self, request, queryset):
        from summit.services.ingest import article_reanalyse

        done = 0
        for article in queryset:
            try:
                article_reanalyse(article=article)
            except Exception as error:  # report each failure, go on with the others
                logger.exception("Re-analysing article %s failed", article.pk)
                self.message_user(
                    request, f"“{article}” could not be re-analysed: {error}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} articles re-analysed.", messages.SUCCESS)


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
