"""``python -m generator``: see generator/cli.py."""

from .cli import run

run()
