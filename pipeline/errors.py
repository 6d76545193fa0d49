"""The one error type of docloc: a message that knows where it happened.

Lines and columns are 1-based everywhere; a problem prints as
``content/fr-FR/page.md:14:3: unclosed <span data-ttu-id="23920-104">; ...``
so editors and CI annotators can jump to it. The library raises or returns
these; only the CLI prints them and picks an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Location


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input, found while the rest goes on."""

    message: str
    path: str
    line: int | None = None
    column: int | None = None
    severity: str = "error"

    @classmethod
    def at(cls, location: Location, message: str, severity: str = "error") -> "Problem":
        return cls(message, location.path, location.line, location.column, severity)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


class DoclocError(Exception):
    """An input docloc cannot use; ``str()`` names the file, line and column."""

    def __init__(self, message: str, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.problem = Problem(message, path or "", line, column)

    def __str__(self) -> str:
        if not self.problem.path:
            return self.problem.message
        return str(self.problem).replace(": error: ", ": ", 1)
