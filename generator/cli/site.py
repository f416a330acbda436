"""Commands that turn docs/ into the HTML site: site, linkcheck, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import CONTENT


@click.command()
@click.option("--content", type=CONTENT, default=Path("content"), show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True)  # fmt: skip
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              envvar="PAPERCAT_SERVE_ADDR", show_envvar=True,
              help="Address to serve on.")  # fmt: skip
def serve(content: Path, out: Path, dev_addr: str) -> None:
    """Build, serve at 127.0.0.1:8000 and rebuild when content/ changes."""
    from generator.site.serve import serve as run_serve

    sys.exit(run_serve(content, out, dev_addr))


@click.command("site")
@click.option("--renderer", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="MkDocs + Material, or Zensical.")  # fmt: skip
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), show_default=True)  # fmt: skip
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Default: site/ (mkdocs), site-zensical/ (zensical).")  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Print the time of each stage.")
def site_command(renderer: str, config: Path, site_dir: Path | None, verbose: bool) -> None:
    """Render docs/ into the HTML site beside the old one, check its links, swap it in."""
    from generator.site import sitebuild

    sys.exit(sitebuild.run(config, site_dir, renderer, verbose))


@click.command()
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
def linkcheck(site_dir: Path) -> None:
    """Check every internal link and #anchor of a built site; exit 1 on broken links."""
    from generator.site import linkcheck as check

    sys.exit(check.run(site_dir))


COMMANDS = [serve, site_command, linkcheck]
