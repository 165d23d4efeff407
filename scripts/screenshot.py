"""Take docs/screenshot.png: ingest the seeds into a temporary database, serve it, open the page in
headless Chromium (Debian's /usr/bin/chromium through Playwright), open the deadliest event and
shoot. Run by `scripts/build_web.sh --screenshot`; needs `pip install playwright` (no browser
download: it drives the system Chromium)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int) -> subprocess.Popen:
    """`furat serve` in the background, returned once it answers."""
    command = [sys.executable, "-m", "furat.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"furat serve ended: {proc.stderr.read().decode()}") from None
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("furat serve did not answer in 20 s")


def main(out: str) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.duckdb"
        subprocess.run([sys.executable, "-m", "furat.cli", "ingest", str(SEEDS), "--db", str(db)], check=True)
        port = free_port()
        proc = serve(db, port)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("body[data-ready='1']")
                page.locator("path.ev-ASSAULT").first.dispatch_event("click")
                page.wait_for_selector("#panel mark.evidence")
                page.screenshot(path=out, full_page=False)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png")
