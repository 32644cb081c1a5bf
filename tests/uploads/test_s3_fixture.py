from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage


def test_s3_storage_fixture_points_default_storage_at_a_fresh_encrypted_bucket(s3_storage):
    key = default_storage.save("recordings/abc/0123.txt", ContentFile(b"hello"))

    assert s3_storage.keys() == [key]
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert "X-Amz-Expires=300" in default_storage.url(key)


def test_default_storage_is_local_again_after_the_s3_fixture():
    # Runs after the test above (file order): the override must not leak into later tests.
    assert isinstance(default_storage.open.__self__, FileSystemStorage)
