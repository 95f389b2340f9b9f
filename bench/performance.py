"""Performance benchmark: this assistant against the stock Rasa starter bot, in one run.

One command, on one machine, measures both bots the same way and prints a table with the ratios
(this assistant / stock bot):

    .venv/bin/python bench/performance.py                        # full run, about 15 minutes
    .venv/bin/python bench/performance.py --write docs/benchmarks.md
    .venv/bin/python bench/performance.py --skip-train-if-present --duration 30   # quicker rerun
    .venv/bin/python bench/performance.py --soak 600 --soak-only --skip-train-if-present \
        --write docs/benchmarks.md                                # soak: 16 users, 10 minutes

What it does:
1. Trains the stock bot (``rasa init --no-prompt`` in a work folder; init copies the starter files
   and runs ``rasa train``, so its wall time is the stock training time) and this assistant
   (``rasa train`` in the repository, model written to the work folder, never to ``models/``).
   Both train with an empty training cache (``RASA_CACHE_DIRECTORY`` in the work folder), so
   the time is that of a first training. ``--skip-train-if-present`` reuses the models and the
   recorded training times of an earlier run in the same work folder.
2. Starts each bot on free ports on 127.0.0.1 with ``--enable-api``: the stock bot with its own
   credentials and endpoints; this assistant with the repository's credentials.yml, an
   endpoints file in the work folder that points at its own action server (any tracker store of
   the repository's endpoints.yml is copied, an SQLite file is moved into the work folder), and
   its action server as ``scripts/run`` starts it (``python -m bouwstenen.action_server``, else
   ``rasa run actions``). Never the ports of ``scripts/run``.
3. Starts the bots one after the other and measures, per bot: time from start to ready (server answers ``/status`` with a model; for the
   assistant also the action server's ``/health``), the first turn, NLU parse latency
   (``/model/parse``), full-turn latency over the REST channel with one user (p50, p95, max),
   throughput and latency with 4 and 16 concurrent users (each user its own conversations of
   several turns, new conversation id per conversation), and the resident memory (VmRSS of the
   process and its children, from /proc) of each server after the load. The load measurements
   are split over ``--rounds`` interleaved rounds (stock, assistant, assistant, stock, ...) with
   both bots running, so that load from other work on the machine falls on both bots alike.
4. ``--soak SECONDS``: this assistant with 16 users for that long, each user keeping one
   conversation for the whole soak (trackers grow all along; ``--soak-conversation-turns N``
   starts a new conversation every N turns instead). Reports p50/p95/throughput per minute and
   the p95 of the last minute against the first.
5. Prints the table, and with ``--write FILE`` writes it (with the machine, the date and the load
   average before and after) into FILE, replacing only the section(s) of this run.

Users' messages are realistic Dutch parent messages for this assistant and the generic starter
messages for the stock bot. The figures are benchmark figures: never assert them in unit tests.
The benchmark client runs on the same machine (it takes a little CPU from both bots alike).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "bouwstenen-perf"
RESERVED_PORTS = {5005, 5055, 8080, 8081}

# Conversations of a parent with this assistant (several turns each, like a real chat).
ASSISTANT_CONVERSATIONS: List[List[str]] = [
    ["hoi", "hij bonkt met zijn hoofd tegen de muur als hij moet gaan slapen", "wat kan ik doen?",
     "waarom denk je dat?", "vertel meer over deze bouwsteen", "en hij laat me geen seconde los",
     "dank je wel"],
    ["ze wil altijd alles zelf bepalen, ook wat we eten en wanneer we gaan", "waarom denk je dat?",
     "wat kan ik doen?", "wat is bouwsteen 3?", "wat is het verschil tussen bouwsteen 2 en 3?",
     "geef een overzicht", "doei"],
    ["goedemiddag", "onze zoon van zes pikt geld uit mijn portemonnee",
     "en als ik hem erop aanspreek liegt hij er keihard over", "wat kan ik doen?",
     "ik ben zelf ook zo moe en verdrietig de laatste tijd", "vertel meer", "bedankt"],
    ["mijn dochter zit 's avonds op haar bed heen en weer te wiegen", "hoe komt dat?",
     "wat kan ik doen?", "ze kijkt me ook bijna nooit aan", "waarom denk je dat?",
     "kan ik met een mens praten?", "fijne avond"],
    ["hij wordt heel agressief als iets niet lukt, dan schopt hij tegen de deur",
     "wat kan ik doen?", "en ik schreeuw dan ook terug, dat wil ik niet", "waarom denk je dat?",
     "vertel meer", "geef een samenvatting", "dank je"],
    ["hallo", "hij klampt zich de hele dag aan me vast en huilt als ik naar de wc ga",
     "wat bedoel je met bouwsteen 1?", "wat kan ik doen?", "ben jij een robot?",
     "oké, dank je wel"],
]

# The stock starter bot knows greetings, moods, bot challenge and goodbye.
STOCK_CONVERSATIONS: List[List[str]] = [
    ["hi", "I am sad", "no", "bye"],
    ["hello", "I am feeling very good", "goodbye"],
    ["hey there", "are you a bot?", "I am feeling very bad", "yes", "see you later"],
    ["good morning", "not very good", "yes it did", "have a nice day"],
    ["hey", "I am great", "thanks, bye bye"],
]


# ---------------------------------------------------------------------------------------------
# Pure helpers (unit-tested in tests/unit/test_performance_bench.py)
# ---------------------------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> Optional[float]:
    """The q-th percentile (0..100) with linear interpolation between closest ranks (as numpy's
    default); None for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(latencies_s: Sequence[float]) -> Dict[str, Optional[float]]:
    """p50, p95 and max in milliseconds, and the count."""
    ms = [1000 * x for x in latencies_s]
    return {"n": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95),
            "max": max(ms) if ms else None}


