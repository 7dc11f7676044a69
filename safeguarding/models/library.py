"""The library: folders of documents published by school admins."""

from __future__ import annotations

from django.db import models


class LibraryFolder(models.Model):
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)
    access_levels = models.ManyToManyField(
        "safeguarding.AccessLevel",
        blank=True,
        related_name="library_folders",
        help_text="If any are chosen, only staff on these levels see the folder.",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LibraryDocument(models.Model):
    folder = models.ForeignKey(LibraryFolder, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    attachment = models.OneToOneField(
        "safeguarding.Attachment", on_delete=models.PROTECT, related_name="library_document"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title
