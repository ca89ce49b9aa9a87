"""The correction desk's own pages: the admin's intermediate and extra views.

``summit/admin.py`` registers the models and wires these in (as actions or URLs);
each view here is thin: a form, one service call, a message and a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from summit.forms import SetSpeakerForm, SpeakerMergeForm, SpeakerMergeWithForm, SpeakerSplitForm
from summit.links import link
from summit.models import (
    Article,
    EntityMention,
    Quote,
    Speaker,
    SpeakerMerge,
    Status,
    as_id,
)
from summit.pagination import BoundedPaginator
from summit.rendering import SIEVE_TEXT, quote_context
from summit.services.editing import annotation_set_status, quote_set_speaker
from summit.services.history import stale_change, versions_of
from summit.services.quotations import quotation_correct, quotation_others
from summit.services.speakers import (
    SpeakerEditError,
    speaker_duplicates,
    speaker_merge,
    speaker_merge_preview,
    speaker_split,
    speaker_unmerge,
)


def admin_url(obj, action: str = "change") -> str:
    """The admin address of ``obj`` (its change page by default), or "" when its model
    is not in the admin: the one helper the admin, the reader's views and templates use."""
    opts = obj._meta
    try:
        return link(f"admin:{opts.app_label}_{opts.model_name}_{action}", obj.pk)
    except NoReverseMatch:
        return ""


def intermediate_context(model_admin, request, queryset, **extra) -> dict:
    """What an action's intermediate page needs to post the action back."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": request.POST.get("action", ""),
        # The rows' versions, posted on with the action (``DeskMixin.fresh_only``).
        "versions": [(k, v) for k, v in request.POST.items() if k.startswith("_version_")],
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


def quotation_correct_view(model_admin, request, object_id):
    """Offered after an editor corrects one telling of a quotation (its speaker, or a
    rejection): the same correction for every other article's telling, in one step.
    ``group`` is the quotation the quote was in before the correction moved it."""
    quote = model_admin.get_object(request, object_id)
    if quote is None or not model_admin.has_change_permission(request, quote):
        raise PermissionDenied
    group_id = _id(request.POST.get("group") or request.GET.get("group"))
    others = quotation_others(quote=quote, group_id=group_id)
    if request.method == "POST" and "apply" in request.POST and others:
        n = quotation_correct(quote=quote, others=others, by=request.user)
        model_admin.message_user(
            request, f"{plural(n, 'other quote')} of this quotation corrected.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:summit_quote_change", args=[quote.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Correct the whole quotation",
        "quote": quote,
        "others": others,
        "group_id": group_id,
    }
    return TemplateResponse(request, "admin/summit/quote/quotation_correct.html", context)


def _id(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


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
        queryset = Speaker.objects.filter(pk__in=[i for i in map(as_id, ids) if i])
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


# The review queue ---------------------------------------------------------------------

REVIEW_PER_PAGE = 25


def quote_review_view(model_admin, request):
    """ "Needs review": the machine's quotes, most doubtful first, each with its sentence
    and how its speaker was found; verify, reject or reassign in one click, staying in
    the queue; per-article progress."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        return _review_act(model_admin, request)
    article_id = as_id(request.GET.get("article", ""))
    queue = Quote.objects.filter(status=Status.MACHINE)
    if article_id:
        queue = queue.filter(article_id=article_id)
    # The page's ids first, read from the quote_review index alone; then those 25 quotes
    # with their speaker, article and paragraphs (joined before the offset, page 400
    # would join the 10,000 rows it skips).
    ids = queue.by_doubt().values_list("pk", flat=True)
    page = BoundedPaginator(ids, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    found = Quote.objects.select_related("speaker", "article", "paragraph", "end_paragraph")
    found = found.in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    article_ids = {q.article_id for q in page} | ({article_id} if article_id else set())
    progress = (
        Article.objects.filter(pk__in=article_ids)
        .annotate(
            total=Count("quotes", distinct=True),
            reviewed=Count("quotes", filter=~Q(quotes__status=Status.MACHINE), distinct=True),
        )
        .order_by("title")
    )
    candidates: dict[int, list[tuple[int, str]]] = {}
    # The people each article names, then their names: joined in one query, PostgreSQL
    # hashes every speaker to name a few hundred mentions (20 ms at 50,000 speakers).
    named = set(
        EntityMention.objects.filter(article_id__in=article_ids, speaker__isnull=False)
        .values_list("article_id", "speaker_id")
        .order_by()
        .distinct()
    )
    names = dict(Speaker.objects.filter(pk__in={s for _, s in named}).values_list("pk", "name"))
    for article, speaker in sorted(named, key=lambda p: (p[0], names.get(p[1], ""), p[1])):
        if speaker in names:
            candidates.setdefault(article, []).append((speaker, names[speaker]))
    versions = versions_of(Quote, [q.pk for q in page])
    rows = [
        {
            "quote": q,
            "version": versions.get(q.pk, "0"),
            "sentence": quote_context(q),
            "path": resolution_path(q),
            "rule": SIEVE_TEXT.get(q.sieve, q.sieve),
            "candidates": [c for c in candidates.get(q.article_id, []) if c[0] != q.speaker_id],
        }
        for q in page
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Needs review",
        "page": page,
        "rows": rows,
        "progress": progress,
        "article_id": str(article_id or ""),
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/summit/quote/review.html", context)


def resolution_path(quote) -> str:
    """How the speaker was found: “he” ¶12 → Dan Pinkston ¶10 → Dan Pinkston."""
    steps = []
    if quote.speaker_text:
        steps.append(f"“{quote.speaker_text}” ¶{quote.paragraph.index + 1}")
    via = quote.via or {}
    if via.get("text") and via.get("text") != quote.speaker_text:
        steps.append(f"{via['text']} ¶{via.get('paragraph', 0) + 1}")
    steps.append(quote.speaker.name if quote.speaker else "no speaker")
    return " → ".join(steps)


def _review_act(model_admin, request):
    quote = get_object_or_404(Quote, pk=request.POST.get("quote", "0") or 0)
    back = request.POST.get("next") or reverse("admin:summit_quote_review")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("admin:summit_quote_review")
    do = request.POST.get("do")
    short = quote.quoted(60)
    stale = stale_change(quote, request.POST.get("version", ""))
    if stale is not None:
        model_admin.message_user(request, f"{short}: {stale}", messages.ERROR)
        return HttpResponseRedirect(back)
    if do == "verify":
        annotation_set_status(annotations=[quote], status=Status.VERIFIED, by=request.user)
        message = f"Verified {short}."
    elif do == "reject":
        annotation_set_status(annotations=[quote], status=Status.REJECTED, by=request.user)
        message = f"Rejected {short}: readers no longer see it."
    elif do == "reassign":
        speaker = get_object_or_404(Speaker, pk=request.POST.get("speaker", "0") or 0)
        quote_set_speaker(quotes=[quote], speaker=speaker, by=request.user)
        message = f"{short} is now attributed to {speaker}."
    else:
        model_admin.message_user(request, "Choose verify, reject or reassign.", messages.ERROR)
        return HttpResponseRedirect(back)
    model_admin.message_user(request, message, messages.SUCCESS)
    return HttpResponseRedirect(back)
