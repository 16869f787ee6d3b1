// The reading of bench.yaml shared by config/'s files: typed values out of YAML nodes, each
// failure a one-line error naming the file, the line and the key.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "config/duration.h"

namespace harness {

// Reads bench.yaml's nodes with one-line errors: "FILE:LINE: KEY: what is wrong".
class Reader {
 public:
  // Thrown only inside config/; ParseConfig turns it into an Error.
  struct ConfigError {
    std::string message;
  };

  explicit Reader(std::filesystem::path file) : file_(std::move(file)) {}

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

  // A file named relative to bench.yaml's folder (`base`), which must exist.
  std::filesystem::path File(const YAML::Node& node, const std::string& key,
                             const std::filesystem::path& base) const {
    std::filesystem::path path = (base / String(node, key)).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      Fail(node, key, "no such file: " + path.string());
    return path;
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

  std::filesystem::path file_;
};

// Names of servers and scenarios.
inline const std::regex& NamePattern() {
  static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9_.-]*");
  return pattern;
}

struct Scenario;
// One entry of `scenarios` (config/scenario.cc); `base` resolves the files it names.
Scenario ReadScenario(const Reader& r, const YAML::Node& node, const std::string& key,
                      const std::filesystem::path& base);

struct HostConfig;
struct Placement;
using Hosts = std::map<std::string, HostConfig>;
// `hosts` and `placement` (config/hosts.cc); `base` resolves the files a host names.
Hosts ReadHosts(const Reader& r, const YAML::Node& node, const std::filesystem::path& base);
Placement ReadPlacement(const Reader& r, const YAML::Node& node, const Hosts& hosts);
// A value that names where a role runs: a key of `hosts`, or "local".
std::string ReadHostName(const Reader& r, const YAML::Node& node, const std::string& key,
                         const Hosts& hosts);

}  // namespace harness
