"""organisation templates and local area

Revision ID: e36f11d954e8
Revises: 0002
Create Date: 2026-11-23 18:37:44.794127
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('org_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_org_templates_created_by_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_org_templates_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_templates')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_org_templates_org_id_name'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_area', sa.String(length=200), server_default='', nullable=False))

    


def downgrade() -> None:
    
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('local_area')

    op.drop_table('org_templates')
    
