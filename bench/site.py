"""The published site as readers and their tools see it: Lighthouse scores (performance,
accessibility, best practices, SEO) of the home page and a story page, on a desktop and on a
phone, and axe-core's violations on every page type, all in Debian's Chromium against the site
served on 127.0.0.1.

The site is the demo's (``newsrelay demo``: the bundled sample source through the whole
pipeline into Spanish). Lighthouse 12.2.3 and axe-core come from the npm registry into
``~/.cache/newsrelay-bench/node`` on first use (Lighthouse 13 wants Node 22). The targets of the
issue: accessibility, best practices and SEO each at least 0.95, performance at least 0.90, no
serious or critical axe violation.

    python bench/site.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

NODE = Path.home() / ".cache" / "newsrelay-bench" / "node"
PACKAGES = ["lighthouse@12.2.3", "axe-core@4.10.2"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def tools() -> Path:
    """Lighthouse and axe-core, installed once."""
    if not (NODE / "node_modules" / ".bin" / "lighthouse").exists():
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "-E", *PACKAGES],
                       cwd=NODE, check=True, capture_output=True)  # fmt: skip
    return NODE / "node_modules"


def demo_site(folder: Path) -> None:
    subprocess.run([sys.executable, "-m", "newsrelay", "demo", "--output", str(folder),
                    "--no-serve"], check=True, capture_output=True)  # fmt: skip


def lighthouse(modules: Path, url: str, phone: bool, out: Path) -> dict[str, float]:
    report = out / f"lighthouse-{len(list(out.iterdir()))}.json"
    command = [str(modules / ".bin" / "lighthouse"), url, "--quiet", "--output=json",
               f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(FLAGS)}"]  # fmt: skip
    if not phone:
        command.append("--preset=desktop")
    subprocess.run(command, check=True, capture_output=True, env={"CHROME_PATH": CHROMIUM,
                   "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})  # fmt: skip
    categories = json.loads(report.read_text())["categories"]
    return {name: categories[name]["score"] for name in CATEGORIES}


def axe(modules: Path, urls: dict[str, str]) -> dict[str, list[str]]:
    """The serious and critical axe-core violations of each page."""
    script = (modules / "axe-core" / "axe.min.js").read_text()
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(bypass_csp=True).new_page()
        for name, url in urls.items():
            page.goto(url)
            page.add_script_tag(content=script)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found[name] = [f"{v['id']} ({v['impact']}, {len(v['nodes'])})"
                           for v in result["violations"]
                           if v["impact"] in ("serious", "critical")]  # fmt: skip
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the reports in this folder")
    args = parser.parse_args()
    modules = tools()
    work = Path(tempfile.mkdtemp(prefix="newsrelay-site-bench-"))
    out = args.keep or work / "reports"
    out.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    demo_site(site)
    handler = functools.partial(Quiet, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        # a story's page is under its day, named by its headline
        story = next(p for p in sorted((site / "es").glob("[0-9]*/*/*/*.html")))
        indexes = {kind: next(iter(sorted((site / "es").glob(f"{kind}/*/index.html"))), None)
                   for kind in ("source", "section", "tag")}  # fmt: skip
        pages = {"home": base + "es/index.html", "story": base + str(story.relative_to(site))}
        print("Lighthouse (Debian's Chromium, the demo site on 127.0.0.1)")
        print(f"  {'page':<14}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for name, url in pages.items():
            for device in ("desktop", "phone"):
                scores = lighthouse(modules, url, device == "phone", out)
                print(f"  {name + ', ' + device:<14}"
                      + "".join(f"{scores[c]:>16.2f}" for c in CATEGORIES))  # fmt: skip
        every = pages | {"about": base + "es/about.html", "404": base + "404.html"}
        for kind, index in indexes.items():
            if index is not None:
                every[f"{kind} index"] = base + str(index.relative_to(site))
        print("axe-core: serious or critical violations per page type")
        for name, violations in axe(modules, every).items():
            print(f"  {name:<14} {', '.join(violations) or 'none'}")
        httpd.shutdown()
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
