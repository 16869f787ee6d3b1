-- The reference benchmark's table (scripts/migrations/1_create_user_table.sql upstream).
CREATE TABLE "user" (
    user_id  TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    email    TEXT NOT NULL UNIQUE
);

-- The harness reads pg_stat_statements to prove that every request really queries the database.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
