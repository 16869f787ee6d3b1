#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "testing/cli.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// Configs are parsed as if they lived at the project root, so `dir:
// servers/...` resolves.
const fs::path kName = fs::path(PROJECT_SOURCE_DIR) / "test.yaml";

constexpr const char* kGood = R"(
postgres:
  max_connections: 500
servers:
  - name: fastapi
    description: "FastAPI + SQLAlchemy"
    dir: servers/fastapi
    build: ./build
    run: .venv/bin/uvicorn app.main:app --port $PORT
    env: {EXTRA: "1"}
    ready: {path: /, timeout: 90s}
  - name: axum
    dir: servers/axum
    run: target/release/axum-server
    enabled: false
scenarios:
  - name: closed
    requests: 50000
    concurrency: 10
    keepalive: false
  - name: corrected
    requests: 50000
    concurrency: 10
    keepalive: false
    rate: 10000
    latency_correction: true
  - name: sweep
    kind: sweep
    duration: 10s
    load_fractions: [0.5, 0.9]
repetitions: 3
baseline: axum
sample_interval: 250ms
pinning: {server: "0", postgres: "1", oha: "1"}
calibration: {enabled: false, duration: 2s}
output: out
)";

TEST(ConfigTest, LoadsAGoodFile) {
  auto config = ParseConfig(kGood, kName);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->postgres.max_connections, 500);
  EXPECT_TRUE(config->postgres.dsn.empty());
  ASSERT_EQ(config->servers.size(), 2u);
  EXPECT_EQ(config->servers[0].name, "fastapi");
  EXPECT_EQ(config->servers[0].description, "FastAPI + SQLAlchemy");
  EXPECT_TRUE(config->servers[1].description.empty());
  EXPECT_EQ(config->servers[0].dir, fs::path(PROJECT_SOURCE_DIR) / "servers/fastapi");
  EXPECT_EQ(config->servers[0].env.at("EXTRA"), "1");
  EXPECT_EQ(config->servers[0].ready.timeout, Duration(90'000));
  EXPECT_FALSE(config->servers[1].enabled);
  ASSERT_EQ(config->scenarios.size(), 3u);
  EXPECT_EQ(config->scenarios[0].requests, 50000);
  EXPECT_FALSE(config->scenarios[0].keepalive);
  EXPECT_EQ(config->scenarios[1].rate, 10000.0);
  EXPECT_TRUE(config->scenarios[1].latency_correction);
  EXPECT_EQ(config->scenarios[2].kind, ScenarioKind::kSweep);
  EXPECT_EQ(config->scenarios[2].load_fractions, (std::vector<double>{0.5, 0.9}));
  EXPECT_EQ(config->repetitions, 3);
  EXPECT_EQ(config->baseline, "axum");
  EXPECT_EQ(config->sample_interval, Duration(250));
  EXPECT_EQ(config->pinning.oha, "1");
  EXPECT_FALSE(config->calibration.enabled);
  EXPECT_EQ(config->calibration.duration, Duration(2000));
  EXPECT_EQ(config->output, fs::path(PROJECT_SOURCE_DIR) / "out");
}

TEST(ConfigTest, DefaultsMatchTheReference) {
  auto config = ParseConfig(R"(
servers: [{name: axum, dir: servers/axum, run: x}]
scenarios: [{name: s, requests: 10}]
)",
                            kName);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->postgres.max_connections, 1000);
  EXPECT_EQ(config->db_pool_size, 5);
  EXPECT_EQ(config->repetitions, 1);
  EXPECT_EQ(config->sample_interval, Duration(100));
  EXPECT_EQ(config->scenarios[0].concurrency, 10);
  EXPECT_TRUE(config->calibration.enabled);
  EXPECT_EQ(config->calibration.duration, Duration(10'000));
  EXPECT_EQ(config->baseline,
            "axum");  // the first server when fastapi is absent
}

// A service of the user's own: its request, what a correct answer is, its port, environment and
// data are all configuration.
TEST(ConfigTest, RequestsExpectationsPortsAndDataAreConfiguration) {
  auto config = LoadConfig(fs::path(PROJECT_SOURCE_DIR) / "tests/bench.custom.yaml");
  ASSERT_TRUE(config) << config.error().message;
  const fs::path notes = fs::path(PROJECT_SOURCE_DIR) / "tests/fixtures/notes";
  EXPECT_EQ(config->postgres.setup,
            (std::vector<fs::path>{notes / "schema.sql", notes / "seed.sql"}));
  const ServerConfig& server = config->servers[0];
  EXPECT_EQ(server.port, 47231);
  EXPECT_EQ(server.env.at("NOTES_PG_HOST"), "${DB_HOST}");
  const Scenario& search = config->scenarios[0];
  EXPECT_EQ(search.request.method, "POST");
  EXPECT_EQ(search.request.path, "/notes/search");
  EXPECT_EQ(
      search.request.headers,
      (std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}}));
  EXPECT_EQ(search.request.body, R"({"tag": "red"})");
  ASSERT_TRUE(search.expect);
  EXPECT_EQ(search.expect->body.kind, BodyKind::kSql);
  EXPECT_EQ(search.expect->queries.count, 1);
  EXPECT_EQ(search.expect->queries.rows, 20);
  const Scenario& one = config->scenarios[1];
  EXPECT_EQ(one.request.path_pattern, "/notes/([1-9]|[1-5][0-9]|60)");
  EXPECT_TRUE(one.expect->body.object);
  EXPECT_EQ(one.expect->body.params, "^/notes/([0-9]+)$");
  const Scenario& health = config->scenarios[2];
  EXPECT_EQ(health.expect->body.kind, BodyKind::kJson);
  EXPECT_EQ(health.expect->body.json, R"({"status":"ok"})");
  EXPECT_EQ(health.expect->queries.count, 0);

  // The bundled profiles' scenarios without a request keep the built-in contract.
  auto quick = LoadConfig(fs::path(PROJECT_SOURCE_DIR) / "bench.quick.yaml");
  ASSERT_TRUE(quick) << quick.error().message;
  for (const Scenario& s : quick->scenarios) {
    EXPECT_EQ(s.expect.has_value(), !s.request.IsDefault()) << s.name;
  }
  EXPECT_EQ(quick->scenarios[3].request.paths.size(), 2000u);
  EXPECT_EQ(quick->scenarios[3].request.paths[41], "/users/user42");
}

