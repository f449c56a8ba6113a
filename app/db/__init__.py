"""Database layer; importing it registers the flush rule that guards progress checkpoints."""

from app.db import history_versions as history_versions
