"""The public site: a demo page of the (fictional) organisation with the chat widget embedded,
the widget's assets, and the widget's configuration generated from knowledge/organisation.yml.

    python -m bouwstenen.site --host 127.0.0.1 --port 8080 --rasa-url http://localhost:5005

Routes:
  /                              demo page (web/demo/index.html, the Rasa URL filled in)
  /demo.css                      its styles
  /widget/bouwstenen-widget.js   the widget (one script tag embeds it: docs/widget.md)
  /widget/bouwstenen-widget.css  its styles
  /widget/vendor/socket.io.min.js  socket.io-client from web/node_modules (npm, pinned)
  /widget/config.json            organisation name, human contact, privacy link, urgent help and
                                 the allowlist of links the widget may make (from knowledge/)
  /health                        {"status": "ok"}

Only these files are served (no directory listing, nothing else from disk). Every response has
security headers; the Content-Security-Policy allows scripts and styles from this site only and
network connections to this site and the Rasa server.
"""
from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import urlsplit

from bouwstenen import knowledge as kb
from bouwstenen.paths import PROJECT_ROOT

WEB_DIR = PROJECT_ROOT / "web"
DEMO_PAGE = WEB_DIR / "demo" / "index.html"
DEMO_STYLES = WEB_DIR / "demo" / "demo.css"
ASSETS: Dict[str, Path] = {
    "bouwstenen-widget.js": WEB_DIR / "widget" / "bouwstenen-widget.js",
    "bouwstenen-widget.css": WEB_DIR / "widget" / "bouwstenen-widget.css",
    "vendor/socket.io.min.js": WEB_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
}
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PHONE_NUMBER = re.compile(r"\+?\d[\d \-]*\d")


# --- pure parts (unit-tested) ---------------------------------------------------------------

def origin(url: str) -> str:
    """'http://localhost:5005/x' -> 'http://localhost:5005'; raises ValueError for non-web URLs."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def phone_numbers(phone: Optional[str]) -> List[Dict[str, str]]:
    """The dialable numbers in a phone field: '113 of gratis 0800-0113' ->
    [{'text': '113', 'tel': '113'}, {'text': '0800-0113', 'tel': '08000113'}]."""
    found = []
    for match in PHONE_NUMBER.finditer(phone or ""):
        text = match.group(0).strip()
        digits = ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
        if len(digits.lstrip("+")) >= 3:
            found.append({"text": text, "tel": digits})
    return found


def _web_url(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    try:
        origin(url)
    except ValueError:
        return None
    return url.strip()


def _contact(contact: kb.Contact) -> Dict[str, object]:
    return {
        "name": contact.name,
        "phone": contact.phone,
        "phones": phone_numbers(contact.phone),
        "email": contact.email,
        "url": _web_url(contact.url),
        "when": contact.when,
    }


def widget_config(knowledge: Optional[kb.Knowledge] = None) -> Dict[str, object]:
    """What the widget shows about the organisation, and the only links it may make.

    Everything comes from knowledge/ (organisation.yml for the organisation, bouwstenen.yml for
    the credit). `links` is the allowlist: only these phone numbers (tel:), e-mail addresses
    (mailto:) and http(s) addresses become clickable in the chat; all other text stays text."""
    k = knowledge or kb.load()
    organisation = k.organisation
    contacts = [organisation.human_contact, *k.urgent_help]
    phones: Dict[str, str] = {}
    for contact in contacts:
        for number in phone_numbers(contact.phone):
            phones.setdefault(number["text"], number["tel"])
    emails = list(dict.fromkeys(c.email.strip() for c in contacts if c.email))
    urls = list(dict.fromkeys(u for u in [_web_url(organisation.privacy_url)]
                              + [_web_url(c.url) for c in contacts] if u))
    return {
        "organisation": {"name": organisation.name},
        "human_contact": _contact(organisation.human_contact),
        "privacy_url": _web_url(organisation.privacy_url),
        "urgent_help": [_contact(c) for c in k.urgent_help],
        "credit": f"Gebaseerd op het {k.model.name} van {k.model.author}",
        "links": {
            "phones": [{"text": text, "tel": tel} for text, tel in phones.items()],
            "emails": emails,
            "urls": urls,
        },
    }


def content_security_policy(rasa_url: str) -> str:
    """Scripts, styles and images from this site only; connections to this site and Rasa
    (http and the websocket scheme, for socket.io)."""
    rasa = origin(rasa_url)
    websocket = "ws" + rasa[len("http"):]  # http -> ws, https -> wss
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' {rasa} {websocket}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(rasa_url: str) -> Dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(rasa_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def render_demo(rasa_url: str, knowledge: Optional[kb.Knowledge] = None, page: Path = DEMO_PAGE) -> str:
    """The demo page with the Rasa server's URL and the facts from knowledge/ filled in."""
    origin(rasa_url)  # refuse anything that is not an http(s) URL
    k = knowledge or kb.load()
    facts = {
        "{{RASA_URL}}": rasa_url.rstrip("/"),
        "{{ORGANISATION}}": k.organisation.name,
        "{{MODEL_CREDIT}}": k.model.credit,
        "{{MODEL_PYRAMID}}": k.model.pyramid,
        "{{CONTACT_WHEN}}": k.organisation.human_contact.when or "op werkdagen",
    }
    text = page.read_text(encoding="utf-8")
    for placeholder, value in facts.items():
        text = text.replace(placeholder, html.escape(value, quote=True))
    return text


# --- the app --------------------------------------------------------------------------------

def create_app(rasa_url: str, knowledge: Optional[kb.Knowledge] = None, name: str = "bouwstenen_site"):
    from sanic import Sanic, response
    from sanic.exceptions import NotFound

    headers = security_headers(rasa_url)
    config_body = json.dumps(widget_config(knowledge), ensure_ascii=False, indent=2)
    app = Sanic(name)

    demo_page = render_demo(rasa_url, knowledge)  # once, not per request

    @app.route("/", methods=["GET", "HEAD"])
    async def demo(_request):
        return response.html(demo_page, headers={"Cache-Control": "no-cache"})

    @app.route("/demo.css", methods=["GET", "HEAD"])
    async def demo_styles(_request):
        return await response.file(DEMO_STYLES, mime_type=CONTENT_TYPES[".css"],
                                   headers={"Cache-Control": "no-cache"})

    @app.route("/health", methods=["GET", "HEAD"])
    async def health(_request):
        return response.json({"status": "ok"})

    @app.route("/widget/config.json", methods=["GET", "HEAD"])
    async def config(_request):
        # Public facts; any page that embeds the widget may read them.
        return response.text(config_body, content_type="application/json; charset=utf-8",
                             headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"})

    @app.route("/widget/<name:path>", methods=["GET", "HEAD"])
    async def asset(_request, name: str):
        path = ASSETS.get(name)
        if path is None or not path.is_file():
            raise NotFound("Niet gevonden")
        return await response.file(path, mime_type=CONTENT_TYPES[path.suffix],
                                   headers={"Cache-Control": "no-cache"})

    @app.on_response
    async def add_security_headers(_request, resp):
        for key, value in headers.items():
            resp.headers.setdefault(key, value)

    return app


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description="Demo-pagina en chatwidget van de Bouwstenen-assistent.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://localhost:5005",
                        help="adres van de Rasa-server zoals de browser het ziet")
    args = parser.parse_args(argv)
    origin(args.rasa_url)
    app = create_app(args.rasa_url)
    app.run(host=args.host, port=args.port, access_log=False, workers=1, motd=False)


if __name__ == "__main__":
    main()