def ratio(assistant: Optional[float], stock: Optional[float]) -> Optional[float]:
    """assistant / stock; None when either is missing or the stock figure is zero."""
    if assistant is None or stock is None or stock == 0:
        return None
    return assistant / stock


@dataclass
class Row:
    """One line of the results table. ``check`` says whether the target is met: a function of
    (assistant, stock, ratio) or None when the line has no target."""
    metric: str
    unit: str
    stock: Optional[float]
    assistant: Optional[float]
    target: str = ""
    check: Optional[object] = field(default=None, repr=False)

    @property
    def ratio(self) -> Optional[float]:
        return ratio(self.assistant, self.stock)

    @property
    def met(self) -> Optional[bool]:
        if self.check is None:
            return None
        try:
            return bool(self.check(self.assistant, self.stock, self.ratio))
        except TypeError:  # a missing figure
            return False


def format_number(value: Optional[float]) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_ratio(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}×"


def format_table(rows: Iterable[Row]) -> str:
    """A Markdown table: metric, stock bot, this assistant, ratio, target, met."""
    lines = ["| Metric | Stock bot | This assistant | Ratio (assistant ÷ stock) | Target | Met |",
             "|---|---:|---:|---:|---|:---:|"]
    for row in rows:
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        unit = f" ({row.unit})" if row.unit else ""
        lines.append(f"| {row.metric}{unit} | {format_number(row.stock)} | {format_number(row.assistant)} "
                     f"| {format_ratio(row.ratio)} | {row.target} | {met} |")
    return "\n".join(lines)


