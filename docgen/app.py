"""The application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, send_from_directory
from flask.sessions import SessionInterface, SessionMixin
from flask.typing import ResponseReturnValue
from flask_smorest import Api

from docgen.http import OrjsonProvider


class DocgenApi(Api):
    """flask-smorest's Api, minus its error handlers: docgen.errors has the one handler."""

    def _register_error_handlers(self) -> None:
        return None


class NoCookieSessions(SessionInterface):
    """docgen keeps no cookie sessions (API tokens and signing links say who is calling), so it skips building a
    signed-cookie serializer on every request; a write to flask.session fails loudly."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from docgen import catalogue, cli, config, db, errors, health, requestlog
    from docgen.documents import views as document_views
    from docgen.files import services as file_services
    from docgen.files import views as file_views
    from docgen.forms import services as form_services
    from docgen.forms import views as form_views
    from docgen.orgs import views as settings_views

    app = Flask(__name__, instance_relative_config=True)
    app.json = OrjsonProvider(app)
    app.session_interface = NoCookieSessions()
    config.load(app, test_config)
    requestlog.init_app(app)
    errors.init_app(app)
    db.init_app(app)
    cli.init_app(app)
    file_services.init_app(app)
    form_services.init_app(app)

    api = DocgenApi(
        app, spec_kwargs={"components": {"securitySchemes": _security()}, "security": [{"bearer": []}]}
    )
    api.register_blueprint(document_views.blp)
    api.register_blueprint(catalogue.blp)
    api.register_blueprint(settings_views.blp)
    api.register_blueprint(file_views.blp)
    api.register_blueprint(file_views.downloads)
    api.register_blueprint(form_views.blp)
    app.register_blueprint(health.blp)
    _serve_docs_assets(app)
    return app


def _security() -> dict[str, Any]:
    return {
        "bearer": {"type": "http", "scheme": "bearer", "description": "API token from `flask token create`."}
    }


def _serve_docs_assets(app: Flask) -> None:
    """Swagger UI's files from the swagger-ui-bundle package: boards run docgen on closed networks, no CDN."""
    import swagger_ui_bundle

    @app.get("/docs/assets/<path:filename>")
    def docs_assets(filename: str) -> ResponseReturnValue:
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
