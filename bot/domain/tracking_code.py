"""Tracking codes (mã tra cứu) such as ``MT-261127-0042-K7``: prefix, local date, sequence, check."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

CODE_PATTERN = re.compile(r"\b[A-Z0-9]{2,6}-\d{6}-\d{4,}-[A-Z0-9]{2}\b")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and retyped


def make_code(prefix: str, day: date, sequence: int, secret: bytes) -> str:
    """Build the code for the `sequence`-th case of `day`; the check characters need the secret."""
    body = f"{prefix}-{day:%y%m%d}-{sequence:04d}"
    return f"{body}-{_check(body, secret)}"


def normalise_code(text: str) -> str | None:
    """Find a well-formed code in what a citizen typed (any case, stray spaces), or None."""
    upper = text.upper()
    # A message that is nothing but a code (with stray spaces anywhere) is read as exactly that.
    whole = re.sub(r"\s+", "", upper)
    if CODE_PATTERN.fullmatch(whole):
        return whole
    # Otherwise keep spaces between words (they bound the code) and forgive those around hyphens;
    # failing that, the message may be just a code typed with stray spaces anywhere.
    for candidate in (re.sub(r"\s*-\s*", "-", upper), re.sub(r"\s+", "", upper)):
        match = CODE_PATTERN.search(candidate)
        if match:
            return match.group(0)
    return None


def _check(body: str, secret: bytes) -> str:
    digest = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:2])
