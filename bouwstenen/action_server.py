"""The action server as the run command starts it: Rasa SDK's own server, with the same arguments
as `rasa run actions`, but without TensorFlow in the process.

spaCy's machine-learning layer (thinc) imports TensorFlow whenever it is installed, and Rasa
installs it; the custom actions never use it. Loading it costs the action server about 4 s of
start-up and 380 MB of memory, so here it is marked as absent before anything imports it.

    python -m bouwstenen.action_server --port 5055        # the actions package by default
"""
import os
import sys


def keep_tensorflow_out() -> None:
    sys.modules.setdefault("tensorflow", None)  # `import tensorflow` now fails fast; thinc skips it


# The Rasa server keeps its connections to this server alive and closes idle ones after 15 s
# (bouwstenen/rasa_speedups.py). Sanic closes idle ones after 5 s by default; were the server to
# close first, a request could go out on a connection that is just being closed.
KEEP_ALIVE_SECONDS = 75


def main() -> None:
    keep_tensorflow_out()
    os.environ.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", str(KEEP_ALIVE_SECONDS))  # read by Sanic
    from rasa_sdk.__main__ import main as rasa_sdk_main

    if "--actions" not in sys.argv:
        sys.argv += ["--actions", "actions"]  # what `rasa run actions` defaults to
    rasa_sdk_main()


if __name__ == "__main__":
    main()