def minute_buckets(samples: Sequence[Tuple[float, float]], start: float, seconds: float
                   ) -> List[Dict[str, Optional[float]]]:
    """Per minute of a soak: (turn start time, latency) samples -> p50, p95, max, turns/s."""
    minutes = max(1, math.ceil(seconds / 60))
    buckets: List[List[float]] = [[] for _ in range(minutes)]
    for started, latency in samples:
        index = int((started - start) // 60)
        if 0 <= index < minutes:
            buckets[index].append(latency)
    result = []
    for index, bucket in enumerate(buckets):
        length = min(60.0, seconds - 60 * index)
        figures = summarise(bucket)
        figures["minute"] = index + 1
        figures["throughput"] = len(bucket) / length if length > 0 else None
        result.append(figures)
    return result


def replace_section(document: str, name: str, body: str) -> str:
    """Replace the text between <!-- perf:NAME --> and <!-- /perf:NAME --> (appended if absent)."""
    begin, end = f"<!-- perf:{name} -->", f"<!-- /perf:{name} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(document):
        return pattern.sub(lambda _: block, document)
    return document.rstrip() + ("\n\n" if document.strip() else "") + block + "\n"


# ---------------------------------------------------------------------------------------------
# Machine, memory, processes
# ---------------------------------------------------------------------------------------------

def machine_description() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, AttributeError):
        pass
    versions = ", ".join(f"{name} {_version(name)}" for name in ("rasa", "rasa-sdk", "spacy", "tensorflow"))
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {versions}")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _children(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 (after the command in parentheses) is the parent pid.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def rss_mb(pid: int) -> Optional[float]:
    """Resident memory (VmRSS) of a process and all its descendants, in MB."""
    total_kb, seen, todo = 0, set(), [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{current}/status").read_text())
        except OSError:
            continue
        if match:
            total_kb += int(match.group(1))
        todo.extend(_children(current))
    return total_kb / 1024 if seen else None


def free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def server_env(**extra: str) -> Dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", PYTHONWARNINGS="ignore::DeprecationWarning")
    env.update(extra)
    return env


class Process:
    """A server started by this benchmark, in its own process group, with its log in a file."""

    def __init__(self, name: str, command: List[str], cwd: Path, log: Path, env: Dict[str, str]):
        self.name, self.log = name, log
        self.started = time.monotonic()
        self.popen = subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("w"),
                                      stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def check_running(self) -> None:
        if self.popen.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} stopped (exit {self.popen.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)  # our own process group only
                self.popen.wait()


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

def _run_timed(command: List[str], cwd: Path, env: Dict[str, str], log: Path) -> float:
    started = time.monotonic()
    with log.open("w") as out:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed; see {log}:\n"
                           f"{log.read_text(errors='replace')[-3000:]}")
    return seconds


def _recorded(workdir: Path) -> Dict:
    path = workdir / "train-times.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _record(workdir: Path, key: str, seconds: float) -> None:
    times = _recorded(workdir)
    times[key] = seconds
    (workdir / "train-times.json").write_text(json.dumps(times, indent=2))


