"""The `newsarchive` command line: each command a few lines over a service."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from app.api.schemas import ArticlePublic, SearchResponse
from app.cli_progress import IngestProgress
from app.config import Settings, get_settings
from app.ingest.pipeline import extract_article
from app.ingest.record import IngestError
from app.ingest.sources import SourceFailure, SourceFormat, iter_sources
from app.search.query import QuerySyntaxError
from app.search.types import SearchRequest
from app.services.archive import Archive, open_archive
from app.services.articles import get_article, preview_record
from app.services.bulk import (
    BATCH_SIZE,
    ingest_paths,
    read_failures,
    retry_failures,
    write_failures,
)
from app.services.indexing import reindex
from app.services.ingest import ingest_item
from app.services.search import search_articles
from app.services.transfer import ImportSummary, import_lines, iter_export, migrate

cli = typer.Typer(
    help="newsarchive: ingest, extract, search and serve news articles.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
DEMO_DIR = Path(__file__).parent / "demo" / "articles"


def _open() -> Archive:
    return open_archive(get_settings())


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@cli.command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="files, folders, globs or - for stdin")
    ] = None,
    format: Annotated[SourceFormat, typer.Option(help="input format")] = "auto",
    report: Annotated[
        Path | None, typer.Option(help="write each failure as one JSON line to this file")
    ] = None,
    retry: Annotated[
        Path | None, typer.Option(help="ingest again exactly the failures of a --report file")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=0, help="pipeline processes (default: one per core)")
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="articles stored per database transaction")
    ] = BATCH_SIZE,
) -> None:
    """Ingest articles; prints `added N, duplicates N, failed N`, exit 1 if any failed."""
    if not paths and retry is None:
        raise _fail("give files, folders, globs or - for stdin, or --retry REPORT", 2)
    failures = None
    if retry is not None:
        try:
            with retry.open(encoding="utf-8") as handle:
                failures = read_failures(handle)
        except (OSError, IngestError) as error:
            raise _fail(f"cannot read {retry}: {error}", 2) from None
    archive = _open()
    shown = IngestProgress(sys.stderr)
    try:
        if failures is not None:
            summary = retry_failures(
                archive, failures, format, on_progress=shown.update, batch_size=batch_size
            )
        else:
            summary = ingest_paths(
                archive,
                paths or [],
                format,
                stdin=sys.stdin.buffer,
                workers=workers,
                on_progress=shown.update,
                batch_size=batch_size,
            )
    except KeyboardInterrupt:
        typer.echo("interrupted: what was stored is kept; run it again to continue", err=True)
        raise typer.Exit(130) from None
    finally:
        shown.close()
        archive.close()
    for failure in summary.failures:
        typer.echo(f"failed: {failure.origin}: {failure.reason}", err=True)
    if report is not None:
        with report.open("w", encoding="utf-8") as handle:
            write_failures(summary.failures, handle)
    if summary.skipped_files:
        typer.echo(f"skipped {summary.skipped_files} unchanged file(s) already ingested")
    typer.echo(
        f"added {summary.added}, duplicates {summary.duplicates}, failed {len(summary.failures)}"
    )
    if summary.failures:
        raise typer.Exit(1)


@cli.command()
def search(
    query: Annotated[str, typer.Argument(help="query language, as in the API")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
) -> None:
    """Search the archive, as `GET /api/search` does."""
    archive = _open()
    try:
        page = search_articles(archive, SearchRequest(q=query, per_page=limit))
    except QuerySyntaxError as error:
        raise _fail(f"bad query: {error}", 2) from None
    finally:
        archive.close()
    response = SearchResponse.model_validate(page)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(f"{response.total} article(s) for {query!r}")
    for hit in response.hits:
        when = hit.published_at.date().isoformat() if hit.published_at else "-"
        typer.echo(f"{hit.id:>6}  {when:10}  {hit.agency or '-':20.20}  {hit.title}")


@cli.command()
def show(
    article_id: Annotated[int, typer.Argument(help="article id")],
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
) -> None:
    """Show one article with its metadata."""
    archive = _open()
    try:
        detail = get_article(archive, article_id)
    finally:
        archive.close()
    if detail is None:
        raise _fail(f"no article {article_id}")
    article = ArticlePublic.model_validate(detail)
    if as_json:
        typer.echo(article.model_dump_json(indent=2))
        return
    typer.echo(article.title)
    for label, value in (
        ("section", article.section),
        ("agency", article.agency and article.agency.name),
        ("dateline", article.dateline and article.dateline.place),
        ("authors", ", ".join(article.authors)),
        ("translator", article.translator and article.translator.name),
        ("people", ", ".join(p.name for p in article.people)),
    ):
        if value:
            typer.echo(f"  {label:10} {value}")
    typer.echo("")
    typer.echo(article.body)


@cli.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="files or folders")],
    format: Annotated[SourceFormat, typer.Option(help="input format")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="one Article per line (NDJSON)")] = False,
) -> None:
    """Run the ingest pipeline and print what would be stored, storing nothing."""
    failed = 0
    for item in iter_sources(paths, format, sys.stdin.buffer):
        if isinstance(item, SourceFailure):
            failed += 1
            typer.echo(f"failed: {item.origin}: {item.reason}", err=True)
            continue
        try:
            record = extract_article(
                item.data, format=item.format, url=item.url, published_at=item.published_at
            )
        except IngestError as error:
            failed += 1
            typer.echo(f"failed: {item.origin}: {error}", err=True)
            continue
        article = ArticlePublic.model_validate(preview_record(record))
        if as_json:
            typer.echo(json.dumps({**article.model_dump(mode="json"), "source_path": item.origin}))
        else:
            typer.echo(f"{item.origin}: {article.title}")
            typer.echo(
                f"  agency {article.agency and article.agency.name}; people {len(article.people)}"
            )
    if failed:
        raise typer.Exit(1)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    demo: Annotated[bool, typer.Option(help="first ingest the bundled sample articles")] = False,
) -> None:
    """Serve the API and the web pages, logging JSON lines with request ids to stderr."""
    import uvicorn

    from app.logs import configure_logging
    from app.main import create_app

    settings = get_settings()
    configure_logging(settings.log_level)
    if not is_loopback(host) and not settings.api_keys:
        typer.secho(
            f"WARNING: listening on {host} with no NEWSARCHIVE_API_KEYS: anyone who can reach "
            "this address can add and delete articles.",
            fg="red",
            bold=True,
            err=True,
        )
    if demo:
        load_demo(settings)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        access_log=False,  # the app logs each request itself, with its request id
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=64 * 1024,  # request line and headers
    )


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine.

    >>> [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "example.org")]
    [True, True, True, False, False]
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_demo(settings: Settings) -> None:
    """Ingest the sample articles bundled with the package (idempotent)."""
    archive = open_archive(settings)
    try:
        results = [
            ingest_item(archive, item)
            for item in iter_sources([str(DEMO_DIR)], "auto")
            if not isinstance(item, SourceFailure)
        ]
    finally:
        archive.close()
    typer.echo(f"demo: {sum(r.created for r in results)} articles added, {len(results)} in all")


@cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database."""
    archive = _open()
    try:
        count = reindex(archive)
    finally:
        archive.close()
    typer.echo(f"reindexed {count} articles")


