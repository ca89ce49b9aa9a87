"""Forms of the editors' correction desk (the Django admin).

Editors never type offsets: annotation forms take the text (and optionally the
paragraph number) and find the offsets with ``annotation_place``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.text import Truncator

from summit.models import (
    Article,
    Claim,
    EntityMention,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
)
from summit.services.anchoring import AnchorError, AnchorNotFound
from summit.services.editing import ARTICLE_EDITABLE_FIELDS, annotation_place
from summit.services.history import stale_change, version_of


def reason_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=100,
        label="Reason",
        help_text="Why (optional): kept in the history beside your change.",
    )


class VersionedForm(forms.ModelForm):
    """A change form that carries the version of the row it was made on: saved over a
    newer version (another editor's change meanwhile), it is refused with their change
    shown, and the form then carries the new version, so saving again is a choice."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["version"] = version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        stale = stale_change(self.instance, cleaned.get("version") or "")
        if stale is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = version_of(self.instance)
            raise forms.ValidationError(str(stale), code="stale")
        return cleaned


class AnnotationForm(VersionedForm):
    """Place the annotation where its text stands; the offsets are never typed."""

    reason = reason_field()

    paragraph_number = forms.IntegerField(
        required=False,
        min_value=1,
        label="Paragraph",
        help_text=(
            "The paragraph's number (¶1 is the first). Leave empty to find the text "
            "anywhere in the article; it must then stand there only once."
        ),
    )

    # Where in the paragraph the editor selected the words (the article page's desk
    # sends it): which occurrence is meant when they stand there more than once.
    offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        help_texts = {"text": "Exactly as it stands in the article; the offsets are found from it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Where it stands now (also what "changed" is measured against).
        if self.instance.paragraph_id and "paragraph_number" not in self.initial:
            self.initial["paragraph_number"] = self.instance.paragraph.index + 1
            self.initial.setdefault("offset", self.instance.start)

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        article = cleaned.get("article") if "article" in self.fields else None
        if article is None and self.instance.article_id:
            article = self.instance.article
        if not text or article is None:
            return cleaned
        placing = not self.instance.pk or {"text", "paragraph_number", "article"} & set(
            self.changed_data
        )
        if not placing:
            return cleaned
        self.instance.article = article

        paragraph = None
        number = cleaned.get("paragraph_number")
        if number:
            paragraph = article.paragraphs.filter(index=number - 1).first()
            if paragraph is None:
                count = article.paragraphs.count()
                self.add_error(
                    "paragraph_number", f"The article has {count} paragraphs; ¶{number} is not one."
                )
                return cleaned
        try:
            try:
                annotation_place(
                    model_instance=self.instance,
                    text=text,
                    paragraph=paragraph,
                    offset=cleaned.get("offset"),
                )
            except AnchorNotFound:
                # The paragraph shown was just where it stood: look in the whole article.
                if paragraph is None or "paragraph_number" in self.changed_data:
                    raise
                annotation_place(model_instance=self.instance, text=text, paragraph=None)
        except AnchorError as error:
            self.add_error("text", str(error))
        else:
            cleaned["paragraph_number"] = self.instance.paragraph.index + 1
        return cleaned


class QuoteForm(AnnotationForm):
    class Meta(AnnotationForm.Meta):
        model = Quote
        fields = ("article", "text", "kind", "speaker", "speaker_text", "cue", "status")


class EntityMentionForm(AnnotationForm):
    class Meta(AnnotationForm.Meta):
        model = EntityMention
        fields = ("article", "text", "label", "speaker", "status")


class ClaimForm(AnnotationForm):
    class Meta(AnnotationForm.Meta):
        model = Claim
        fields = ("article", "text", "kind", "holder", "highlighted", "status")


class ArticleForm(VersionedForm):
    reason = reason_field()

    class Meta:
        model = Article
        fields = ARTICLE_EDITABLE_FIELDS


class SpeakerForm(VersionedForm):
    reason = reason_field()

    class Meta:
        model = Speaker
        fields = ("name", "kind", "description")


class SetSpeakerForm(forms.Form):
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.all(),
        help_text="Type to search names and aliases.",
    )

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["speaker"]
        field.widget = AutocompleteSelect(
            Quote._meta.get_field("speaker"), admin_site or admin.site
        )
        field.widget.choices = field.choices


class SpeakerMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Speaker.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep",
        help_text="The speaker that stays; the others become its aliases.",
    )

    def __init__(self, *args, speakers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = speakers


class SpeakerMergeWithForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        queryset=Speaker.objects.all(),
        required=False,
        label="Other speakers",
        help_text="Type to search names and aliases (punctuation and accents ignored).",
    )

    def __init__(self, *args, speaker: Speaker, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["others"]
        field.queryset = Speaker.objects.exclude(pk=speaker.pk)
        field.widget = AutocompleteSelectMultiple(
            Quote._meta.get_field("speaker"), admin_site or admin.site
        )
        field.widget.choices = field.choices


class _QuoteChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        where = f"{obj.article} ¶{obj.paragraph.index + 1}"
        return f"{Truncator(obj.text).chars(100)} — {where} ({obj.status})"


class _MentionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.text} ({obj.label}) — {obj.article} ¶{obj.paragraph.index + 1}"


class _ClaimChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{Truncator(obj.text).chars(100)} — {obj.article} ¶{obj.paragraph.index + 1}"


class SpeakerSplitForm(forms.Form):
    name = forms.CharField(max_length=300, help_text="The new speaker's name.")
    kind = forms.ChoiceField(choices=SpeakerKind.choices)
    description = forms.CharField(max_length=500, required=False)
    quotes = _QuoteChoices(
        queryset=Quote.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    mentions = _MentionChoices(
        queryset=EntityMention.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    claims = _ClaimChoices(
        queryset=Claim.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    aliases = forms.ModelMultipleChoiceField(
        queryset=SpeakerAlias.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, speaker: Speaker, **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker = speaker
        self.fields["kind"].initial = speaker.kind
        related = ("article", "paragraph")
        self.fields["quotes"].queryset = speaker.quotes.select_related(*related)
        self.fields["mentions"].queryset = speaker.mentions.select_related(*related)
        self.fields["claims"].queryset = speaker.claims.select_related(*related)
        self.fields["aliases"].queryset = speaker.aliases.all()

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) for f in ("quotes", "mentions", "claims", "aliases")):
            raise forms.ValidationError(
                "Choose at least one quote, mention, claim or alias for the new speaker."
            )
        return cleaned
