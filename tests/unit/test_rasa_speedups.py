"""Per-turn costs of Rasa paid once (bouwstenen/rasa_speedups.py): same behaviour as Rasa's."""
import asyncio

import pytest
import rasa.shared.core.events
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bouwstenen import action_server, rasa_speedups


def test_action_results_are_judged_as_rasa_judges_them():
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    from bouwstenen import rasa_speedups

    rasa_speedups.apply()

    schema = RemoteAction.action_response_format_spec()
    good = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hoi"}]}
    bad = {"events": [{"event": "slot", "name": 3}], "responses": "geen lijst"}
    assert RemoteAction._validate_action_result(None, good) is True
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        RemoteAction._validate_action_result(None, bad)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_event_classes_are_found_as_rasa_finds_them():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    from bouwstenen import rasa_speedups

    rasa_speedups.apply()
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    events = [UserUttered("hoi").as_dict(), SlotSet("x", 1).as_dict()]
    assert [type(e) for e in rasa.shared.core.events.deserialise_events(events)] == [UserUttered, SlotSet]


def test_calls_to_the_action_server_reuse_one_connection():
    rasa_speedups.apply()
    peers = []

    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": [], "seen": await request.json()})

    async def run():
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"X-Test": "1"})
        answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
        await runner.cleanup()
        return answers

    answers = asyncio.run(run())
    assert [a["seen"] for a in answers] == [{"n": 0}, {"n": 1}, {"n": 2}]  # Rasa's request, unchanged
    assert len(peers) == 3 and len(set(peers)) == 1  # one connection for all three


def test_the_action_server_keeps_idle_connections_longer_than_the_rasa_server():
    assert action_server.KEEP_ALIVE_SECONDS > rasa_speedups.CLIENT_KEEPALIVE_SECONDS
