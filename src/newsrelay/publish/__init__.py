"""Publishing: the static site (story pages; indexes per language, source, section and tag;
feeds and sitemaps), built incrementally."""

from newsrelay.publish.site import StaticSite, write_atomic

__all__ = ["StaticSite", "write_atomic"]
