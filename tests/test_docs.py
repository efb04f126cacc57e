"""Docs and schemas stay true: each is compared with a fresh export from the models."""

from __future__ import annotations

import re
import typing

from pydantic import BaseModel

from generator.checks import CODES
from generator.content.models import KINDS
from generator.authoring.schemas import export_schemas, reference_markdown
from tests.conftest import ROOT

REGENERATE = "run `make schemas docs` (python -m generator schemas; python -m generator docs)"


def test_schemas_folder_is_fresh():
    wanted = export_schemas()
    folder = ROOT / "schemas"
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.schema.json")}
    assert set(on_disk) == set(wanted), REGENERATE
    stale = [name for name, text in wanted.items() if on_disk[name] != text]
    assert not stale, f"stale schemas {stale}: {REGENERATE}"


def test_reference_is_fresh():
    assert (ROOT / "docs/reference.md").read_text(encoding="utf-8") == reference_markdown(), REGENERATE


def test_reference_covers_every_kind():
    text = reference_markdown()
    for kind in KINDS:
        assert f"### `{kind}`" in text


def _models(annotation, out):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in out:
            out.append(annotation)
            for f in annotation.model_fields.values():
                _models(f.annotation, out)
    for arg in typing.get_args(annotation):
        _models(arg, out)


def test_every_field_is_described_and_unknown_keys_rejected():
    models: list[type[BaseModel]] = []
    for model in KINDS.values():
        _models(model, models)
    for model in models:
        assert model.model_config.get("extra") == "forbid", model.__name__
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


def test_every_finding_code_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Finding codes\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M))
    assert documented == set(CODES), (set(CODES) - documented, documented - set(CODES))


def test_every_emitted_code_is_in_the_code_table():
    emitted: set[str] = set()
    for path in (ROOT / "generator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        emitted |= set(re.findall(r'"(?:error|warning|info)", "([a-z0-9-]+)"', text))
        emitted |= set(re.findall(r'Problem\([^)]*?"([a-z]+-[a-z-]+)"', text))
    emitted -= {"error", "warning", "info"}
    assert emitted, "the scan found nothing: the pattern is stale"
    assert emitted <= set(CODES), emitted - set(CODES)


def test_readme_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make ([a-z-]+)$", readme, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), f"README names make {target}, the Makefile lacks it"


def test_every_label_exists_in_every_language():
    from generator.content.i18n import tables

    en, id_ = tables()["en"], tables()["id"]
    assert set(en) - set(id_) == set() and set(id_) - set(en) == set()
