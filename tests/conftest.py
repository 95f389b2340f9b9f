import os
from pathlib import Path

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = Path(os.environ.get(
    "BOUWSTENEN_SOURCE", PROJECT_ROOT.parent / "shared" / "source" / "bouwstenenmodel.txt"
))


@pytest.fixture(scope="session")
def knowledge():
    from bouwstenen import knowledge as kb

    return kb.load()


@pytest.fixture(scope="session")
def recognise():
    from bouwstenen.recognition import default_recogniser

    return default_recogniser().recognise


@pytest.fixture(scope="session")
def source_text():
    if not SOURCE_TEXT.exists():
        pytest.skip(f"source text not found at {SOURCE_TEXT} (set BOUWSTENEN_SOURCE)")
    return SOURCE_TEXT.read_text(encoding="utf-8")
