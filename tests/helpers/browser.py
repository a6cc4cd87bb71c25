"""Open a page in a real headless Chromium (Debian's ``chromium``) with every request of the
browser sent to a loopback proxy that only counts connections: a page that stays offline
leaves the count at zero. A harness page frames the page under test and measures, in the
browser, how many charts were laid out with a size and which resources the page loaded."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HARNESS = """<!DOCTYPE html><html><body>
<iframe id="page" src="%(page)s" width="1200" height="900"></iframe><pre id="out">pending</pre>
<script>
window.addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument;
  const charts = [...doc.querySelectorAll("svg.chart")];
  const sized = charts.filter(s => { const b = s.getBoundingClientRect();
    return b.width > 0 && b.height > 0; }).length;
  const bars = [...doc.querySelectorAll("svg.chart rect")].filter(r => {
    const b = r.getBBox(); return b.width > 0 && b.height > 0; }).length;
  const loaded = doc.defaultView.performance.getEntriesByType("resource").map(e => e.name);
  document.getElementById("out").textContent = "RESULT" + JSON.stringify(
    {charts: charts.length, sized: sized, bars: bars, loaded: loaded,
     title: doc.title}) + "END";
});
</script></body></html>"""


BROWSER_HOSTS = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")  # its own services


@dataclass
class Opened:
    """What the browser saw: charts, sized charts, drawn bars, resources, proxy connections."""

    result: dict[str, Any]
    requests: list[str]  # first line of each request the proxy received
    stderr: str

    def page_requests(self) -> list[str]:
        """Requests not to the browser's own update and time services: the page's."""
        return [r for r in self.requests if not _browser_service(r)]


def _browser_service(line: str) -> bool:
    parts = line.split(" ")
    target = parts[1] if len(parts) > 1 else ""
    host = target.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return any(host == h or host.endswith("." + h) for h in BROWSER_HOSTS)


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is missing: `apt-get install -y chromium` (.ci/run installs it)"
    return path


def open_page(page: Path) -> Opened:
    """Load ``page`` through the harness; count connections any request made to the proxy."""
    harness = page.with_name(f".harness-{page.stem}.html")
    harness.write_text(HARNESS % {"page": page.name}, encoding="utf-8")
    proxy = socket.socket()
    proxy.bind(("127.0.0.1", 0))
    proxy.listen(16)
    proxy.settimeout(0.2)
    requests: list[str] = []
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            try:
                conn, _ = proxy.accept()
            except OSError:
                continue
            conn.settimeout(2)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b"(no request line)"
            conn.close()
            # Chromium may open a spare connection and close it unused (a preconnect beside
            # the one that carries the request): nothing left the browser through it
            if data:
                requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))

    thread = threading.Thread(target=count, daemon=True)
    thread.start()
    try:
        proc = subprocess.run(
            [
                chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--allow-file-access-from-files",
                f"--proxy-server=http://127.0.0.1:{proxy.getsockname()[1]}",
                "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=5000",
                "--dump-dom",
                harness.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        stop.set()
        thread.join(timeout=5)
        proxy.close()
        harness.unlink()
    dom = proc.stdout
    assert "RESULT" in dom, f"the harness did not report (exit {proc.returncode}): {proc.stderr}"
    result = json.loads(dom.split("RESULT", 1)[1].split("END", 1)[0])
    return Opened(result, requests, proc.stderr)
