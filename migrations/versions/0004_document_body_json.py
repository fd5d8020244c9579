"""documents.body as json (text) on PostgreSQL, lz4-compressed when the server has lz4

Nothing queries inside a document body: it is written once and read whole. jsonb costs a parse into its binary
form on every insert and a print back to text on every read (three quarters of PostgreSQL's time for a
participant's record in bench/intake.py); json keeps the text as sent and reads it back as it is. lz4 compresses
and decompresses several times faster than the default pglz.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite keeps JSON as text already
    change = "ALTER TABLE documents ALTER COLUMN body TYPE json USING body::json"
    if _has_lz4(bind):
        # In the same statement, so the rewrite that the type change makes stores every value with lz4.
        change += ", ALTER COLUMN body SET COMPRESSION lz4"
    op.execute(change)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    change = "ALTER TABLE documents ALTER COLUMN body TYPE jsonb USING body::jsonb"
    if _has_lz4(bind):
        change += ", ALTER COLUMN body SET COMPRESSION default"
    op.execute(change)


def _has_lz4(bind: sa.engine.Connection) -> bool:
    # Servers built without lz4 list only pglz here (and would refuse SET COMPRESSION lz4).
    row = bind.exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    ).first()
    return bool(row and row[0])
