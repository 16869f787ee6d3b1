// bench.yaml's scenarios: the load (oha's -n/-z, -c, -q), the request it sends, and what a
// correct answer to it is.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "config/config.h"
#include "config/reader.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const std::regex kMethod("[A-Z]+");
const std::regex kHeaderName("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

RequestSpec ReadRequest(const Reader& r, const YAML::Node& node, const std::string& key,
                        const fs::path& base) {
  RequestSpec q;
  r.ExpectMap(node, key, {"method", "path", "path_pattern", "paths_file", "headers", "body"});
  if (node["method"]) {
    q.method = r.String(node["method"], key + ".method");
    if (!std::regex_match(q.method, kMethod)) {
      r.Fail(node["method"], key + ".method", "expected an HTTP method such as GET or POST");
    }
  }
  int targets = 0;
  if (node["path"]) {
    ++targets;
    q.path = r.String(node["path"], key + ".path");
    if (!q.path.starts_with("/") || q.path.find_first_of(" \t\r\n") != std::string::npos) {
      r.Fail(node["path"], key + ".path", "must start with '/' and hold no white space");
    }
  }
  if (node["path_pattern"]) {
    ++targets;
    q.path_pattern = r.String(node["path_pattern"], key + ".path_pattern");
    if (!q.path_pattern.starts_with("/")) {
      r.Fail(node["path_pattern"], key + ".path_pattern", "must start with '/'");
    }
    try {
      std::regex check(q.path_pattern);
    } catch (const std::regex_error& e) {
      r.Fail(node["path_pattern"], key + ".path_pattern", std::string("not a regex: ") + e.what());
    }
  }
  if (node["paths_file"]) {
    ++targets;
    q.paths_file = r.File(node["paths_file"], key + ".paths_file", base);
    auto text = ReadFile(q.paths_file);
    if (!text) r.Fail(node["paths_file"], key + ".paths_file", text.error().message);
    size_t start = 0;
    for (int line = 1; start < text->size(); ++line) {
      size_t end = std::min(text->find('\n', start), text->size());
      std::string path = text->substr(start, end - start);
      start = end + 1;
      if (path.empty()) continue;
      if (!path.starts_with("/") || path.find_first_of(" \t\r") != std::string::npos) {
        r.Fail(node["paths_file"], key + ".paths_file",
               fmt::format("{}:{}: not a path (must start with '/', no white space)",
                           q.paths_file.string(), line));
      }
      q.paths.push_back(path);
    }
    if (q.paths.empty()) r.Fail(node["paths_file"], key + ".paths_file", "holds no path");
  }
  if (targets > 1) r.Fail(node, key, "give one of path, path_pattern and paths_file");
  if (const auto& headers = node["headers"]) {
    if (!headers.IsMap()) r.Fail(headers, key + ".headers", "expected a mapping of Name: value");
    for (const auto& entry : headers) {
      std::string name = entry.first.Scalar();
      if (!std::regex_match(name, kHeaderName)) {
        r.Fail(entry.first, key + ".headers." + name, "not a header name");
      }
      std::string value = r.String(entry.second, key + ".headers." + name);
      if (value.find_first_of("\r\n") != std::string::npos) {
        r.Fail(entry.second, key + ".headers." + name, "a header value holds no line break");
      }
      q.headers.emplace_back(name, value);
    }
  }
  if (node["body"]) q.body = r.String(node["body"], key + ".body");
  return q;
}

ExpectedBody ReadBody(const Reader& r, const YAML::Node& node, const std::string& key,
                      const fs::path& base) {
  ExpectedBody b;
  r.ExpectMap(node, key, {"sql", "params", "as", "json", "file", "shape", "ordered_keys"});
  int kinds = (node["sql"] ? 1 : 0) + (node["json"] ? 1 : 0) + (node["file"] ? 1 : 0) +
              (node["shape"] ? 1 : 0);
  if (kinds != 1) r.Fail(node, key, "give one of sql, json, file and shape");
  if (node["sql"]) {
    b.kind = BodyKind::kSql;
    b.sql = r.String(node["sql"], key + ".sql");
    if (node["params"]) {
      b.params = r.String(node["params"], key + ".params");
      try {
        std::regex check(b.params);
      } catch (const std::regex_error& e) {
        r.Fail(node["params"], key + ".params", std::string("not a regex: ") + e.what());
      }
    }
  } else if (node["params"]) {
    r.Fail(node["params"], key + ".params", "applies only with sql");
  }
  if (node["as"]) {
    std::string as = r.String(node["as"], key + ".as");
    if (as != "array" && as != "object") {
      r.Fail(node["as"], key + ".as", "expected array or object, got '" + as + "'");
    }
    if (!node["sql"]) r.Fail(node["as"], key + ".as", "applies only with sql");
    b.object = as == "object";
  }
  auto json = [&](const std::string& text, const YAML::Node& at, const std::string& what) {
    try {
      return nlohmann::ordered_json::parse(text).dump();
    } catch (const nlohmann::json::exception&) {
      r.Fail(at, what, "not valid JSON");
    }
  };
  if (node["json"]) {
    b.kind = BodyKind::kJson;
    b.json = json(r.String(node["json"], key + ".json"), node["json"], key + ".json");
  }
  if (node["file"]) {
    b.kind = BodyKind::kJson;
    fs::path file = r.File(node["file"], key + ".file", base);
    auto text = ReadFile(file);
    if (!text) r.Fail(node["file"], key + ".file", text.error().message);
    b.json = json(*text, node["file"], key + ".file (" + file.string() + ")");
  }
  if (const auto& shape = node["shape"]) {
    b.kind = BodyKind::kShape;
    std::string k = key + ".shape";
    r.ExpectMap(shape, k, {"array", "object", "keys"});
    if (!shape["keys"] || !shape["keys"].IsSequence() || shape["keys"].size() == 0) {
      r.Fail(shape, k + ".keys", "expected a list of the keys each object has");
    }
    for (const auto& item : shape["keys"]) b.keys.push_back(r.String(item, k + ".keys"));
    if (shape["array"] && shape["object"]) r.Fail(shape, k, "give array or object, not both");
    if (shape["array"]) b.items = static_cast<int>(r.Integer(shape["array"], k + ".array", 0));
    if (shape["object"]) b.object = r.Bool(shape["object"], k + ".object");
    if (!shape["array"] && !b.object) r.Fail(shape, k, "give array: N or object: true");
  }
  if (node["ordered_keys"]) b.ordered_keys = r.Bool(node["ordered_keys"], key + ".ordered_keys");
  return b;
}

Expectation ReadExpect(const Reader& r, const YAML::Node& node, const std::string& key,
                       const fs::path& base) {
  Expectation e;
  r.ExpectMap(node, key, {"status", "content_type", "body", "queries", "samples"});
  if (node["status"]) {
    e.status = static_cast<int>(r.Integer(node["status"], key + ".status", 100));
    if (e.status > 599) r.Fail(node["status"], key + ".status", "an HTTP status, 100 to 599");
  }
  if (node["content_type"]) e.content_type = r.String(node["content_type"], key + ".content_type");
  if (node["body"]) e.body = ReadBody(r, node["body"], key + ".body", base);
  if (const auto& queries = node["queries"]) {
    r.ExpectMap(queries, key + ".queries", {"count", "matching", "rows"});
    if (!queries["count"]) r.Fail(queries, key + ".queries.count", "missing");
    e.queries.count = static_cast<int>(r.Integer(queries["count"], key + ".queries.count", 0));
    if (queries["matching"]) {
      e.queries.matching = r.String(queries["matching"], key + ".queries.matching");
    }
    if (queries["rows"]) e.queries.rows = r.Integer(queries["rows"], key + ".queries.rows", 0);
  }
  if (node["samples"])
    e.samples = static_cast<int>(r.Integer(node["samples"], key + ".samples", 1));
  return e;
}

}  // namespace

Scenario ReadScenario(const Reader& r, const YAML::Node& node, const std::string& key,
                      const fs::path& base) {
  Scenario s;
  r.ExpectMap(node, key,
              {"name", "kind", "requests", "duration", "concurrency", "keepalive", "rate",
               "latency_correction", "warmup", "load_fractions", "request", "expect"});
  if (!node["name"]) r.Fail(node, key + ".name", "missing");
  s.name = r.String(node["name"], key + ".name");
  if (!std::regex_match(s.name, NamePattern())) {
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
  if (node["request"]) s.request = ReadRequest(r, node["request"], key + ".request", base);
  if (node["expect"]) {
    s.expect = ReadExpect(r, node["expect"], key + ".expect", base);
  } else if (!s.request.IsDefault()) {
    r.Fail(node, key + ".expect",
           "missing: a scenario with its own request must say what a correct answer is "
           "(at least expect: {status: 200})");
  }
  return s;
}

}  // namespace harness
