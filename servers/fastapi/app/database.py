import os

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker


def sqlalchemy_url(url: str) -> str:
    """postgres://... or postgresql://... -> postgresql+psycopg://... (psycopg 3 driver)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
        raise ValueError(f"DATABASE_URL must be postgres://..., got scheme {scheme!r}")
    return "postgresql+psycopg://" + rest


SQLALCHEMY_DATABASE_URL = sqlalchemy_url(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchmark")
)
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "5"))
# No overflow by default, so that every server in the comparison has at most DB_POOL_SIZE
# connections. The reference called create_engine() with SQLAlchemy's default overflow of 10
# (up to 15 connections); DB_MAX_OVERFLOW=10 reproduces that.
DB_MAX_OVERFLOW = int(os.environ.get("DB_MAX_OVERFLOW", "0"))

# No pool_pre_ping (the reference does not use it): a connection killed while idle in the pool
# fails on its next use, SQLAlchemy recognises the disconnect and invalidates the whole pool, and
# the next checkout opens fresh connections.
engine = create_engine(
    SQLALCHEMY_DATABASE_URL,
    pool_size=DB_POOL_SIZE,
    max_overflow=DB_MAX_OVERFLOW,
    connect_args={"connect_timeout": 2},
)
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)


class Base(DeclarativeBase):
    pass
