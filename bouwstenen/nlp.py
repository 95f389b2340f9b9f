"""The Dutch spaCy pipeline shared by Rasa's NLU and the domain code.

config.yml names one spaCy package (``nl_bouwstenen``). Set-up builds it:
- from ``nl_core_news_sm`` when that trained pipeline is installed (tagger, parser, lemmatiser);
- otherwise from spaCy's Dutch language data with the lookup lemmatiser of
  ``spacy-lookups-data`` (tokenisation and lemmas, no statistical model to download).
Its ``meta.json`` records which base it was built from (``bouwstenen_base``).
"""
from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bouwstenen.paths import CONFIG_FILE

PACKAGE_NAME = "nl_bouwstenen"
TRAINED_BASE = "nl_core_news_sm"


def configured_model_name(config_file: Path = CONFIG_FILE) -> str:
    """The spaCy model that config.yml gives to Rasa's SpacyNLP component."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "SpacyNLP":
            return component["model"]
    raise ValueError(f"{config_file}: pipeline has no SpacyNLP component with a 'model'")


_shared: dict = {}  # name -> a pipeline another part of this process already loaded


def share_pipeline(name: str, language) -> None:
    """Use a pipeline that is already loaded (Rasa's SpacyNLP in the Rasa server) instead of
    loading a second copy of about 90 MB. Only before the first `load_pipeline`."""
    if load_pipeline.cache_info().currsize == 0:
        _shared[name] = language


@functools.lru_cache(maxsize=None)
def load_pipeline(name: str | None = None):
    """Load (once per process) the spaCy pipeline the NLU uses."""
    name = name or configured_model_name()
    if name in _shared:
        return _shared[name]
    import spacy

    return spacy.load(name, disable=["parser", "ner"])


@functools.lru_cache(maxsize=None)
def _lookup_vocabulary():
    """Word forms and lemmas of the lookup lemmatiser, or None when the pipeline has none."""
    nlp = load_pipeline()
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_lookup"):
        return None
    table = lookups.get_table("lemma_lookup")
    return table, frozenset(table.values())


def is_known_word(word: str) -> bool:
    """Whether the pipeline's lexicon knows ``word`` (unknown words may be typos)."""
    vocabulary = _lookup_vocabulary()
    if vocabulary is None:
        return True  # no way to tell: never treat a word as a typo
    table, lemmas = vocabulary
    return word in lemmas or word in table or not word.isalpha()


def trained_base_available() -> bool:
    return importlib.util.find_spec(TRAINED_BASE) is not None


def build_base_pipeline(base: str):
    """A Dutch pipeline from ``base``: 'nl_core_news_sm' or 'blank' (language data + lookups)."""
    import spacy

    if base == TRAINED_BASE:
        nlp = spacy.load(TRAINED_BASE)
    else:
        nlp = spacy.blank("nl")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()  # loads the lookup tables from spacy-lookups-data into the pipeline
    nlp.meta["name"] = "bouwstenen"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = f"Dutch pipeline of the Bouwstenen-assistent, built from {base}"
    nlp.meta["bouwstenen_base"] = base
    return nlp


def install_package(nlp) -> None:
    """Save the pipeline and install it into the running environment as a Python package."""
    with tempfile.TemporaryDirectory() as tmp:
        model_dir, out_dir = Path(tmp, "model"), Path(tmp, "package")
        out_dir.mkdir()
        nlp.to_disk(model_dir)
        from spacy.cli.package import package

        # spaCy runs "setup.py sdist", which lists every file it copies: keep the console quiet.
        saved_stdout = os.dup(1)
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            try:
                package(model_dir, out_dir, create_sdist=True, force=True, silent=True)
            finally:
                os.dup2(saved_stdout, 1)
                os.close(saved_stdout)
        (sdist,) = out_dir.glob("*/dist/*.tar.gz")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--no-build-isolation", "--force-reinstall", str(sdist)],
            check=True,
        )


def installed_base() -> str | None:
    if importlib.util.find_spec(PACKAGE_NAME) is None:
        return None
    import spacy

    return spacy.info(PACKAGE_NAME).get("bouwstenen_base", "unknown")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bouwstenen.nlp")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help=f"build and install the {PACKAGE_NAME} pipeline")
    build.add_argument("--if-missing", action="store_true",
                       help="do nothing when it is installed and built from the best base available")
    sub.add_parser("info", help="which base the installed pipeline was built from")
    args = parser.parse_args(argv)

    wanted = TRAINED_BASE if trained_base_available() else "blank"
    if args.command == "info":
        print(f"{PACKAGE_NAME}: built from {installed_base() or '(not installed)'}; best available: {wanted}")
        return 0
    if args.if_missing and installed_base() == wanted:
        return 0
    print(f"Set-up: spaCy-pipeline {PACKAGE_NAME} bouwen vanuit {wanted}")
    install_package(build_base_pipeline(wanted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
