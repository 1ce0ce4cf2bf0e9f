"""Consents in the treatment room: the reading view and the signature pad."""
