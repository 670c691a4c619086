"""The custom vocabulary: reading the user's list, fitting it into Whisper's prompt, and guarding the output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from voicedesk.engine.vocabulary import (
    MAX_TERM_CHARS,
    MAX_TERMS,
    TOKEN_BUDGET,
    VocabularyError,
    VocabularyGuard,
    estimate_tokens,
    fit_hint,
    format_vocabulary,
    model_token_counter,
    parse_vocabulary,
    read_vocabulary,
)

TEST_MODELS = Path.home() / ".cache" / "voicedesk" / "test-models"


@dataclass(frozen=True)
class W:
    """A word as faster-whisper gives it."""

    word: str
    start: float
    end: float


def words(*spec: tuple[str, float, float]) -> list[W]:
    return [W(" " + text, start, end) for text, start, end in spec]


# ---------------------------------------------------------------- the list


def test_one_term_per_line_with_comments_blank_lines_and_duplicates_removed():
    listed = parse_vocabulary("# people\nZbigniew Kowalczyk\n\n  Anjelica   Oyelaran  \nQuorvex  # our product\n"
                              "quorvex\nC#\n")
    assert listed.terms == ("Zbigniew Kowalczyk", "Anjelica Oyelaran", "Quorvex", "C#")
    assert listed.notes == ("Duplicates left out: 1.",)


def test_commas_and_semicolons_also_separate_terms():
    assert parse_vocabulary("Quorvex, Tellurion; Orbanix\n").terms == ("Quorvex", "Tellurion", "Orbanix")


def test_a_pasted_sentence_is_left_out_with_a_note_and_the_rest_kept():
    listed = parse_vocabulary("Quorvex\n" + "word " * 20 + "\nTellurion")
    assert listed.terms == ("Quorvex", "Tellurion")
    assert str(MAX_TERM_CHARS) in listed.notes[0]


def test_a_very_long_list_is_cut_with_a_note():
    listed = parse_vocabulary("\n".join(f"Term{i}" for i in range(MAX_TERMS + 5)))
    assert len(listed.terms) == MAX_TERMS
    assert listed.terms[-1] == f"Term{MAX_TERMS - 1}"
    assert any(str(MAX_TERMS) in note for note in listed.notes)


def test_a_saved_list_reads_back_the_same(tmp_path):
    terms = ("Zbigniew Kowalczyk", "Brzęczyszczykiewicz", "Quorvex")
    path = tmp_path / "vocabulary.txt"
    path.write_text(format_vocabulary(terms), encoding="utf-8")
    assert read_vocabulary(path).terms == terms


@pytest.mark.parametrize("make, expected", [
    (lambda p: p, "No vocabulary file"),
    (lambda p: (p.mkdir(), p)[1], "is a folder"),
    (lambda p: (p.write_bytes(b"\xff\xfe\x00Q\x00u\x81\x00"), p)[1], "not a UTF-8 text file"),
    (lambda p: (p.write_bytes(b"Quorvex\x00\x00"), p)[1], "not a text file"),
    (lambda p: (p.write_text("Quorvex\n" * 20_000), p)[1], "too large"),
])
def test_a_file_that_cannot_be_a_vocabulary_gets_one_clear_line(tmp_path, make, expected):
    path = make(tmp_path / "vocabulary.txt")
    with pytest.raises(VocabularyError) as raised:
        read_vocabulary(path)
    message = str(raised.value)
    assert expected in message and "\n" not in message


# ---------------------------------------------------------------- the token budget


def test_the_hint_keeps_the_first_terms_that_fit_and_names_the_rest():
    terms = [f"Name{i}" for i in range(10)]
    hint = fit_hint(terms, count_tokens=lambda text: len(text.split()), budget=4)
    assert hint.terms == ("Name0", "Name1", "Name2", "Name3")
    assert hint.dropped == tuple(terms[4:])
    assert hint.hotwords == "Name0, Name1, Name2, Name3"
    assert "Name4" in hint.dropped_message and "4 of 10 terms" in hint.dropped_message


def test_a_short_list_fits_whole_and_says_nothing():
    hint = fit_hint(["Quorvex", "Tellurion"])
    assert hint.terms == ("Quorvex", "Tellurion") and not hint.dropped and hint.dropped_message == ""
    assert 0 < hint.tokens <= TOKEN_BUDGET


def test_no_terms_means_no_hotwords():
    assert fit_hint([]).hotwords is None


def test_the_budget_is_counted_with_the_models_own_tokenizer():
    counter = model_token_counter(TEST_MODELS / "base")
    assert counter is not None, "the test models are fetched by tests/fetch_test_models.py"
    names = [f"Kowalczyk{i} Brzęczyszczykiewicz" for i in range(20)]
    hint = fit_hint(names, counter)
    assert 0 < len(hint.terms) < len(names)
    assert hint.tokens == counter(" " + hint.hotwords) <= TOKEN_BUDGET
    assert counter(" " + ", ".join(names[: len(hint.terms) + 1])) > TOKEN_BUDGET


def test_a_folder_without_a_tokenizer_gives_no_counter_and_the_estimate_is_used(tmp_path):
    assert model_token_counter(tmp_path) is None
    assert estimate_tokens("Zbigniew Kowalczyk, Quorvex") >= 3


# ---------------------------------------------------------------- the guard

GUARD = VocabularyGuard(["Zbigniew Kowalczyk", "Anjelica Oyelaran", "Quorvex", "Tellurion"])


def test_a_segment_of_listed_terms_only_is_dropped_when_the_decode_doubts_speech():
    # measured on noise with base: "Zbigniew Kowalczyk," at no-speech 0.50-0.65, log-prob -0.73..-0.81
    assert GUARD.echo_only(" Zbigniew Kowalczyk,", no_speech_prob=0.55, avg_logprob=-0.81)
    assert not GUARD.echo_only(" Zbigniew Kowalczyk.", no_speech_prob=0.02, avg_logprob=-0.3)


def test_a_segment_with_other_words_is_never_an_echo():
    assert not GUARD.echo_only(" Ask Zbigniew Kowalczyk.", no_speech_prob=0.9, avg_logprob=-1.5)


def test_an_empty_vocabulary_guards_nothing():
    guard = VocabularyGuard([])
    assert not guard
    assert not guard.echo_only(" Quorvex", 0.9, -2.0)
    assert guard.drop_recited(words(("Quorvex", 0.0, 0.0))) == words(("Quorvex", 0.0, 0.0))


def test_the_list_recited_into_no_time_after_the_speech_is_cut():
    # seen with base: "...the Orbanix humbers. Kowalczyk, Anjelica Oyelaran" (the last two at 0.0 s)
    out = words(("shows", 1.0, 1.3), ("numbers.", 1.3, 1.8), ("Kowalczyk,", 1.8, 2.2), ("Anjelica", 2.2, 2.2),
                ("Oyelaran", 2.2, 2.2))
    assert [w.word.strip() for w in GUARD.drop_recited(out)] == ["shows", "numbers."]


def test_listed_names_said_one_after_another_are_kept():
    out = words(("Zbigniew", 0.0, 0.66), ("Kowalczyk,", 0.66, 1.34), ("Anjelica", 1.54, 2.12),
                ("Oyelaran", 2.12, 2.6), ("lead", 2.6, 2.82))
    assert GUARD.drop_recited(out) == out


def test_names_out_of_the_lists_order_are_not_a_recital():
    out = words(("Quorvex", 0.0, 0.0), ("Anjelica", 0.0, 0.0), ("Oyelaran", 0.0, 0.0))
    assert GUARD.drop_recited(out) == out
