"""Read an app the way a screen reader does, over AT-SPI; run with Debian's /usr/bin/python3 (pyatspi).

`python3 atspi_reader.py APP_NAME TABS` listens for announcements and focus changes from the start,
prints `READY`, waits for the application APP_NAME to appear and for its run to be over (the title
says Stopped, the button Start), then records the accessibility tree, gives the window the keyboard focus (xdotool: there
is no window manager) and presses Tab TABS times (XTest, through the AT-SPI registry), and prints
one line `ATSPI <json>`: the announcements, the tree (role, name, description, labelled-by), the focus order and the text of
the transcript. Standalone on purpose: the project's venv has no pyatspi, and this needs no project code.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pyatspi
from gi.repository import GLib

APP, TABS = sys.argv[1], int(sys.argv[2])
TIMEOUT_S = 90
TAB_KEYSYM = 0xFF09

announcements: list[dict] = []
focused: list[dict] = []
state = {"phase": "find", "app": None, "started": time.monotonic(), "tabs": 0, "result": {}}


def _describe(acc) -> dict:
    labels = []
    try:
        for relation in acc.getRelationSet():
            if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
                labels += [relation.getTarget(i).name for i in range(relation.getNTargets())]
    except Exception:  # an object that went away while being read
        pass
    return {"role": acc.getRoleName(), "name": acc.name or "", "description": acc.description or "",
            "labelled_by": labels}


def _app_of(acc):
    try:
        return acc.getApplication().name
    except Exception:
        return ""


def on_announcement(event) -> None:
    if _app_of(event.source) == APP:
        announcements.append({"text": str(event.any_data), "politeness": event.detail1,
                              "source": _describe(event.source)})


def on_focus(event) -> None:
    if event.detail1 == 1 and _app_of(event.source) == APP:
        focused.append(_describe(event.source))


def walk(acc, out: list, depth: int = 0) -> None:
    if acc is None or depth > 40:
        return
    out.append(dict(_describe(acc), depth=depth))
    for child in acc:
        walk(child, out, depth + 1)


def find(acc, test):
    if acc is None:
        return None
    if test(acc):
        return acc
    if acc.getRoleName() == "list":
        return None   # a dropdown's items: a hundred languages, none of them wanted here
    for child in acc:
        found = find(child, test)
        if found is not None:
            return found
    return None


def step() -> bool:
    if time.monotonic() - state["started"] > TIMEOUT_S:
        state["result"]["timeout"] = state["phase"]
        return finish()
    if state["phase"] == "find":
        desktop = pyatspi.Registry.getDesktop(0)
        state["app"] = next((a for a in desktop if a is not None and a.name == APP), None)
        if state["app"] is not None:
            state["phase"] = "wait"
        return True
    frame = state["app"][0] if state["app"].childCount else None
    if state["phase"] == "wait":
        # the run is over when the button says Start again and the title Stopped (Ready before the run);
        # the names are current because their change events are listened to
        button = find(frame, lambda a: a.getRoleName() == "push button" and a.name == "Start")
        if frame is not None and "Stopped" in (frame.name or "") and button is not None:
            state["phase"] = "tree"
        return True
    if state["phase"] == "tree":
        tree: list = []
        walk(state["app"], tree)
        state["result"]["tree"] = tree
        pane = find(frame, lambda a: a.getRoleName() == "text" and a.name == "Transcript")
        state["result"]["transcript"] = pane.queryText().getText(0, -1) if pane is not None else None
        # no window manager here to give the window the keyboard: xdotool does what a click would;
        # the window then puts the focus on its first control
        focused.clear()
        subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{APP} ", "windowfocus", "--sync"],
                       capture_output=True, timeout=10)
        state["phase"] = "tab"
        return True
    if state["phase"] == "tab":
        if state["tabs"] >= TABS:
            return finish()
        if not focused:
            return True   # the first control's focus event comes first
        pyatspi.Registry.generateKeyboardEvent(TAB_KEYSYM, None, pyatspi.KEY_SYM)
        state["tabs"] += 1
        return True
    return True


def finish() -> bool:
    GLib.timeout_add(400, lambda: (report(), False)[1])   # the last Tab's focus event lands first
    return False


def report() -> None:
    state["result"].update(announcements=announcements, focus=focused)
    print("ATSPI " + json.dumps(state["result"]), flush=True)
    pyatspi.Registry.stop()


pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
pyatspi.Registry.registerEventListener(on_focus, "object:state-changed:focused")
# libatspi keeps the names it has read; it updates them from the change events it is listening to
pyatspi.Registry.registerEventListener(lambda event: None, "object:property-change:accessible-name")
GLib.timeout_add(300, step)
print("READY", flush=True)
pyatspi.Registry.start()
