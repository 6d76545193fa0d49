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

    def to_json(self) -> list[str | int | None]:
        """``[message, path, line, column, severity]``: how caches keep a problem."""
        return [self.message, self.path, self.line, self.column, self.severity]

    @classmethod
    def from_json(cls, data: object) -> "Problem":
        """The problem ``to_json`` gave; ValueError for anything else (a cache not ours)."""
        if not (isinstance(data, list) and len(data) == 5 and isinstance(data[0], str)
                and isinstance(data[1], str) and isinstance(data[4], str)
                and all(v is None or isinstance(v, int) for v in data[2:4])):
            raise ValueError(f"not a problem: {data!r:.80}")
        return cls(data[0], data[1], data[2], data[3], data[4])

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
