"""Publishing: the static site (story pages; indexes per language, source, section and tag;
feeds and sitemaps), built incrementally; lead images hot-linked or mirrored into the site."""

from newsrelay.publish.images import ImageMirror
from newsrelay.publish.site import StaticSite, write_atomic

__all__ = ["ImageMirror", "StaticSite", "write_atomic"]
