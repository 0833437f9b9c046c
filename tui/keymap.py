"""A reviewer's own keys: ``binding id = "keys"`` lines in a TOML file, checked before use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from platformdirs import user_config_dir


def keymap_path() -> Path:
    """Where a reviewer's own keys live: ``<user config dir>/claimdiff/keymap.toml``."""
    return Path(user_config_dir("claimdiff")) / "keymap.toml"


def load_keymap(path: Path, ids: set[str]) -> tuple[dict[str, str], str | None]:
    """Read ``binding id = "keys"`` lines; returns the keymap and one line on what is wrong.

    A missing file is no keymap and no problem; a bad file keeps the default keys.
    """
    import tomllib  # only a reviewer with a keymap file pays for it

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{path}: cannot read it ({exc}); default keys in use"
    except tomllib.TOMLDecodeError as exc:
        return {}, f"{path}: not valid TOML ({exc}); default keys in use"
    flat: dict[str, object] = {}

    def walk(prefix: str, table: dict[str, Any]) -> None:
        # `tag.confirmed = "C"` is a nested table in TOML: join the parts back into the id.
        for key, value in table.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                flat[name] = value

    walk("", raw.get("keys", raw) if isinstance(raw.get("keys"), dict) else raw)
    unknown = sorted(k for k in flat if k not in ids)
    if unknown:
        return {}, (
            f"{path}: unknown binding id {', '.join(unknown)} (known: {', '.join(sorted(ids))});"
            " default keys in use"
        )
    bad = sorted(k for k, v in flat.items() if not isinstance(v, str) or not v.strip())
    if bad:
        return {}, f"{path}: {', '.join(bad)} must be a key name in quotes; default keys in use"
    return {k: str(v).strip() for k, v in flat.items()}, None