TEST(ConfigTest, HarnessValuesExpandByName) {
  std::map<std::string, std::string> values = {{"DB_HOST", "127.0.0.1"}, {"DB_PORT", "5432"}};
  EXPECT_EQ(ExpandHarnessValues("host=${DB_HOST} port=${DB_PORT}", values),
            "host=127.0.0.1 port=5432");
  EXPECT_EQ(ExpandHarnessValues("no values", values), "no values");
  EXPECT_EQ(ExpandHarnessValues("$HOME ${DB_HOST", values), "$HOME ${DB_HOST");
  EXPECT_TRUE(CheckHarnessValues("${DATABASE_URL}?sslmode=disable"));
  EXPECT_FALSE(CheckHarnessValues("${HOME}"));
}

TEST(ConfigTest, TheProjectsOwnProfilesLoad) {
  for (const char* file :
       {"bench.yaml", "bench.quick.yaml", "bench.nightly.yaml", "tests/bench.smoke.yaml",
        "tests/bench.custom.yaml", "tests/bench.sweep.yaml"}) {
    fs::path path = fs::path(PROJECT_SOURCE_DIR) / file;
    if (!fs::exists(path)) continue;
    auto config = LoadConfig(path);
    EXPECT_TRUE(config) << config.error().message;
  }
}

