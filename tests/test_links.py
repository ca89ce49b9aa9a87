"""summit.links: the same addresses as reverse(), made once per URL name."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from summit.links import link, linker


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("article", 7),
        ("article", 123456789),
        ("quote", 42),
        ("speaker", "kim-jong-un"),
        ("speaker-card", "ann_o-2"),
        ("admin:summit_quote_change", 5),
    ],
)
def test_link_is_what_reverse_gives(name, arg):
    assert link(name, arg) == reverse(name, args=[arg])
    assert link(name, arg) == reverse(name, args=[arg])  # the second time from the pattern
    assert linker(name)(arg) == reverse(name, args=[arg])


def test_link_follows_the_script_prefix_of_a_site_under_a_sub_path():
    plain = link("article", 3)
    set_script_prefix("/news/")
    try:
        assert link("article", 3) == "/news" + plain == reverse("article", args=[3])
        assert linker("article")(3) == "/news" + plain
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert link("article", 3) == plain


def test_an_argument_that_needs_escaping_or_does_not_fit_goes_through_reverse():
    with pytest.raises(NoReverseMatch):
        link("speaker", "not a slug")
    with pytest.raises(NoReverseMatch):
        linker("speaker")("not a slug")
    with pytest.raises(NoReverseMatch):
        link("no-such-page", 1)


def test_a_swapped_urlconf_gives_its_own_addresses(settings):
    link("article", 3)  # the pattern is kept
    settings.ROOT_URLCONF = "tests.links_urls"
    assert link("article", 3) == "/elsewhere/3/"
