"""The staff page: a triage card for helpline staff, on its own port, behind a token.

    BOUWSTENEN_STAFF_TOKEN=... python -m bouwstenen.staff --host 127.0.0.1 --port 8081 --endpoints endpoints.yml

Routes (all but /health need the token):
  GET  /health                      {"status": "ok"}
  GET  /                            the page (401 with a login form without a valid session)
  POST /login                       form field "token": sets the session cookie
  POST /logout                      clears it
  GET  /static/staff.js, staff.css  the page's script and style
  POST /api/card                    {"text": "..."} or {"messages": [...]} -> card JSON
  GET  /api/conversation/<id>       card JSON of the parent's messages in that stored conversation

Authentication: the page uses a session cookie (HttpOnly, SameSite=Strict) holding the time it
was issued and an HMAC over it keyed with the token and a secret of this process; it expires
after SESSION_SECONDS and with a restart. The JSON API also takes ``Authorization: Bearer
<token>``. Tokens and MACs are compared with hmac.compare_digest. The card itself comes from
``bouwstenen.card``, the same engine as the chat summary and the CLI.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import time
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

from bouwstenen.paths import PROJECT_ROOT

TOKEN_ENV = "BOUWSTENEN_STAFF_TOKEN"
MIN_TOKEN_LENGTH = 16
SESSION_COOKIE = "bouwstenen_staff"
SESSION_SECONDS = 8 * 3600
WEB_DIR = PROJECT_ROOT / "web" / "staff"
MAX_TEXT_CHARS = 20000
MAX_MESSAGES = 200
MAX_ID_CHARS = 200
FAILED_LOGIN_DELAY = 0.5  # seconds; slows down guessing

UNAUTHORISED = "Geen toegang: log in met de medewerkerstoken."
WRONG_TOKEN = "Onjuiste token. Probeer het opnieuw."
TOKEN_MISSING = (f"De medewerkerspagina start niet: zet de omgevingsvariabele {TOKEN_ENV} op een "
                 f"geheime token van minstens {MIN_TOKEN_LENGTH} tekens.")
TOKEN_TOO_SHORT = (f"De medewerkerspagina start niet: de token in {TOKEN_ENV} is te kort; gebruik "
                   f"minstens {MIN_TOKEN_LENGTH} tekens.")

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make the browser send "Origin: null"
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


# --- the token and the session ----------------------------------------------------------------

class ConfigError(ValueError):
    """The staff page cannot start; the message is Dutch and says what to do."""


def read_token(environ: Mapping[str, str] = os.environ) -> str:
    token = (environ.get(TOKEN_ENV) or "").strip()
    if not token:
        raise ConfigError(TOKEN_MISSING)
    if len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(TOKEN_TOO_SHORT)
    return token


class Auth:
    """Checks the token (login form, bearer header) and the session cookie."""

    def __init__(self, token: str, secret: Optional[bytes] = None, lifetime: int = SESSION_SECONDS):
        if len(token) < MIN_TOKEN_LENGTH:
            raise ConfigError(TOKEN_TOO_SHORT)
        self._token = token.encode("utf-8")
        self._key = hashlib.sha256(self._token + b"\0" + (secret or secrets.token_bytes(32))).digest()
        self.lifetime = lifetime

    def check_token(self, given: Optional[str]) -> bool:
        return hmac.compare_digest((given or "").encode("utf-8"), self._token)

    def check_bearer(self, header: Optional[str]) -> bool:
        scheme, _, value = (header or "").partition(" ")
        return scheme.lower() == "bearer" and self.check_token(value.strip())

    def _mac(self, issued: int) -> str:
        return hmac.new(self._key, f"staff-session:{issued}".encode(), hashlib.sha256).hexdigest()

    def session_value(self, now: Optional[float] = None) -> str:
        issued = int(now if now is not None else time.time())
        return f"{issued}.{self._mac(issued)}"

    def check_session(self, value: Optional[str], now: Optional[float] = None) -> bool:
        issued_text, _, mac = (value or "").partition(".")
        if not issued_text.isdigit() or not mac:
            return False
        issued = int(issued_text)
        now = now if now is not None else time.time()
        if not (issued - 60 <= now <= issued + self.lifetime):
            return False
        return hmac.compare_digest(mac.encode(), self._mac(issued).encode())

    def authorised(self, headers: Mapping[str, str], cookies: Mapping[str, str],
                   now: Optional[float] = None) -> bool:
        return self.check_bearer(headers.get("authorization")) or \
            self.check_session(cookies.get(SESSION_COOKIE), now)


def same_origin(headers: Mapping[str, str]) -> bool:
    """A state-changing request from a browser must come from this page (a missing Origin is
    a non-browser client, which needs the token anyway)."""
    origin = headers.get("origin")
    if not origin:
        return True
    host = headers.get("host", "")
    return re.sub(r"^https?://", "", origin) == host


# --- what a stored conversation says --------------------------------------------------------

async def parent_turns_async(store, sender_id: str) -> Optional[Tuple[List[str], List[Optional[str]]]]:
    """The parent's messages of one conversation with the intent the classifier gave each, in
    order; None when there is no such conversation. Same messages as
    ``bouwstenen.conversations.user_messages_async`` (button payloads are no words)."""
    tracker = await store.retrieve_full_tracker(sender_id)
    if tracker is None or not tracker.events:
        return None
    from rasa.shared.core.events import UserUttered

    texts, intents = [], []
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
            texts.append(event.text)
            intents.append((event.intent or {}).get("name"))
    return texts, intents


# --- the request body ----------------------------------------------------------------------

def messages_from_body(body) -> Tuple[Optional[List[str]], Optional[str]]:
    """(messages, None) or (None, Dutch error) from {"text": ...} or {"messages": [...]}."""
    if not isinstance(body, dict):
        return None, 'Stuur JSON met een veld "text".'
    if "messages" in body:
        messages = body["messages"]
        if not isinstance(messages, list) or not messages or not all(isinstance(m, str) for m in messages):
            return None, 'Het veld "messages" moet een lijst met teksten zijn.'
        if len(messages) > MAX_MESSAGES:
            return None, f"Te veel berichten (hoogstens {MAX_MESSAGES})."
    else:
        text = body.get("text")
        if not isinstance(text, str):
            return None, 'Stuur JSON met een veld "text".'
        messages = [text]
    if not any(m.strip() for m in messages):
        return None, "Plak eerst wat de ouder schreef."
    if sum(len(m) for m in messages) > MAX_TEXT_CHARS:
        return None, f"De tekst is te lang (hoogstens {MAX_TEXT_CHARS} tekens)."
    return messages, None


def card_response(messages: List[str], intents: Optional[List[Optional[str]]] = None,
                  source: Optional[Dict] = None) -> Dict:
    from bouwstenen.card import build_card, card_as_text

    card = build_card(messages, intents)
    card["source"] = source or {"type": "tekst"}
    card["as_text"] = card_as_text(card)
    return card


# --- the app ---------------------------------------------------------------------------------

def _inline_style_hash(html: str) -> str:
    found = re.search(r"<style>(.*?)</style>", html, re.S)
    if not found:
        return ""
    digest = base64.b64encode(hashlib.sha256(found.group(1).encode("utf-8")).digest()).decode()
    return f" 'sha256-{digest}'"


def create_app(auth: Auth, store=None, web_dir: Path = WEB_DIR, name: str = "bouwstenen_staff"):
    from html import escape

    from sanic import Sanic, response

    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 256 * 1024
    app.config.KEEP_ALIVE_TIMEOUT = 5
    index_html = (web_dir / "index.html").read_text(encoding="utf-8")
    login_html = (web_dir / "login.html").read_text(encoding="utf-8")
    login_csp = SECURITY_HEADERS["Content-Security-Policy"].replace(
        "style-src 'self'", "style-src 'self'" + _inline_style_hash(login_html))
    assets = {
        "staff.js": ((web_dir / "staff.js").read_bytes(), "text/javascript; charset=utf-8"),
        "staff.css": ((web_dir / "staff.css").read_bytes(), "text/css; charset=utf-8"),
    }
    dumps = functools.partial(json.dumps, ensure_ascii=False)

    def allowed(request) -> bool:
        return auth.authorised(request.headers, request.cookies)

    def denied_json():
        return response.json({"error": UNAUTHORISED}, status=401, dumps=dumps,
                             headers={"WWW-Authenticate": 'Bearer realm="bouwstenen-staff"'})

    def login_page(message: str = UNAUTHORISED, status: int = 401):
        body = login_html.replace("{{melding}}", escape(message))
        return response.html(body, status=status, headers={"Content-Security-Policy": login_csp})

    @app.on_response
    async def security_headers(request, resp):
        for header, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(header, value)

    @app.get("/health")
    async def health(request):
        return response.json({"status": "ok"})

    @app.get("/")
    async def index(request):
        if not allowed(request):
            return login_page()
        return response.html(index_html)

    @app.post("/login")
    async def login(request):
        if not same_origin(request.headers):
            return login_page(UNAUTHORISED, 403)
        token = request.form.get("token") if request.form else None
        if not auth.check_token(token):
            await asyncio.sleep(FAILED_LOGIN_DELAY)
            return login_page(WRONG_TOKEN)
        resp = response.redirect("/", status=303)
        resp.cookies[SESSION_COOKIE] = auth.session_value()
        cookie = resp.cookies[SESSION_COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/"
        cookie["max-age"] = auth.lifetime
        if request.scheme == "https" or request.headers.get("x-forwarded-proto") == "https":
            cookie["secure"] = True
        return resp

    @app.post("/logout")
    async def logout(request):
        resp = response.redirect("/", status=303)
        if same_origin(request.headers):
            resp.cookies[SESSION_COOKIE] = ""
            resp.cookies[SESSION_COOKIE]["max-age"] = 0
            resp.cookies[SESSION_COOKIE]["path"] = "/"
        return resp

    @app.get("/static/<name>")
    async def static(request, name: str):
        if not allowed(request):
            return response.text(UNAUTHORISED, status=401)
        if name not in assets:
            return response.text("Niet gevonden.", status=404)
        body, content_type = assets[name]
        return response.raw(body, content_type=content_type)

    @app.post("/api/card")
    async def api_card(request):
        if not allowed(request):
            return denied_json()
        if not same_origin(request.headers):
            return response.json({"error": "Verzoek van een andere site geweigerd."}, status=403, dumps=dumps)
        if "json" not in (request.content_type or ""):
            return response.json({"error": "Stuur JSON (Content-Type: application/json)."}, status=415, dumps=dumps)
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return response.json({"error": "Geen geldige JSON."}, status=400, dumps=dumps)
        messages, error = messages_from_body(body)
        if error:
            return response.json({"error": error}, status=400, dumps=dumps)
        return response.json(card_response(messages), dumps=dumps)

    @app.get("/api/conversation/<conversation_id:path>")
    async def api_conversation(request, conversation_id: str):
        if not allowed(request):
            return denied_json()
        conversation_id = conversation_id.strip()
        if not conversation_id or len(conversation_id) > MAX_ID_CHARS:
            return response.json({"error": "Geef een geldig conversatie-id."}, status=400, dumps=dumps)
        if store is None:
            return response.json({"error": "Er is geen gespreksopslag ingesteld."}, status=503, dumps=dumps)
        turns = await parent_turns_async(store, conversation_id)
        if turns is None:
            return response.json({"error": "Geen gesprek gevonden met dit conversatie-id."},
                                 status=404, dumps=dumps)
        texts, intents = turns
        if not texts:
            return response.json({"error": "In dit gesprek heeft de ouder (nog) niets geschreven."},
                                 status=404, dumps=dumps)
        return response.json(card_response(texts, intents, {"type": "gesprek", "id": conversation_id}),
                             dumps=dumps)

    return app


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bouwstenen.staff",
                                     description="Triagekaart voor medewerkers van de hulplijn (eigen poort, achter een token).")
    parser.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1: alleen deze machine)")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--endpoints", type=Path, default=None,
                        help="endpoints.yml met de tracker store van de Rasa-server (voor gesprekken op id)")
    args = parser.parse_args(argv)
    try:
        auth = Auth(read_token())
    except ConfigError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from bouwstenen import conversations
    from bouwstenen.recognition import default_recogniser
    from bouwstenen.safety import default_detector

    store = conversations.open_tracker_store(args.endpoints or conversations.ENDPOINTS)
    default_recogniser()  # load the lexicon and spaCy now, not on the first card
    default_detector()
    app = create_app(auth, store)
    app.run(host=args.host, port=args.port, access_log=False, motd=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
