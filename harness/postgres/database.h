// Talking to Postgres with libpqxx: readiness, the seed, and the facts the
// harness checks servers against. Works the same on the embedded cluster and on
// an external server.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/duration.h"
#include "util/result.h"

namespace harness {

// Polls until the server accepts connections, or `timeout` passes, or we are
// interrupted.
Status WaitUntilAccepting(const std::string& dsn, Duration timeout);

Status CreateDatabase(const std::string& admin_dsn, const std::string& name);
// The schema and data: postgres/schema.sql and seed.sql, or, when `setup` names files, those
// instead, each run whole in order (outside a transaction, so a file may hold anything psql
// would run). Then pg_stat_statements, which the harness's query counts read.
Status ApplySchemaAndSeed(const std::string& dsn,
                          const std::vector<std::filesystem::path>& setup = {});

// A checksum of every row of every table outside Postgres's own schemas: "md5:" and 16 hex
// digits. Two databases with the same checksum hold the same data (row order aside).
Result<std::string> DataChecksum(const std::string& dsn);

// The rows `sql` returns with `params` bound to $1, $2..., as JSON objects keyed by column
// name in the query's order: numbers and booleans as such, json and jsonb parsed, NULL as null,
// everything else as its text.
Result<nlohmann::ordered_json> QueryRowsAsJson(const std::string& dsn, const std::string& sql,
                                               const std::vector<std::string>& params);

// OK when table "user" holds exactly the deterministic seed of
// postgres/seed.sql.
Status CheckSeed(const std::string& dsn);

// An existing server named by bench.yaml: checks that it answers and holds the
// seed; creates and seeds the table only when `seed` allows it, and never
// alters a table it did not create.
Status PrepareExternal(const PostgresConfig& config);

struct UserRow {
  std::string user_id;
  std::string username;
  std::string email;
  bool operator==(const UserRow&) const = default;
};

// The benchmark query, run by the harness itself: what every server must answer
// with.
Result<std::vector<UserRow>> RunBenchmarkQuery(const std::string& dsn);

// pg_stat_statements, summed over every statement that is the benchmark query
// (any client's spelling of it: the ORM's, a prepared one).
struct QueryCounts {
  long long calls = 0;
  long long rows = 0;
};
Status ResetQueryCounts(const std::string& dsn);
// Summed over the statements whose text matches `matching` (a Postgres regex, ~*; empty: every
// statement), leaving out the harness's own reads and resets of pg_stat_statements.
Result<QueryCounts> ReadQueryCounts(const std::string& dsn, const std::string& matching);
// The benchmark query, in any client's spelling of it (the ORM's, a prepared one).
inline constexpr const char* kBenchmarkQueryPattern = R"(from\s+"user".*order\s+by.*limit)";

// A DSN's parts (libpq's own parsing of a URI or key=value string); empty where absent.
struct DsnParts {
  std::string host, port, user, password, dbname;
};
Result<DsnParts> ParseDsn(const std::string& dsn);

// The DSN with any password replaced by "***", for logs and results; also every DSN in a longer
// text.
std::string RedactDsn(const std::string& dsn);

}  // namespace harness