def train_stock(workdir: Path, reuse: bool) -> Tuple[Path, Path, Optional[float]]:
    """The starter bot: (project folder, model, seconds of rasa init --no-prompt)."""
    project = workdir / "stock"
    models = sorted((project / "models").glob("*.tar.gz")) if project.exists() else []
    if reuse and models:
        return project, models[-1], _recorded(workdir).get("stock")
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)  # rasa init --no-prompt wants an existing folder
    cache = workdir / "cache-stock"
    shutil.rmtree(cache, ignore_errors=True)
    print("Training the stock bot (rasa init --no-prompt) …", flush=True)
    seconds = _run_timed([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                         workdir, server_env(RASA_CACHE_DIRECTORY=str(cache)), workdir / "train-stock.log")
    _record(workdir, "stock", seconds)
    models = sorted((project / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init wrote no model; see {workdir / 'train-stock.log'}")
    return project, models[-1], seconds


def train_assistant(workdir: Path, reuse: bool) -> Tuple[Path, Optional[float]]:
    """This assistant: (model, seconds of rasa train). Trained from the repository's files into
    the work folder, with an empty training cache."""
    model = workdir / "assistant-models" / "bouwstenen-bench.tar.gz"
    if reuse and model.exists():
        return model, _recorded(workdir).get("assistant")
    cache = workdir / "cache-assistant"
    shutil.rmtree(cache, ignore_errors=True)
    model.unlink(missing_ok=True)
    print("Training this assistant (rasa train) …", flush=True)
    seconds = _run_timed([str(BIN / "rasa"), "train", "--fixed-model-name", "bouwstenen-bench",
                          "--out", str(model.parent)],
                         ROOT, server_env(RASA_CACHE_DIRECTORY=str(cache)), workdir / "train-assistant.log")
    _record(workdir, "assistant", seconds)
    return model, seconds


# ---------------------------------------------------------------------------------------------
# Starting the bots
# ---------------------------------------------------------------------------------------------

@dataclass
class Bot:
    """A bot to start: its Rasa server and, for this assistant, its action server."""
    name: str
    conversations: List[List[str]]
    rasa_command: List[str]
    cwd: Path
    workdir: Path
    rasa_port: int
    actions_command: Optional[List[str]] = None
    actions_port: Optional[int] = None
    rasa: Optional[Process] = None
    actions: Optional[Process] = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self) -> None:
        if self.actions_command:
            # rasa-sdk binds to all interfaces unless SANIC_HOST says otherwise.
            self.actions = Process(f"{self.name} action server", self.actions_command, self.cwd,
                                   self.workdir / f"{self.name}-actions.log", server_env(SANIC_HOST="127.0.0.1"))
        self.rasa = Process(f"{self.name} Rasa server", self.rasa_command, self.cwd,
                            self.workdir / f"{self.name}-rasa.log", server_env())

    def stop(self) -> None:
        for process in (self.rasa, self.actions):
            if process:
                process.stop()


def assistant_endpoints(actions_port: int, workdir: Path) -> str:
    """The repository's endpoints.yml with the action endpoint on our port and any SQLite tracker
    store file in the work folder."""
    import yaml

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text()) or {}
    endpoints["action_endpoint"] = {"url": f"http://localhost:{actions_port}/webhook"}
    for section in ("tracker_store", "lock_store"):
        store = endpoints.get(section)
        if isinstance(store, dict) and str(store.get("dialect", "")).startswith("sqlite"):
            store["db"] = str(workdir / f"{section}.db")
            (workdir / f"{section}.db").unlink(missing_ok=True)
    return yaml.safe_dump(endpoints, sort_keys=False)


def _rasa_run(model: Path, port: int, extra: List[str]) -> List[str]:
    return [str(BIN / "rasa"), "run", "--enable-api", "--interface", "127.0.0.1", "--port", str(port),
            "--model", str(model), *extra]


def stock_bot(project: Path, model: Path, workdir: Path) -> Bot:
    port = free_port()
    return Bot("stock", STOCK_CONVERSATIONS,
               _rasa_run(model, port, ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]),
               project, workdir, port)


def actions_command(port: int) -> List[str]:
    """The action server as scripts/run starts it: bouwstenen.action_server (rasa-sdk without
    TensorFlow) when the repository has it, else `rasa run actions`."""
    if (ROOT / "bouwstenen" / "action_server.py").exists():
        return [str(BIN / "python"), "-m", "bouwstenen.action_server", "--port", str(port)]
    return [str(BIN / "rasa"), "run", "actions", "--port", str(port)]


def assistant_bot(model: Path, workdir: Path) -> Bot:
    actions_port, rasa_port = free_port(), free_port()
    while rasa_port == actions_port:
        rasa_port = free_port()
    endpoints = workdir / "assistant-endpoints.yml"
    endpoints.write_text(assistant_endpoints(actions_port, workdir))
    return Bot("assistant", ASSISTANT_CONVERSATIONS,
               _rasa_run(model, rasa_port, ["--endpoints", str(endpoints),
                                            "--credentials", str(ROOT / "credentials.yml")]),
               ROOT, workdir, rasa_port,
               actions_command=actions_command(actions_port),
               actions_port=actions_port)


async def wait_ready(session, bot: Bot, timeout: float = 300) -> float:
    """Seconds from starting the process(es) to: /status answers with a model (and the action
    server's /health answers)."""
    import aiohttp

    started = min(p.started for p in (bot.rasa, bot.actions) if p)
    checks = [(bot.rasa, f"{bot.base}/status")]
    if bot.actions:
        checks.append((bot.actions, f"http://127.0.0.1:{bot.actions_port}/health"))
    deadline = started + timeout
    for process, url in checks:
        while True:
            process.check_running()
            if time.monotonic() > deadline:
                raise RuntimeError(f"{process.name} not ready after {timeout} s; see {process.log}")
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == 200:
                        body = await response.json(content_type=None)
                        if process is not bot.rasa or body.get("model_id"):
                            break
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            await asyncio.sleep(0.1)
    return time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------

