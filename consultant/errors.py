"""Errors the consultant raises on purpose; each carries a message fit for a user."""


class ConsultantError(Exception):
    """Base class: a clear, user-facing message, never a traceback."""


class ProfileValidationError(ConsultantError, ValueError):
    """A profile value is out of range or of the wrong type; names the field."""


class KnowledgeError(ConsultantError):
    """The knowledge store could not be built or searched."""


class LLMUnavailable(ConsultantError):
    """The LLM path failed (timeout, rate limit, server error, invalid output); fall back offline."""
