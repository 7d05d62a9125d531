"""Who may use the desk: passwords (argon2id), sessions, CSRF tokens, the login rate limit, and
API tokens.

A session is a random key in a cookie (HttpOnly, SameSite=Lax, Secure when the desk is reached
over HTTPS); the store keeps only its SHA-256, with the session's CSRF token, which every form
carries back. An API token is a random key sent as ``Authorization: Bearer``; the store keeps
its SHA-256 and its scope (``read`` or ``write``). Failed logins are counted per client address
and per name: the sixth in 15 minutes is refused (429) until the window passes.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsrelay.store import Store, utcnow

__all__ = ["LoginLimiter", "create_token", "hash_password", "key_hash", "new_session", "verify"]

SESSION_DAYS = 7
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify(store: Store, name: str, password: str) -> dict[str, str] | None:
    """The person named ``name`` if ``password`` is theirs (its hash renewed when argon2's
    parameters changed); None otherwise, in the same time whether the name exists or not."""
    user = store.user(name)
    stored = user["password_hash"] if user else _hasher.hash(secrets.token_hex(8))
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(stored):
        store.set_password(name, _hasher.hash(password))
    return {"name": user["name"], "role": user["role"], "id": user["id"]}


def key_hash(key: str) -> str:
    """What the store keeps of a session key or an API token."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_session(store: Store, user_id: int) -> str:
    """Open a session for a person; return its key (for the cookie)."""
    key = secrets.token_urlsafe(32)
    store.open_session(user_id, key_hash(key), secrets.token_urlsafe(32),
                       utcnow() + timedelta(days=SESSION_DAYS))  # fmt: skip
    return key


def create_token(store: Store, name: str, scope: str) -> str:
    """A new API token of ``scope``; the key is shown once, the store keeps its hash."""
    key = "nr_" + secrets.token_urlsafe(32)
    store.add_token(name, scope, key_hash(key))
    return key


class LoginLimiter:
    """Failed logins per client address and per name, over a sliding window."""

    def __init__(self, attempts: int = 5, window: float = 15 * 60) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> float:
        """Seconds before another login may be tried for these keys (0: now)."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key in keys:
                times = self._failures.get(key, deque())
                while times and now - times[0] > self.window:
                    times.popleft()
                if len(times) >= self.attempts:
                    waits.append(self.window - (now - times[0]))
            return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        """Count a failed login."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
