"""Make sure a usable dataset exists before any page runs.

A fresh checkout has no ``data/exodus.sqlite``; a user who dropped articles
into ``data/raw/`` has a stale one. Either way the app rebuilds it on start,
with a visible progress message. File times are useless after a git clone, so
staleness is decided by the input fingerprint stored in the dataset.
"""
from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from components import data


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    # One build at a time per server process, however many sessions arrive at once.
    return threading.Lock()


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@st.cache_resource(show_spinner=False, max_entries=4)
def _is_current(db: str, raw: str, db_stamp: int, raw_stamp: int, manifest_stamp: int) -> bool:
    """Hashing the inputs costs a read of every article, so it is done once per
    (dataset file, folder listing, manifest) version, not on every rerun."""
    if not Path(raw).is_dir():
        return True  # nothing to rebuild from: use the dataset as it is
    from exodus.fingerprint import input_fingerprint  # not exodus.pipeline: its extractors load only to build

    return data.stored_fingerprint(Path(db)) == input_fingerprint(Path(raw))


@st.cache_resource(show_spinner=False, max_entries=4)
def _problem(db: str, db_stamp: int) -> str | None:
    """What is wrong with this version of the dataset file (``check_dataset``'s message), or None.
    Once per file version: opening the file on every rerun cost ~30 ms at 100k articles."""
    try:
        data.check_dataset(Path(db))
    except data.DatasetError as exc:
        return str(exc)
    return None


def _needs_build(db: Path, raw: Path) -> bool:
    if not db.is_file() or _problem(str(db), _stamp(db)) is not None:
        return True
    return not _is_current(str(db), str(raw), _stamp(db), _stamp(raw), _stamp(raw / "manifest.csv"))


def ensure() -> bool:
    """Build the dataset if it is missing, corrupt or stale. Returns False (after showing a
    clear message) when no usable dataset can be had; the caller should stop."""
    db, raw = data.db_path(), data.raw_dir()
    if _needs_build(db, raw):
        with _build_lock():
            if _needs_build(db, raw):  # another session may have built it meanwhile
                if raw.is_dir() and any(raw.iterdir()):
                    _run_build(db, raw)
                elif not db.is_file():
                    return _fail(f"There is no dataset at `{db}` and no articles in `{raw}` to build one from.")
                # else: an unusable file and nothing to rebuild it from: check_dataset says what is wrong
    problem = _problem(str(db), _stamp(db)) if db.is_file() else f"The dataset file {db} does not exist."
    if problem is not None:
        return _fail(problem)
    return True


def _run_build(db: Path, raw: Path) -> None:
    from exodus.ingest import CorpusError
    from exodus.pipeline import NothingToBuild, build

    with st.status("Building the dataset from the articles in data/raw…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading articles")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Extracted {done} of {total} articles")

        try:
            summary = build(raw, db, jobs=1, progress=progress)
        except (NothingToBuild, CorpusError, OSError) as exc:
            status.update(label="The dataset could not be built", state="error")
            st.error(f"Build failed: {exc}")
            return
        st.write(summary.lines()[-1])
        status.update(label=f"Dataset built: {summary.articles} articles", state="complete", expanded=False)


def _fail(message: str) -> bool:
    st.error(
        f"{message}\n\nRebuild it from the articles with:\n\n```\n{data.rebuild_command()}\n```",
        icon="🛑",
    )
    return False
