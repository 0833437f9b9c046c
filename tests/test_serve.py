"""`claimdiff serve`: the same app in a browser, through textual-serve, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _screen_text(port: int, until: bytes, timeout: float) -> bytes:
    """What a browser session receives, until ``until`` shows up."""
    url = f"http://127.0.0.1:{port}/ws?width=120&height=36"
    got = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_str(json.dumps(["resize", {"width": 120, "height": 36}]))
        deadline = time.monotonic() + timeout
        while until not in got and time.monotonic() < deadline:
            try:
                msg = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if msg.type == aiohttp.WSMsgType.BINARY:
                got += msg.data
            elif msg.type == aiohttp.WSMsgType.TEXT:
                got += msg.data.encode()
            else:
                break
    return got


def test_serve_runs_the_app_for_a_browser_session(tmp_path: Path) -> None:
    port = _free_port()
    ann = tmp_path / "ann"
    command = [sys.executable, "-m", "tui", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--annotations", str(ann), "--reviewer", "web"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert f"ws://127.0.0.1:{port}/ws" in page
        screen = asyncio.run(_screen_text(port, b"claims tagged", timeout=30))
        assert b"claims tagged" in screen  # the status line: the app analysed the seeds and drew
        assert (ann / "web.json.lock").exists()  # with the reviewer and directory given
        busy = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert busy.returncode == 1
        assert f"cannot serve on 127.0.0.1:{port}" in busy.stderr
        assert "Traceback" not in busy.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)
