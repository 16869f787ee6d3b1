#include "servers/contract.h"

#include <nlohmann/json.hpp>
#include <thread>

namespace harness {
namespace {

using namespace std::chrono_literals;

std::string Snippet(const std::string& body) {
  std::string s = body.substr(0, 80);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return body.size() > 80 ? s + "..." : s;
}

}  // namespace

Status CheckHeaders(const HttpResponse& response) {
  if (!response.has("content-type")) return MakeError("no Content-Type header");
  if (!response.has("content-length") && !response.chunked) {
    return MakeError("neither Content-Length nor chunked encoding");
  }
  if (!response.has("date")) return MakeError("no Date header");
  return OkStatus();
}

Status CheckUsersResponse(const HttpResponse& response, const std::vector<UserRow>& expected) {
  if (response.status != 200) {
    return MakeError("GET / answered HTTP {}: {}", response.status, Snippet(response.body));
  }
  if (Status s = CheckHeaders(response); !s) return s;
  const std::string& type = response.headers.at("content-type");
  if (!type.starts_with("application/json")) {
    return MakeError("Content-Type is '{}', not application/json", type);
  }
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(response.body);
  } catch (const nlohmann::json::exception& e) {
    return MakeError("body is not JSON ({}): {}", e.what(), Snippet(response.body));
  }
  if (!doc.is_array()) return MakeError("body is not a JSON array: {}", Snippet(response.body));
  if (doc.size() != expected.size()) {
    return MakeError("body has {} rows, the database {}", doc.size(), expected.size());
  }
  static const std::vector<std::string> kKeys = {"user_id", "username", "email"};
  for (size_t i = 0; i < doc.size(); ++i) {
    const auto& row = doc[i];
    std::vector<std::string> keys;
    if (row.is_object()) {
      for (const auto& item : row.items()) keys.push_back(item.key());
    }
    if (keys != kKeys) {
      return MakeError("row {} is not an object with keys user_id, username, email in order: {}", i,
                       row.dump());
    }
    if (!row["user_id"].is_string() || !row["username"].is_string() || !row["email"].is_string()) {
      return MakeError("row {} has a value that is not a string: {}", i, row.dump());
    }
    UserRow got{row["user_id"], row["username"], row["email"]};
    if (got != expected[i]) {
      return MakeError("row {} is {}, the database says {{\"user_id\":\"{}\",...}}", i, row.dump(),
                       expected[i].user_id);
    }
  }
  return OkStatus();
}

Status CheckQueryCounts(int port, const std::string& dsn, int requests) {
  if (Status s = ResetQueryCounts(dsn); !s) return s;
  std::vector<HttpRequest> batch(requests);
  auto responses = HttpExchange(port, batch, 10s);
  if (!responses) return responses.error();
  for (const auto& r : *responses) {
    if (r.status != 200) return MakeError("GET / answered HTTP {} during the count", r.status);
  }
  // The statistics land when each statement ends, which may trail the HTTP answer slightly.
  QueryCounts counts;
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto read = ReadQueryCounts(dsn);
    if (!read) return read.error();
    counts = *read;
    if (counts.calls >= requests) break;
    std::this_thread::sleep_for(50ms);
  }
  if (counts.calls != requests || counts.rows != 100LL * requests) {
    return MakeError(
        "{} requests caused {} executions of the query returning {} rows (want {} and {}): "
        "a server must query the database on every request, once",
        requests, counts.calls, counts.rows, requests, 100LL * requests);
  }
  return OkStatus();
}

}  // namespace harness
