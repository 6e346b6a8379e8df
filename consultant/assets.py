"""Files shipped inside the package (the built-in knowledge base, the UI), found with importlib.resources.

Never a path relative to the repository or the working folder: an installed wheel has neither. The package is
installed unzipped (`zip-safe = false`), so each resource is a real folder on disk that Chroma, Streamlit and
the ingest walker can read.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from consultant.errors import ConsultantError

KNOWLEDGE = "knowledge"  # the built-in corpus (Markdown with front matter), the source `builtin`
UI = "ui"  # the Streamlit page `consultant ui` serves (app.py) and its static files (static/)


def _on_disk(*parts: str) -> Path:
    """A packaged resource as a filesystem path (a zipped install has none: say so)."""
    found = resources.files("consultant").joinpath(*parts)
    if not isinstance(found, Path):
        raise ConsultantError(f"consultant/{'/'.join(parts)} is not on the filesystem (a zipped install?): "
                              "install the package unzipped, e.g. with pip")
    return found


def knowledge_dir() -> Path:
    """The built-in knowledge folder inside the installed package."""
    return _on_disk(KNOWLEDGE)


def ui_dir() -> Path:
    """The UI folder inside the installed package."""
    return _on_disk(UI)


def ui_app() -> Path:
    """The Streamlit app inside the installed package."""
    return ui_dir() / "app.py"
