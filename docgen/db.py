"""Engine, sessions and the unit of work. Plain SQLAlchemy 2; Alembic owns the schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back aware (SQLite keeps no offset): nobody guesses the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return None if value is None else value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Database:
    """The app's engine and session factory (app.extensions['docgen.db'])."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        # hide_parameters: a database error's message never carries the bound values (participant data).
        options: dict[str, Any] = {"echo": echo, "future": True, "hide_parameters": True}
        if url.startswith("sqlite"):
            options["connect_args"] = {"check_same_thread": False}
        else:
            # No pre-ping (it costs a round trip per request); a connection found dead is discarded by the pool
            # and connections are recycled hourly.
            options.update(pool_size=10, max_overflow=10, pool_recycle=3600)
            # orjson for json/jsonb columns: psycopg takes its bytes as they are (SQLite's JSON needs str: stdlib).
            options.update(json_serializer=orjson.dumps, json_deserializer=orjson.loads)
        self.engine: Engine = create_engine(url, **options)
        if url.startswith("sqlite"):
            _sqlite_transactions(self.engine)
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, issue BEGIN (so SAVEPOINTs work), serialise writers, enforce foreign keys."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE: a transaction takes the write lock up front and waits (busy_timeout) for another writer,
        # instead of failing with "database is locked" when it upgrades from reading to writing.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def get_db(app: Flask | None = None) -> Database:
    db: Database = (app or current_app).extensions["docgen.db"]
    return db


def session() -> Session:
    """The request's session (one per request, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = get_db().session()
    s: Session = g.db_session
    return s


def init_app(app: Flask) -> None:
    app.extensions["docgen.db"] = Database(app.config["DATABASE_URL"], echo=app.config["DATABASE_ECHO"])

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        s = g.pop("db_session", None)
        if s is not None:
            s.close()
