"""Scale-out on Rasa's own stores: scripts/scale-out starts PostgreSQL (tracker store), Redis
(lock store), two action servers and two Rasa instances with deploy/endpoints.scale.yml (values
from the environment), on free ports in a temporary directory. Conversations alternate between
the instances with several in flight at once; afterwards PostgreSQL must hold every event of every
conversation exactly once and in order. The example reverse proxy (deploy/nginx.scale.conf) is
checked with nginx when nginx is installed.

Run alone, with the figures for docs/reliability.md:
    .venv/bin/python -m pytest -q -s tests/integration/test_scale_out.py
"""
from __future__ import annotations

import asyncio
import glob
import json
import os
import random
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import pytest

from tests.integration.stack import RASA_TOKEN, ROOT, free_port, stop

pytestmark = pytest.mark.slow

CONVERSATIONS = 50
TURNS = 10
IN_FLIGHT = 8
ORIGIN = "https://www.adoptiezorg-voorbeeld.nl"  # the page with the widget

# What parents write, in their own words; each conversation takes ten different ones.
PARENT_MESSAGES = [
    "hij bonkt met zijn hoofd tegen de muur",
    "ze laat me geen seconde los",
    "wat kan ik doen?",
    "waarom denk je dat?",
    "vertel meer",
    "dank je",
    "hij wiegt 's avonds heen en weer in bed",
    "ze wil altijd alles zelf bepalen",
    "hij pikt steeds snoep uit de kast",
    "onze dochter krijgt woedeaanvallen als ik nee zeg",
    "hij klampt zich de hele dag aan me vast",
    "ik ben zo moe, ik kan het bijna niet meer",
    "ze huilt als ik de kamer uit ga",
    "hij slaat zijn broertje als hij boos is",
    "wat is bouwsteen 2?",
    "geef een overzicht",
    "ze kijkt me nooit aan als ik iets vraag",
    "hij zegt dat hij niks voelt",
    "oke, dat ga ik proberen",
    "hoe lang duurt het voordat het beter gaat?",
]


