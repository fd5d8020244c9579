"""Alembic environment: the URL comes from the Flask config (`flask --app docgen db upgrade`)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from docgen.db import Base
from docgen.documents import models as _documents  # noqa: F401  (registers tables)
from docgen.files import models as _files  # noqa: F401
from docgen.forms import models as _forms  # noqa: F401
from docgen.orgs import models as _orgs  # noqa: F401

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
