"""The UI's translations: the core's translatable text, and a Spanish translation for every string.

The completeness check runs Qt's own lupdate over today's sources into a copy of the .ts files, so a
string added anywhere without a Spanish translation fails here, before anyone sees English in a
Spanish window. Fix it with `python -m voicedesk.ui.i18n.build` (it lists what is missing).
"""

from __future__ import annotations

import ast
import pickle
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from voicedesk.i18n import Text, reason_of, translate
from voicedesk.ui.i18n import build

FIELD = re.compile(r"\{\w*\}|%\d")   # {name} for str.format, %1 for QString-style arguments
MNEMONIC = re.compile(r"&(?=[^&\s])")


@pytest.fixture(scope="module")
def updated_ts(tmp_path_factory) -> Path:
    """A copy of the .ts files, updated by lupdate from the sources as they are now."""
    folder = tmp_path_factory.mktemp("i18n")
    for language in build.ALL_LANGUAGES:
        shutil.copy2(build.ts_path(language), build.ts_path(language, folder))
    build.update_all(folder)
    return folder


def _messages(ts: Path) -> list[tuple[str, str, list[str]]]:
    """(context, source, translations) of every finished message (the unfinished fail the test above)."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") == "unfinished":
                continue
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            found.append((context.findtext("name"), message.findtext("source"), forms))
    return found


def test_core_text_reads_as_english_and_keeps_what_a_translation_needs():
    text = translate("Session", "Switched to {plan} to keep up.").format(plan="the tiny model")
    assert text == "Switched to the tiny model to keep up."
    assert (text.context, text.source, text.fields) == ("Session", "Switched to {plan} to keep up.",
                                                        {"plan": "the tiny model"})
    copy = pickle.loads(pickle.dumps(text))   # events and notices cross threads and journals
    assert isinstance(copy, Text) and copy.source == text.source and copy == text


def test_an_exception_raised_with_core_text_keeps_it_translatable():
    reason = translate("ModelFolder", "{folder} is not a folder").format(folder="/tmp/x")
    assert reason_of(ValueError(reason)) is reason
    assert reason_of(ValueError("plain words")) == "plain words"


def test_every_string_of_the_sources_has_a_spanish_translation(updated_ts):
    missing = build.untranslated(build.ts_path("es", updated_ts))
    assert missing == [], ("strings without Spanish (run python -m voicedesk.ui.i18n.build): "
                           + "; ".join(f"[{m.context}] {m.source!r}" for m in missing))


def test_every_plural_has_its_english_forms_too(updated_ts):
    assert build.untranslated(build.ts_path("en", updated_ts)) == []
    plurals = [source for _, source, _ in _messages(build.ts_path("en", updated_ts))]
    assert plurals and all("%n" in source for source in plurals)


def test_translations_keep_the_fields_counts_and_shortcut_marks_of_their_source(updated_ts):
    wrong = []
    for context, source, forms in _messages(build.ts_path("es", updated_ts)):
        for form in forms:
            if sorted(FIELD.findall(form)) != sorted(FIELD.findall(source)):
                wrong.append(f"[{context}] {source!r}: fields differ in {form!r}")
            if ("%n" in source) != ("%n" in form):
                wrong.append(f"[{context}] {source!r}: the count is lost in {form!r}")
            # "&" before a letter marks a shortcut; "Privacy & security" (a name Windows shows) does not
            if len(MNEMONIC.findall(source.replace("&&", ""))) != len(MNEMONIC.findall(form.replace("&&", ""))):
                wrong.append(f"[{context}] {source!r}: the keyboard shortcut mark is lost in {form!r}")
    assert wrong == []


def test_spanish_plurals_have_both_forms(updated_ts):
    plurals = [(source, forms) for _, source, forms in _messages(build.ts_path("es", updated_ts)) if "%n" in source]
    assert plurals and all(len(forms) == 2 and forms[0] != forms[1] for _, forms in plurals)


def test_the_compiled_translations_come_from_the_ts_files(tmp_path):
    written = build.release_all(tmp_path)
    assert sorted(p.name for p in written) == ["voicedesk_en.qm", "voicedesk_es.qm"]
    assert all(p.stat().st_size > 0 for p in written)


# Qt calls that put text on screen (or in a screen reader's ear), and where their text argument sits
_TEXT_ARGS = {name: (0,) for name in (
    "setText", "setToolTip", "setStatusTip", "setWindowTitle", "setPlaceholderText", "setAccessibleName",
    "setAccessibleDescription", "setWhatsThis", "setTitle", "setItemText", "addItem", "insertItem", "addAction",
    "addMenu", "addRow", "addTab", "setFormat", "setSuffix", "setPrefix", "setSpecialValueText", "showMessage",
    "show_message", "_say", "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QGroupBox",
    "QAction", "QMenu")}
_TEXT_ARGS.update({name: (1, 2) for name in ("question", "information", "warning", "critical", "about",
                                            "getOpenFileName", "getOpenFileNames", "getSaveFileName",
                                            "getExistingDirectory")})
_NOT_WORDS = {"voicedesk"}   # the product's name is the same in every language


def _bare_english(node: ast.expr) -> str:
    """The words of a literal (an f-string without its {fields}) that no translation went through."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return ""
    words = re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]*>", "", text))
    return text if [w for w in words if w not in _NOT_WORDS] else ""


def test_the_ui_shows_no_literal_english_that_skips_the_translation_system():
    ui = Path(build.PACKAGE_DIR) / "ui"
    bare = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in ("warning", "critical") and getattr(node.func.value, "id", "") == "log":
                continue   # the log, not the screen
            for index in _TEXT_ARGS.get(name, ()):
                if index < len(node.args) and _bare_english(node.args[index]):
                    bare.append(f"{path.relative_to(ui.parent)}:{node.lineno}: {_bare_english(node.args[index])!r}")
    assert bare == [], "wrap these in self.tr() or QCoreApplication.translate(): " + "; ".join(bare)


def test_fill_translates_only_what_is_unfinished_by_context_and_plural(tmp_path):
    ts = tmp_path / "voicedesk_es.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="es">'
        '<context><name>A</name>'
        '<message><source>Stop</source><translation type="unfinished"></translation></message>'
        '<message><source>Close</source><translation>Cerrar</translation></message>'
        '<message numerus="yes"><source>%n file(s)</source><translation type="unfinished">'
        '<numerusform></numerusform><numerusform></numerusform></translation></message></context>'
        '<context><name>B</name>'
        '<message><source>Stop</source><translation type="unfinished"></translation></message></context></TS>',
        encoding="utf-8")
    filled = build.fill(ts, {"Stop": "Detener", "B|Stop": "Parar", "Close": "Clausurar",
                             "%n file(s)": ["%n archivo", "%n archivos"]})
    assert filled == 3 and build.untranslated(ts) == []
    assert _messages(ts) == [("A", "Stop", ["Detener"]), ("A", "Close", ["Cerrar"]),
                             ("A", "%n file(s)", ["%n archivo", "%n archivos"]), ("B", "Stop", ["Parar"])]
