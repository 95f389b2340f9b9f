"""Two costs Rasa 3.6 pays on every turn that do not change its behaviour when paid once.

Both were found by profiling a turn of this assistant (docs/benchmarks.md) and are applied in
the Rasa server when it loads the channels (bouwstenen/channels.py):

- Every answer of the action server is checked with `jsonschema.validate`, which first checks
  Rasa's large events schema against the JSON-Schema metaschema: about half of the server's time
  in a turn with a custom action. Here the validator for that schema is built once; answers are
  judged exactly as before (same schema, same best-match error).
- Loading a conversation looks up each stored event's class by scanning every subclass of
  `Event`, once per event: with a long conversation that scan was a third of the whole turn.
  Here the class found for a type name is remembered; unknown names still go to Rasa's lookup.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Type

import rasa.core.actions.action
import rasa.shared.core.events


def validate_action_results_with_one_validator() -> None:
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    remote_action = rasa.core.actions.action.RemoteAction
    schema = remote_action.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def validate(self, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (". Failed to validate Action server response from API, make sure "
                              "your response from the Action endpoint is valid.")
            raise error
        return True

    remote_action._validate_action_result = validate


def remember_event_classes() -> None:
    event = rasa.shared.core.events.Event
    if getattr(event.resolve_by_type, "remembers", False):
        return
    rasa_lookup = event.resolve_by_type
    found: Dict[str, Type] = {}

    def resolve_by_type(type_name: str, default: Optional[Type] = None) -> Optional[Type]:
        cls = found.get(type_name)
        if cls is None:
            cls = rasa_lookup(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type.remembers = True
    event.resolve_by_type = staticmethod(resolve_by_type)


def apply() -> None:
    validate_action_results_with_one_validator()
    remember_event_classes()
