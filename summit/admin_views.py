"""The correction desk's own pages: the admin's intermediate and extra views.

``summit/admin.py`` registers the models and wires these in (as actions or URLs);
each view here is thin: a form, one service call, a message and a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from summit.forms import SetSpeakerForm, SpeakerMergeForm, SpeakerMergeWithForm, SpeakerSplitForm
from summit.models import Speaker, SpeakerMerge
from summit.services.editing import quote_set_speaker
from summit.services.speakers import (
    SpeakerEditError,
    speaker_duplicates,
    speaker_merge,
    speaker_merge_preview,
    speaker_split,
    speaker_unmerge,
)


def admin_url(obj, action: str = "change") -> str:
    """The admin address of ``obj`` (its change page by default)."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


def intermediate_context(model_admin, request, queryset, **extra) -> dict:
    """What an action's intermediate page needs to post the action back."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": request.POST.get("action", ""),
        **extra,
    }


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# Quotes -------------------------------------------------------------------------------


def quote_set_speaker_view(model_admin, request, queryset):
    """The "Set speaker…" action: choose a speaker, then attribute the quotes to them."""
    if "apply" in request.POST:
        form = SetSpeakerForm(request.POST, admin_site=model_admin.admin_site)
        if form.is_valid():
            speaker = form.cleaned_data["speaker"]
            n = quote_set_speaker(quotes=queryset, speaker=speaker, by=request.user)
            model_admin.message_user(
                request, f"{plural(n, 'quote')} now attributed to {speaker}.", messages.SUCCESS
            )
            return None
    else:
        form = SetSpeakerForm(admin_site=model_admin.admin_site)
    context = intermediate_context(
        model_admin,
        request,
        queryset.select_related("speaker", "article"),
        title="Set the speaker of these quotes",
        form=form,
        media=model_admin.media + form.media,
    )
    return TemplateResponse(request, "admin/summit/quote/set_speaker.html", context)


# Speakers -----------------------------------------------------------------------------


def speaker_merge_view(model_admin, request, queryset):
    """The "Merge the selected speakers…" action: preview what moves, choose who stays."""
    if queryset.count() < 2:
        model_admin.message_user(request, "Choose two or more speakers to merge.", messages.WARNING)
        return None
    if "apply" in request.POST:
        form = SpeakerMergeForm(request.POST, speakers=queryset)
        if form.is_valid():
            into = form.cleaned_data["into"]
            others = queryset.exclude(pk=into.pk)
            try:
                merge = speaker_merge(into=into, others=others, by=request.user)
            except SpeakerEditError as error:
                model_admin.message_user(request, str(error), messages.ERROR)
                return None
            model_admin.message_user(
                request,
                format_html(
                    'Merged {} into <a href="{}">{}</a>.',
                    ", ".join(m["name"] for m in merge.merged_names),
                    admin_url(merge.into),
                    merge.into,
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(admin_url(merge.into))
    preview = speaker_merge_preview(speakers=queryset)
    if "apply" not in request.POST:
        # Suggest keeping the speaker that carries the most.
        best = max(preview, key=lambda r: (r.quotes + r.mentions + r.claims, -r.speaker.pk))
        form = SpeakerMergeForm(speakers=queryset, initial={"into": best.speaker.pk})
    totals = {
        key: sum(getattr(row, key) for row in preview)
        for key in ("quotes", "mentions", "claims", "aliases")
    }
    context = intermediate_context(
        model_admin,
        request,
        queryset,
        title="Merge speakers",
        form=form,
        preview=preview,
        totals=totals,
    )
    return TemplateResponse(request, "admin/summit/speaker/merge.html", context)


def speaker_split_view(model_admin, request, object_id):
    """Move some of a speaker's quotes, mentions, claims and aliases to a new speaker."""
    speaker = get_object_or_404(Speaker, pk=unquote(object_id))
    if not (
        model_admin.has_change_permission(request, speaker)
        and model_admin.has_add_permission(request)
    ):
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
                model_admin.message_user(request, f"Split {new} off {speaker}.", messages.SUCCESS)
                return HttpResponseRedirect(admin_url(new))
    else:
        form = SpeakerSplitForm(speaker=speaker)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": speaker,
        "title": f"Split {speaker}",
        "form": form,
    }
    return TemplateResponse(request, "admin/summit/speaker/split.html", context)


def speaker_merge_with_view(model_admin, request, object_id):
    """Merge offered on a speaker's own page: pick others (hints first), then the same
    preview and choice as the list action."""
    speaker = get_object_or_404(Speaker, pk=unquote(object_id))
    if not (
        model_admin.has_change_permission(request, speaker)
        and model_admin.has_delete_permission(request)
    ):
        raise PermissionDenied
    if request.method == "POST":
        ids = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) or [
            speaker.pk,
            *request.POST.getlist("others"),
        ]
        queryset = Speaker.objects.filter(pk__in=[i for i in ids if str(i).isdigit()])
        if queryset.count() >= 2:
            response = speaker_merge_view(model_admin, request, queryset)
            return response or HttpResponseRedirect(admin_url(speaker))
        model_admin.message_user(
            request, "Choose at least one other speaker to merge.", messages.WARNING
        )
    form = SpeakerMergeWithForm(speaker=speaker, admin_site=model_admin.admin_site)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": speaker,
        "title": f"Merge {speaker} with…",
        "form": form,
        "hints": speaker_duplicates(speaker=speaker),
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/summit/speaker/merge_with.html", context)


def speaker_unmerge_view(model_admin, request, object_id):
    """Undo a merge from its record, after a confirmation."""
    merge = get_object_or_404(SpeakerMerge.objects.select_related("into"), pk=unquote(object_id))
    if not request.user.has_perms(["summit.change_speaker", "summit.add_speaker"]):
        raise PermissionDenied
    if request.method == "POST":
        try:
            restored = speaker_unmerge(merge=merge, by=request.user)
        except SpeakerEditError as error:
            model_admin.message_user(request, str(error), messages.ERROR)
        else:
            names = ", ".join(s.name for s in restored)
            model_admin.message_user(
                request,
                f"Merge undone: {names} {'is' if len(restored) == 1 else 'are'} back, "
                "with what was theirs.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(admin_url(merge.into))
        return HttpResponseRedirect(admin_url(merge))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": merge,
        "title": "Undo this merge",
        "merge": merge,
    }
    return TemplateResponse(request, "admin/summit/speakermerge/unmerge.html", context)
