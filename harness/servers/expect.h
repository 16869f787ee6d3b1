// Whether a server answers a scenario's request as the scenario expects (config's Expectation):
// status, headers, body, and how many queries one request causes. `harness run` checks every
// scenario of a server this way before loading it; a failure names the scenario and the part of
// the expectation it broke.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "http/client.h"
#include "util/result.h"

namespace harness {

// One concrete request of a scenario: its path, and what the harness's client sends.
struct Sample {
  std::string path;
  HttpRequest request;
};

// The requests to check for `request`: its one path; or `count` of its file's paths, spread
// evenly over the file; or `count` paths its pattern generates, as oha generates them for the
// load (oha --rand-regex-url --dump-urls).
Result<std::vector<Sample>> SampleRequests(const RequestSpec& request, int count);

// The first difference between two JSON documents, as "$[3].email: got "x", want "y"", or empty
// when they are equal. Objects compare as unordered (RFC 8259) unless `ordered_keys`; arrays in
// order.
std::optional<std::string> JsonDifference(const nlohmann::ordered_json& got,
                                          const nlohmann::ordered_json& want, bool ordered_keys);

// The body `expect` asks for at `sample`, when it is a document (sql: the rows the query returns
// with the groups of `params` bound; json and file: as given); empty for shape and any.
Result<std::optional<nlohmann::ordered_json>> ExpectedDocument(const Expectation& expect,
                                                               const Sample& sample,
                                                               const std::string& dsn);

// `response` to `sample` against `expect`: status, framing and Date headers, Content-Type, body.
// `want` is ExpectedDocument's. Errors start with the part that failed: "expect.status: ...".
Status CheckAnswer(const HttpResponse& response, const Expectation& expect, const Sample& sample,
                   const std::optional<nlohmann::ordered_json>& want);

// Sends `requests` requests (cycling through `samples`) on one keep-alive connection and checks
// in pg_stat_statements that they caused expect.queries.count executions each of the
// statements it matches (and the rows it asks for). Nothing to check without a count.
// `address`: where the server listens (127.0.0.1 unless placed on a host of its own).
Status CheckQueryCounts(int port, const std::string& dsn, const std::vector<Sample>& samples,
                        const QueryExpectation& expect, int requests,
                        const std::string& address = kLoopback);

// Every sample of a scenario, then its query count. On failure the verdict says which:
// "wrong response" or "query count mismatch"; `checked` how many answers were compared.
struct ScenarioVerification {
  Status answers = OkStatus();
  Status counts = OkStatus();
  int checked = 0;
};
ScenarioVerification VerifyScenario(int port, const std::string& dsn, const Scenario& scenario,
                                    const Expectation& expect,
                                    const std::string& address = kLoopback);

}  // namespace harness
