"""Reading sources: feeds and sitemaps (``feeds``) and the polite HTTP fetcher (``fetch``)."""

from newsrelay.ingest.feeds import parse_feed
from newsrelay.ingest.fetch import Fetcher, Response, decode_page

__all__ = ["Fetcher", "Response", "decode_page", "parse_feed"]
