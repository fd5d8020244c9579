"""The storage suite's real moto S3 server, for the files tests that run on the S3 backend."""

from tests.storage.conftest import aws_env, moto_url, raw_s3, s3_bucket

__all__ = ["aws_env", "moto_url", "raw_s3", "s3_bucket"]
