"""Publishing: the static site (story pages, an index and an RSS feed per language)."""

from newsrelay.publish.site import StaticSite, write_atomic

__all__ = ["StaticSite", "write_atomic"]
