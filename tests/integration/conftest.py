import subprocess
import time

import pytest

from tests.integration.stack import BIN, ROOT

MODEL = ROOT / "models" / "bouwstenen.tar.gz"


@pytest.fixture(scope="session")
def model():
    """Trains the assistant once per test run (Rasa skips training when nothing changed)."""
    started = time.monotonic()
    result = subprocess.run([str(BIN / "rasa"), "train", "--fixed-model-name", "bouwstenen", "--out", "models"],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"rasa train failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    print(f"\nrasa train: {time.monotonic() - started:.0f} s")
    assert MODEL.exists()
    return MODEL
