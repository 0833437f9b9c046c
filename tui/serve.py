"""`claimdiff serve`: the review app in browsers, one app process per browser session.

Built on textual-serve, with three changes: a session names its reviewer in the page URL
(``/?reviewer=ann`` gives that browser its own annotation file), each app runs in its own
process session (a ctrl+c in the server's terminal reaches only the server), and stopping
the server (SIGINT or SIGTERM) ends every app process before the event loop closes, so
nothing is left running and no traceback is printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

STOP_WAIT = 5.0  # seconds an app process gets to end on SIGTERM before it is killed


class _AppProcess(AppService):
    """An app process in a session of its own, so the terminal's ctrl+c does not reach it."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process


class ReviewServer(Server):
    """A textual-serve server whose sessions can each name a reviewer."""

    def __init__(self, argv: list[str], reviewer: str, **kwargs: Any) -> None:
        super().__init__(shlex.join([*argv, "--reviewer", reviewer]), **kwargs)
        self.argv = argv
        self.reviewer = reviewer
        self.services: set[AppService] = set()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{reviewer}", self.handle_websocket, name="reviewer-websocket")
        return app

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page; ``?reviewer=NAME`` points its session at that reviewer's file."""
        # The parent's handler renders its template itself: take the context it builds.
        context: dict[str, Any] = await Server.handle_index.__wrapped__(self, request)
        reviewer = request.query.get("reviewer", "").strip()
        if reviewer:
            context["app_websocket_url"] += "/" + quote(reviewer, safe="")
        return context

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser session: an app process for its reviewer, stopped with the session."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        reviewer = request.match_info.get("reviewer", "").strip() or self.reviewer
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = _AppProcess(
                shlex.join([*self.argv, "--reviewer", reviewer]),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.services.add(service)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await websocket.close()
        finally:
            if service is not None:
                await _end(service)
                self.services.discard(service)
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """Say where the app is served and how to name a reviewer."""
        self.console.print(f"claimdiff: serving on {self.public_url}", highlight=False)
        self.console.print(
            f"  one reviewer per browser: {self.public_url}/?reviewer=NAME"
            f" (default: {self.reviewer}); ctrl+c to stop",
            highlight=False,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """End every app process while the event loop still runs."""
        await asyncio.gather(*(_end(s) for s in list(self.services)), return_exceptions=True)
        self.services.clear()


async def _end(service: AppService) -> None:
    """Stop one app process: SIGTERM, then SIGKILL if it lingers; never raises."""
    process = service._process
    if process is None or process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_WAIT)
    except (TimeoutError, asyncio.CancelledError):
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    task = service._task
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(BaseException):
            await task


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
