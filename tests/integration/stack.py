"""The whole assistant as the run command starts it, on free ports, for the slow tests:
action server, Rasa server (REST + socket.io, API behind a token, SQLite tracker store),
and optionally the public site (demo page + widget) and the staff page."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
RASA_TOKEN = "test-api-token"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's Chromium: Playwright cannot download its own here
ARTIFACTS = Path(os.environ.get("BOUWSTENEN_ARTIFACTS") or ROOT / "results" / "screenshots")
STAFF_TOKEN = "test-staff-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, log: Path, seconds: int = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server stopped:\n{log.read_text()[-3000:]}"
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} not ready after {seconds} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Stack:
    tmp: Path
    ports: Dict[str, int]
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: Dict[str, Path] = field(default_factory=dict)
    env: Dict[str, str] = field(default_factory=dict)
    credentials: Path = ROOT / "credentials.yml"

    @property
    def rasa_url(self) -> str:
        return f"http://localhost:{self.ports['rasa']}"

    @property
    def site_url(self) -> str:
        return f"http://localhost:{self.ports['site']}"

    @property
    def staff_url(self) -> str:
        return f"http://localhost:{self.ports['staff']}"

    @property
    def endpoints(self) -> Path:
        return self.tmp / "endpoints.yml"

    @property
    def tracker_db(self) -> Path:
        return self.tmp / "tracker.db"

    def start(self, name: str, command, ready_url: str) -> subprocess.Popen:
        self.logs[name] = self.tmp / f"{name}.log"
        process = subprocess.Popen([str(c) for c in command], cwd=ROOT, env=self.env,
                                   stdout=self.logs[name].open("w"), stderr=subprocess.STDOUT)
        self.processes[name] = process
        wait_until_ready(ready_url, process, self.logs[name])
        return process

    def start_rasa(self) -> subprocess.Popen:
        return self.start("rasa", [
            BIN / "rasa", "run", "--model", self.model, "--port", self.ports["rasa"],
            "--interface", "127.0.0.1", "--endpoints", self.endpoints,
            "--credentials", self.credentials, "--enable-api", "--auth-token", RASA_TOKEN,
        ], f"{self.rasa_url}/webhooks/rest/")

    def stop(self, name: str) -> None:
        stop(self.processes[name])


@contextlib.contextmanager
def running_stack(model: Path, tmp: Path, *, site: bool = False, staff: bool = False,
                  action_timeout: Optional[int] = None) -> Iterator[Stack]:
    ports = {name: free_port() for name in ("actions", "rasa", "site", "staff")}
    stack = Stack(tmp, ports)
    stack.model = model
    if action_timeout is not None:  # the shipped credentials with a shorter action timeout
        stack.credentials = tmp / "credentials.yml"
        stack.credentials.write_text((ROOT / "credentials.yml").read_text().replace(
            "action_timeout: 10", f"action_timeout: {action_timeout}"))
    stack.endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{ports["actions"]}/webhook"\n'
        f"tracker_store:\n  type: bouwstenen.stores.LocalSQLTrackerStore\n  dialect: sqlite\n"
        f"  db: {stack.tracker_db}\n")
    stack.env = dict(
        os.environ, RASA_TELEMETRY_ENABLED="false",
        BOUWSTENEN_ALLOWED_ORIGINS=f"http://localhost:{ports['site']},http://127.0.0.1:{ports['site']}",
        BOUWSTENEN_STAFF_TOKEN=STAFF_TOKEN, BOUWSTENEN_ENDPOINTS=str(stack.endpoints),
        RASA_AUTH_TOKEN=RASA_TOKEN, SANIC_HOST="127.0.0.1",
    )
    try:
        stack.start("actions", [BIN / "python", "-m", "bouwstenen.action_server", "--port", ports["actions"]],
                    f"http://localhost:{ports['actions']}/health")
        stack.start_rasa()
        if site:
            stack.start("site", [BIN / "python", "-m", "bouwstenen.site", "--host", "127.0.0.1",
                                 "--port", ports["site"], "--rasa-url", stack.rasa_url],
                        f"{stack.site_url}/health")
        if staff:
            stack.start("staff", [BIN / "python", "-m", "bouwstenen.staff", "--host", "127.0.0.1",
                                  "--port", ports["staff"], "--endpoints", stack.endpoints],
                        f"{stack.staff_url}/health")
        yield stack
    finally:
        for process in reversed(list(stack.processes.values())):
            stop(process)
