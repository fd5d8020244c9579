"""The migrations build exactly the schema the models describe, on both databases, and step down and up again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from docgen import create_app
from docgen.cli import alembic_config
from docgen.db import Base, get_db
from docgen.documents.models import Document
from docgen.orgs.models import Organisation


def test_migrations_match_the_models_and_round_trip(fresh_database: str, tmp_path: Path) -> None:
    has_lz4 = False
    app = create_app(
        {
            "DATABASE_URL": fresh_database,
            "STORAGE_URL": f"file://{tmp_path}",
            "SECRET_KEY": "migration-secret",
        }
    )
    # Long enough to be compressed: after 0004 steps down and up again, the stored value is lz4 (the rewrite).
    body = {
        "doc_type": "participant",
        "id": "P-1",
        "zeta": 1,
        "alpha": [1, {"b": 2, "a": 1}],
        "text": "x" * 4000,
    }
    with app.app_context():
        command.upgrade(alembic_config(), "head")
        engine = get_db().engine
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        with get_db().session() as s:
            org = Organisation(name="Board", settings={})
            s.add(org)
            s.flush()
            s.add(Document(org_id=org.id, doc_type="participant", doc_id="P-1", body=body, valid=True))
            s.commit()
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                # json keeps the text as written (jsonb would reorder these keys).
                stored = conn.scalar(text("SELECT body::text FROM documents"))
                assert stored is not None
                assert stored.index('"zeta"') < stored.index('"alpha"')
                assert conn.scalar(text("SELECT pg_typeof(body)::text FROM documents")) == "json"
                has_lz4 = conn.scalar(
                    text(
                        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
                    )
                )
                compression = conn.scalar(
                    text(
                        "SELECT attcompression FROM pg_attribute "
                        "WHERE attrelid = 'documents'::regclass AND attname = 'body'"
                    )
                )
                assert compression == ("l" if has_lz4 else "")
        command.downgrade(alembic_config(), "0003")
        command.upgrade(alembic_config(), "head")
        with get_db().session() as s:
            assert s.scalars(Document.__table__.select().with_only_columns(Document.body)).one() == body
        if engine.dialect.name == "postgresql" and has_lz4:
            with engine.connect() as conn:
                assert conn.scalar(text("SELECT pg_column_compression(body) FROM documents")) == "lz4"
        engine.dispose()
