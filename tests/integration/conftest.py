import subprocess
import time

import pytest

from tests.integration.stack import BIN, CHROMIUM, ROOT

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


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through Playwright, with the flags this closed network needs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()
