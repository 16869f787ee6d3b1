#include "config/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstring>
#include <regex>
#include <set>

#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// Thrown only inside this file; ParseConfig turns it into an Error.
struct ConfigError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const YAML::Node& at, const std::string& key,
                         const std::string& what) const {
    int line = at.Mark().line;
    std::string where = file_.string();
    if (line >= 0) where += ":" + std::to_string(line + 1);
    throw ConfigError{where + ": " + key + ": " + what};
  }

  void ExpectMap(const YAML::Node& node, const std::string& key,
                 const std::set<std::string>& allowed) const {
    if (!node.IsMap()) Fail(node, key, "expected a mapping");
    std::set<std::string> seen;
    for (const auto& entry : node) {
      std::string name = entry.first.Scalar();
      // YAML would keep the first and drop the second without a word.
      if (!seen.insert(name).second) Fail(entry.first, Join(key, name), "given twice");
      if (!allowed.contains(name)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        Fail(entry.first, Join(key, name), "unknown key (expected one of: " + list + ")");
      }
    }
  }

  std::string String(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) Fail(node, key, "expected a string");
    return node.Scalar();
  }

  bool Bool(const YAML::Node& node, const std::string& key) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      Fail(node, key, "expected true or false, got " + Show(node));
    }
    return value;
  }

  long long Integer(const YAML::Node& node, const std::string& key, long long min) const {
    long long value = 0;
    if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value)) {
      Fail(node, key, "expected a whole number, got " + Show(node));
    }
    if (value < min) {
      Fail(node, key, "must be at least " + std::to_string(min) + ", got " + Show(node));
    }
    return value;
  }

  double Number(const YAML::Node& node, const std::string& key) const {
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !(value > 0) ||
        value > 1e9) {
      Fail(node, key, "expected a positive number, got " + Show(node));
    }
    return value;
  }

  Duration DurationValue(const YAML::Node& node, const std::string& key) const {
    std::optional<Duration> d;
    if (node.IsScalar()) d = ParseDuration(node.Scalar());
    if (!d) Fail(node, key, "expected a duration such as 500ms, 30s or 2m, got " + Show(node));
    return *d;
  }

  static std::string Join(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
  }

 private:
  static std::string Show(const YAML::Node& node) {
    if (node.IsScalar()) return "'" + node.Scalar() + "'";
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return "nothing";
  }

  fs::path file_;
};

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

const std::regex kNamePattern("[A-Za-z0-9][A-Za-z0-9_.-]*");
const std::regex kCpuListPattern("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");

PostgresConfig ReadPostgres(const Reader& r, const YAML::Node& node) {
  PostgresConfig pg;
  r.ExpectMap(node, "postgres", {"dsn", "seed", "max_connections", "keep"});
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
  if (pg.seed && pg.dsn.empty()) {
    r.Fail(node["seed"], "postgres.seed",
           "applies only with postgres.dsn (the embedded "
           "cluster is always seeded)");
  }
  return pg;
}

ServerConfig ReadServer(const Reader& r, const YAML::Node& node, const std::string& key,
                        const fs::path& base) {
  ServerConfig s;
  r.ExpectMap(node, key, {"name", "dir", "build", "run", "env", "ready", "enabled"});
  for (const char* required : {"name", "dir", "run"}) {
    if (!node[required]) r.Fail(node, Reader::Join(key, required), "missing");
  }
  s.name = r.String(node["name"], key + ".name");
  if (!std::regex_match(s.name, kNamePattern)) {
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
    }
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
  return s;
}

