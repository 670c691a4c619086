"""User-facing text from the Qt-free core, translatable by the UI when it is shown.

The core writes its messages in English as `translate(context, source).format(field=value)`: Qt's
`lupdate` reads the call as a translatable string (it reads only `translate` with two literal
arguments, so the fields come after, as with Qt's own `tr(...).format(...)`). The result is a
`Text`: a plain `str` (the English rendering, for logs, the CLI and tests) that also keeps its
context, its `{field}` template and the fields. The UI looks the template up in the user's language
and fills in the fields (`voicedesk.ui.i18n.shown`). Nothing here imports Qt.
"""

from __future__ import annotations

from typing import Any


class Text(str):
    """English text that remembers how to be translated: `context`, `source` ({field} template), `fields`."""

    context: str
    source: str
    fields: dict[str, Any]

    def __new__(cls, context: str, source: str, fields: dict[str, Any] | None = None) -> "Text":
        fields = dict(fields or {})
        text = super().__new__(cls, source.format(**fields) if fields else source)
        text.context, text.source, text.fields = context, source, fields
        return text

    def format(self, **fields: Any) -> "Text":  # type: ignore[override]
        """The same message with its `{field}`s filled in (a field may be a `Text`, translated in turn)."""
        return Text(self.context, self.source, {**self.fields, **fields})

    def __reduce__(self):   # pickling and copying keep the template, not only the English words
        return (Text, (self.context, self.source, self.fields))


def translate(context: str, source: str) -> Text:
    """Mark `source` for translation in `context` (lupdate reads this call); fill its fields with `.format()`.

    Counts stay in English words here: a message that needs plural forms is worded by the UI
    (`self.tr("%n ...", "", n)`).
    """
    return Text(context, source)


def reason_of(exc: BaseException) -> str:
    """What an exception says: the `Text` it was raised with (still translatable), else its English words."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Text):
        return exc.args[0]
    return str(exc)