@dataclass
class LoadResult:
    latencies: List[float] = field(default_factory=list)
    samples: List[Tuple[float, float]] = field(default_factory=list)   # (start, latency)
    errors: int = 0
    empty: int = 0
    seconds: float = 0.0

    @property
    def throughput(self) -> Optional[float]:
        return len(self.latencies) / self.seconds if self.seconds else None


async def turn(session, bot: Bot, sender: str, text: str, result: Optional[LoadResult]) -> None:
    import aiohttp

    started = time.monotonic()
    try:
        async with session.post(f"{bot.base}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=60)) as response:
            body = await response.json(content_type=None)
            ok = response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok, body = False, None
    latency = time.monotonic() - started
    if result is None:
        return
    if not ok:
        result.errors += 1
        return
    if not body:
        result.empty += 1
    result.latencies.append(latency)
    result.samples.append((started, latency))


async def user(session, bot: Bot, user_id: str, deadline: float, result: LoadResult,
               max_turns: Optional[int] = None, turns_per_conversation: Optional[int] = None,
               offset: int = 0) -> None:
    """One user: conversations one after the other (each with its own conversation id) until the
    deadline or max_turns. With turns_per_conversation, the user walks the scripted messages
    over and over within one conversation id and starts a new one only after that many turns
    (0: never)."""
    turns, conversation = 0, 0
    scripts = bot.conversations
    while True:
        sender = f"{user_id}-c{conversation}"
        if turns_per_conversation is None:
            messages = scripts[(offset + conversation) % len(scripts)]
        else:
            flat = [m for s in scripts[offset % len(scripts):] + scripts[:offset % len(scripts)] for m in s]
            limit = turns_per_conversation or 10 ** 9
            messages = (flat[i % len(flat)] for i in range(limit))
        for text in messages:
            if time.monotonic() >= deadline or (max_turns is not None and turns >= max_turns):
                return
            await turn(session, bot, sender, text, result)
            turns += 1
        conversation += 1


async def load(session, bot: Bot, users: int, seconds: float, tag: str,
               turns_per_conversation: Optional[int] = None) -> LoadResult:
    result = LoadResult()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(user(session, bot, f"{tag}-u{i}", deadline, result,
                                turns_per_conversation=turns_per_conversation, offset=i)
                           for i in range(users)))
    result.seconds = time.monotonic() - started
    return result


async def single_user(session, bot: Bot, turns: int, tag: str) -> LoadResult:
    result = LoadResult()
    started = time.monotonic()
    await user(session, bot, f"{tag}-solo", float("inf"), result, max_turns=turns)
    result.seconds = time.monotonic() - started
    return result


async def parse_latency(session, bot: Bot, requests: int) -> List[float]:
    texts = [m for c in bot.conversations for m in c]
    latencies = []
    for i in range(requests):
        started = time.monotonic()
        async with session.post(f"{bot.base}/model/parse", json={"text": texts[i % len(texts)]}) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"/model/parse answered {response.status}")
        latencies.append(time.monotonic() - started)
    return latencies


async def tracker_events(session, bot: Bot, sender: str) -> Optional[int]:
    try:
        async with session.get(f"{bot.base}/conversations/{sender}/tracker",
                               params={"include_events": "ALL"}) as response:
            return len((await response.json(content_type=None)).get("events") or [])
    except Exception:  # only informative
        return None


# ---------------------------------------------------------------------------------------------
# Measuring one bot
# ---------------------------------------------------------------------------------------------

