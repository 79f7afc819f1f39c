"""Run the sandbox: in a background thread for tests (``with Sandbox(...) as sb``) or in the
foreground for ``opskit sandbox serve``."""

from __future__ import annotations

import ssl
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from opskit.sandbox.body import DEFAULT_MAX_BODY_BYTES
from opskit.sandbox.db import Store
from opskit.sandbox.faults import FaultConfig, FaultInjector
from opskit.sandbox.ratelimit import TokenBucket
from opskit.sandbox.reqlog import RequestLog
from opskit.sandbox.state import SandboxState, utcnow


@dataclass
class SandboxConfig:
    """How to run a sandbox: database, address, seed, TLS, rate limits and faults."""

    db: Path | str
    host: str = "127.0.0.1"
    port: int = 0
    reset: bool = False
    seed: str | None = None
    tls: bool = True
    pd_rate_per_minute: int = 960
    jira_rate_per_minute: int = 6000
    faults: FaultConfig = field(default_factory=FaultConfig)
    clock: Callable[[], datetime] = utcnow
    ca_dir: Path | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    """Largest request body accepted; a larger one is answered 413 unread."""

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")


class _QuietHandler(WSGIRequestHandler):
    """The request log replaces werkzeug's per-request stderr lines."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class Sandbox:
    """A running sandbox. PagerDuty's client only talks https, so TLS is on by default with a
    throwaway CA (``ca_path``) that clients are told to trust; the wire stays untouched."""

    def __init__(self, db: Path | str | None = None, **kw: Any) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if db is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="opskit-sandbox-")
            db = Path(self._tmp.name) / "sandbox.db"
        self.config = SandboxConfig(db=db, **kw)
        self.ca_path: Path | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.state: SandboxState | None = None

    def start(self) -> Sandbox:
        from opskit.sandbox.app import create_app
        from opskit.sandbox.seed import apply_seed, ensure_base

        cfg = self.config
        store = Store(cfg.db, reset=cfg.reset)
        self.state = SandboxState(
            store=store,
            log=RequestLog(),
            faults=FaultInjector(cfg.faults),
            pd_limit=TokenBucket(cfg.pd_rate_per_minute, 60.0),
            jira_limit=TokenBucket(cfg.jira_rate_per_minute, 60.0),
            clock=cfg.clock,
        )
        app = create_app(self.state, cfg.max_body_bytes)
        try:
            with app.app_context():
                ensure_base(store)
                if cfg.seed:
                    apply_seed(store, cfg.seed, cfg.clock())
            self._server = make_server(
                cfg.host,
                cfg.port,
                app,
                threaded=True,
                request_handler=_QuietHandler,
                ssl_context=self._ssl_context() if cfg.tls else None,
            )
        except BaseException:
            store.close()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="opskit-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def _ssl_context(self) -> ssl.SSLContext:
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost", self.config.host)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        ca_dir = self.config.ca_dir or Path(self.config.db).parent
        self.ca_path = Path(ca_dir) / (Path(self.config.db).name + ".ca.pem")
        ca.cert_pem.write_to_path(str(self.ca_path))
        return ctx

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self.state is not None:
            self.state.store.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @property
    def port(self) -> int:
        assert self._server is not None, "sandbox not started"
        return int(self._server.server_port)

    @property
    def url(self) -> str:
        scheme = "https" if self.config.tls else "http"
        return f"{scheme}://{self.config.host}:{self.port}"

    def client_ssl_context(self) -> ssl.SSLContext:
        """An SSL context trusting only the sandbox CA (e.g. for httpx2's ``verify=``)."""
        assert self.ca_path is not None, "sandbox runs without TLS"
        return ssl.create_default_context(cafile=str(self.ca_path))

    @property
    def log(self) -> RequestLog:
        assert self.state is not None
        return self.state.log

    @property
    def store(self) -> Store:
        assert self.state is not None
        return self.state.store

    def set_faults(self, config: FaultConfig) -> None:
        assert self.state is not None
        self.state.faults.configure(config)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