// Hosts of their own for the roles: names, ssh destinations, files relative to bench.yaml, and
// where each role (and a server with a host of its own) runs.
TEST(ConfigTest, HostsAndPlacement) {
  auto config = ParseConfig(R"(
hosts:
  db: {ssh: root@10.0.0.3, port: 2222, identity: README.md, known_hosts: bench.yaml,
       checkout: /srv/bench}
  app: {ssh: bench@app.example.net, checkout: /home/bench/harness, address: 10.0.0.2}
  gen: {ssh: "[fd00::5]", checkout: /srv/bench}
placement: {load: gen, postgres: db, servers: app}
servers:
  - {name: a, dir: servers/axum, run: x}
  - {name: b, dir: servers/axum, run: y, host: local}
  - {name: c, dir: servers/axum, run: z, host: db}
scenarios: [{name: s, requests: 10}]
)",
                            kName);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->hosts.size(), 3u);
  const HostConfig& db = config->hosts.at("db");
  EXPECT_EQ(db.name, "db");
  EXPECT_EQ(db.ssh, "root@10.0.0.3");
  EXPECT_EQ(db.port, 2222);
  EXPECT_EQ(db.identity, fs::path(PROJECT_SOURCE_DIR) / "README.md");
  EXPECT_EQ(db.known_hosts, fs::path(PROJECT_SOURCE_DIR) / "bench.yaml");
  EXPECT_EQ(db.checkout, "/srv/bench");
  EXPECT_EQ(db.address, "10.0.0.3");  // the host part of ssh
  EXPECT_EQ(config->hosts.at("app").address, "10.0.0.2");
  EXPECT_FALSE(config->hosts.at("app").port);
  EXPECT_TRUE(config->hosts.at("app").identity.empty());
  EXPECT_EQ(config->hosts.at("gen").address, "fd00::5");
  EXPECT_EQ(config->placement.load, "gen");
  EXPECT_EQ(config->placement.postgres, "db");
  EXPECT_EQ(ServerHost(*config, config->servers[0]), "app");
  EXPECT_EQ(ServerHost(*config, config->servers[1]), "local");
  EXPECT_EQ(ServerHost(*config, config->servers[2]), "db");
  EXPECT_TRUE(PlacesRolesElsewhere(*config));
}

TEST(ConfigTest, WithoutHostsEverythingIsLocal) {
  auto config = ParseConfig(R"(
servers: [{name: axum, dir: servers/axum, run: x}]
scenarios: [{name: s, requests: 10}]
)",
                            kName);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->hosts.empty());
  EXPECT_EQ(config->placement.load, kLocalHost);
  EXPECT_EQ(config->placement.postgres, kLocalHost);
  EXPECT_EQ(ServerHost(*config, config->servers[0]), kLocalHost);
  EXPECT_FALSE(PlacesRolesElsewhere(*config));
}

struct BadCase {
  const char* label;
  std::string text;
  std::string expected;  // a substring of the one-line error, after "test.yaml:LINE: "
  int line;
};

const char* const kServer = "servers: [{name: a, dir: servers/axum, run: x}]\n";
const char* const kScenario = "scenarios: [{name: s, requests: 10}]\n";

