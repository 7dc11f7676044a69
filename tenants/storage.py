"""S3 storage in which every object belongs to exactly one school.

The school's prefix is decided when a file is written and becomes part of the stored name
(``montsaye/attachments/3f2c...``), so the name alone says whose it is wherever it is read
later (a Celery task, an export). Every operation checks that the name lies under the prefix
of the school the caller is working in; a name from another school is treated as missing.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django_tenants.utils import get_public_schema_name
from storages.backends.s3 import S3Storage

from tenants.schemas import current_schema_name


class SchoolStorage(S3Storage):  # type: ignore[misc]
    def __init__(self, *, school_schema: str | None = None, **settings: Any) -> None:
        # None: follow the schema of the current connection at the time of each call.
        self._fixed_schema = school_schema
        super().__init__(**settings)

    def school_prefix(self) -> str:
        schema = self._fixed_schema or current_schema_name()
        if not schema or schema == get_public_schema_name():
            raise SuspiciousFileOperation("attachment storage is only available inside a school")
        return f"{schema}/"

    def _owned(self, name: str) -> str:
        normalised = posixpath.normpath(name).lstrip("/")
        if not normalised.startswith(self.school_prefix()) or ".." in normalised.split("/"):
            # Same answer as a missing file: never reveal that another school has it.
            raise FileNotFoundError(name)
        return normalised

    def generate_filename(self, filename: str) -> str:
        return str(super().generate_filename(self.school_prefix() + filename.lstrip("/")))

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        if not name.startswith(self.school_prefix()):
            name = self.school_prefix() + name.lstrip("/")
        return str(super().get_available_name(name, max_length=max_length))

    def _save(self, name: str, content: Any) -> str:
        return str(super()._save(self._owned(name), content))

    def _open(self, name: str, mode: str = "rb") -> Any:
        return super()._open(self._owned(name), mode)

    def exists(self, name: str) -> bool:
        try:
            owned = self._owned(name)
        except FileNotFoundError:
            return False
        return bool(super().exists(owned))

    def delete(self, name: str) -> None:
        super().delete(self._owned(name))

    def size(self, name: str) -> int:
        return int(super().size(self._owned(name)))

    def url(
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        return str(super().url(self._owned(name), parameters, expire, http_method))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = self.school_prefix()
        path = path.lstrip("/")
        if not path.startswith(prefix):
            path = prefix + path
        directories, files = super().listdir(self._owned(path.rstrip("/") + "/x")[:-1])
        return list(directories), list(files)

    def get_modified_time(self, name: str) -> Any:
        return super().get_modified_time(self._owned(name))
