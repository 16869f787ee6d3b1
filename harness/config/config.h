// bench.yaml: what to compare and how. Load() validates the whole file up
// front, so a run never dies half-way on a typo; every error names the file,
// the line and the key.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/duration.h"
#include "util/result.h"

namespace harness {

struct PostgresConfig {
  std::string dsn;    // empty: an embedded throwaway cluster
  bool seed = false;  // with dsn: may the harness create and seed the tables?
  int max_connections = 1000;
  bool keep = false;  // embedded: keep the cluster directory after the run
  // SQL files run in order on the fresh cluster (or, with seed, on the external server) instead
  // of the built-in schema and 2000 users; absolute.
  std::vector<std::filesystem::path> setup;
};

struct ReadyCheck {
  std::string path = "/";
  Duration timeout = std::chrono::seconds(60);
};

struct ServerConfig {
  std::string name;
  std::filesystem::path dir;  // absolute, resolved against the config file's folder
  std::string build;          // shell command run in dir; empty: nothing to build
  std::string run;  // shell command run in dir with PORT, HOST, DATABASE_URL, DB_POOL_SIZE
  // Extra environment. Values may name the harness's values as ${NAME} (kHarnessValues), so a
  // server that reads its DSN from another variable needs no wrapper.
  std::map<std::string, std::string> env;
  std::optional<int> port;  // a fixed port the server listens on; empty: the harness picks one
  // What the stack is, for readers of the report: the framework, the driver, how it uses the pool
  // (anything that changes what is compared, such as pipelining several queries on a connection).
  std::string description;
  ReadyCheck ready;
  bool enabled = true;
  std::string host;  // where it runs: a key of `hosts` or kLocalHost; empty: placement.servers
};

// The values a server's env may name: ${DATABASE_URL}, ${PORT}, ${HOST} (the address to listen
// on), ${DB_POOL_SIZE}, and the DSN's parts ${DB_HOST}, ${DB_PORT}, ${DB_USER}, ${DB_PASSWORD},
// ${DB_NAME}.
inline const std::vector<std::string> kHarnessValues = {"DATABASE_URL", "PORT",        "HOST",
                                                        "DB_POOL_SIZE", "DB_HOST",     "DB_PORT",
                                                        "DB_USER",      "DB_PASSWORD", "DB_NAME"};

// What a scenario sends: oha's -m, -H and -d, and one URL, a pattern of URLs or a file of them.
struct RequestSpec {
  std::string method = "GET";
  std::string path = "/";            // one URL: http://127.0.0.1:PORT + path
  std::string path_pattern;          // or a regex of paths (oha --rand-regex-url)
  std::filesystem::path paths_file;  // or a file of paths, one per line (--urls-from-file)
  std::vector<std::string> paths;    // its lines, read with the config
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with every request (oha -d)
  bool IsDefault() const {
    return method == "GET" && path == "/" && path_pattern.empty() && paths.empty() &&
           headers.empty() && body.empty();
  }
};

// What a correct body is.
enum class BodyKind {
  kAny,    // not checked
  kSql,    // the rows `sql` returns, as a JSON array of objects (or one object)
  kJson,   // this JSON document (inline, or read from a file)
  kShape,  // any JSON of this shape: an array of `items` objects (or one object) with `keys`
};
struct ExpectedBody {
  BodyKind kind = BodyKind::kAny;
  std::string sql;                // kSql; $1, $2... are the groups of `params` matched on the path
  std::string params;             // kSql: a regex on the request's path
  bool object = false;            // kSql and kShape: one object rather than an array of them
  std::string json;               // kJson
  std::optional<int> items;       // kShape: how many objects in the array
  std::vector<std::string> keys;  // kShape: the keys of each object
  // JSON objects are unordered (RFC 8259): keys may come in any order unless this is set.
  bool ordered_keys = false;
};

// How many executions of which statements one request must cause, from pg_stat_statements.
struct QueryExpectation {
  std::optional<int> count;       // empty: not checked; 0 for endpoints that must not query
  std::string matching;           // a Postgres regex (~*) on the statement; empty: any statement
  std::optional<long long> rows;  // rows those executions return per request; empty: unchecked
};

struct Expectation {
  int status = 200;
  std::string content_type;  // the Content-Type's media type; empty: any
  ExpectedBody body;
  QueryExpectation queries;
  int samples = 10;  // concrete requests checked for a pattern or a file of paths
};

enum class ScenarioKind { kFixed, kSweep };

struct Scenario {
  std::string name;
  ScenarioKind kind = ScenarioKind::kFixed;
  std::optional<long long> requests;  // oha -n
  std::optional<Duration> duration;   // oha -z
  int concurrency = 10;               // oha -c
  bool keepalive = true;              // false: --disable-keepalive
  std::optional<double> rate;         // oha -q, requests per second
  bool latency_correction = false;    // --latency-correction (needs rate)
  Duration warmup{0};                 // closed-loop load before measuring
  // kind: sweep — open-loop runs at these fractions of the server's own
  // saturation throughput.
  std::vector<double> load_fractions = {0.25, 0.5, 0.75, 0.9};
  RequestSpec request;
  // Empty: the built-in contract of servers/README.md (GET / answering the 100 first users,
  // one query per request); see servers/contract.h.
  std::optional<Expectation> expect;
};

// Ceilings measured in the same run, so every server's throughput can be read as a share of
// what this machine allows: pgbench running the benchmark query alone (the database ceiling),
// and oha against the harness's own server answering the same body from memory (the HTTP
// ceiling, once per closed-loop scenario).
struct CalibrationConfig {
  bool enabled = true;
  Duration duration = std::chrono::seconds(10);  // of each ceiling's measurement
};

struct CpuPinning {  // taskset CPU lists; empty: not pinned
  std::string server;
  std::string postgres;
  std::string oha;
};

// A machine of its own for a role, reached with OpenSSH: the harness runs itself there as an agent
// (`harness agent`, remote/agent.h) from a checkout of this project at the controller's commit.
struct HostConfig {
  std::string name;                   // its key under `hosts`
  std::string ssh;                    // the destination: user@host, host, or a Host of ssh_config
  std::optional<int> port;            // ssh -p; empty: ssh's own default
  std::filesystem::path identity;     // ssh -i, absolute; empty: ssh's own keys
  std::filesystem::path known_hosts;  // the one known_hosts file, checked strictly; empty: ssh's
  std::string checkout;               // the project's checkout on that host, an absolute path
  // Where the other hosts reach it (Postgres listens there, the others connect there); by
  // default the host part of `ssh`.
  std::string address;
};

// The controller's own machine, in `placement` and a server's `host`.
inline constexpr const char* kLocalHost = "local";

// Where each role runs: a key of `hosts`, or kLocalHost (the default: everything runs here).
struct Placement {
  std::string load = kLocalHost;      // oha, and the ceilings' load
  std::string postgres = kLocalHost;  // the embedded cluster
  std::string servers = kLocalHost;   // every server without a `host` of its own
};

struct Config {
  std::filesystem::path file;  // where it was read from
  std::string text;            // as read, recorded in results.json
  PostgresConfig postgres;
  std::vector<ServerConfig> servers;
  std::vector<Scenario> scenarios;
  int repetitions = 1;
  int db_pool_size = 5;
  std::string baseline = "fastapi";
  Duration sample_interval = std::chrono::milliseconds(100);
  CpuPinning pinning;
  CalibrationConfig calibration;
  std::filesystem::path output;             // absolute; default <config folder>/results
  std::map<std::string, HostConfig> hosts;  // empty: everything runs on this machine
  Placement placement;
};

// The host `server` runs on: its own `host`, else placement.servers.
const std::string& ServerHost(const Config& config, const ServerConfig& server);
// Whether the load, Postgres or an enabled server is placed on a host other than this machine.
bool PlacesRolesElsewhere(const Config& config);

// Reads and validates a bench.yaml. The error is one line: "FILE:LINE: KEY:
// what is wrong".
Result<Config> LoadConfig(const std::filesystem::path& file);
// The same from text already in memory; `name` stands for the file in messages
// and resolves relative paths.
Result<Config> ParseConfig(const std::string& text, const std::filesystem::path& name);

// OK when every ${NAME} in `text` is one of kHarnessValues.
Status CheckHarnessValues(const std::string& text);
// `text` with each ${NAME} replaced by values[NAME] (left as it is when absent).
std::string ExpandHarnessValues(const std::string& text,
                                const std::map<std::string, std::string>& values);

// OK when every name in `names` is a server of `config` (for --server options).
Status CheckServerNames(const Config& config, const std::vector<std::string>& names);

}  // namespace harness
