-- 2000 users, deterministic (the reference used random UUIDs): user_id is the md5 of 'userN'
-- written as a UUID, so every run and every server serves the same bytes.
INSERT INTO "user" (user_id, username, email)
SELECT md5('user' || n)::uuid::text, 'user' || n, 'user' || n || '@example.com'
FROM generate_series(1, 2000) AS n;
ANALYZE "user";
