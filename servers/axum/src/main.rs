//! Benchmark server: Axum + sqlx (postgres) on tokio.
//!
//! Modeled on the reference benchmark's Rust server, itself the axum `sqlx-postgres` example:
//! a `PgPool` of 5 connections in the router state, and `GET /` returning the first 100 users
//! as JSON. See README.md for the environment and the contract in ../README.md.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{FromRow, Row};
use tokio::signal::unix::{SignalKind, signal};

const QUERY: &str = r#"SELECT user_id, username, email FROM "user" ORDER BY user_id LIMIT 100"#;
const ONE_USER: &str = r#"SELECT user_id, username, email FROM "user" WHERE username = $1"#;

/// How long in-flight requests get after SIGTERM/SIGINT before the process exits anyway
/// (idle keep-alive connections would otherwise keep graceful shutdown waiting).
const DRAIN_DEADLINE: Duration = Duration::from_secs(1);

/// Serialized in declaration order: user_id, username, email.
#[derive(Serialize)]
struct User {
    user_id: String,
    username: String,
    email: String,
}

/// What `#[derive(sqlx::FromRow)]` would generate; written out so sqlx needs no proc-macro crate.
impl<'r> FromRow<'r, PgRow> for User {
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
        })
    }
}

async fn list_users(
    State(pool): State<PgPool>,
) -> Result<Json<Vec<User>>, (StatusCode, &'static str)> {
    sqlx::query_as::<_, User>(QUERY)
        .fetch_all(&pool)
        .await
        .map(Json)
        .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"))
}

/// `GET /users/{username}`: one user by its unique username; 404 when there is none.
async fn one_user(
    State(pool): State<PgPool>,
    Path(username): Path<String>,
) -> Result<Json<User>, (StatusCode, &'static str)> {
    match sqlx::query_as::<_, User>(ONE_USER)
        .bind(username)
        .fetch_optional(&pool)
        .await
    {
        Ok(Some(user)) => Ok(Json(user)),
        Ok(None) => Err((StatusCode::NOT_FOUND, "no such user\n")),
        Err(_) => Err((StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")),
    }
}

async fn not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "not found\n")
}

async fn method_not_allowed() -> (StatusCode, &'static str) {
    (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n")
}

fn env_required(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} must be set"))
}

fn env_number<T: std::str::FromStr>(name: &str) -> Result<Option<T>, String> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(v) => v
            .parse()
            .map(Some)
            .map_err(|_| format!("{name}={v:?} is not a valid number")),
    }
}

struct Config {
    port: u16,
    host: Ipv4Addr,
    database_url: String,
    pool_size: u32,
    worker_threads: Option<usize>,
}

fn config() -> Result<Config, String> {
    let port = env_number::<u16>("PORT")?.ok_or("PORT must be set")?;
    // 127.0.0.1 unless a run places the server on a host of its own; never 0.0.0.0.
    let host = match std::env::var("HOST") {
        Ok(v) if !v.is_empty() => match v.parse::<Ipv4Addr>() {
            Ok(a) if !a.is_unspecified() => a,
            _ => {
                return Err(format!(
                    "HOST={v:?} must be an IPv4 address other than 0.0.0.0"
                ));
            }
        },
        _ => Ipv4Addr::LOCALHOST,
    };
    let database_url = env_required("DATABASE_URL")?;
    let pool_size = env_number::<u32>("DB_POOL_SIZE")?.unwrap_or(5);
    let worker_threads = env_number::<usize>("WORKER_THREADS")?;
    if pool_size == 0 || worker_threads == Some(0) {
        return Err("DB_POOL_SIZE and WORKER_THREADS must be at least 1".into());
    }
    Ok(Config {
        port,
        host,
        database_url,
        pool_size,
        worker_threads,
    })
}

/// Resolves on the first SIGTERM or SIGINT. The handlers are installed before it is first polled.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

async fn run(cfg: Config) -> Result<(), String> {
    let shutdown = shutdown_signal().map_err(|e| format!("cannot install signal handlers: {e}"))?;

    // As the reference: max_connections(5) and a 3 s acquire timeout; `connect` checks the
    // database once at startup, after which the pool reconnects by itself.
    let pool = PgPoolOptions::new()
        .max_connections(cfg.pool_size)
        .acquire_timeout(Duration::from_secs(3))
        .connect(&cfg.database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;

    let app = Router::new()
        .route("/", get(list_users).fallback(method_not_allowed))
        .route(
            "/users/{username}",
            get(one_user).fallback(method_not_allowed),
        )
        .fallback(not_found)
        .with_state(pool.clone());

    let addr = SocketAddr::from((cfg.host, cfg.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = stop_rx.await;
    });
    let mut server = std::pin::pin!(server.into_future());

    tokio::select! {
        res = &mut server => return res.map_err(|e| format!("server error: {e}")),
        () = shutdown => {}
    }
    // Stop accepting, let in-flight requests finish, but never wait on idle connections for long.
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(DRAIN_DEADLINE, server).await;
    let _ = tokio::time::timeout(Duration::from_millis(300), pool.close()).await;
    Ok(())
}

fn main() -> ExitCode {
    let cfg = match config() {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("axum-server: {e}");
            return ExitCode::from(2);
        }
    };

    // Same runtime as the reference's `#[tokio::main]` unless WORKER_THREADS is set
    // (tokio's default is one worker per core).
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if let Some(n) = cfg.worker_threads {
        builder.worker_threads(n);
    }
    let runtime = match builder.build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("axum-server: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };

    let result = runtime.block_on(run(cfg));
    // Tasks still serving idle connections are dropped here without further waiting.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("axum-server: {e}");
            ExitCode::FAILURE
        }
    }
}
