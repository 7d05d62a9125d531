"""translations: what each asked of its engine (characters, segments, seconds) and the words
the engine marked; sources: what the feed states about reuse

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
USAGE: list[tuple[str, type[sa.Integer] | type[sa.Float[float]]]] = [
    ("chars_in", sa.Integer),
    ("chars_out", sa.Integer),
    ("segments_sent", sa.Integer),
    ("segments_recalled", sa.Integer),
    ("engine_seconds", sa.Float),
]


def upgrade() -> None:
    with op.batch_alter_table("translations") as batch:
        for name, kind in USAGE:
            batch.add_column(sa.Column(name, kind(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("marks", sa.Text(), nullable=False, server_default="[]"))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("rights", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("rights")
    with op.batch_alter_table("translations") as batch:
        batch.drop_column("marks")
        for name, _ in reversed(USAGE):
            batch.drop_column(name)
