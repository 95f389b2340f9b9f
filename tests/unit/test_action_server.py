import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_the_action_server_runs_the_actions_without_tensorflow():
    """bouwstenen.action_server keeps TensorFlow (380 MB) out of the action server process."""
    code = ("import sys; from bouwstenen import action_server; "
            "action_server.keep_tensorflow_out(); "
            "import actions.actions; from bouwstenen import dialogue; "
            "assert 'Bouwsteen 1' in dialogue.describe('hij bonkt met zijn hoofd').reply.text; "
            "print(sys.modules.get('tensorflow'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "None"
