"""One log line per request, with a request id echoed in X-Request-Id. No participant data: the route
template is logged, never the URL with its ids, the query string or the body."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("docgen.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def init_app(app: Flask) -> None:
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )

    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id", "-")
        response.headers["X-Request-Id"] = request_id
        elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        route = request.url_rule.rule if request.url_rule is not None else "<no route>"
        principal = g.get("principal")
        org = principal.org_id if principal is not None else "-"
        log.info(
            "request_id=%s org=%s %s %s %s %.1fms",
            request_id,
            org,
            request.method,
            route,
            response.status_code,
            elapsed_ms,
        )
        return response
