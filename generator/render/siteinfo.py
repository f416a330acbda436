"""Site facts the generator needs from ``mkdocs.yml``: the public address.

Exports, feeds and citations need absolute URLs. ``site_url`` is read from the
repository's ``mkdocs.yml`` (one source of truth), where it is
``!ENV [PAPERCAT_SITE_URL, <public address>]``: ``PAPERCAT_SITE_URL`` overrides it, for
a pull request's preview, and the renderers read the same tag the same way.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

CONFIG = Path(__file__).resolve().parents[2] / "mkdocs.yml"
FALLBACK = "http://localhost:8000/"


class _Loader(yaml.SafeLoader):
    """Safe loading that resolves ``!ENV`` as MkDocs and Zensical do (pyyaml_env_tag,
    which MkDocs itself uses) and reads MkDocs' other tags (!!python/name ...) as None."""


_Loader.add_constructor("!ENV", construct_env_tag)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


@cache
def _configured(path: Path) -> str:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return FALLBACK
    url = data.get("site_url") if isinstance(data, dict) else None
    return url if isinstance(url, str) and url else FALLBACK


def site_url() -> str:
    """The site's absolute base URL, always ending in a slash."""
    url = os.environ.get("PAPERCAT_SITE_URL") or _configured(CONFIG)
    return url.rstrip("/") + "/"


def paper_url(paper_id: str) -> str:
    return f"{site_url()}papers/{paper_id}/"
