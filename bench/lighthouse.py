"""Lighthouse (mobile) scores for the sign-in page and Beranda, with Debian's Chromium.

Starts the app under gunicorn on a private SQLite database with the demo organisations, signs a
demo employee in, and runs the npm package `lighthouse` (pinned in package.json; installed with
`npm ci` when missing) on each page. Prints the performance, accessibility and best-practices
scores and every audit that did not pass; writes the reports to bench-results/.

    .venv/bin/python bench/lighthouse.py [--keep]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import results as bench_results  # noqa: E402

RESULTS = ROOT / "bench-results"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("KINERJAKU_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices")
AIMS = {"performance": 90, "accessibility": 100, "best-practices": 95}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT,
                       check=True)


def start_server(env: dict, port: int) -> subprocess.Popen:
    flask = [str(ROOT / ".venv" / "bin" / "flask")]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    accounts = json.loads(subprocess.run(flask + ["seed-demo", "--json"], env=env, cwd=ROOT,
                                         check=True, capture_output=True, text=True).stdout)
    env["BENCH_ACCOUNT"] = json.dumps(next(a for a in accounts if a["role"] == "pegawai"))
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--worker-class", "gthread",
         "--threads", "4", "--graceful-timeout", "3", "--bind", f"127.0.0.1:{port}",
         "app:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the app did not start")


def session_cookie(base: str, account: dict) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(
        f"{base}/api/v1/auth/login", method="POST",
        data=json.dumps({"nip": account["nip"], "password": account["password"]}).encode(),
        headers={"Content-Type": "application/json"})
    opener.open(request, timeout=10)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def audit(url: str, name: str, cookie: str | None) -> dict:
    report = RESULTS / f"lighthouse-{name}.json"
    command = [str(LIGHTHOUSE), url, "--form-factor=mobile", "--output=json",
               f"--output-path={report}", "--quiet", f"--chrome-flags={CHROME_FLAGS}",
               f"--only-categories={','.join(CATEGORIES)}"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for attempt in (1, 2):
        # The page holds its live stream open, which a busy machine can make Lighthouse wait
        # on past its load timeout: one more try before giving up.
        run = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=180,
                             capture_output=True, text=True)
        if run.returncode == 0:
            break
        if attempt == 2:
            raise SystemExit(f"lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    data = json.loads(report.read_text())
    scores = {key: round(data["categories"][key]["score"] * 100) for key in CATEGORIES}
    failed = [f"{a['id']}: {a['title']}" for a in data["audits"].values()
              if a.get("score") is not None and a["score"] < 0.9
              and a.get("scoreDisplayMode") in ("binary", "numeric")]
    return {"url": url, "scores": scores, "failed": failed,
            "metrics": {key: data["audits"][key]["displayValue"]
                        for key in ("first-contentful-paint", "largest-contentful-paint",
                                    "total-blocking-time", "cumulative-layout-shift")
                        if key in data["audits"]}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance")
    options = parser.parse_args()
    ensure_lighthouse()
    RESULTS.mkdir(exist_ok=True)
    instance = Path(tempfile.mkdtemp(prefix="kinerjaku-lighthouse-"))
    port = free_port()
    env = {**os.environ, "FLASK_APP": "app", "SECRET_KEY": "lighthouse-run",
           "DATABASE_URL": f"sqlite:///{instance / 'lighthouse.sqlite3'}"}
    env.pop("REDIS_URL", None)
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        cookie = session_cookie(base, json.loads(env["BENCH_ACCOUNT"]))
        results = [audit(f"{base}/masuk", "sign-in", None), audit(f"{base}/", "beranda", cookie)]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # an audited page's live stream kept a thread busy
            server.kill()
            server.wait()
        if not options.keep:
            shutil.rmtree(instance, ignore_errors=True)
    print("\nLighthouse 12 (mobile), Debian Chromium; aims: " +
          ", ".join(f"{k} >= {v}" for k, v in AIMS.items()))
    print(f"{'page':<10} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for result, name in zip(results, ("sign-in", "beranda"), strict=True):
        print(f"{name:<10} " + " ".join(f"{result['scores'][c]:>15}" for c in CATEGORIES))
        print(f"{'':<10} " + ", ".join(f"{k} {v}" for k, v in result["metrics"].items()))
        for line in result["failed"]:
            print(f"{'':<10} not passed: {line}")
    (RESULTS / "lighthouse-summary.json").write_text(json.dumps(results, indent=2))
    home = results[1]["scores"]
    bench_results.record(
        "lighthouse", "Lighthouse performance, home (beranda)", unit="score",
        value=home["performance"], reference=AIMS["performance"],
        reference_label="aim", settings="mobile; " + ", ".join(
            f"{c} {home[c]}" for c in CATEGORIES) + f"; sign-in performance "
            f"{results[0]['scores']['performance']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
