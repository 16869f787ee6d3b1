#include "postgres/database.h"

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <pqxx/pqxx>
#include <regex>
#include <thread>

#include "postgres/sql_text.h"
#include "util/files.h"
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

Status ApplySchemaAndSeed(const std::string& dsn, const std::vector<std::filesystem::path>& setup) {
  if (setup.empty()) {
    return WithConnection(dsn, "schema and seed", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec(kSchemaSql);
      tx.exec(kSeedSql);
      tx.commit();
      return Ok{};
    });
  }
  for (const std::filesystem::path& file : setup) {
    auto sql = ReadFile(file);
    if (!sql) return sql.error();
    Status applied = WithConnection(dsn, file.filename().c_str(), [&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec(*sql);
      return Ok{};
    });
    if (!applied) return MakeError("setup file {}: {}", file.string(), applied.error().message);
  }
  return WithConnection(dsn, "pg_stat_statements", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    return Ok{};
  });
}

Result<std::string> DataChecksum(const std::string& dsn) {
  return WithConnection(dsn, "data checksum", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::string all;
    for (const auto& table : tx.exec(R"(
        SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY schemaname, tablename)")) {
      std::string name = table[0].as<std::string>();
      // Rows as text, sorted, so that the physical order of the rows does not matter.
      auto sum = tx.exec(
          "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
          "FROM " +
          name + " t");
      all += name + "=" + sum[0][0].as<std::string>() + "\n";
    }
    auto total = tx.exec("SELECT md5(" + tx.quote(all) + ")");
    return "md5:" + total[0][0].as<std::string>().substr(0, 16);
  });
}

Result<nlohmann::ordered_json> QueryRowsAsJson(const std::string& dsn, const std::string& sql,
                                               const std::vector<std::string>& params) {
  PGconn* conn = PQconnectdb(dsn.c_str());
  std::unique_ptr<PGconn, decltype(&PQfinish)> guard(conn, &PQfinish);
  if (PQstatus(conn) != CONNECTION_OK) {
    return MakeError("postgres ({}): {}", RedactDsn(dsn), FirstLine(PQerrorMessage(conn)));
  }
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* res = PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(res, &PQclear);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    return MakeError("{}: {}", sql, FirstLine(PQresultErrorMessage(res)));
  }
  // Type oids of pg_type.
  constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kJson = 114, kFloat4 = 700,
                kFloat8 = 701, kNumeric = 1700, kJsonb = 3802;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (int r = 0; r < PQntuples(res); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (int f = 0; f < PQnfields(res); ++f) {
      nlohmann::ordered_json& value = row[PQfname(res, f)];
      if (PQgetisnull(res, r, f)) continue;  // null
      std::string text = PQgetvalue(res, r, f);
      switch (PQftype(res, f)) {
        case kBool:
          value = text == "t";
          break;
        case kInt2:
        case kInt4:
        case kInt8:
        case kFloat4:
        case kFloat8:
        case kNumeric:
        case kJson:
        case kJsonb:
          value = nlohmann::ordered_json::parse(text, nullptr, false);
          if (value.is_discarded()) value = text;  // NaN, Infinity: no JSON number
          break;
        default:
          value = text;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
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
  // A schema of the user's own: the harness runs it when asked to seed, and cannot tell its
  // data from another's (the run records the data's checksum instead).
  if (!config.setup.empty()) return ApplySchemaAndSeed(config.dsn, config.setup);
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

Result<QueryCounts> ReadQueryCounts(const std::string& dsn, const std::string& matching) {
  return WithConnection(dsn, "pg_stat_statements", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec(R"(
      SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(rows), 0)::bigint
      FROM pg_stat_statements
      WHERE query ~* )" +
                     tx.quote(matching.empty() ? "." : matching) +
                     R"( AND query !~* 'pg_stat_statements')");
    return QueryCounts{r[0][0].as<long long>(), r[0][1].as<long long>()};
  });
}

Result<DsnParts> ParseDsn(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    std::string why = error ? FirstLine(error) : "out of memory";
    PQfreemem(error);
    return MakeError("not a Postgres DSN ({}): {}", RedactDsn(dsn), why);
  }
  DsnParts parts;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    std::string value = o->val ? o->val : "";
    std::string_view key = o->keyword;
    if (key == "host") parts.host = value;
    if (key == "port") parts.port = value;
    if (key == "user") parts.user = value;
    if (key == "password") parts.password = value;
    if (key == "dbname") parts.dbname = value;
  }
  PQconninfoFree(options);
  return parts;
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
