import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import models, schemas
from .database import SessionLocal, engine

# Sync endpoints and dependencies run in AnyIO's worker-thread pool; 40 threads is its default.
THREADPOOL_SIZE = int(os.environ.get("THREADPOOL_SIZE", "40"))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = THREADPOOL_SIZE
    yield
    engine.dispose()


app = FastAPI(lifespan=lifespan)


# Dependency
def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        try:
            db.close()
        except SQLAlchemyError:
            # The ROLLBACK on close can hit a connection the server has just terminated.
            # SQLAlchemy has already invalidated it.
            pass


# Database unreachable (OperationalError/InterfaceError: both DBAPIError), or no pooled connection
# free within pool_timeout (sqlalchemy.exc.TimeoutError): all SQLAlchemyError subclasses.
@app.exception_handler(SQLAlchemyError)
async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": "database unavailable"}, status_code=503)


# HEAD too (RFC 9110 §9.1): FastAPI answers HEAD on a GET route with 405 otherwise.
@app.api_route("/", methods=["GET", "HEAD"], response_model=list[schemas.UserOut])
def read_users(db: Session = Depends(get_db)) -> list[models.User]:
    users = db.query(models.User).order_by(models.User.user_id).limit(100).all()
    # Give the connection back now rather than in get_db's exit: that exit runs in a worker
    # thread too, and under a burst of more requests than threads every thread can be waiting
    # for a connection that only a free thread could return (a stall until pool_timeout).
    db.close()
    return users


@app.api_route("/users/{username}", methods=["GET", "HEAD"], response_model=schemas.UserOut)
def read_user(username: str, db: Session = Depends(get_db)) -> models.User:
    user = db.query(models.User).filter(models.User.username == username).one_or_none()
    db.close()  # as in read_users: the connection goes back before the response is built
    if user is None:
        raise HTTPException(status_code=404, detail="no such user")
    return user
