"""Shared infrastructure never mixes schools: the cache and the attachment store."""

from __future__ import annotations

import uuid

import boto3
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tenants.models import School


def test_cache_keys_are_per_school(school_a: School, school_b: School) -> None:
    key = f"dashboard-{uuid.uuid4()}"
    cache.set(key, "alpha's value")
    assert cache.get(key) == "alpha's value"
    with school_b:
        assert cache.get(key) is None
        cache.set(key, "beta's value")
    assert cache.get(key) == "alpha's value"


def test_s3_objects_live_under_the_schools_prefix_and_nowhere_else(
    school_a: School, school_b: School
) -> None:
    name = default_storage.save(f"attachments/{uuid.uuid4()}.txt", ContentFile(b"for alpha"))
    try:
        assert name.startswith("alpha/attachments/")
        # Really in the bucket, under alpha's prefix.
        s3 = boto3.client(
            "s3",
            endpoint_url=settings.AWS_S3_ENDPOINT_URL,
            aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
            aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
            region_name=settings.AWS_S3_REGION_NAME,
        )
        stored = s3.get_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=name)
        assert stored["Body"].read() == b"for alpha"
        with default_storage.open(name) as handle:
            assert handle.read() == b"for alpha"

        with school_b:
            assert not default_storage.exists(name)
            with pytest.raises(FileNotFoundError):
                default_storage.open(name)
            with pytest.raises(FileNotFoundError):
                default_storage.url(name)
            with pytest.raises(FileNotFoundError):
                default_storage.delete(name)
            # Listing in B's storage shows only B's prefix.
            _, files = default_storage.listdir("attachments")
            assert name.rsplit("/", 1)[1] not in files
            # A path that climbs out of B's prefix is refused too.
            assert not default_storage.exists(f"beta/../{name}")

        _, files = default_storage.listdir("attachments")
        assert name.rsplit("/", 1)[1] in files
    finally:
        default_storage.delete(name)
    assert not default_storage.exists(name)


def test_attachment_storage_refuses_the_public_schema(in_public: None) -> None:
    from django.core.exceptions import SuspiciousFileOperation

    with pytest.raises(SuspiciousFileOperation):
        default_storage.save("attachments/x.txt", ContentFile(b"x"))