async def start_and_warm(session, bot: Bot) -> Dict:
    """Ready time, first turn, then every scripted message once (graph tracing, lazy loading)."""
    figures: Dict = {"ready_s": await wait_ready(session, bot)}
    print(f"  {bot.name}: ready after {figures['ready_s']:.1f} s", flush=True)
    first = LoadResult()
    await turn(session, bot, "first-turn", bot.conversations[0][0], first)
    figures["first_turn_ms"] = 1000 * first.latencies[0] if first.latencies else None
    for index, conversation in enumerate(bot.conversations):
        for text in conversation:
            await turn(session, bot, f"warmup-{index}", text, None)
    await parse_latency(session, bot, 10)
    return figures


def _merge(total: LoadResult, part: LoadResult) -> None:
    total.latencies += part.latencies
    total.samples += part.samples
    total.errors += part.errors
    total.empty += part.empty
    total.seconds += part.seconds


async def measure(bots: List[Bot], args) -> Dict[str, Dict]:
    """Starts the bots one after the other (each ready time alone), then measures them in
    interleaved rounds (stock, assistant, assistant, stock, ...), so that load from elsewhere on
    the machine falls on both alike."""
    import aiohttp

    figures: Dict[str, Dict] = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
        for bot in bots:
            bot.start()
            figures[bot.name] = await start_and_warm(session, bot)
        collected = {bot.name: {"parse": [], "single": LoadResult(), 4: LoadResult(), 16: LoadResult()}
                     for bot in bots}
        rounds = max(1, args.rounds)
        for index in range(rounds):
            order = bots if index % 2 == 0 else list(reversed(bots))
            for bot in order:
                mine = collected[bot.name]
                mine["parse"] += await parse_latency(session, bot, math.ceil(args.parse_requests / rounds))
                _merge(mine["single"], await single_user(session, bot, math.ceil(args.single_turns / rounds),
                                                         f"solo-r{index}"))
                for users in (4, 16):
                    await load(session, bot, users, min(3.0, args.duration / rounds / 4), f"warm{users}-r{index}")
                    _merge(mine[users], await load(session, bot, users, args.duration / rounds,
                                                   f"load{users}-r{index}"))
                print(f"  round {index + 1}/{rounds} {bot.name}, so far: 1 user p50 "
                      f"{format_number(summarise(mine['single'].latencies)['p50'])} ms, 16 users "
                      f"{format_number(mine[16].throughput)} turns/s (load {load_average()})", flush=True)
        for bot in bots:
            mine, out = collected[bot.name], figures[bot.name]
            out["parse"] = summarise(mine["parse"])
            out["single"] = dict(summarise(mine["single"].latencies), errors=mine["single"].errors,
                                 empty=mine["single"].empty)
            for users in (4, 16):
                result = mine[users]
                out[f"users{users}"] = dict(summarise(result.latencies), throughput=result.throughput,
                                            errors=result.errors, empty=result.empty)
            out["rss_rasa_mb"] = rss_mb(bot.rasa.pid)
            out["rss_actions_mb"] = rss_mb(bot.actions.pid) if bot.actions else None
    return figures


