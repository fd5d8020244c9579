"""Stored files: every rendered document version and every signed original, in object storage (storage/),
found through the database, hash-checked on every read."""
