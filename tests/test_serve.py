"""`claimdiff serve`: the same app in a browser, through textual-serve, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
import sys
import threading
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


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_cleanly_and_leaves_no_app_behind(tmp_path: Path, sig: signal.Signals) -> None:
    """A session opened as reviewer 'ann' runs as ann; stopping the server ends its app."""
    port = _free_port()
    ann = tmp_path / "ann"
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", str(port), "--annotations", str(ann)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    opened = threading.Event()
    release = threading.Event()

    async def session() -> None:
        url = f"http://127.0.0.1:{port}/ws/ann?width=120&height=36"
        async with aiohttp.ClientSession() as client, client.ws_connect(url) as ws:
            got = b""
            while b"claims tagged" not in got:
                msg = await ws.receive(timeout=30)
                if msg.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    return
                got += msg.data if isinstance(msg.data, bytes) else msg.data.encode()
            opened.set()
            while not release.is_set():
                with contextlib.suppress(TimeoutError):
                    msg = await ws.receive(timeout=0.2)
                    if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        return

    try:
        page = ""
        for _ in range(100):
            try:
                url = f"http://127.0.0.1:{port}/?reviewer=ann"
                with urllib.request.urlopen(url, timeout=1) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert f"ws://127.0.0.1:{port}/ws/ann" in page  # this browser's session is ann's
        thread = threading.Thread(target=lambda: asyncio.run(session()), daemon=True)
        thread.start()
        assert opened.wait(60), "the browser session never drew the app"
        assert (ann / "ann.json.lock").exists()  # the app runs as the reviewer the URL named
        apps = _children(server.pid)
        assert apps  # the session's app process
        server.send_signal(sig)
        output = server.communicate(timeout=30)[0].decode(errors="replace")
        assert server.returncode in (0, -sig), output
        assert "Traceback" not in output and "Event loop is closed" not in output, output
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in apps) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in apps if _alive(p)]  # no orphan left running
    finally:
        release.set()
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
