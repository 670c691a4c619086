"""Routing between installed Argos packages: real argostranslate, real (random-weight) test packages.

The installed home (testkit.argos_package.argos_home) holds es→en, en→de and en→es, so es→de
exists only through English and nothing translates from German. Outputs are gibberish by
construction: these tests check routing and structure, never wording.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from testkit.argos_package import build_package
from voicedesk.engine.translation import (
    PunctuationSentencizer,
    TranslationError,
    TranslationUnavailable,
    find_route,
    install_package_file,
    installed_pairs,
    reachable_targets,
)

pytest_plugins = ["testkit.argos_package"]

SPANISH = "Hola, ¿cómo estás? Hoy hace buen tiempo en la ciudad."


def test_installed_pairs_lists_exactly_the_installed_packages(argos_home):
    assert installed_pairs() == [("en", "de"), ("en", "es"), ("es", "en")]


def test_reachable_targets_include_languages_reached_through_english(argos_home):
    assert reachable_targets("es") == ["de", "en"]
    assert reachable_targets("en") == ["de", "es"]
    assert reachable_targets("de") == []


def test_reachable_targets_for_auto_source_is_the_union_over_installed_sources(argos_home):
    assert reachable_targets(None) == ["de", "en", "es"]
    assert reachable_targets("auto") == reachable_targets(None)


def test_direct_pair_routes_through_its_package_and_returns_text(argos_home):
    route = find_route("es", "en")

    assert route.via == ()
    assert (route.translation.from_lang.code, route.translation.to_lang.code) == ("es", "en")
    out = route.translate(SPANISH)
    assert isinstance(out, str) and out != SPANISH


def test_missing_pair_pivots_through_english_and_equals_the_two_hops_chained(argos_home):
    route = find_route("es", "de")

    assert route.via == ("en",)
    # Beam search is deterministic: the pivot must give exactly es→en followed by en→de.
    chained = find_route("en", "de").translate(find_route("es", "en").translate(SPANISH))
    assert route.translate(SPANISH) == chained


def test_unknown_pair_error_names_the_missing_packages_and_how_to_install(argos_home):
    with pytest.raises(TranslationUnavailable) as info:
        find_route("de", "es")

    message = str(info.value)
    assert "de→es" in message
    assert "through English" in message and "de→en" in message
    assert "en→es" not in message  # that half is installed
    assert "voicedesk languages install de-es" in message and "argospm" not in message
    assert "\n" not in message
    assert (info.value.source, info.value.target) == ("de", "es")


def test_error_for_a_pair_with_english_does_not_offer_a_pivot(argos_home):
    with pytest.raises(TranslationUnavailable) as info:
        find_route("en", "fr")

    assert "en→fr" in str(info.value)
    assert "through English" not in str(info.value)


def test_same_language_is_an_identity_route_that_returns_the_text_unchanged(argos_home):
    route = find_route("es", "es")

    assert route.is_identity
    assert route.translate(SPANISH) == SPANISH


def test_codes_are_normalised_and_auto_is_not_a_language(argos_home):
    assert find_route(" ES", "En").via == ()
    with pytest.raises(TranslationUnavailable, match="source language is not known"):
        find_route("auto", "en")


def test_routes_never_keep_a_sentence_splitter_that_would_download(argos_home):
    route = find_route("es", "de")

    hops = [route.translation.t1.underlying, route.translation.t2.underlying]
    assert all(isinstance(hop.sentencizer, PunctuationSentencizer) for hop in hops)


def test_punctuation_splitter_splits_after_terminal_punctuation_only():
    splitter = PunctuationSentencizer()

    assert splitter.split_sentences("Hola. ¿Qué tal? Bien, gracias!  Adiós") == [
        "Hola.", "¿Qué tal?", "Bien, gracias!", "Adiós"]
    assert splitter.split_sentences("3.5 metros sin punto final") == ["3.5 metros sin punto final"]
    assert splitter.split_sentences("你好。谢谢！") == ["你好。", "谢谢！"]


def test_installing_a_package_file_makes_its_pair_available(empty_argos_home):
    assert installed_pairs() == []

    assert install_package_file(build_package("es", "en")) == ("es", "en")

    assert installed_pairs() == [("es", "en")]
    assert find_route("es", "en").via == ()


def test_installing_a_file_that_is_not_a_package_says_so(empty_argos_home, tmp_path: Path):
    not_zip = tmp_path / "notes.argosmodel"
    not_zip.write_text("hello")
    no_metadata = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(no_metadata, "w") as zf:
        zf.writestr("pkg/readme.txt", "nothing here")

    with pytest.raises(TranslationError, match="not an Argos language package"):
        install_package_file(not_zip)
    with pytest.raises(TranslationError, match="no metadata.json"):
        install_package_file(no_metadata)
    with pytest.raises(TranslationError, match="not found"):
        install_package_file(tmp_path / "missing.argosmodel")
    assert installed_pairs() == []


def test_a_broken_package_folder_gives_a_clear_error_not_a_traceback(empty_argos_home: Path):
    (empty_argos_home / "half-deleted-package").mkdir()

    with pytest.raises(TranslationError, match="Cannot read the installed Argos language packages"):
        installed_pairs()
    with pytest.raises(TranslationError, match="Cannot read the installed Argos language packages"):
        find_route("es", "en")
