"""Opening the app on a current dataset checks it against the article folder without loading
the extractors: their patterns compile on import (~0.3 s of every cold start)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from exodus.pipeline import build

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("dashboard.py", default_timeout=120)
at.run()
print(json.dumps({"exceptions": [e.message for e in at.exception],
                  "titles": [t.value for t in at.title],
                  "modules": sorted(m for m in sys.modules if m.startswith("exodus"))}))
"""


def test_a_current_dataset_opens_without_importing_the_extractors(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in (ROOT / "data" / "raw").iterdir():
        (raw / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "current.sqlite"
    build(raw, db)
    stamp = db.stat().st_mtime_ns
    env = dict(os.environ, EXODUS_DB=str(db), EXODUS_RAW=str(raw))
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["exceptions"] == [] and seen["titles"], seen
    assert db.stat().st_mtime_ns == stamp  # judged current: not rebuilt
    assert "exodus.fingerprint" in seen["modules"]  # the folder was checked
    assert not {"exodus.pipeline", "exodus.quotes", "exodus.figures", "exodus.people",
                "exodus.routes"} & set(seen["modules"]), seen["modules"]
