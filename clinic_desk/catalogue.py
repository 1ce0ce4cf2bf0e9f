"""The catalogues shipped as data: the intake questionnaire and the screening rules."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from clinic_desk.domain.consent_fill import PatientWording, parse_patient_wording
from clinic_desk.domain.consent_shelf import TemplateShelf, read_template_folder
from clinic_desk.domain.intake import Questionnaire, parse_questionnaire
from clinic_desk.domain.screening import RuleBook, parse_rule_book, parse_sources
from clinic_desk.shipped import read_resource_json, reports_root

# Version 2 asks about allergies to numbing creams and metals; its rules read them and
# send free-text answers to the practitioner. Version 1 intakes stay readable as taken.
CURRENT_INTAKE_VERSION = 2
CURRENT_RULES_VERSION = 2


@cache
def questionnaire(version: int = CURRENT_INTAKE_VERSION) -> Questionnaire:
    """Every version stays loadable, so that old intakes remain readable."""
    return parse_questionnaire(read_resource_json("intake", f"intake-v{version}.json"))


@cache
def rule_book(version: int = CURRENT_RULES_VERSION) -> RuleBook:
    return parse_rule_book(
        read_resource_json("screening", f"rules-v{version}.json"),
        parse_sources(read_resource_json("screening", "sources.json")),
    )


@cache
def consent_templates() -> TemplateShelf:
    """The consent form templates shipped in reports/consent/, every version."""
    return read_template_folder(reports_root().joinpath("consent"))


@cache
def consent_wording() -> PatientWording:
    """How the consent forms put each screening rule to the patient."""
    text = reports_root().joinpath("consent", "contraindications.toml").read_text("utf-8")
    return parse_patient_wording(tomllib.loads(text))


@dataclass(frozen=True, slots=True)
class Catalogues:
    """Handed to the services by the composition root."""

    questionnaire: Questionnaire
    rules: RuleBook


def shipped_catalogues() -> Catalogues:
    return Catalogues(questionnaire=questionnaire(), rules=rule_book())