@cli.command("export")
def export_command(
    path: Annotated[str, typer.Argument(help="NDJSON file to write, or - for stdout")] = "-",
) -> None:
    """Write every article, with all it holds, as NDJSON (for `newsarchive import`)."""
    archive = _open()
    count = 0
    try:
        with _output(path) as stream:
            for line in iter_export(archive):
                stream.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
    finally:
        archive.close()
    typer.echo(f"exported {count} articles", err=True)


@cli.command("import")
def import_command(
    path: Annotated[str, typer.Argument(help="NDJSON file from `newsarchive export`, or -")] = "-",
) -> None:
    """Import an export into this archive; prints `added N, duplicates N, failed N`."""
    archive = _open()
    try:
        with _input(path) as stream:
            summary = import_lines(archive, stream)
    finally:
        archive.close()
    _report_import(summary)


@cli.command("migrate-to")
def migrate_to_command(
    url: Annotated[str, typer.Argument(help="target database, e.g. postgresql+psycopg://…")],
) -> None:
    """Copy this archive into the database at URL, migrated and indexed there."""
    source = _open()
    try:
        target = open_archive(get_settings(database_url=url, search_backend=None))
        try:
            summary = migrate(source, target)
        finally:
            target.close()
    finally:
        source.close()
    _report_import(summary)


def _report_import(summary: ImportSummary) -> None:
    for line, reason in summary.failed:
        typer.echo(f"failed: line {line}: {reason}", err=True)
    typer.echo(
        f"added {summary.added}, duplicates {summary.duplicates}, failed {len(summary.failed)}"
    )
    if summary.failed:
        raise typer.Exit(1)


def _output(path: str) -> contextlib.AbstractContextManager[TextIO]:
    if path == "-":
        return contextlib.nullcontext(sys.stdout)
    return Path(path).open("w", encoding="utf-8")


def _input(path: str) -> contextlib.AbstractContextManager[TextIO]:
    if path == "-":
        return contextlib.nullcontext(sys.stdin)
    return Path(path).open(encoding="utf-8")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations (ingest and serve also do it)."""
    _open().close()
    typer.echo("database is up to date")


def main() -> None:
    """Entry point of the `newsarchive` console script."""
    cli()
