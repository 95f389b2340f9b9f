"""The public site (bouwstenen.site): the widget's config from knowledge/, the security headers,
the demo page, and the served files (the app in-process on a free port)."""
import asyncio
import json
import shutil
import socket

import aiohttp
import pytest
import yaml
from yarl import URL

from bouwstenen import knowledge as kb
from bouwstenen import site

RASA = "http://localhost:5005"


def served(*paths, rasa_url=RASA, knowledge=None):
    """{path: (status, headers, body)} from the real Sanic app, started in this process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    served.count = getattr(served, "count", 0) + 1

    async def run():
        app = site.create_app(rasa_url, knowledge, name=f"site_test_{served.count}")
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                         access_log=False)
        await server.startup()
        results = {}
        try:
            async with aiohttp.ClientSession() as session:
                for path in paths:
                    async with session.get(URL(f"http://127.0.0.1:{port}{path}", encoded=True)) as r:
                        results[path] = (r.status, r.headers, await r.read())
        finally:
            server.close()
            await server.wait_closed()
        return results

    return asyncio.run(run())


def test_config_comes_from_the_organisation_file():
    k = kb.load()
    config = site.widget_config(k)
    contact = k.organisation.human_contact
    assert config["organisation"]["name"] == k.organisation.name
    assert config["human_contact"]["phone"] == contact.phone
    assert config["human_contact"]["email"] == contact.email
    assert config["human_contact"]["when"] == contact.when
    assert config["privacy_url"] == k.organisation.privacy_url
    assert [c["name"] for c in config["urgent_help"]] == [c.name for c in k.urgent_help]
    assert config["credit"] == "Gebaseerd op het Bouwstenenmodel van Truus Bakker-van Zeil"
    links = config["links"]
    assert contact.email in links["emails"]
    assert k.organisation.privacy_url in links["urls"]
    shown = {p["text"] for p in links["phones"]}
    for c in [contact, *k.urgent_help]:
        for number in site.phone_numbers(c.phone):
            assert number["text"] in shown
    assert all(p["tel"].lstrip("+").isdigit() for p in links["phones"])
    json.dumps(config)  # served as JSON


def test_only_web_addresses_become_links(tmp_path):
    directory = tmp_path / "knowledge"
    shutil.copytree(kb.load().directory, directory)
    organisation = yaml.safe_load((directory / "organisation.yml").read_text(encoding="utf-8"))
    organisation["organisation"]["privacy_url"] = "javascript:alert(1)"
    organisation["urgent_help"][0]["url"] = "data:text/html,<script>alert(1)</script>"
    organisation["urgent_help"][1]["url"] = "https://hulp.example.nl/nu"
    (directory / "organisation.yml").write_text(yaml.safe_dump(organisation, allow_unicode=True), encoding="utf-8")
    config = site.widget_config(kb.Knowledge(directory))
    assert config["privacy_url"] is None
    assert config["urgent_help"][0]["url"] is None
    assert "https://hulp.example.nl/nu" in config["links"]["urls"]
    assert all(u.startswith(("https://", "http://")) for u in config["links"]["urls"])


def test_phone_numbers():
    assert site.phone_numbers("113 of gratis 0800-0113") == [
        {"text": "113", "tel": "113"}, {"text": "0800-0113", "tel": "08000113"}]
    assert site.phone_numbers("030 000 0000") == [{"text": "030 000 0000", "tel": "0300000000"}]
    assert site.phone_numbers("+31 30 000 0000") == [{"text": "+31 30 000 0000", "tel": "+31300000000"}]
    assert site.phone_numbers(None) == []


def test_origin():
    assert site.origin("https://chat.example.nl/pad?x=1") == "https://chat.example.nl"
    assert site.origin("http://localhost:5005/") == "http://localhost:5005"
    for bad in ("javascript:alert(1)", "ftp://example.nl", "localhost:5005", ""):
        with pytest.raises(ValueError):
            site.origin(bad)


def test_content_security_policy_allows_only_this_site_and_rasa():
    policy = dict(part.split(" ", 1) for part in site.content_security_policy("https://chat.example.nl/").split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self' https://chat.example.nl wss://chat.example.nl"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in site.content_security_policy(RASA)
    headers = site.security_headers(RASA)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "ws://localhost:5005" in headers["Content-Security-Policy"]


def test_demo_page_embeds_the_widget_with_the_given_server():
    page = site.render_demo("https://chat.example.nl")
    assert '<script src="/widget/bouwstenen-widget.js"' in page
    assert 'data-server-url="https://chat.example.nl"' in page
    assert "Stichting Adoptiezorg Voorbeeld" in page and "{{" not in page
    assert '"><script>' not in site.render_demo('http://localhost:5005/"><script>')
    with pytest.raises(ValueError):
        site.render_demo("javascript:alert(1)")


def test_demo_page_states_the_model_and_contact_facts_from_knowledge(knowledge):
    import html

    page = site.render_demo("https://chat.example.nl")
    for fact in (knowledge.model.credit, knowledge.model.pyramid, knowledge.organisation.human_contact.when):
        assert html.escape(fact, quote=True) in page


def test_served_files_and_headers():
    paths = ["/", "/health", "/demo.css", "/widget/config.json", "/widget/bouwstenen-widget.js",
             "/widget/bouwstenen-widget.css", "/widget/vendor/socket.io.min.js", "/widget/nope.js",
             "/widget/..%2F..%2Fbouwstenen%2Fsite.py", "/widget/../bouwstenen/site.py"]
    responses = served(*paths, rasa_url="http://localhost:6123")
    for path, (status, headers, _) in responses.items():
        assert "connect-src 'self' http://localhost:6123 ws://localhost:6123" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
    status, headers, body = responses["/"]
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'data-server-url="http://localhost:6123"' in body
    assert json.loads(responses["/health"][2]) == {"status": "ok"}
    status, headers, body = responses["/widget/config.json"]
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(body) == site.widget_config()
    assert responses["/widget/bouwstenen-widget.js"][1]["Content-Type"].startswith("text/javascript")
    assert responses["/widget/bouwstenen-widget.css"][1]["Content-Type"].startswith("text/css")
    assert responses["/demo.css"][0] == 200
    for path in ("/widget/nope.js", "/widget/..%2F..%2Fbouwstenen%2Fsite.py", "/widget/../bouwstenen/site.py"):
        assert responses[path][0] == 404, path
    if site.ASSETS["vendor/socket.io.min.js"].is_file():  # after `npm ci` in web/ (scripts/setup)
        assert responses["/widget/vendor/socket.io.min.js"][0] == 200
