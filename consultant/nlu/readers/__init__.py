"""One small reader per kind of thing a message can say; each returns typed candidates (see reading.py)."""
