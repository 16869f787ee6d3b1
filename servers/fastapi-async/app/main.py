import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchmark")
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "5"))

QUERY = 'SELECT user_id, username, email FROM "user" ORDER BY user_id LIMIT 100'
ONE_USER = 'SELECT user_id, username, email FROM "user" WHERE username = $1'


class User(BaseModel):
    # Field order is the JSON key order: user_id, username, email.
    user_id: str
    username: str
    email: str


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Opens DB_POOL_SIZE connections now (fails startup if the database is down). A connection
    # that breaks later is closed by asyncpg and reopened on its next acquire.
    pool = await asyncpg.create_pool(
        DATABASE_URL,
        min_size=DB_POOL_SIZE,
        max_size=DB_POOL_SIZE,
        timeout=2,  # connect timeout, seconds
    )
    app.state.pool = pool
    try:
        yield
    finally:
        try:
            await asyncio.wait_for(pool.close(), timeout=0.5)
        except Exception:  # timeout, or the database went away: just drop the sockets
            pool.terminate()


app = FastAPI(lifespan=lifespan)


async def db_session(request: Request) -> AsyncIterator[asyncpg.Connection]:
    pool: asyncpg.Pool = request.app.state.pool
    connection = await pool.acquire()
    try:
        yield connection
    finally:
        try:
            await pool.release(connection)
        except Exception:
            # Resetting a connection the server just dropped can fail; asyncpg has then already
            # terminated it and returned its slot to the pool (reopened on the next acquire).
            # This runs after the response was sent, so there is nobody left to tell.
            pass


# Database unreachable: connect refused/timed out (OSError, TimeoutError), connection lost
# mid-query (asyncpg.InterfaceError: ConnectionDoesNotExistError), server shutting down or
# starting up (asyncpg.PostgresError: AdminShutdownError, CannotConnectNowError, ...), or a query
# racing the server's "terminating connection" message (asyncpg.InternalClientError).
@app.exception_handler(OSError)
@app.exception_handler(TimeoutError)
@app.exception_handler(asyncpg.InterfaceError)
@app.exception_handler(asyncpg.PostgresError)
@app.exception_handler(asyncpg.InternalClientError)
async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": "database unavailable"}, status_code=503)


# HEAD too (RFC 9110 §9.1): FastAPI answers HEAD on a GET route with 405 otherwise.
@app.api_route("/", methods=["GET", "HEAD"], response_model=list[User])
async def read_users(session: asyncpg.Connection = Depends(db_session)) -> list[dict[str, str]]:
    rows = await session.fetch(QUERY)
    return [dict(row) for row in rows]


@app.api_route("/users/{username}", methods=["GET", "HEAD"], response_model=User)
async def read_user(
    username: str, session: asyncpg.Connection = Depends(db_session)
) -> dict[str, str]:
    row = await session.fetchrow(ONE_USER, username)
    if row is None:
        raise HTTPException(status_code=404, detail="no such user")
    return dict(row)