async def measure_soak(bot: Bot, args) -> Dict:
    import aiohttp

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
        bot.start()
        await start_and_warm(session, bot)
        print(f"  {bot.name}: soak, 16 users for {args.soak:.0f} s …", flush=True)
        result = await load(session, bot, 16, args.soak, "soak",
                            turns_per_conversation=args.soak_conversation_turns)
        start = min(s for s, _ in result.samples) if result.samples else time.monotonic()
        return {
            "seconds": result.seconds, "turns": len(result.latencies), "errors": result.errors,
            "empty": result.empty, "minutes": minute_buckets(result.samples, start, args.soak),
            "tracker_events": await tracker_events(session, bot, "soak-u0-c0"),
            "rss_rasa_mb": rss_mb(bot.rasa.pid),
            "rss_actions_mb": rss_mb(bot.actions.pid) if bot.actions else None,
        }


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def result_rows(stock: Dict, assistant: Dict, train: Dict[str, Optional[float]]) -> List[Row]:
    def get(figures: Dict, *keys):
        for key in keys:
            if not isinstance(figures, dict):
                return None
            figures = figures.get(key)
        return figures

    rows = [Row("`rasa train` wall time", "s", train.get("stock"), train.get("assistant"), "≤ 120 s",
                lambda a, s, r: a <= 120),
            Row("Ready after start", "s", stock.get("ready_s"), assistant.get("ready_s"), "≤ 20 s",
                lambda a, s, r: a <= 20),
            Row("First turn after ready", "ms", stock.get("first_turn_ms"), assistant.get("first_turn_ms"))]
    for key in ("p50", "p95"):
        rows.append(Row(f"NLU parse `/model/parse` {key}", "ms", get(stock, "parse", key),
                        get(assistant, "parse", key)))
    rows.append(Row("Full turn, 1 user, p50", "ms", get(stock, "single", "p50"), get(assistant, "single", "p50"),
                    "≤ 0.6× stock", lambda a, s, r: r <= 0.6))
    for key in ("p95", "max"):
        rows.append(Row(f"Full turn, 1 user, {key}", "ms", get(stock, "single", key),
                        get(assistant, "single", key)))
    for users in (4, 16):
        section = f"users{users}"
        target, check = ("", None) if users == 4 else ("≥ 2× stock", lambda a, s, r: r >= 2)
        rows.append(Row(f"{users} users: throughput", "turns/s", get(stock, section, "throughput"),
                        get(assistant, section, "throughput"), target, check))
        rows.append(Row(f"{users} users: p50", "ms", get(stock, section, "p50"), get(assistant, section, "p50")))
        target, check = ("", None) if users == 4 else ("≤ 500 ms", lambda a, s, r: a <= 500)
        rows.append(Row(f"{users} users: p95", "ms", get(stock, section, "p95"), get(assistant, section, "p95"),
                        target, check))
    rows.append(Row("Rasa server memory after the load (RSS)", "MB", stock.get("rss_rasa_mb"),
                    assistant.get("rss_rasa_mb"), "≤ 1024 MB", lambda a, s, r: a <= 1024))
    rows.append(Row("Action server memory after the load (RSS)", "MB", None, assistant.get("rss_actions_mb"),
                    "≤ 150 MB", lambda a, s, r: a <= 150))
    errors = lambda f: sum((get(f, k, "errors") or 0) for k in ("single", "users4", "users16"))  # noqa: E731
    empty = lambda f: sum((get(f, k, "empty") or 0) for k in ("single", "users4", "users16"))  # noqa: E731
    rows.append(Row("Failed requests / empty answers", "", errors(stock) + empty(stock),
                    errors(assistant) + empty(assistant), "0", lambda a, s, r: a == 0))
    return rows


def soak_report(soak: Dict, args) -> Tuple[str, Optional[float]]:
    minutes = soak["minutes"]
    lines = ["| Minute | Turns/s | p50 (ms) | p95 (ms) | max (ms) |", "|---:|---:|---:|---:|---:|"]
    for m in minutes:
        lines.append(f"| {m['minute']} | {format_number(m['throughput'])} | {format_number(m['p50'])} "
                     f"| {format_number(m['p95'])} | {format_number(m['max'])} |")
    full = [m for m in minutes if m["n"]]
    drift = ratio(full[-1]["p95"], full[0]["p95"]) if len(full) >= 2 else None
    conv = args.soak_conversation_turns
    how = ("each user keeps one conversation for the whole soak" if not conv
           else f"each user starts a new conversation every {conv} turns")
    summary = (f"16 users, {soak['seconds']:.0f} s, {how}; {soak['turns']} turns, "
               f"{soak['errors']} failed, {soak['empty']} empty. "
               f"Tracker of one user at the end: {soak['tracker_events']} events. "
               f"Memory at the end: Rasa server {format_number(soak['rss_rasa_mb'])} MB, action server "
               f"{format_number(soak['rss_actions_mb'])} MB.\n\n"
               f"**p95 last minute ÷ first minute: {format_ratio(drift)}** (no drift: ≤ 1.20×; "
               f"{'met' if drift is not None and drift <= 1.2 else 'not met'}).")
    return summary + "\n\n" + "\n".join(lines), drift


