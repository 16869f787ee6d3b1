// The SQL of postgres/, compiled in so that the harness works from any
// directory.
#pragma once

namespace harness {

extern const char* const kSchemaSql;    // postgres/schema.sql
extern const char* const kSeedSql;      // postgres/seed.sql
extern const char* const kClusterConf;  // postgres/cluster.conf

// What every server runs on every GET /.
inline constexpr const char* kBenchmarkQuery =
    R"(SELECT user_id, username, email FROM "user" ORDER BY user_id LIMIT 100)";
inline constexpr int kSeedRows = 2000;

}  // namespace harness