def unique_ports(count: int) -> List[int]:
    ports: List[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def binaries_missing() -> List[str]:
    missing = []
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        missing.append("PostgreSQL (/usr/lib/postgresql/*/bin/initdb)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    return missing


@dataclass
class Scaled:
    dir: Path
    env: Dict[str, str]
    rasa_ports: List[int]
    pg_port: int
    redis_port: int

    def rasa_url(self, instance: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[instance]}"

    def connect_pg(self):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.pg_port, dbname=self.env["BOUWSTENEN_PG_DB"],
                                user=self.env["BOUWSTENEN_PG_USER"], password=self.env["BOUWSTENEN_PG_PASSWORD"])

    def redis(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.redis_port, password=self.env["BOUWSTENEN_REDIS_PASSWORD"])

    def log_tails(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
                         for path in sorted((self.dir / "logs").glob("*.log")))


@pytest.fixture(scope="module")
def scaled(model):
    subprocess.run([str(ROOT / "scripts" / "system-packages")], cwd=ROOT, timeout=900)
    missing = binaries_missing()
    if missing:
        pytest.skip(f"{' and '.join(missing)} missing, also after scripts/system-packages "
                    "(installing needs root and apt-get)")
    # Not pytest's tmp_path: as root, PostgreSQL runs as the user postgres, which must be able to
    # pass through every parent directory (pytest's are private to root).
    directory = Path(tempfile.mkdtemp(prefix="bouwstenen-scale-"))
    directory.chmod(0o711)
    ports = unique_ports(6)
    rasa_ports, action_ports, pg_port, redis_port = ports[:2], ports[2:4], ports[4], ports[5]
    env = dict(
        os.environ, RASA_TELEMETRY_ENABLED="false",
        SCALE_DIR=str(directory), SCALE_MODEL=str(model), SCALE_INSTANCES="2",
        SCALE_RASA_PORTS=" ".join(map(str, rasa_ports)),
        SCALE_ACTION_PORTS=" ".join(map(str, action_ports)),
        SCALE_PG_PORT=str(pg_port), SCALE_REDIS_PORT=str(redis_port),
        RASA_AUTH_TOKEN=RASA_TOKEN, BOUWSTENEN_ALLOWED_ORIGINS=ORIGIN,
        BOUWSTENEN_PG_DB="bouwstenen_test", BOUWSTENEN_PG_USER="bouwstenen_test",
        BOUWSTENEN_PG_PASSWORD=secrets.token_urlsafe(18),
        BOUWSTENEN_REDIS_PASSWORD=secrets.token_urlsafe(18),
    )
    scaled = Scaled(directory, env, rasa_ports, pg_port, redis_port)
    try:
        started = time.monotonic()
        result = subprocess.run([str(ROOT / "scripts" / "scale-out")], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, (f"scripts/scale-out failed:\n{result.stdout[-3000:]}\n"
                                        f"{result.stderr[-3000:]}\n{scaled.log_tails()}")
        print(f"\nscripts/scale-out: 2 Rasa instances ready in {time.monotonic() - started:.0f} s")
        yield scaled
    finally:
        subprocess.run([str(ROOT / "scripts" / "scale-out"), "stop"], cwd=ROOT, env=env,
                       capture_output=True, timeout=300)
        shutil.rmtree(directory, ignore_errors=True)


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"stopped:\n{log.read_text()[-3000:]}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"port {port} not open after {seconds} s:\n{log.read_text()[-3000:]}")


def say(url: str, sender: str, message: str, timeout: float = 60, context=None) -> List[dict]:
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
        assert response.status == 200
        return json.load(response)


def stored_events(scaled: Scaled, prefix: str) -> Dict[str, List[tuple]]:
    """Every stored event of the conversations whose id starts with prefix, per conversation,
    in the order of the table's id: (id, type_name, timestamp, data)."""
    events: Dict[str, List[tuple]] = defaultdict(list)
    db = scaled.connect_pg()
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT id, sender_id, type_name, timestamp, data FROM events "
                           "WHERE sender_id LIKE %s ORDER BY id", (prefix + "%",))
            for row_id, sender, type_name, timestamp, data in cursor.fetchall():
                events[sender].append((row_id, type_name, timestamp, data))
    finally:
        db.close()
    return events


def check_conversation(events: List[tuple], sent: List[str]) -> Dict[str, int]:
    """Problems in one stored conversation, by kind (all zero when it is exactly as sent)."""
    user_texts = [json.loads(data).get("text") for _, type_name, _, data in events if type_name == "user"]
    problems = dict(
        missing=sum(1 for message in set(sent) if message not in user_texts),
        duplicates=len(user_texts) - len(set(user_texts))
        + sum(count - 1 for count in _counts(data for *_, data in events).values() if count > 1),
        out_of_order=int(set(user_texts) == set(sent) and user_texts != sent)
        + sum(1 for a, b in zip(events, events[1:]) if b[2] < a[2]),
        unexpected=sum(1 for text in set(user_texts) if text not in sent),
        sessions_started=abs(sum(1 for e in events if e[1] == "session_started") - 1),
        turns_without_reply=0,
    )
    # After every message of the parent, at least one bot message before the next message.
    types = [type_name for _, type_name, _, _ in events]
    user_at = [i for i, t in enumerate(types) if t == "user"] + [len(types)]
    problems["turns_without_reply"] = sum(1 for a, b in zip(user_at, user_at[1:]) if "bot" not in types[a:b])
    return problems


def _counts(items) -> Dict[str, int]:
    counts: Dict[str, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return counts


def test_conversations_alternating_between_two_instances_are_stored_exactly_once_in_order(scaled):
    run = secrets.token_hex(3)
    scripts = {f"scale-{run}-{c:02d}": random.Random(c).sample(PARENT_MESSAGES, TURNS)
               for c in range(CONVERSATIONS)}
    errors: List[str] = []
    latencies: List[float] = []
    lock = threading.Lock()
    redis_before = scaled.redis().info("commandstats")

    def converse(indexed):
        c, (sender, messages) = indexed
        for k, message in enumerate(messages):
            instance = (c + k) % 2
            started = time.monotonic()
            try:
                answer = say(scaled.rasa_url(instance), sender, message)
                problem = None if any((m.get("text") or "").strip() for m in answer) else "empty answer"
            except Exception as error:  # noqa: BLE001 - every failure counts as an error
                problem = f"{type(error).__name__}: {error}"
            with lock:
                latencies.append(time.monotonic() - started)
                if problem:
                    errors.append(f"{sender} turn {k} (instance {instance}): {problem}")

    started = time.monotonic()
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        list(pool.map(converse, enumerate(scripts.items())))
    elapsed = time.monotonic() - started

    stored = stored_events(scaled, f"scale-{run}-")
    totals: Dict[str, int] = defaultdict(int)
    for sender, messages in scripts.items():
        for kind, count in check_conversation(stored.get(sender, []), messages).items():
            totals[kind] += count
    events_checked = sum(len(events) for events in stored.values())
    user_events = sum(1 for events in stored.values() for e in events if e[1] == "user")
    redis_after = scaled.redis().info("commandstats")
    lock_writes = (redis_after.get("cmdstat_set", {}).get("calls", 0)
                   - redis_before.get("cmdstat_set", {}).get("calls", 0))
    latencies.sort()

    turns = CONVERSATIONS * TURNS
    print(f"\nscale-out: 2 Rasa instances, {CONVERSATIONS} conversations x {TURNS} turns = {turns} turns, "
          f"{IN_FLIGHT} in flight, turn k of conversation c to instance (c + k) % 2")
    print(f"  answered: {turns - len(errors)}, errors: {len(errors)}, run time {elapsed:.0f} s, "
          f"{turns / elapsed:.1f} turns/s, per turn p50 {latencies[len(latencies) // 2]:.2f} s, "
          f"p95 {latencies[int(len(latencies) * 0.95)]:.2f} s, max {latencies[-1]:.2f} s")
    print(f"  PostgreSQL: {len(stored)} conversations, {events_checked} events checked "
          f"({user_events} user events); missing {totals['missing']}, duplicates {totals['duplicates']}, "
          f"out of order {totals['out_of_order']}, unexpected {totals['unexpected']}, "
          f"extra/missing session starts {totals['sessions_started']}, "
          f"turns without a bot reply {totals['turns_without_reply']}")
    print(f"  Redis lock store: {lock_writes} lock writes")
    for error in errors[:10]:
        print("  error:", error)

    assert not errors, f"{len(errors)} turns failed, e.g. {errors[:5]}\n{scaled.log_tails()}"
    assert len(stored) == CONVERSATIONS
    assert user_events == turns
    assert all(count == 0 for count in totals.values()), dict(totals)
    assert lock_writes >= turns, "every turn takes its lock in Redis"


def send_pairs(scaled: Scaled, prefix: str, pairs: int, stagger: float) -> Dict[str, List[tuple]]:
    """Per conversation: one message first, then two at (nearly) the same moment, the first to
    instance 0 and the second `stagger` seconds later to instance 1. Returns what was stored."""
    second = ("hij bonkt met zijn hoofd tegen de muur", "ze laat me geen seconde los")
    for c in range(pairs):
        sender = f"{prefix}{c}"
        say(scaled.rasa_url(c % 2), sender, "hallo")
        barrier = threading.Barrier(2)

        def send(instance, message, delay):
            barrier.wait()
            time.sleep(delay)
            return say(scaled.rasa_url(instance), sender, message)

        with ThreadPoolExecutor(2) as pool:
            answers = [pool.submit(send, 0, second[0], 0), pool.submit(send, 1, second[1], stagger)]
            assert all(any(m.get("text") for m in a.result()) for a in answers)
    return stored_events(scaled, prefix)


def corrupted(events: List[tuple]) -> bool:
    """Not three whole turns one after the other: a message lost, or a turn handled on a tracker
    that did not yet hold the previous one (a second session start, or a turn cut in two)."""
    types = [e[1] for e in events]
    names = [json.loads(e[3]).get("name") for e in events]
    users = [i for i, t in enumerate(types) if t == "user"]
    return (len(users) != 3 or types.count("session_started") != 1 or names[-1] != "action_listen"
            or any(names[i - 1] != "action_listen" for i in users)
            or any("bot" not in types[a:b] for a, b in zip(users, users[1:] + [len(types)])))


def test_a_second_message_while_the_first_is_handled_on_the_other_instance_waits_for_its_turn(scaled):
    """The Redis lock store: while one instance handles a conversation, another instance that
    gets the next message of the same conversation waits, then continues the same tracker."""
    stored = send_pairs(scaled, f"lock-{secrets.token_hex(3)}-", pairs=20, stagger=0.05)
    bad = [sender for sender, events in stored.items() if corrupted(events)]
    print(f"\nlock store: 20 conversations, second message 50 ms after the first on the other "
          f"instance: {len(bad)} corrupted")
    assert len(stored) == 20 and not bad


def test_two_messages_of_one_conversation_in_the_same_instant_on_both_instances(scaled):
    """Rasa 3.6's own RedisLockStore fails this (a separate GET and SET let both instances take
    the lock: 8 of 20 corrupted when measured); bouwstenen.locks.AtomicRedisLockStore passes."""
    stored = send_pairs(scaled, f"same-{secrets.token_hex(3)}-", pairs=20, stagger=0)
    bad = [sender for sender, events in stored.items() if corrupted(events)]
    print(f"\nlock store: 20 conversations, two messages in the same instant on both instances: "
          f"{len(bad)} corrupted")
    assert not bad


def test_the_example_reverse_proxy_is_valid_and_routes_only_the_public_paths(scaled):
    """deploy/nginx.scale.conf with nginx: `nginx -t`, then live in front of the two instances
    (own ports and a throwaway certificate): REST and socket.io pass, the API does not."""
    nginx = shutil.which("nginx")
    if not nginx or not shutil.which("openssl"):
        pytest.skip("nginx or openssl is not installed (apt-get install nginx-light openssl)")
    directory = scaled.dir / "nginx"
    directory.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=chat.adoptiezorg-voorbeeld.nl", "-keyout", directory / "privkey.pem",
                    "-out", directory / "fullchain.pem"], check=True, capture_output=True)
    https_port, http_port = unique_ports(2)
    conf = (ROOT / "deploy" / "nginx.scale.conf").read_text()
    for shipped, here in (("/etc/letsencrypt/live/chat.adoptiezorg-voorbeeld.nl", str(directory)),
                          ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                          ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                          ("127.0.0.1:5010", f"127.0.0.1:{scaled.rasa_ports[0]}"),
                          ("127.0.0.1:5011", f"127.0.0.1:{scaled.rasa_ports[1]}")):
        assert shipped in conf
        conf = conf.replace(shipped, here)
    (directory / "site.conf").write_text(conf)
    (directory / "nginx.conf").write_text(
        f"daemon off;\nerror_log {directory}/error.log;\npid {directory}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {directory}/body;\n  proxy_temp_path {directory}/proxy;\n"
        f"  include {directory}/site.conf;\n}}\n")
    command = [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf")]
    checked = subprocess.run(command + ["-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    log = directory / "nginx.log"
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for_port(https_port, process, log)
        url = f"https://127.0.0.1:{https_port}"
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
        reply = say(url, f"proxy-{secrets.token_hex(3)}", "hij bonkt met zijn hoofd tegen de muur", context=insecure)
        assert "Bouwsteen" in " ".join(m.get("text", "") for m in reply)
        for path in ("/status", "/conversations/x/tracker", "/model/parse", "/webhooks/rest/", "/"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{url}{path}?token={RASA_TOKEN}", timeout=10, context=insecure)
            assert refused.value.code == 404, path

        # socket.io through the proxy, as the widget does: long-polling first ...
        async def over_polling():
            import socketio

            client, replies, confirmed = socketio.AsyncClient(ssl_verify=False), asyncio.Queue(), asyncio.Queue()
            client.on("bot_uttered", replies.put_nowait)
            client.on("session_confirm", confirmed.put_nowait)
            await client.connect(url, headers={"Origin": ORIGIN}, transports=["polling"])
            await client.emit("session_request", {"session_id": None})
            session_id = await asyncio.wait_for(confirmed.get(), 10)
            await client.emit("user_uttered", {"message": "ze laat me geen seconde los", "session_id": session_id})
            first = await asyncio.wait_for(replies.get(), 30)
            await client.disconnect()
            return first

        assert asyncio.run(over_polling()).get("text")
        # ... and the websocket upgrade passes the proxy (101 Switching Protocols).
        with socket.create_connection(("127.0.0.1", https_port), timeout=10) as raw, \
                insecure.wrap_socket(raw, server_hostname="chat.adoptiezorg-voorbeeld.nl") as tls:
            tls.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\n"
                         f"Origin: {ORIGIN}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            status_line = tls.recv(4096).split(b"\r\n", 1)[0]
        assert b" 101 " in status_line, status_line
        print(f"\nnginx ({nginx}): deploy/nginx.scale.conf valid; REST, socket.io (polling) and the "
              "websocket upgrade pass the proxy; Rasa's API and other paths are refused")
    finally:
        stop(process)
