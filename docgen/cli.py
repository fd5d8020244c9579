"""Command line: `flask --app docgen db upgrade`, `token create|revoke|list`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
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
    app.cli.add_command(templates_cli)
    app.cli.add_command(org_cli)
    app.cli.add_command(demo)


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


templates_cli = AppGroup("templates", help="Word form templates.")


@templates_cli.command("check")
@click.option("--org", "org_name", default=None, help="Also check this organisation's uploaded templates.")
def templates_check(org_name: str | None) -> None:
    """For each template: placeholders the contract does not provide, required elements it does not show."""
    from docgen import rendering
    from docgen.forms.models import OrgTemplate

    reports = rendering.check_shipped_templates()
    if org_name:
        with get_db().session() as s:
            org = s.scalar(select(Organisation).where(Organisation.name == org_name))
            if org is None:
                raise click.ClickException(f"no organisation named {org_name!r}")
            for row in s.scalars(select(OrgTemplate).where(OrgTemplate.org_id == org.id)):
                reports.append(
                    rendering.check_template(row.data, row.name, name=f"{org_name}: {row.name}.docx")
                )
    failed = 0
    for report in reports:
        click.echo(f"{report.name} ({report.kind}): {'ok' if report.ok else 'FAILED'}")
        for placeholder in report.unknown_placeholders:
            click.echo(f"  placeholder the contract does not provide: {placeholder}")
        for element in report.missing_elements:
            click.echo(f"  required element not shown: {element}")
        for error in report.errors:
            click.echo(f"  error: {error}")
        failed += not report.ok
    if failed:
        raise SystemExit(1)


@click.command("demo")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def demo(outdir: Path) -> None:
    """Write a sample of each form (DOCX and PDF) from the shared fixtures into OUTDIR."""
    import json

    from docgen import rendering

    fixtures = Path(current_app.config["SHARED_DIR"]) / "domain" / "fixtures"

    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((fixtures / name).read_text(encoding="utf-8"))
        return data

    adult, youth = load("valid-adult-iep.json"), load("valid-youth-iss.json")
    forms = {
        "iep": (adult["plans"][0], adult["participant"]),
        "iss": (youth["plans"][0], youth["participant"]),
        "case-note": (load("valid-case_note-training_begin.json"), adult["participant"]),
        "mou": (load("valid-mou.json"), None),
    }
    outdir.mkdir(parents=True, exist_ok=True)
    with rendering.OfficePool(rendering.PoolSettings.from_env(size=1)) as pool:
        for name, (document, participant) in forms.items():
            docx = rendering.render_docx(
                document,
                participant=participant,
                organisation="Example Workforce Board",
                local_area="LWIA 7 — Example County",
            )
            (outdir / f"{name}.docx").write_bytes(docx)
            (outdir / f"{name}.pdf").write_bytes(pool.convert(docx))
            click.echo(f"{outdir / name}.docx  {outdir / name}.pdf")


org_cli = AppGroup("org", help="Organisations.")


@org_cli.command("profile")
@click.option("--org", "org_name", required=True)
@click.option(
    "--local-area", required=True, help='Shown in every form header, e.g. "LWIA 7 — Example County".'
)
def org_profile(org_name: str, local_area: str) -> None:
    with get_db().session() as s:
        org = s.scalar(select(Organisation).where(Organisation.name == org_name))
        if org is None:
            raise click.ClickException(f"no organisation named {org_name!r}")
        org.local_area = local_area
        s.commit()
    click.echo(f"{org_name}: local area set")
