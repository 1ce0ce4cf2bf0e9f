"""The wheel carries everything a plain `pip install .` needs: code, resources, report
templates and the Alembic migrations; and the tests run against what was installed."""

from __future__ import annotations

import importlib.resources
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import clinic_desk

SOURCE_ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "shots",
)


def _files_under(folder: Path, suffix: str = "") -> list[Path]:
    return [
        p.relative_to(folder)
        for p in folder.rglob(f"*{suffix}")
        if p.is_file() and "__pycache__" not in p.parts
    ]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout: the build leaves no build/ or egg-info in the real one, and
    the wheel is compared with exactly the files it was built from."""
    assert (SOURCE_ROOT / "pyproject.toml").is_file(), f"no source tree at {SOURCE_ROOT}"
    copy = tmp_path_factory.mktemp("source") / "clinic-desk"
    shutil.copytree(SOURCE_ROOT, copy, ignore=NOT_SOURCE)
    return copy


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        # No build isolation: the tests run with no network, so the build uses the
        # setuptools that the `test` extra installed instead of downloading one.
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "-w", str(work), str(source)],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    wheels = list(work.glob("clinic_desk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_python_module(source: Path, wheel_names: set[str]) -> None:
    modules = _files_under(source / "clinic_desk", ".py")
    assert modules
    missing = [str(m) for m in modules if f"clinic_desk/{m.as_posix()}" not in wheel_names]
    assert not missing, f"modules left out of the wheel: {missing}"


def test_the_wheel_holds_the_resources_and_the_report_templates(
    source: Path, wheel_names: set[str]
) -> None:
    assert "clinic_desk/resources/fonts/DejaVuSans.ttf" in wheel_names
    assert any(n.startswith("clinic_desk/reports/") for n in wheel_names)
    for folder, package in (("resources", "clinic_desk/resources"),
                            ("reports", "clinic_desk/reports")):
        shipped = _files_under(source / folder)
        missing = [str(f) for f in shipped if f"{package}/{f.as_posix()}" not in wheel_names]
        assert not missing, f"files of {folder}/ left out of the wheel: {missing}"


def test_the_wheel_holds_the_alembic_migrations(wheel_names: set[str]) -> None:
    migrations = "clinic_desk/storage/migrations/"
    assert migrations + "env.py" in wheel_names
    assert migrations + "script.py.mako" in wheel_names
    versions = sorted(n for n in wheel_names
                      if n.startswith(migrations + "versions/0") and n.endswith(".py"))
    assert [Path(v).name[:4] for v in versions][:2] == ["0001", "0002"]


def test_the_wheel_declares_the_console_script(wheel_names: set[str]) -> None:
    assert any(n.endswith(".dist-info/entry_points.txt") for n in wheel_names)


INSTALLED_PROBE = """
import sys
from pathlib import Path
import importlib.resources as r
import clinic_desk
from clinic_desk import shipped
from clinic_desk.storage.schema import head_revision

site = Path(sys.argv[1]).resolve()
package = Path(clinic_desk.__file__).resolve().parent
assert package == site / "clinic_desk", package
font = r.files("clinic_desk.resources") / "fonts" / "DejaVuSans.ttf"
assert font.is_file() and font.read_bytes()[:4] == b"\\x00\\x01\\x00\\x00"
for root, probe in ((shipped.resource_root(), "style.qss"),
                    (shipped.reports_root(), "README.md")):
    found = Path(str(root.joinpath(probe))).resolve()
    assert found.is_relative_to(package), found
assert shipped.read_resource_json("intake", "intake-v1.json")
assert shipped.read_resource_json("screening", "rules-v1.json")
print(head_revision())
"""


def test_the_unpacked_wheel_finds_its_resources_without_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    """Only the wheel's own files: no source tree, no editable finder to fall back on."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = os.environ | {"PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c", INSTALLED_PROBE, str(site)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() >= "0002"


@pytest.mark.skipif(
    os.environ.get("CLINIC_DESK_EXPECT_INSTALLED") != "1",
    reason="only under .ci/run, which installs the wheel (a developer's install is editable)",
)
def test_the_tests_run_against_the_installed_package() -> None:
    """Under .ci/run the tests must exercise the wheel installed in site-packages, never
    the checkout beside them."""
    package_dir = Path(clinic_desk.__file__).resolve().parent
    assert "site-packages" in package_dir.parts, package_dir
    assert not package_dir.is_relative_to(SOURCE_ROOT / "clinic_desk")
    font = importlib.resources.files("clinic_desk.resources") / "fonts" / "DejaVuSans.ttf"
    assert font.is_file()
