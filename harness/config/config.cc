#include "config/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <regex>
#include <set>

#include "config/reader.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// 0 when `text` is valid UTF-8, else the 1-based line of the first bad byte.
int FirstBadUtf8Line(const std::string& text) {
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= text.size()) return line;
    for (int k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return line;
    }
    if (c == '\n') ++line;
    i += extra + 1;
  }
  return 0;
}

const std::regex kCpuListPattern("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");

PostgresConfig ReadPostgres(const Reader& r, const YAML::Node& node, const fs::path& base) {
  PostgresConfig pg;
  r.ExpectMap(node, "postgres", {"dsn", "seed", "max_connections", "keep", "setup"});
  if (node["dsn"]) {
    pg.dsn = r.String(node["dsn"], "postgres.dsn");
    if (!pg.dsn.starts_with("postgres://") && !pg.dsn.starts_with("postgresql://")) {
      r.Fail(node["dsn"], "postgres.dsn", "expected a postgres:// URI");
    }
  }
  if (node["seed"]) pg.seed = r.Bool(node["seed"], "postgres.seed");
  if (node["max_connections"]) {
    pg.max_connections = r.Integer(node["max_connections"], "postgres.max_connections", 10);
  }
  if (node["keep"]) pg.keep = r.Bool(node["keep"], "postgres.keep");
  if (const auto& setup = node["setup"]) {
    if (!setup.IsSequence() || setup.size() == 0) {
      r.Fail(setup, "postgres.setup", "expected a list of SQL files, run in order");
    }
    for (size_t i = 0; i < setup.size(); ++i) {
      pg.setup.push_back(r.File(setup[i], fmt::format("postgres.setup[{}]", i), base));
    }
    if (!pg.dsn.empty() && !pg.seed) {
      r.Fail(setup, "postgres.setup", "runs on an external server only with postgres.seed: true");
    }
  }
  if (pg.seed && pg.dsn.empty()) {
    r.Fail(node["seed"], "postgres.seed",
           "applies only with postgres.dsn (the embedded "
           "cluster is always seeded)");
  }
  return pg;
}

ServerConfig ReadServer(const Reader& r, const YAML::Node& node, const std::string& key,
                        const fs::path& base, const Hosts& hosts) {
  ServerConfig s;
  r.ExpectMap(
      node, key,
      {"name", "dir", "build", "run", "env", "port", "ready", "enabled", "description", "host"});
  for (const char* required : {"name", "dir", "run"}) {
    if (!node[required]) r.Fail(node, Reader::Join(key, required), "missing");
  }
  s.name = r.String(node["name"], key + ".name");
  if (!std::regex_match(s.name, NamePattern())) {
    r.Fail(node["name"], key + ".name", "use letters, digits, '.', '_' and '-' only");
  }
  s.dir = (base / r.String(node["dir"], key + ".dir")).lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(s.dir, ec)) {
    r.Fail(node["dir"], key + ".dir", "no such directory: " + s.dir.string());
  }
  if (node["build"]) s.build = r.String(node["build"], key + ".build");
  s.run = r.String(node["run"], key + ".run");
  if (s.run.empty()) r.Fail(node["run"], key + ".run", "must not be empty");
  if (const auto& env = node["env"]) {
    if (!env.IsMap()) r.Fail(env, key + ".env", "expected a mapping of NAME: value");
    for (const auto& entry : env) {
      std::string name = entry.first.Scalar();
      s.env[name] = r.String(entry.second, key + ".env." + name);
      if (Status known = CheckHarnessValues(s.env[name]); !known) {
        r.Fail(entry.second, key + ".env." + name, known.error().message);
      }
    }
  }
  if (node["port"]) {
    s.port = static_cast<int>(r.Integer(node["port"], key + ".port", 1));
    if (*s.port > 65535) r.Fail(node["port"], key + ".port", "a TCP port, 1 to 65535");
  }
  if (const auto& ready = node["ready"]) {
    r.ExpectMap(ready, key + ".ready", {"path", "timeout"});
    if (ready["path"]) {
      s.ready.path = r.String(ready["path"], key + ".ready.path");
      if (!s.ready.path.starts_with("/")) {
        r.Fail(ready["path"], key + ".ready.path", "must start with '/'");
      }
    }
    if (ready["timeout"]) {
      s.ready.timeout = r.DurationValue(ready["timeout"], key + ".ready.timeout");
    }
  }
  if (node["enabled"]) s.enabled = r.Bool(node["enabled"], key + ".enabled");
  if (node["description"]) s.description = r.String(node["description"], key + ".description");
  if (node["host"]) s.host = ReadHostName(r, node["host"], key + ".host", hosts);
  return s;
}