std::vector<BadCase> BadCases() {
  std::string both = std::string(kServer) + kScenario;
  return {
      {"empty file", "", "is empty", -1},
      {"only a comment", "# nothing\n", "is empty", -1},
      {"a list at the top", "- a\n- b\n", "expected a mapping", 1},
      {"unknown top-level key", both + "repetitons: 3\n", "repetitons: unknown key", 3},
      {"missing servers", kScenario, "servers: missing", 1},
      {"servers not a list", std::string("servers: 3\n") + kScenario, "non-empty list", 1},
      {"empty servers", std::string("servers: []\n") + kScenario, "non-empty list", 1},
      {"missing scenarios", kServer, "scenarios: missing", 1},
      {"server without run", std::string("servers: [{name: a, dir: servers/axum}]\n") + kScenario,
       "servers[0].run: missing", 1},
      {"server dir missing on disk",
       std::string("servers: [{name: a, dir: servers/nope, run: x}]\n") + kScenario,
       "no such directory", 1},
      {"duplicate server names",
       std::string("servers:\n  - {name: a, dir: servers/axum, run: x}\n"
                   "  - {name: a, dir: servers/axum, run: y}\n") +
           kScenario,
       "duplicate server name 'a'", 3},
      {"bad server name",
       std::string("servers: [{name: 'a b', dir: servers/axum, run: x}]\n") + kScenario,
       "servers[0].name", 1},
      {"unknown server key",
       std::string("servers: [{name: a, dir: servers/axum, run: x, prot: 1}]\n") + kScenario,
       "servers[0].prot: unknown key", 1},
      {"port out of range",
       std::string("servers: [{name: a, dir: servers/axum, run: x, port: 70000}]\n") + kScenario,
       "servers[0].port: a TCP port", 1},
      {"env names an unknown value",
       std::string(
           "servers: [{name: a, dir: servers/axum, run: x, env: {PG: '${DB_HOSTNAME}'}}]\n") +
           kScenario,
       "servers[0].env.PG: ${DB_HOSTNAME} is not a value the harness gives", 1},
      {"env value unclosed",
       std::string("servers: [{name: a, dir: servers/axum, run: x, env: {PG: '${PORT'}}]\n") +
           kScenario,
       "servers[0].env.PG: ${PORT} is not", 1},
      {"setup file missing", std::string("postgres: {setup: [nope.sql]}\n") + both,
       "postgres.setup[0]: no such file", 1},
      {"setup not a list", std::string("postgres: {setup: schema.sql}\n") + both,
       "postgres.setup: expected a list of SQL files", 1},
      {"request without expect",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, request: {path: /a}}]\n",
       "scenarios[0].expect: missing", 2},
      {"request path without slash",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, request: {path: a}, expect: {}}]\n",
       "scenarios[0].request.path: must start with '/'", 2},
      {"bad method",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, request: {method: 'get it'}, expect: {}}]\n",
       "scenarios[0].request.method: expected an HTTP method", 2},
      {"path and pattern",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, request: {path: /a, "
                              "path_pattern: '/b'}, expect: {}}]\n",
       "give one of path, path_pattern and paths_file", 2},
      {"pattern not a regex",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, request: {path_pattern: '/a(['}, expect: {}}]\n",
       "scenarios[0].request.path_pattern: not a regex", 2},
      {"paths file missing",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, request: {paths_file: nope.txt}, expect: {}}]\n",
       "scenarios[0].request.paths_file: no such file", 2},
      {"header with a line break",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, request: {headers: {X-A: "
                              "\"a\\nb\"}}, expect: {}}]\n",
       "scenarios[0].request.headers.X-A: a header value holds no line break", 2},
      {"status out of range",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, expect: {status: 700}}]\n",
       "scenarios[0].expect.status: an HTTP status", 2},
      {"two kinds of body",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, expect: {body: {sql: 'SELECT 1', json: '1'}}}]\n",
       "scenarios[0].expect.body: give one of sql, json, file and shape", 2},
      {"body json not JSON",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, expect: {body: {json: '{a'}}}]\n",
       "scenarios[0].expect.body.json: not valid JSON", 2},
      {"as neither array nor object",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, expect: {body: {sql: 'SELECT 1', as: list}}}]\n",
       "expected array or object, got 'list'", 2},
      {"shape without keys",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, expect: {body: {shape: {array: 3}}}}]\n",
       "scenarios[0].expect.body.shape.keys: expected a list", 2},
      {"queries without count",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, expect: {queries: {matching: x}}}]\n",
       "scenarios[0].expect.queries.count: missing", 2},
      {"params without sql",
       std::string(kServer) +
           "scenarios: [{name: s, requests: 5, expect: {body: {json: '1', params: '(.*)'}}}]\n",
       "scenarios[0].expect.body.params: applies only with sql", 2},
      {"enabled not a bool",
       std::string("servers: [{name: a, dir: servers/axum, run: x, enabled: "
                   "maybe}]\n") +
           kScenario,
       "expected true or false, got 'maybe'", 1},
      {"negative requests", std::string(kServer) + "scenarios: [{name: s, requests: -5}]\n",
       "scenarios[0].requests: must be at least 1", 2},
      {"zero concurrency",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, concurrency: 0}]\n",
       "scenarios[0].concurrency: must be at least 1", 2},
      {"requests a string", std::string(kServer) + "scenarios: [{name: s, requests: lots}]\n",
       "expected a whole number, got 'lots'", 2},
      {"fractional requests", std::string(kServer) + "scenarios: [{name: s, requests: 1.5}]\n",
       "expected a whole number", 2},
      {"neither requests nor duration", std::string(kServer) + "scenarios: [{name: s}]\n",
       "give requests (oha -n) or duration (oha -z)", 2},
      {"both requests and duration",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, duration: 10s}]\n",
       "either requests or duration", 2},
      {"bad duration", std::string(kServer) + "scenarios: [{name: s, duration: 10}]\n",
       "expected a duration such as 500ms, 30s or 2m, got '10'", 2},
      {"unknown scenario kind",
       std::string(kServer) + "scenarios: [{name: s, kind: spike, duration: 1s}]\n",
       "expected fixed or sweep, got 'spike'", 2},
      {"correction without rate",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, latency_correction: true}]\n",
       "latency_correction: needs a rate", 2},
      {"zero rate", std::string(kServer) + "scenarios: [{name: s, requests: 5, rate: 0}]\n",
       "expected a positive number", 2},
      {"sweep without duration", std::string(kServer) + "scenarios: [{name: s, kind: sweep}]\n",
       "needs the duration of each load level", 2},
      {"duplicate scenario names",
       std::string(kServer) + "scenarios:\n  - {name: s, requests: 1}\n  - "
                              "{name: s, requests: 2}\n",
       "duplicate scenario name 's'", 4},
      {"a key given twice", both + "repetitions: 2\nrepetitions: 3\n", "repetitions: given twice",
       4},
      {"absurd concurrency",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, concurrency: 1000000}]\n",
       "at most 10000 connections", 2},
      {"zero repetitions", both + "repetitions: 0\n", "repetitions: must be at least 1", 3},
      {"unknown baseline", both + "baseline: django\n", "no server named 'django'", 3},
      {"tiny sample interval", both + "sample_interval: 1ms\n", "at least 10ms", 3},
      {"tiny calibration", both + "calibration: {duration: 10ms}\n",
       "calibration.duration: must be at least 500ms", 3},
      {"calibration typo", both + "calibration: {enable: false}\n",
       "calibration.enable: unknown key", 3},
      {"bad cpu list", both + "pinning: {server: 'zero'}\n", "pinning.server", 3},
      {"dsn not a URI", std::string("postgres: {dsn: 'host=x'}\n") + both,
       "expected a postgres:// URI", 1},
      {"seed without dsn", std::string("postgres: {seed: true}\n") + both,
       "applies only with postgres.dsn", 1},
      {"broken YAML", both + "repetitions: [1\n", "not valid YAML", -2},
      {"tab indentation", "servers:\n\t- name: a\n", "not valid YAML", -2},
      {"not UTF-8", both + "baseline: \"\xff\xfe\"\n", "not valid UTF-8", 3},
      {"env not a mapping",
       std::string("servers: [{name: a, dir: servers/axum, run: x, env: [A]}]\n") + kScenario,
       "servers[0].env: expected a mapping", 1},
      {"ready path without slash",
       std::string("servers: [{name: a, dir: servers/axum, run: x, ready: "
                   "{path: health}}]\n") +
           kScenario,
       "must start with '/'", 1},
      {"concurrency a list",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, concurrency: [1]}]\n",
       "scenarios[0].concurrency: expected a whole number, got a list", 2},
      {"keepalive not a bool",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, keepalive: sometimes}]\n",
       "scenarios[0].keepalive: expected true or false, got 'sometimes'", 2},
      {"negative duration", std::string(kServer) + "scenarios: [{name: s, duration: -5s}]\n",
       "scenarios[0].duration: expected a duration such as 500ms, 30s or 2m, got '-5s'", 2},
      {"zero duration", std::string(kServer) + "scenarios: [{name: s, duration: 0s}]\n",
       "scenarios[0].duration: must be at least 100ms", 2},
      {"absurd duration", std::string(kServer) + "scenarios: [{name: s, duration: 99999999999h}]\n",
       "scenarios[0].duration: expected a duration", 2},
      {"negative warmup",
       std::string(kServer) + "scenarios: [{name: s, requests: 5, warmup: -1s}]\n",
       "scenarios[0].warmup: expected a duration", 2},
      {"negative rate", std::string(kServer) + "scenarios: [{name: s, requests: 5, rate: -10}]\n",
       "scenarios[0].rate: expected a positive number, got '-10'", 2},
      {"rate a string", std::string(kServer) + "scenarios: [{name: s, requests: 5, rate: fast}]\n",
       "scenarios[0].rate: expected a positive number, got 'fast'", 2},
      {"sweep with a rate",
       std::string(kServer) + "scenarios: [{name: s, kind: sweep, duration: 1s, rate: 100}]\n",
       "a sweep sets its own rates", 2},
      {"empty load fractions",
       std::string(kServer) +
           "scenarios: [{name: s, kind: sweep, duration: 1s, load_fractions: []}]\n",
       "scenarios[0].load_fractions: expected a list", 2},
      {"requests overflow",
       std::string(kServer) + "scenarios: [{name: s, requests: 99999999999999999999999}]\n",
       "scenarios[0].requests: expected a whole number", 2},
      {"scenarios a mapping", std::string(kServer) + "scenarios: {name: s}\n",
       "scenarios: expected a non-empty list", 2},
      {"zero pool size", both + "db_pool_size: 0\n", "db_pool_size: must be at least 1", 3},
      {"repetitions null", both + "repetitions: null\n", "repetitions: expected a whole number", 3},
      {"output a list", both + "output: [a]\n", "output: expected a string", 3},
      {"server not a mapping", std::string("servers: [axum]\n") + kScenario,
       "servers[0]: expected a mapping", 1},
      {"server without name", std::string("servers: [{dir: servers/axum, run: x}]\n") + kScenario,
       "servers[0].name: missing", 1},
      // Found by fuzzing: control characters echoed back must not break the one-line error.
      {"newline in a value", both + "baseline: \"a\\nb\"\n", "no server named 'a\\x0ab'", 3},
      {"NUL byte", std::string("servers:\0\n", 10), "not valid YAML", -2},
      {"max_connections a string", std::string("postgres: {max_connections: many}\n") + both,
       "postgres.max_connections: expected a whole number, got 'many'", 1},
      // hosts and placement
      {"hosts a list", both + "hosts: [db]\n", "hosts: expected a mapping of NAME", 3},
      {"hosts empty", both + "hosts: {}\n", "hosts: expected a mapping of NAME", 3},
      {"host without ssh", both + "hosts: {db: {checkout: /srv}}\n", "hosts.db.ssh: missing", 3},
      {"host without checkout", both + "hosts: {db: {ssh: root@db}}\n",
       "hosts.db.checkout: missing", 3},
      {"relative checkout", both + "hosts: {db: {ssh: root@db, checkout: srv/bench}}\n",
       "hosts.db.checkout: expected the absolute path", 3},
      {"ssh that is an option", both + "hosts: {db: {ssh: '-oProxyCommand=x', checkout: /s}}\n",
       "hosts.db.ssh: expected an ssh destination", 3},
      {"ssh with a space", both + "hosts: {db: {ssh: 'root@db rm', checkout: /s}}\n",
       "hosts.db.ssh: expected an ssh destination", 3},
      {"ssh port out of range", both + "hosts: {db: {ssh: db, port: 70000, checkout: /s}}\n",
       "hosts.db.port: a TCP port", 3},
      {"identity missing", both + "hosts: {db: {ssh: db, identity: nope.key, checkout: /s}}\n",
       "hosts.db.identity: no such file", 3},
      {"known_hosts missing", both + "hosts: {db: {ssh: db, known_hosts: nope, checkout: /s}}\n",
       "hosts.db.known_hosts: no such file", 3},
      {"unknown host key", both + "hosts: {db: {ssh: db, checkout: /s, user: x}}\n",
       "hosts.db.user: unknown key", 3},
      {"host named local", both + "hosts: {local: {ssh: db, checkout: /s}}\n",
       "hosts.local: 'local' names this machine", 3},
      {"bad host name", both + "hosts: {'d b': {ssh: db, checkout: /s}}\n", "hosts.d b: use", 3},
      {"host given twice",
       both + "hosts:\n  db: {ssh: a, checkout: /s}\n  db: {ssh: b, checkout: /s}\n",
       "hosts.db: given twice", 5},
      {"wildcard address", both + "hosts: {db: {ssh: db, checkout: /s, address: 0.0.0.0}}\n",
       "hosts.db.address: must be the host's own address", 3},
      {"wildcard ssh host", both + "hosts: {db: {ssh: root@0.0.0.0, checkout: /s}}\n",
       "hosts.db.address: must be the host's own address", 3},
      {"unknown host in placement",
       both + "hosts: {db: {ssh: db, checkout: /s}}\nplacement: {postgres: dbb}\n",
       "placement.postgres: no host named 'dbb' (one of: db, local)", 4},
      {"placement without hosts", both + "placement: {load: gen}\n",
       "placement.load: no host named 'gen' (one of: local)", 3},
      {"unknown placement role", both + "placement: {oha: local}\n", "placement.oha: unknown key",
       3},
      {"placement a list", both + "placement: [local]\n", "placement: expected a mapping", 3},
      {"server on an unknown host",
       std::string("servers: [{name: a, dir: servers/axum, run: x, host: app}]\n") + kScenario,
       "servers[0].host: no host named 'app'", 1},
      {"remote postgres and a dsn",
       std::string("postgres: {dsn: 'postgres://u@h/db'}\n") + both +
           "hosts: {db: {ssh: db, checkout: /s}}\nplacement: {postgres: db}\n",
       "placement.postgres: places the embedded cluster", 5},
  };
}