def write_document(path: Path, sections: Dict[str, str]) -> None:
    header = ("# Performance benchmark\n\n"
              "Made by `bench/performance.py` (see its docstring and the README): this assistant "
              "against the stock Rasa starter bot (`rasa init --no-prompt`, default config), "
              "measured the same way in one run on one machine. Ratios are this assistant ÷ stock "
              "bot. Sections are replaced by the run that produced them.\n")
    document = path.read_text(encoding="utf-8") if path.exists() else header
    for name, body in sections.items():
        document = replace_section(document, name, body)
    path.write_text(document, encoding="utf-8")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help=f"models, logs and temp files (default {DEFAULT_WORKDIR})")
    parser.add_argument("--skip-train-if-present", action="store_true",
                        help="reuse the models (and recorded training times) of an earlier run")
    parser.add_argument("--duration", type=float, default=60,
                        help="seconds per concurrent-load measurement (default 60)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds over which each measurement is split (default 3)")
    parser.add_argument("--single-turns", type=int, default=200, help="turns for the 1-user latency")
    parser.add_argument("--parse-requests", type=int, default=200, help="requests for the parse latency")
    parser.add_argument("--soak", type=float, default=0, metavar="SECONDS",
                        help="also soak this assistant: 16 users for SECONDS (600 in the issue)")
    parser.add_argument("--soak-only", action="store_true",
                        help="with --soak: only the soak (no stock bot, no other measurements)")
    parser.add_argument("--soak-conversation-turns", type=int, default=0,
                        help="soak: new conversation every N turns (default 0: one per user)")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the results into FILE (Markdown)")
    args = parser.parse_args(argv)
    if args.soak_only and not args.soak:
        parser.error("--soak-only needs --soak SECONDS")

    args.workdir.mkdir(parents=True, exist_ok=True)
    date = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    machine = machine_description()
    load_before = load_average()
    print(f"{date}; {machine}\nload average before: {load_before}", flush=True)

    train: Dict[str, Optional[float]] = {}
    results: Dict[str, Dict] = {}
    if not args.soak_only:
        project, stock_model, train["stock"] = train_stock(args.workdir, args.skip_train_if_present)
    assistant_model, train["assistant"] = train_assistant(args.workdir, args.skip_train_if_present)
    print(f"Training: stock {format_number(train.get('stock'))} s, "
          f"assistant {format_number(train['assistant'])} s", flush=True)

    if not args.soak_only:
        bots = [stock_bot(project, stock_model, args.workdir), assistant_bot(assistant_model, args.workdir)]
        try:
            results = asyncio.run(measure(bots, args))
        finally:
            for bot in bots:
                bot.stop()
    if args.soak:
        bot = assistant_bot(assistant_model, args.workdir)
        try:
            results.setdefault("assistant", {})["soak"] = asyncio.run(measure_soak(bot, args))
        finally:
            bot.stop()
    load_after = load_average()

    sections: Dict[str, str] = {}
    context = (f"- Date: {date}\n- Machine: {machine}\n"
               f"- Load average (1, 5, 15 min) before: {load_before}; after: {load_after}\n")
    if not args.soak_only:
        rows = result_rows(results["stock"], results["assistant"], train)
        table = format_table(rows)
        settings = (f"- Settings: parse {args.parse_requests} requests; 1 user {args.single_turns} turns; "
                    f"4 and 16 users {args.duration:.0f} s each after a short warm-up; all split over "
                    f"{args.rounds} interleaved rounds (stock, assistant, assistant, stock, …); "
                    f"training times {'reused from an earlier run' if args.skip_train_if_present else 'from this run'}"
                    f" (empty training cache)\n")
        sections["main"] = f"## Results\n\n{context}{settings}\n{table}\n"
        print("\n" + table, flush=True)
    if args.soak:
        body, _ = soak_report(results["assistant"]["soak"], args)
        sections["soak"] = f"## Soak\n\n{context}\n{body}\n"
        print("\n" + body, flush=True)
    print(f"\nload average after: {load_after}")
    if args.write:
        write_document(args.write if args.write.is_absolute() else ROOT / args.write, sections)
        print(f"written to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
