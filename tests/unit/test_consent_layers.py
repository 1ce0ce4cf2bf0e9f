"""Heavy libraries stay where they are used: the consent domain without ReportLab or
pyHanko, the signing module without pyHanko or cryptography until it signs, and
ReportLab only inside clinic_desk/documents/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import clinic_desk

PACKAGE = Path(clinic_desk.__file__).resolve().parent
HEAVY = ("reportlab", "pyhanko", "cryptography", "asn1crypto", "PySide6", "sqlalchemy")


def loaded_after(statement: str) -> set[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    return {name.split(".")[0] for name in out}


def test_the_consent_domain_loads_no_heavy_library() -> None:
    loaded = loaded_after(
        "import clinic_desk.domain.consent_record, clinic_desk.domain.consent_template, "
        "clinic_desk.domain.consent_shelf, clinic_desk.catalogue")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_signing_modules_load_pyhanko_only_when_used() -> None:
    loaded = loaded_after(
        "import clinic_desk.documents.signing, clinic_desk.documents.signing_keys, "
        "clinic_desk.documents.document_info")
    assert not loaded & {"pyhanko", "cryptography", "asn1crypto", "reportlab"}


def test_reportlab_is_imported_only_in_documents() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if re.search(r"^\s*(from|import) reportlab", path.read_text("utf-8"), re.M) and (
            "documents" not in path.relative_to(PACKAGE).parts
        ):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