TEST(ConfigTest, EveryMalformedFileGivesOneLineNamingFileLineAndKey) {
  for (const BadCase& c : BadCases()) {
    auto config = ParseConfig(c.text, kName);
    ASSERT_FALSE(config) << c.label << ": loaded but should not";
    const std::string& message = config.error().message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << c.label << ": " << message;
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.label << ": " << message;
    std::string where = kName.string();
    if (c.line > 0) where += ":" + std::to_string(c.line) + ": ";
    if (c.line == -2) where += ":";  // YAML syntax errors: the parser's line
    EXPECT_TRUE(message.starts_with(where)) << c.label << ": " << message;
  }
}

// The same files through the CLI, as a user meets them: `harness validate` answers each with
// one line naming the file and the line, and exit code 2.
TEST(ConfigTest, EveryMalformedFileIsOneLineAndExitTwoFromTheCli) {
  fs::path dir = TempDir("harness-bad-config");
  // The cases name servers/axum relative to the file, as if it lived at the project root.
  fs::create_directory_symlink(fs::path(PROJECT_SOURCE_DIR) / "servers", dir / "servers");
  const fs::path file = dir / "bench.yaml";
  for (const BadCase& c : BadCases()) {
    std::ofstream(file, std::ios::trunc | std::ios::binary) << c.text;
    CommandRun run = RunHarness({"validate", file.string()});
    EXPECT_EQ(run.exit_code, 2) << c.label << ": " << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1)
        << c.label << ": " << run.output;
    std::string where = "harness: " + file.string();
    if (c.line > 0) where += ":" + std::to_string(c.line) + ": ";
    EXPECT_TRUE(run.output.starts_with(where)) << c.label << ": " << run.output;
    EXPECT_NE(run.output.find(c.expected), std::string::npos) << c.label << ": " << run.output;
  }
  CommandRun directory = RunHarness({"validate", dir.string()});
  EXPECT_EQ(directory.exit_code, 2) << directory.output;
  EXPECT_NE(directory.output.find("is a directory"), std::string::npos) << directory.output;
  fs::remove_all(dir);
}

TEST(ConfigTest, UnreadableFilesAreReportedByName) {
  auto missing = LoadConfig("/nonexistent/bench.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message.rfind("/nonexistent/bench.yaml: cannot read", 0), 0u);
  auto directory = LoadConfig(PROJECT_SOURCE_DIR);
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos);
}

}  // namespace
}  // namespace harness
