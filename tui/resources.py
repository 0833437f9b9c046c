"""Where the bundled seeds, styles and contracts live, installed or in a checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries them under tui/_data/; a checkout (or editable install) at the top.
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def seeds_dir() -> Path:
    """The five bundled sample articles."""
    return _data_dir("seeds")


def styles_dir() -> Path:
    """The Textual stylesheets."""
    return _data_dir("styles")


def contract_path(name: str) -> Path:
    """A JSON Schema shipped in the package: ``analysis`` or ``annotations``."""
    return _PACKAGE / "contracts" / f"{name}.schema.json"


@cache
def contract(name: str) -> dict[str, Any]:
    """A shipped JSON Schema, parsed."""
    data: dict[str, Any] = json.loads(contract_path(name).read_text(encoding="utf-8"))
    return data


@cache
def annotation_validator() -> Draft202012Validator:
    """Validates an annotation file as claimdiff writes it (the shared contract and more)."""
    # Imported here: jsonschema is a third of claimdiff's import time, and `analyze` never
    # validates an annotation file.
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resource(
        SCHEMA_ID, Resource.from_contents(contract("annotations"))
    )
    return Draft202012Validator(contract("annotations-full"), registry=registry)


SCHEMA_ID = "claimdiff.annotations/1"  # how the full format refers to the shared contract
