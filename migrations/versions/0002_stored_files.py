"""stored files

Revision ID: 0f419a03a61b
Revises: 0001
Create Date: 2026-11-23 18:15:30.452216
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.String(length=64), nullable=True),
    sa.Column('doc_type', sa.String(length=16), nullable=False),
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('doc_version', sa.Integer(), nullable=False),
    sa.Column('rendition', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('draft', sa.Boolean(), nullable=False),
    sa.Column('original', sa.Boolean(), nullable=False),
    sa.Column('input_sha256', sa.String(length=64), nullable=True),
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('legal_hold', sa.Boolean(), nullable=False),
    sa.Column('version_id', sa.String(length=200), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_stored_files_created_by_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_stored_files_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('key', name=op.f('uq_stored_files_key')),
    sa.UniqueConstraint('org_id', 'doc_type', 'doc_id', 'rendition', name=op.f('uq_stored_files_org_id_doc_type_doc_id_rendition')),
    sa.UniqueConstraint('public_id', name=op.f('uq_stored_files_public_id'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index('ix_stored_files_document', ['org_id', 'doc_type', 'doc_id', 'doc_version', 'format'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_files_document')

    op.drop_table('stored_files')
    
