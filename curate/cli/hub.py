"""`curate push-to-hub` and `curate pull-from-hub`: versions on the Hugging Face Hub."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._options import Home, Json, VersionAlias, VersionArg, required_version


def register(app: typer.Typer) -> None:
    app.command("push-to-hub", help="Upload a version (parquet per split + card) to the Hub, tagged vN.")(push)
    app.command("pull-from-hub", help="Register a dataset pushed to the Hub as a new local version.")(pull)


def push(
    repo_id: Annotated[str, typer.Argument(help="The dataset repo, NAMESPACE/NAME.")],
    version: VersionArg = None,
    private: Annotated[bool, typer.Option("--private", help="Create the repo as private.")] = False,
    dry_run: Annotated[
        Path | None,
        typer.Option("--dry-run", help="Write the files that would be uploaded into this new folder; upload nothing."),
    ] = None,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.hub import push_to_hub
    from curate.registry import Registry

    version = required_version(version, version_alias)
    result = push_to_hub(Registry(home), repo_id, version, private=private, dry_run=dry_run)
    if json:
        print_json(result.as_dict())
        return
    out = console()
    rows = [[path, sha[:16]] for path, sha in result.files.items()]
    if result.dry_run_dir is not None:
        out.print(table(f"dry run: {repo_id} tag {version} would receive", ["file", "sha256"], rows))
        out.print(f"wrote them to {result.dry_run_dir}; card metadata checked")
    else:
        out.print(table(f"pushed {version} to {repo_id}", ["file", "sha256"], rows))
        out.print(f"commit {result.commit} tagged {version}: {result.url}")


def pull(
    repo_id: Annotated[str, typer.Argument(help="The dataset repo, NAMESPACE/NAME.")],
    revision: Annotated[str | None, typer.Option(help="A tag such as v2, a branch or a commit.")] = None,
    from_dir: Annotated[
        Path | None,
        typer.Option("--from-dir", help="Read this local copy of the repo (e.g. a --dry-run folder); no download."),
    ] = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json
    from curate.hub import pull_from_hub
    from curate.registry import Registry

    registry = Registry(home)
    manifest = pull_from_hub(registry, repo_id, revision, from_dir=from_dir)
    if json:
        print_json({"version": manifest.version, "parent": manifest.parent, "n_examples": manifest.n_examples,
                    "path": str(registry.versions_dir / manifest.version), "content_hash": manifest.content_hash})
        return
    console().print(f"registered {manifest.parent} as [bold]{manifest.version}[/bold] "
                    f"({manifest.n_examples} examples) in {registry.versions_dir / manifest.version}")
