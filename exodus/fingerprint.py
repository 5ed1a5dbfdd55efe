"""The input fingerprint: whether a dataset was built from the articles in a folder.

Its own module so the app can check a dataset at start without importing the extractors
(their patterns compile on import: ~0.3 s of every cold start).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from exodus import __version__

INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm")


def input_fingerprint(input_dir: Path) -> str:
    """A hash of the input files' names and contents and of the pipeline version.

    The app compares it with the one stored in the dataset to decide whether to
    rebuild (file times are useless after a git clone).
    """
    h = hashlib.sha256(f"exodus {__version__}\n".encode())
    folder = Path(input_dir)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and (path.suffix.lower() in INPUT_SUFFIXES or path.name == "manifest.csv"):
                h.update(path.name.encode() + b"\0")
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
                h.update(b"\0")
    return h.hexdigest()
