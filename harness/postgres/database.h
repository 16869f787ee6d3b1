// Talking to Postgres with libpqxx: readiness, the seed, and the facts the
// harness checks servers against. Works the same on the embedded cluster and on
// an external server.
#pragma once

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
Status ApplySchemaAndSeed(const std::string& dsn);

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
Result<QueryCounts> ReadQueryCounts(const std::string& dsn);

// The DSN with any password replaced by "***", for logs and results; also every DSN in a longer
// text.
std::string RedactDsn(const std::string& dsn);

}  // namespace harness
