"""Consent texts for the reading-view tests and screenshots (made up here: the real
templates live in reports/consent/ and are another slice's work)."""

from __future__ import annotations

from clinic_desk.domain.consent_text import (
    Acknowledgement,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)

LONG_NAME = "Zoë Ångström-Müller Ferreira de la Fuente"
MARKUP_NAME = '<font color="red">A & B</font>'


def long_consent_text(patient: str = LONG_NAME) -> ConsentText:
    """Six sections, three statements to tick, long enough to need scrolling anywhere."""
    return ConsentText(
        template_key="microneedling-test",
        template_version=3,
        title="Consent to microneedling treatment",
        sections=(
            ConsentSection("about", "About this form", (
                Paragraph(f"This form is for {patient}. Please read it at your own pace. "
                          "Ask the practitioner about anything that is not clear before "
                          "you sign."),
                Paragraph("Microneedling makes many tiny, controlled punctures in the skin "
                          "with fine sterile needles. The skin answers by renewing itself "
                          "over the following weeks."),
            )),
            ConsentSection("course", "What to expect over the course", (
                Paragraph("Results build up over several sessions, usually four to six, "
                          "spaced four to six weeks apart. One session alone rarely shows "
                          "its full effect."),
                BulletList(("Redness like a mild sunburn for one to three days.",
                            "Tightness, dryness or light flaking during the first week.",
                            "Pinpoint bleeding during the session, which stops by itself.",
                            "Small bruises where the skin is thin, such as under the eyes.")),
            ), (Acknowledgement("course", "I understand that several sessions are usually "
                                "needed and that results vary from person to person."),)),
            ConsentSection("risks", "Risks and side effects", (
                Paragraph("Less often, the skin may become infected, darker or lighter in "
                          "patches, or break out in spots. Very rarely a scar may form."),
                BulletList(("Call the clinic if redness spreads or gets worse after two days.",
                            "Call the clinic if you have a fever or the skin weeps or crusts.",
                            "Call the clinic if bleeding does not stop with gentle pressure.")),
            ), (Acknowledgement("risks", "I have read the risks and side effects, and my "
                                "questions about them have been answered."),)),
            ConsentSection("health", "Your health today", (
                Paragraph("You have told us about your health in the medical history form. "
                          "Please tell the practitioner now if anything has changed since, "
                          "such as a new medicine, a pregnancy, a cold sore or sunburn."),
            )),
            ConsentSection("alternatives", "Other options", (
                Paragraph("Other ways to treat the same concerns include laser treatments "
                          "and chemical peels. The practitioner can tell you how they "
                          "compare for your skin."),
            )),
            ConsentSection("agreement", "Your agreement", (
                Paragraph("No result can be guaranteed. You may stop the course at any time "
                          "and you may withdraw this consent, without giving a reason."),
            ), (Acknowledgement("agreement", "I agree to the treatment described above and "
                                "know I can withdraw my consent at any time."),)),
        ),
    )


def short_consent_text() -> ConsentText:
    """Fits on any screen without scrolling; one statement."""
    return ConsentText(
        template_key="photo-test",
        template_version=1,
        title="Consent to photographs",
        sections=(ConsentSection("photos", "Photographs", (
            Paragraph("Photographs of the treated area are taken before each session."),
        ), (Acknowledgement("photos", "I agree to photographs for my record."),)),),
    )