void ReadRoot(const Reader& r, const YAML::Node& root, const fs::path& base, Config& c) {
  if (!root.IsDefined() || root.IsNull()) r.Fail(root, "(file)", "is empty");
  r.ExpectMap(root, "",
              {"postgres", "servers", "scenarios", "repetitions", "db_pool_size", "baseline",
               "sample_interval", "pinning", "calibration", "output", "hosts", "placement"});
  if (root["postgres"]) c.postgres = ReadPostgres(r, root["postgres"], base);
  // Before the servers and the placement, which name them.
  if (root["hosts"]) c.hosts = ReadHosts(r, root["hosts"], base);
  if (const auto& placement = root["placement"]) {
    c.placement = ReadPlacement(r, placement, c.hosts);
    if (c.placement.postgres != kLocalHost && !c.postgres.dsn.empty()) {
      r.Fail(placement["postgres"], "placement.postgres",
             "places the embedded cluster, and postgres.dsn names an existing server instead");
    }
  }

  const auto& servers = root["servers"];
  if (!servers) r.Fail(root, "servers", "missing (a list of servers to compare)");
  if (!servers.IsSequence() || servers.size() == 0) {
    r.Fail(servers, "servers", "expected a non-empty list");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < servers.size(); ++i) {
    std::string key = "servers[" + std::to_string(i) + "]";
    c.servers.push_back(ReadServer(r, servers[i], key, base, c.hosts));
    if (!names.insert(c.servers.back().name).second) {
      r.Fail(servers[i]["name"], key + ".name",
             "duplicate server name '" + c.servers.back().name + "'");
    }
  }

  const auto& scenarios = root["scenarios"];
  if (!scenarios) r.Fail(root, "scenarios", "missing (a list of load scenarios)");
  if (!scenarios.IsSequence() || scenarios.size() == 0) {
    r.Fail(scenarios, "scenarios", "expected a non-empty list");
  }
  std::set<std::string> scenario_names;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    std::string key = "scenarios[" + std::to_string(i) + "]";
    c.scenarios.push_back(ReadScenario(r, scenarios[i], key, base));
    if (!scenario_names.insert(c.scenarios.back().name).second) {
      r.Fail(scenarios[i]["name"], key + ".name",
             "duplicate scenario name '" + c.scenarios.back().name + "'");
    }
  }

  if (root["repetitions"]) c.repetitions = r.Integer(root["repetitions"], "repetitions", 1);
  if (root["db_pool_size"]) {
    c.db_pool_size = r.Integer(root["db_pool_size"], "db_pool_size", 1);
  }
  if (root["baseline"]) {
    c.baseline = r.String(root["baseline"], "baseline");
    if (!names.contains(c.baseline)) {
      r.Fail(root["baseline"], "baseline", "no server named '" + c.baseline + "'");
    }
  } else if (!names.contains(c.baseline)) {
    c.baseline = c.servers.front().name;
  }
  if (root["sample_interval"]) {
    c.sample_interval = r.DurationValue(root["sample_interval"], "sample_interval");
    if (c.sample_interval.count() < 10) {
      r.Fail(root["sample_interval"], "sample_interval", "must be at least 10ms");
    }
  }
  if (const auto& cal = root["calibration"]) {
    r.ExpectMap(cal, "calibration", {"enabled", "duration"});
    if (cal["enabled"]) c.calibration.enabled = r.Bool(cal["enabled"], "calibration.enabled");
    if (cal["duration"]) {
      c.calibration.duration = r.DurationValue(cal["duration"], "calibration.duration");
      if (c.calibration.duration.count() < 500) {
        r.Fail(cal["duration"], "calibration.duration", "must be at least 500ms");
      }
    }
  }
  if (const auto& pin = root["pinning"]) {
    r.ExpectMap(pin, "pinning", {"server", "postgres", "oha"});
    auto cpus = [&](const char* key, std::string& out) {
      if (!pin[key]) return;
      out = r.String(pin[key], std::string("pinning.") + key);
      if (!std::regex_match(out, kCpuListPattern)) {
        r.Fail(pin[key], std::string("pinning.") + key, "expected a CPU list such as 0 or 0-1,3");
      }
    };
    cpus("server", c.pinning.server);
    cpus("postgres", c.pinning.postgres);
    cpus("oha", c.pinning.oha);
  }
  c.output = base / "results";
  if (root["output"]) c.output = (base / r.String(root["output"], "output")).lexically_normal();
}

