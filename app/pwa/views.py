"""/sw.js, /manifest.webmanifest and /shell.

The service worker is served from the root so its scope covers every page. Its cache version
is a hash of everything it precaches, so any change to an asset ships a new worker.
"""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _

from app.core.security import public

bp = Blueprint("pwa", __name__)

#: Precached under /static/: the app shell's own files.
SHELL_ASSETS = ("pwa/css/app.css", "pwa/js/app.js", "pwa/icons/nav.svg", "pwa/icons/icon.svg",
                "pwa/icons/icon-192.png", "pwa/icons/badge-96.png")
SHELL_ASSET_FOLDERS = ("pwa/js",)


def _static_root() -> Path:
    return Path(current_app.static_folder)


def shell_files() -> list[str]:
    """Static paths the service worker precaches (every script module, since imports chain)."""
    root = _static_root()
    files = set(SHELL_ASSETS)
    for folder in SHELL_ASSET_FOLDERS:
        files.update(str(p.relative_to(root)) for p in (root / folder).rglob("*.js"))
    return sorted(files)


def worker_source() -> tuple[str, str]:
    """(version, source) of the service worker, computed once per process."""
    cached = current_app.extensions.get("kinerjaku_sw")
    if cached and not current_app.debug:
        return cached
    root = _static_root()
    digest = hashlib.sha256()
    urls = [url_for("pwa.shell"), url_for("pwa.manifest")]
    for relative in shell_files():
        digest.update(relative.encode())
        digest.update((root / relative).read_bytes())
        urls.append(url_for("static", filename=relative))
    body = (root / "pwa" / "sw.js").read_text()
    digest.update(body.encode())
    # The shell page and manifest are rendered; their templates count towards the version.
    for template in ("pwa/shell.html", "base.html"):
        digest.update(Path(current_app.jinja_loader.searchpath[0], template).read_bytes())
    version = digest.hexdigest()[:12]
    header = (f"const VERSION = {json.dumps(version)};\n"
              f"const PRECACHE = {json.dumps(urls)};\n")
    current_app.extensions["kinerjaku_sw"] = (version, header + body)
    return version, header + body


@bp.get("/sw.js")
@public
def service_worker():
    _version, source = worker_source()
    response = current_app.response_class(source, mimetype="text/javascript")
    # Browsers check for a new worker on navigation; never let a cache hide one.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@public
def manifest():
    icon = lambda name: url_for("static", filename=f"pwa/icons/{name}")  # noqa: E731
    data = {
        "name": "Kinerjaku",
        "short_name": "Kinerjaku",
        "description": _("Log your daily work against your SKP, anywhere, even offline."),
        "lang": "id",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": "#0b5394",
        "background_color": "#f4f6f8",
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
        "shortcuts": [{
            "name": _("Log activity"), "short_name": _("Log activity"),
            "url": "/aktivitas/baru?source=shortcut",
            "icons": [{"src": icon("icon-192.png"), "sizes": "192x192"}],
        }],
    }
    response = current_app.response_class(json.dumps(data, ensure_ascii=False),
                                          mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/shell")
@public
def shell():
    """The page shown for any screen while offline; scripts fill it from the local store.

    It holds no personal data, so it is safe to cache for everyone. The service worker
    fetches it in the background with the person's cookies: it leaves their messages
    (flashes) for the page they are about to see.
    """
    return render_template("pwa/shell.html", keep_flashes=True)
