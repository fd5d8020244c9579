"""Command line: `flask --app docgen db upgrade`, `token create|revoke|list`."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from docgen.auth import create_token, revoke_token
from docgen.db import get_db
from docgen.orgs.models import ROLES, ApiToken, Organisation

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
token_cli = AppGroup("token", help="API tokens.")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"].replace("%", "%%"))
    return cfg


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(), revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    command.downgrade(alembic_config(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the models (review it before committing)."""
    command.revision(alembic_config(), message=message, autogenerate=True)


@token_cli.command("create")
@click.option("--org", "org_name", required=True, help="Organisation name (created if new).")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--user", "user_name", default=None, help="Name of the user the token is for.")
def token_create(org_name: str, role: str, user_name: str | None) -> None:
    """Create a token; it is printed once, as the last line, and stored only as a hash."""
    with get_db().session() as s:
        token, row = create_token(s, org_name, role, user_name)
        s.commit()
        click.echo(f"organisation: {org_name}  role: {role}  token id: {row.prefix}")
        click.echo(token)


@token_cli.command("revoke")
@click.argument("token_or_prefix")
def token_revoke(token_or_prefix: str) -> None:
    """Revoke a token, given in full or by the prefix `token list` shows."""
    with get_db().session() as s:
        count = revoke_token(s, token_or_prefix)
        s.commit()
    if not count:
        raise click.ClickException("no active token matches")
    click.echo(f"revoked {count} token(s)")


@token_cli.command("list")
@click.option("--org", "org_name", default=None)
def token_list(org_name: str | None) -> None:
    with get_db().session() as s:
        query = select(ApiToken, Organisation.name).join(Organisation, Organisation.id == ApiToken.org_id)
        if org_name:
            query = query.where(Organisation.name == org_name)
        for row, name in s.execute(query.order_by(ApiToken.id)):
            state = "revoked" if row.revoked_at else "active"
            click.echo(f"{row.prefix}  {name}  {row.user.role}  {row.user.name}  {state}")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(token_cli)
    app.cli.add_command(storage_cli)


storage_cli = AppGroup("storage", help="Object storage maintenance.")


@storage_cli.command("sweep")
@click.option("--delete", is_flag=True, help="Delete orphans that are unlocked drafts older than a day.")
def storage_sweep(delete: bool) -> None:
    """Report objects no database row points at (left by a crash between upload and commit)."""
    from docgen.files import services as files

    count = 0
    with get_db().session() as s:
        for orphan in files.sweep(s, files.get_storage(), delete=delete):
            count += 1
            state = "deleted" if orphan.deleted else "kept"
            created = orphan.created_at.isoformat() if orphan.created_at else "unknown"
            click.echo(f"orphan {orphan.key} created {created} {state}")
    click.echo(f"{count} orphan(s)")


@storage_cli.command("verify")
def storage_verify() -> None:
    """Re-read every stored object and report any whose SHA-256 no longer matches its record."""
    from docgen.files import services as files

    problems = 0
    with get_db().session() as s:
        for problem in files.verify(s, files.get_storage()):
            problems += 1
            click.echo(f"MISMATCH {problem.public_id} {problem.key} {problem.problem}")
    click.echo(f"{problems} problem(s)")
    if problems:
        raise SystemExit(1)