// Errors are one line whatever the file holds: control characters that a scalar or the YAML
// parser's message echo back (a newline, a NUL) are shown escaped. Found by fuzzing.
std::string OneLine(const std::string& message) {
  std::string out;
  for (unsigned char c : message) {
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

Status CheckHarnessValues(const std::string& text) {
  for (size_t at = text.find("${"); at != std::string::npos; at = text.find("${", at + 2)) {
    size_t end = text.find('}', at);
    std::string name = text.substr(at + 2, end == std::string::npos ? end : end - at - 2);
    if (end == std::string::npos ||
        std::find(kHarnessValues.begin(), kHarnessValues.end(), name) == kHarnessValues.end()) {
      return MakeError("${{{}}} is not a value the harness gives (one of: {})", name,
                       fmt::join(kHarnessValues, ", "));
    }
  }
  return OkStatus();
}

std::string ExpandHarnessValues(const std::string& text,
                                const std::map<std::string, std::string>& values) {
  std::string out;
  size_t from = 0;
  for (size_t at = text.find("${"); at != std::string::npos; at = text.find("${", from)) {
    size_t end = text.find('}', at);
    if (end == std::string::npos) break;
    out += text.substr(from, at - from);
    auto value = values.find(text.substr(at + 2, end - at - 2));
    out += value == values.end() ? text.substr(at, end - at + 1) : value->second;
    from = end + 1;
  }
  return out + text.substr(from);
}

Result<Config> ParseConfig(const std::string& text, const fs::path& name) {
  Config config;
  config.file = name;
  config.text = text;
  Reader reader(name);
  fs::path base = fs::absolute(name).parent_path();
  if (int line = FirstBadUtf8Line(text)) {
    return MakeError("{}:{}: not valid UTF-8", name.string(), line);
  }
  try {
    YAML::Node root = YAML::Load(text);
    ReadRoot(reader, root, base, config);
  } catch (const Reader::ConfigError& e) {
    return Error{OneLine(e.message)};
  } catch (const YAML::Exception& e) {
    std::string where = name.string();
    if (e.mark.line >= 0) where += ":" + std::to_string(e.mark.line + 1);
    return MakeError("{}: not valid YAML: {}", where, OneLine(e.msg));
  }
  return config;
}

const std::string& ServerHost(const Config& config, const ServerConfig& server) {
  return server.host.empty() ? config.placement.servers : server.host;
}

bool PlacesRolesElsewhere(const Config& config) {
  bool elsewhere = config.placement.load != kLocalHost || config.placement.postgres != kLocalHost;
  for (const ServerConfig& s : config.servers) {
    elsewhere |= s.enabled && ServerHost(config, s) != kLocalHost;
  }
  return elsewhere;
}

Status CheckServerNames(const Config& config, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    bool known = false;
    for (const auto& s : config.servers) known |= s.name == name;
    if (!known) return MakeError("{}: no server named '{}'", config.file.string(), name);
  }
  return OkStatus();
}

Result<Config> LoadConfig(const fs::path& file) {
  auto text = ReadFile(file);
  if (!text) return text.error();
  return ParseConfig(*text, file);
}

}  // namespace harness
