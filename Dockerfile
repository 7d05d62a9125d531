# newsrelay on Debian with Apertium: docker build -t newsrelay . ; see docs/production.md
FROM python:3.11-slim-bookworm

# Apertium and the pairs of the demo (English-Spanish, English-Catalan, Portuguese-Catalan);
# add the pairs of your languages here (apt-cache search apertium-). Not pinned: the pairs'
# dictionaries are improved in Debian's point releases, which a rebuild should take.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      apertium apertium-eng-spa apertium-eng-cat apertium-spa-cat apertium-por-cat \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/newsrelay
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 --home-dir /srv/newsrelay --create-home newsrelay

# The settings file, the SQLite store and the site folder live in /srv/newsrelay (a volume):
# newsrelay.toml there names the sources; site.output = "site" writes /srv/newsrelay/site.
USER 10001
WORKDIR /srv/newsrelay
VOLUME ["/srv/newsrelay"]
ENTRYPOINT ["newsrelay"]
CMD ["run", "--watch", "15"]
