#include "servers/expect.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "postgres/database.h"
#include "servers/contract.h"
#include "util/process.h"

namespace harness {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

constexpr const char* kSampleOrigin = "http://127.0.0.1:1";

std::string Snippet(const std::string& body) {
  std::string s = body.substr(0, 80);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return body.size() > 80 ? s + "..." : s;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Describe(const Sample& sample) { return sample.request.method + " " + sample.path; }

Sample MakeSample(const RequestSpec& spec, const std::string& path) {
  Sample s;
  s.path = path;
  s.request.method = spec.method;
  s.request.target = path;
  s.request.body = spec.body;
  s.request.headers = spec.headers;
  return s;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

Status CheckShape(const Json& got, const ExpectedBody& body) {
  auto check_object = [&](const Json& item, const std::string& where) -> Status {
    if (!item.is_object()) return MakeError("{}: not an object: {}", where, Snippet(item.dump()));
    std::vector<std::string> keys = Keys(item), want = body.keys;
    if (!body.ordered_keys) {
      std::sort(keys.begin(), keys.end());
      std::sort(want.begin(), want.end());
    }
    if (keys != want) {
      return MakeError("{}: keys {}, want {}{}", where, fmt::join(Keys(item), ", "),
                       fmt::join(body.keys, ", "), body.ordered_keys ? " in that order" : "");
    }
    return OkStatus();
  };
  if (body.object) return check_object(got, "$");
  if (!got.is_array()) return MakeError("$: not an array: {}", Snippet(got.dump()));
  if (body.items && static_cast<int>(got.size()) != *body.items) {
    return MakeError("$: {} items, want {}", got.size(), *body.items);
  }
  for (size_t i = 0; i < got.size(); ++i) {
    if (Status s = check_object(got[i], fmt::format("$[{}]", i)); !s) return s;
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<Sample>> SampleRequests(const RequestSpec& request, int count) {
  std::vector<Sample> samples;
  if (!request.paths.empty()) {
    size_t n = std::min<size_t>(std::max(count, 1), request.paths.size());
    for (size_t i = 0; i < n; ++i) {
      samples.push_back(MakeSample(request, request.paths[i * request.paths.size() / n]));
    }
    return samples;
  }
  if (request.path_pattern.empty()) {
    samples.push_back(MakeSample(request, request.path));
    return samples;
  }
  std::string out =
      CommandOutput(fmt::format("oha --rand-regex-url --dump-urls {} {}", std::max(count, 1),
                                ShellQuote(kSampleOrigin + request.path_pattern)));
  std::istringstream lines(out);
  std::string url;
  while (std::getline(lines, url)) {
    if (url.starts_with(kSampleOrigin)) {
      samples.push_back(MakeSample(request, url.substr(std::string_view(kSampleOrigin).size())));
    }
  }
  if (samples.empty()) {
    return MakeError("oha generated no URL from the pattern {}", request.path_pattern);
  }
  return samples;
}

std::optional<std::string> JsonDifference(const Json& got, const Json& want, bool ordered_keys) {
  struct Walk {
    bool ordered;
    std::optional<std::string> operator()(const Json& g, const Json& w, const std::string& at) {
      if (w.is_object()) {
        if (!g.is_object()) return fmt::format("{}: got {}, want an object", at, Snippet(g.dump()));
        if (ordered && Keys(g) != Keys(w)) {
          return fmt::format("{}: keys {}, want {} in that order", at, fmt::join(Keys(g), ", "),
                             fmt::join(Keys(w), ", "));
        }
        for (const auto& [key, value] : w.items()) {
          if (!g.contains(key)) return fmt::format("{}: no key \"{}\"", at, key);
          if (auto d = (*this)(g[key], value, at + "." + key)) return d;
        }
        for (const auto& item : g.items()) {
          if (!w.contains(item.key()))
            return fmt::format("{}: unexpected key \"{}\"", at, item.key());
        }
        return std::nullopt;
      }
      if (w.is_array()) {
        if (!g.is_array()) return fmt::format("{}: got {}, want an array", at, Snippet(g.dump()));
        if (g.size() != w.size()) {
          return fmt::format("{}: {} items, want {}", at, g.size(), w.size());
        }
        for (size_t i = 0; i < w.size(); ++i) {
          if (auto d = (*this)(g[i], w[i], fmt::format("{}[{}]", at, i))) return d;
        }
        return std::nullopt;
      }
      // Scalars: 1 and 1.0 are the same number (nlohmann compares them so).
      if (g != w) return fmt::format("{}: got {}, want {}", at, g.dump(), w.dump());
      return std::nullopt;
    }
  };
  return Walk{ordered_keys}(got, want, "$");
}

Result<std::optional<Json>> ExpectedDocument(const Expectation& expect, const Sample& sample,
                                             const std::string& dsn) {
  const ExpectedBody& body = expect.body;
  if (body.kind == BodyKind::kJson) return std::optional(Json::parse(body.json));
  if (body.kind != BodyKind::kSql) return std::optional<Json>();
  std::vector<std::string> params;
  if (!body.params.empty()) {
    std::smatch m;
    if (!std::regex_search(sample.path, m, std::regex(body.params))) {
      return MakeError("expect.body.params: '{}' does not match the path {}", body.params,
                       sample.path);
    }
    for (size_t i = 1; i < m.size(); ++i) params.push_back(m[i].str());
  }
  auto rows = QueryRowsAsJson(dsn, body.sql, params);
  if (!rows) return MakeError("expect.body.sql: {}", rows.error().message);
  if (!body.object) return std::optional(std::move(*rows));
  if (rows->size() != 1) {
    return MakeError("expect.body.sql returned {} rows for {}; as: object needs exactly one",
                     rows->size(), sample.path);
  }
  return std::optional(Json((*rows)[0]));
}

Status CheckAnswer(const HttpResponse& response, const Expectation& expect, const Sample& sample,
                   const std::optional<Json>& want) {
  if (response.status != expect.status) {
    return MakeError("expect.status: {} answered HTTP {}, want {}: {}", Describe(sample),
                     response.status, expect.status, Snippet(response.body));
  }
  if (Status s = CheckHeaders(response); !s) {
    return MakeError("headers: {}: {}", Describe(sample), s.error().message);
  }
  if (!expect.content_type.empty()) {
    auto type = response.headers.find("content-type");
    std::string media = type == response.headers.end() ? "" : type->second;
    media = Lower(media.substr(0, media.find(';')));
    media.erase(media.find_last_not_of(' ') + 1);
    if (media != Lower(expect.content_type)) {
      return MakeError("expect.content_type: {} answered '{}', want {}", Describe(sample),
                       type == response.headers.end() ? "" : type->second, expect.content_type);
    }
  }
  if (expect.body.kind == BodyKind::kAny) return OkStatus();
  Json got = Json::parse(response.body, nullptr, false);
  if (got.is_discarded()) {
    return MakeError("expect.body: {} answered no JSON: {}", Describe(sample),
                     Snippet(response.body));
  }
  if (expect.body.kind == BodyKind::kShape) {
    if (Status s = CheckShape(got, expect.body); !s) {
      return MakeError("expect.body.shape: {}: {}", Describe(sample), s.error().message);
    }
    return OkStatus();
  }
  if (auto d = JsonDifference(got, *want, expect.body.ordered_keys)) {
    return MakeError("expect.body: {}: {}", Describe(sample), *d);
  }
  return OkStatus();
}

Status CheckQueryCounts(int port, const std::string& dsn, const std::vector<Sample>& samples,
                        const QueryExpectation& expect, int requests, const std::string& address) {
  if (!expect.count || samples.empty()) return OkStatus();
  if (Status s = ResetQueryCounts(dsn); !s) return s;
  std::vector<HttpRequest> batch;
  for (int i = 0; i < requests; ++i) batch.push_back(samples[i % samples.size()].request);
  auto responses = HttpExchange(port, batch, 10s, address);
  if (!responses) return MakeError("expect.queries: {}", responses.error().message);
  // The statistics land when each statement ends, which may trail the HTTP answer slightly.
  long long want = static_cast<long long>(*expect.count) * requests;
  QueryCounts counts;
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::this_thread::sleep_for(50ms);
    auto read = ReadQueryCounts(dsn, expect.matching);
    if (!read) return read.error();
    counts = *read;
    if (counts.calls >= want && (want > 0 || attempt >= 3)) break;
  }
  std::string which =
      expect.matching.empty() ? "statements" : "statements matching '" + expect.matching + "'";
  if (counts.calls != want) {
    return MakeError(
        "expect.queries: {} requests caused {} executions of {} (want {}: {} per request)",
        requests, counts.calls, which, want, *expect.count);
  }
  if (expect.rows && counts.rows != *expect.rows * requests) {
    return MakeError("expect.queries.rows: {} requests' {} returned {} rows (want {} per request)",
                     requests, which, counts.rows, *expect.rows);
  }
  return OkStatus();
}

ScenarioVerification VerifyScenario(int port, const std::string& dsn, const Scenario& scenario,
                                    const Expectation& expect, const std::string& address) {
  constexpr int kCountedRequests = 20;
  ScenarioVerification v;
  auto prefix = [&](const Status& s) -> Status {
    if (s) return s;
    return MakeError("scenario {}: {}", scenario.name, s.error().message);
  };
  auto samples = SampleRequests(scenario.request, expect.samples);
  if (!samples) {
    v.answers = prefix(samples.error());
    return v;
  }
  for (const Sample& sample : *samples) {
    auto want = ExpectedDocument(expect, sample, dsn);
    if (!want) {
      v.answers = prefix(want.error());
      return v;
    }
    auto response = HttpFetch(port, sample.request, 10s, address);
    Status checked = response ? CheckAnswer(*response, expect, sample, *want)
                              : MakeError("{}: {}", Describe(sample), response.error().message);
    if (!checked) {
      v.answers = prefix(checked);
      return v;
    }
    ++v.checked;
  }
  v.counts =
      prefix(CheckQueryCounts(port, dsn, *samples, expect.queries, kCountedRequests, address));
  return v;
}

}  // namespace harness