Scenario ReadScenario(const Reader& r, const YAML::Node& node, const std::string& key) {
  Scenario s;
  r.ExpectMap(node, key,
              {"name", "kind", "requests", "duration", "concurrency", "keepalive", "rate",
               "latency_correction", "warmup", "load_fractions"});
  if (!node["name"]) r.Fail(node, key + ".name", "missing");
  s.name = r.String(node["name"], key + ".name");
  if (!std::regex_match(s.name, kNamePattern)) {
    r.Fail(node["name"], key + ".name", "use letters, digits, '.', '_' and '-' only");
  }
  if (node["kind"]) {
    std::string kind = r.String(node["kind"], key + ".kind");
    if (kind == "fixed") {
      s.kind = ScenarioKind::kFixed;
    } else if (kind == "sweep") {
      s.kind = ScenarioKind::kSweep;
    } else {
      r.Fail(node["kind"], key + ".kind", "expected fixed or sweep, got '" + kind + "'");
    }
  }
  if (node["requests"]) s.requests = r.Integer(node["requests"], key + ".requests", 1);
  if (node["duration"]) {
    s.duration = r.DurationValue(node["duration"], key + ".duration");
    if (s.duration->count() < 100) {
      r.Fail(node["duration"], key + ".duration", "must be at least 100ms");
    }
  }
  if (s.requests && s.duration) {
    r.Fail(node, key, "give either requests or duration, not both");
  }
  if (s.kind == ScenarioKind::kFixed && !s.requests && !s.duration) {
    r.Fail(node, key, "give requests (oha -n) or duration (oha -z)");
  }
  if (s.kind == ScenarioKind::kSweep && !s.duration) {
    r.Fail(node, key + ".duration", "a sweep needs the duration of each load level");
  }
  if (node["concurrency"]) {
    s.concurrency = r.Integer(node["concurrency"], key + ".concurrency", 1);
    if (s.concurrency > 10'000) {
      r.Fail(node["concurrency"], key + ".concurrency", "at most 10000 connections");
    }
  }
  if (node["keepalive"]) s.keepalive = r.Bool(node["keepalive"], key + ".keepalive");
  if (node["rate"]) s.rate = r.Number(node["rate"], key + ".rate");
  if (node["latency_correction"]) {
    s.latency_correction = r.Bool(node["latency_correction"], key + ".latency_correction");
  }
  if (s.latency_correction && !s.rate && s.kind == ScenarioKind::kFixed) {
    r.Fail(node["latency_correction"], key + ".latency_correction",
           "needs a rate: latency is corrected against the intended send times "
           "of -q");
  }
  if (s.kind == ScenarioKind::kSweep && (node["rate"] || node["requests"])) {
    r.Fail(node, key, "a sweep sets its own rates; drop rate and requests");
  }
  if (node["warmup"]) s.warmup = r.DurationValue(node["warmup"], key + ".warmup");
  if (const auto& fractions = node["load_fractions"]) {
    if (s.kind != ScenarioKind::kSweep) {
      r.Fail(fractions, key + ".load_fractions", "applies only to kind: sweep");
    }
    if (!fractions.IsSequence() || fractions.size() == 0) {
      r.Fail(fractions, key + ".load_fractions", "expected a list such as [0.25, 0.5]");
    }
    s.load_fractions.clear();
    for (const auto& f : fractions) {
      double v = r.Number(f, key + ".load_fractions");
      if (v > 1.5) r.Fail(f, key + ".load_fractions", "a fraction of saturation, e.g. 0.5");
      s.load_fractions.push_back(v);
    }
  }
  return s;
}

void ReadRoot(const Reader& r, const YAML::Node& root, const fs::path& base, Config& c) {
  if (!root.IsDefined() || root.IsNull()) r.Fail(root, "(file)", "is empty");
  r.ExpectMap(root, "",
              {"postgres", "servers", "scenarios", "repetitions", "db_pool_size", "baseline",
               "sample_interval", "pinning", "calibration", "output"});
  if (root["postgres"]) c.postgres = ReadPostgres(r, root["postgres"]);

  const auto& servers = root["servers"];
  if (!servers) r.Fail(root, "servers", "missing (a list of servers to compare)");
  if (!servers.IsSequence() || servers.size() == 0) {
    r.Fail(servers, "servers", "expected a non-empty list");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < servers.size(); ++i) {
    std::string key = "servers[" + std::to_string(i) + "]";
    c.servers.push_back(ReadServer(r, servers[i], key, base));
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
    c.scenarios.push_back(ReadScenario(r, scenarios[i], key));
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
  } catch (const ConfigError& e) {
    return Error{OneLine(e.message)};
  } catch (const YAML::Exception& e) {
    std::string where = name.string();
    if (e.mark.line >= 0) where += ":" + std::to_string(e.mark.line + 1);
    return MakeError("{}: not valid YAML: {}", where, OneLine(e.msg));
  }
  return config;
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
