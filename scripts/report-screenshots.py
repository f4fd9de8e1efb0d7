#!/usr/bin/env python3
"""Screenshots of each view of a `grpcdump report` page, for docs/report.md: headless Chromium
driven through chromedriver (W3C WebDriver on loopback), one PNG per view, reduced to 64 colours
with pngquant (Debian's pngquant) when it is installed.

    scripts/report-screenshots.py PAGE.html OUTDIR [CALL_ID]
"""
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.request


def main():
    page, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    call = sys.argv[3] if len(sys.argv) > 3 else None
    port = random.randint(30000, 60000)
    driver = subprocess.Popen(["chromedriver", f"--port={port}", "--allowed-ips=127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def command(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)["value"]

    try:
        for _ in range(100):
            try:
                if command("GET", "/status")["ready"]:
                    break
            except OSError:
                time.sleep(0.1)
        options = {"binary": shutil.which("chromium"),
                   "args": ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,720"]}
        session = "/session/" + command("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}})["sessionId"]
        command("POST", session + "/url", {"url": "file://" + page})

        def shoot(name, script):
            command("POST", session + "/execute/sync", {"script": script, "args": []})
            time.sleep(0.5)
            path = os.path.join(outdir, name + ".png")
            with open(path, "wb") as f:
                f.write(base64.b64decode(command("GET", session + "/screenshot")))
            if shutil.which("pngquant"):
                subprocess.run(["pngquant", "--force", "--strip", "--output", path, "64", path], check=True)
            print(path, os.path.getsize(path))

        scroll = "document.getElementById('{}').scrollIntoView(); window.scrollBy(0, -44);"
        shoot("capture", "window.scrollTo(0, 0);")
        shoot("timeline", scroll.format("timeline-section"))
        shoot("flow-control", scroll.format("flow-section"))
        shoot("methods", scroll.format("methods-section"))
        shoot("errors", scroll.format("errors-section") + "document.querySelector('#errors details') && document.querySelector('#errors details').setAttribute('open', '');")
        shoot("connections", scroll.format("connections-section"))
        if call:
            shoot("detail", f"window.scrollTo(0, 0); location.hash = 'call={call}';")
        command("DELETE", session)
    finally:
        driver.terminate()


if __name__ == "__main__":
    main()
