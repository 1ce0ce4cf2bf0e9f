"""One document viewer for consents, aftercare and pre-care sheets."""
