from __future__ import annotations


class SystemsError(ValueError):
    """A request we refuse; ``message`` is ready to show to a person (already translated),
    ``field`` names the form field it concerns, when there is one."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
