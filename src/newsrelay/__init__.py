"""newsrelay: republish syndicated news in other languages, automatically and safely."""

from newsrelay.config import Settings, load_settings
from newsrelay.errors import (
    ConfigError,
    EngineError,
    ExtractError,
    FeedError,
    FetchError,
    NewsrelayError,
    NotConfigured,
    StoreError,
)
from newsrelay.extract import extract_article
from newsrelay.model import Article, Decision, EntryStatus, Source, Translation, Verdict
from newsrelay.pipeline import RunReport, run_once
from newsrelay.store import Store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ConfigError",
    "Decision",
    "EngineError",
    "EntryStatus",
    "ExtractError",
    "FeedError",
    "FetchError",
    "NewsrelayError",
    "NotConfigured",
    "RunReport",
    "Settings",
    "Source",
    "Store",
    "StoreError",
    "Translation",
    "Verdict",
    "__version__",
    "extract_article",
    "load_settings",
    "run_once",
]
