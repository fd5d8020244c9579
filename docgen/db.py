"""Engine, sessions and the unit of work. Plain SQLAlchemy 2; Alembic owns the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import orjson
import psycopg
from flask import Flask, current_app, g
from psycopg.rows import namedtuple_row
from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.expression import Insert, Select

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


def session(*, autocommit: bool = False) -> Session:
    """The request's session (one per request, closed at teardown).

    `autocommit=True` is for a request whose only write is one statement, which is atomic by itself: on PostgreSQL
    each statement then commits on its own, which saves the BEGIN and COMMIT round trips. Its reads see what they
    would see in a transaction, since at READ COMMITTED each statement takes its own snapshot anyway. It counts
    only for the request's first call; SQLite, and a session bound to a connection (the tests' outer transaction),
    keep transactions. The connection goes back to the pool with its default isolation level.
    """
    if "db_session" not in g:
        s = get_db().session()
        bind = s.get_bind()
        if autocommit and isinstance(bind, Engine) and bind.dialect.name == "postgresql":
            s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        g.db_session = s
    current: Session = g.db_session
    return current


def init_app(app: Flask) -> None:
    app.extensions["docgen.db"] = Database(app.config["DATABASE_URL"], echo=app.config["DATABASE_ECHO"])

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        s = g.pop("db_session", None)
        if s is not None:
            s.close()


@dataclass(frozen=True)
class _DriverStatement:
    dialect: Dialect
    sql: str
    binds: dict[str, Callable[[Any], Any]]  # parameter name -> its type's bind processor, where it has one
    results: list[Callable[[Any], Any] | None]  # per result column: its type's result processor, if any


class Prepared:
    """A constant statement of the intake path (the token, the participant's record, the insert).

    On PostgreSQL it goes to psycopg directly, as a server-side prepared statement on the session's connection:
    SQLAlchemy's execution layer (cache key, parameters, result rows) cost 130-270 us of CPU a statement, together
    about a sixth of what an intake cost the worker (measured for bench/intake.py). Parameters and result columns
    still go through the statement's own types (JSON, UTCDateTime), as SQLAlchemy would apply them, and errors come
    back as SQLAlchemy's exceptions. Anywhere else (SQLite) the statement runs through SQLAlchemy as usual.
    """

    def __init__(self, statement: Select[Any] | Insert) -> None:
        self.statement = statement
        self._driver: _DriverStatement | None = None

    def _compile(self, dialect: Dialect) -> _DriverStatement:
        if self._driver is None or self._driver.dialect is not dialect:
            compiled = self.statement.compile(dialect=dialect)
            binds: dict[str, Callable[[Any], Any]] = {}
            for name, bind in compiled.binds.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    binds[name] = processor
            columns = list(self.statement.selected_columns) if isinstance(self.statement, Select) else []
            results: list[Callable[[Any], Any] | None] = [
                c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
            ]
            self._driver = _DriverStatement(dialect, compiled.string, binds, results)
        return self._driver

    def run(self, s: Session, params: Mapping[str, Any]) -> Sequence[Any]:
        """The statement's rows (named tuples by column name; none for an insert), on the session's connection."""
        conn = s.connection()
        if conn.dialect.name != "postgresql":
            result = conn.execute(self.statement, dict(params))
            return result.all() if result.returns_rows else []
        driver = self._compile(conn.dialect)
        binds = driver.binds
        values = {k: binds[k](v) if k in binds else v for k, v in params.items()}
        # A psycopg.Connection: psycopg is the postgresql driver here.
        dbapi: Any = conn.connection.dbapi_connection
        try:
            with dbapi.cursor(row_factory=namedtuple_row) as cursor:
                cursor.execute(driver.sql, values, prepare=True)
                rows: list[Any] = cursor.fetchall() if cursor.description is not None else []
        except psycopg.Error as exc:
            # What SQLAlchemy would do: a connection the server dropped leaves the pool, and the error is its own.
            lost = conn.dialect.is_disconnect(cast(Any, exc), dbapi, None)
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                driver.sql, None, exc, psycopg.Error, hide_parameters=True, connection_invalidated=lost
            ) from exc
        if any(driver.results):
            rows = [
                row._make(v if p is None else p(v) for p, v in zip(driver.results, row, strict=True))
                for row in rows
            ]
        return rows
