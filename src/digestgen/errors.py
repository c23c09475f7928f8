"""Diagnostics and the exceptions that carry them.

Every problem a user can cause is reported as ``path:line: severity: message``;
only programming errors may surface as tracebacks (and only with ``--debug``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in the input, located by a path relative to the site folder."""

    path: str
    line: int
    severity: Severity
    message: str
    # Kept for callers that mark the warnings a link checker would also find; --strict
    # promotes every warning, marked or not.
    strict: bool = False

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: {self.message}"

    def promoted(self) -> Diagnostic:
        """This diagnostic as an error (what --strict does to every warning)."""
        return Diagnostic(self.path, self.line, Severity.ERROR, self.message, self.strict)


def error(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, Severity.ERROR, message)


def warning(path: str, line: int, message: str, *, strict: bool = False) -> Diagnostic:
    return Diagnostic(path, line, Severity.WARNING, message, strict)


class DigestgenError(Exception):
    """Base of every error digestgen reports to the user without a traceback."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):
        # Errors cross process boundaries (parallel rendering) with their diagnostics intact.
        return (self.__class__, (self.diagnostics,))


class ConfigError(DigestgenError):
    """site.yaml is missing, malformed or invalid, or the command line is wrong (exit 2)."""

    exit_code = 2

    @classmethod
    def at(cls, path: str, line: int, message: str) -> ConfigError:
        return cls([error(path, line, message)])


class ContentError(DigestgenError):
    """One or more content files are bad (exit 1); all of them are listed."""


class TemplateError(DigestgenError):
    """A template failed to compile or render; names the template and line."""


class FileSystemError(DigestgenError):
    """The file system refused a read or a write (disk full, read-only, no permission): not
    a problem of the content, and not a bug. Names the file, or the folder being written."""

    @classmethod
    def of(cls, exc: OSError, doing: str, where: object) -> FileSystemError:
        """``exc`` as a diagnostic: "cannot ``doing``: <reason>" at ``exc.filename`` (the file
        the system refused), else at ``where`` (a disk-full write names no file)."""
        path = exc.filename if exc.filename is not None else where
        reason = exc.strerror or str(exc) or type(exc).__name__
        if exc.filename2 is not None:
            reason += f" (and {exc.filename2})"
        return cls([error(str(path), 0, f"cannot {doing}: {reason}")])


class BuildLockedError(DigestgenError):
    """Another build of the same site is running."""

    exit_code = 1
