"""What the command groups share: the content folder option's type."""

from __future__ import annotations

from pathlib import Path

import click

CONTENT = click.Path(file_okay=False, path_type=Path)
