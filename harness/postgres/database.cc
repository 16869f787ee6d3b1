#include "postgres/database.h"

#include <libpq-fe.h>

#include <chrono>
#include <pqxx/pqxx>
#include <regex>
#include <thread>

#include "postgres/sql_text.h"
#include "util/interrupt.h"

namespace harness {
namespace {

// libpqxx reports in several lines; a one-line error needs the first.
std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

template <typename F>
auto WithConnection(const std::string& dsn, const char* what, F&& f)
    -> Result<decltype(f(std::declval<pqxx::connection&>()))> {
  try {
    pqxx::connection conn(dsn);
    return f(conn);
  } catch (const std::exception& e) {
    return MakeError("postgres {} ({}): {}", what, RedactDsn(dsn), FirstLine(e.what()));
  }
}

}  // namespace

Status WaitUntilAccepting(const std::string& dsn, Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (PQping(dsn.c_str()) == PQPING_OK) return OkStatus();
    if (Interrupted()) return MakeError("interrupted while waiting for postgres");
    if (std::chrono::steady_clock::now() >= deadline) {
      return MakeError("postgres at {} did not accept connections within {}", RedactDsn(dsn),
                       FormatDuration(timeout));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Status CreateDatabase(const std::string& admin_dsn, const std::string& name) {
  return WithConnection(admin_dsn, "create database", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("CREATE DATABASE " + tx.quote_name(name));
    return Ok{};
  });
}

Status ApplySchemaAndSeed(const std::string& dsn) {
  return WithConnection(dsn, "schema and seed", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec(kSchemaSql);
    tx.exec(kSeedSql);
    tx.commit();
    return Ok{};
  });
}

Status CheckSeed(const std::string& dsn) {
  // Every row must be the one seed.sql makes for its username, and the
  // usernames user1..user2000.
  auto counts = WithConnection(dsn, "seed check", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec(R"(
      SELECT count(*),
             count(*) FILTER (WHERE username ~ '^user[1-9][0-9]*$'
                                AND substr(username, 5)::int BETWEEN 1 AND 2000
                                AND user_id = md5(username)::uuid::text
                                AND email = username || '@example.com')
      FROM "user")");
    return std::pair(r[0][0].as<long long>(), r[0][1].as<long long>());
  });
  if (!counts) return counts.error();
  auto [total, good] = *counts;
  if (total != kSeedRows || good != kSeedRows) {
    return MakeError(
        "table \"user\" at {} is not the benchmark's seed: {} rows, {} of them "
        "as "
        "postgres/seed.sql makes them (want {})",
        RedactDsn(dsn), total, good, kSeedRows);
  }
  return OkStatus();
}

Status PrepareExternal(const PostgresConfig& config) {
  if (Status s = WaitUntilAccepting(config.dsn, std::chrono::seconds(10)); !s) return s;
  auto has_table = WithConnection(config.dsn, "table check", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec(R"(SELECT to_regclass('public."user"') IS NOT NULL)")[0][0].as<bool>();
  });
  if (!has_table) return has_table.error();
  if (!*has_table) {
    if (!config.seed) {
      return MakeError(
          "postgres at {} has no table \"user\"; set postgres.seed: true to "
          "let the harness "
          "create and seed it",
          RedactDsn(config.dsn));
    }
    if (Status s = ApplySchemaAndSeed(config.dsn); !s) return s;
  }
  return CheckSeed(config.dsn);
}

Result<std::vector<UserRow>> RunBenchmarkQuery(const std::string& dsn) {
  return WithConnection(dsn, "benchmark query", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<UserRow> rows;
    for (const auto& row : tx.exec(kBenchmarkQuery)) {
      rows.push_back(
          {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
    }
    return rows;
  });
}

Status ResetQueryCounts(const std::string& dsn) {
  return WithConnection(dsn, "pg_stat_statements reset", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("SELECT pg_stat_statements_reset()");
    return Ok{};
  });
}

Result<QueryCounts> ReadQueryCounts(const std::string& dsn) {
  return WithConnection(dsn, "pg_stat_statements", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec(R"(
      SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(rows), 0)::bigint
      FROM pg_stat_statements
      WHERE query ~* 'from\s+"user"' AND query ~* 'order\s+by' AND query ~* 'limit'
        AND query !~* 'pg_stat_statements')");
    return QueryCounts{r[0][0].as<long long>(), r[0][1].as<long long>()};
  });
}

std::string RedactDsn(const std::string& dsn) {
  // postgres://user:password@host → postgres://user:***@host; also password=...
  // key/values. Not anchored, and stopping at blanks and quotes, so that a whole text (bench.yaml
  // as recorded in results.json) is redacted too.
  static const std::regex uri(R"((postgres(?:ql)?://[^:@/\s'"]*:)[^@/\s'"]*@)");
  static const std::regex keyword(R"((password\s*=\s*)('[^']*'|[^&\s'"]+))");
  std::string out = std::regex_replace(dsn, uri, "$1***@");
  return std::regex_replace(out, keyword, "$1***");
}

}  // namespace harness
