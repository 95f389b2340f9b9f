"""Where the project's files are. Overridable for tests and deployments."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(os.environ.get("BOUWSTENEN_KNOWLEDGE_DIR", PROJECT_ROOT / "knowledge"))
CONFIG_FILE = PROJECT_ROOT / "config.yml"
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
MODELS_DIR = Path(os.environ.get("BOUWSTENEN_MODELS_DIR", PROJECT_ROOT / "models"))
