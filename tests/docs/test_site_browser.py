"""The built documentation site, opened in a real browser (headless Chromium through Playwright).

Run after building the site (README, "Documentation"):
    python3 -m pytest -m browser
Checks: every page loads without console errors, every internal link (and its #anchor)
resolves, every gallery image loads (natural width > 0), the search page finds
``two_pair_growth_rate``. Saves screenshots of the home page and of one gallery page to
``docs/_build/screenshots`` (or ``NUPAIR_SCREENSHOT_DIR``) as build artefacts.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

SITE = Path(__file__).resolve().parents[2] / "docs" / "_build" / "html"
SCREENSHOTS = Path(os.environ.get("NUPAIR_SCREENSHOT_DIR", SITE.parent / "screenshots"))
# flags that keep Chromium off the network it cannot reach here (and from root in a container)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


_MATHJAX_DONE = """() => new Promise(done => {
    if (!window.MathJax || !window.MathJax.Hub) { done(null); return; }
    window.MathJax.Hub.Queue(() => done(null));
})"""


def _chromium() -> str:
    path = os.environ.get("NUPAIR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("no Chromium found: install Debian's chromium package or set NUPAIR_CHROMIUM")
    return path


class _Anchors(HTMLParser):
    """Element ids and link targets of one page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages() -> list[Path]:
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        raise RuntimeError(f"{SITE} holds no built site: build it first (sphinx-build -W -b html docs docs/_build/html)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))

    class Quiet(handler.func):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_every_internal_link_resolves():
    pages = _pages()
    assert len(pages) > 50, f"only {len(pages)} pages built"
    broken = []
    for page in pages:
        for href in _parse(page).links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "//")):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(SITE)}: {href} (no file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).ids:
                broken.append(f"{page.relative_to(SITE)}: {href} (no anchor)")
    assert not broken, f"{len(broken)} broken links, e.g. " + "; ".join(broken[:10])


def test_every_page_loads_without_console_errors(server, browser):
    page = browser.new_page()
    errors: list[str] = []
    current = {"url": ""}
    page.on("console", lambda m: errors.append(f"{current['url']}: console {m.type}: {m.text} (at {m.location.get('url')})")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{current['url']}: {e}"))
    # ERR_ABORTED: a request (the favicon, say) cancelled by the next navigation, not a failure
    page.on("requestfailed", lambda r: errors.append(f"{current['url']}: request failed {r.url} ({r.failure})")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.on("response", lambda r: errors.append(f"{current['url']}: HTTP {r.status} for {r.url}") if r.status >= 400 else None)
    pages = _pages()
    for path in pages:
        current["url"] = urljoin(server, path.relative_to(SITE).as_posix())
        response = page.goto(current["url"], wait_until="load")
        assert response is not None and response.ok, f"{current['url']}: HTTP {response and response.status}"
        # MathJax typesets (and fetches its fonts) after "load": wait for its queue, so that what it
        # loads is charged to this page, and so that a page whose TeX fails is caught here
        page.evaluate(_MATHJAX_DONE)
    page.close()
    assert not errors, f"{len(errors)} errors over {len(pages)} pages, e.g. " + "; ".join(errors[:10])


def test_gallery_images_load_and_screenshots(server, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    gallery = sorted(p for p in (SITE / "gallery").glob("*.html") if p.name != "index.html")
    assert len(gallery) >= 19
    for path in gallery:
        page.goto(urljoin(server, path.relative_to(SITE).as_posix()), wait_until="load")
        sizes = page.eval_on_selector_all("article img", "imgs => imgs.map(i => [i.src, i.complete, i.naturalWidth])")
        assert sizes, f"{path.name}: no figure"
        for src, complete, width in sizes:
            assert complete and width > 0, f"{path.name}: image {src} did not load"
    page.goto(server + "index.html", wait_until="load")
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.goto(server + "gallery/pairing-two-pair.html", wait_until="load")
    page.screenshot(path=str(SCREENSHOTS / "gallery-pairing-two-pair.png"), full_page=True)
    page.close()
    assert (SCREENSHOTS / "home.png").stat().st_size > 10_000


def test_search_finds_two_pair_growth_rate(server, browser):
    page = browser.new_page()
    page.goto(server + "search.html?q=two_pair_growth_rate", wait_until="load")
    page.wait_for_function(
        "() => { const r = document.querySelector('#search-results'); return r && r.querySelectorAll('li').length > 0; }",
        timeout=30_000)
    hits = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.textContent + ' ' + a.href)")
    page.close()
    assert any("two_pair_growth_rate" in h for h in hits), hits[:5]
