#include "servers/conformance.h"

#include <algorithm>
#include <thread>

#include "http/client.h"
#include "servers/contract.h"
#include "servers/expect.h"
#include "servers/server_process.h"
#include "util/net.h"

namespace harness {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kConcurrent = 200;
constexpr int kCountedRequests = 50;
constexpr auto kFaultAnswerWithin = 10s;  // "never a hang": sqlx's acquire timeout is 3 s
constexpr auto kRecoverWithin = 5s;
constexpr auto kExitWithin = 2s;

class Clauses {
 public:
  explicit Clauses(ConformanceReport& report) : report_(report) {}
  void Pass(std::string clause) {
    report_.clauses.push_back({std::move(clause), ClauseResult::kPassed, ""});
  }
  void Fail(std::string clause, std::string why) {
    report_.clauses.push_back({std::move(clause), ClauseResult::kFailed, std::move(why)});
  }
  void Skip(std::string clause, std::string why) {
    report_.clauses.push_back({std::move(clause), ClauseResult::kSkipped, std::move(why)});
  }
  void Check(std::string clause, const Status& status) {
    if (status) {
      Pass(std::move(clause));
    } else {
      Fail(std::move(clause), status.error().message);
    }
  }

 private:
  ConformanceReport& report_;
};

Status Expect(int port, const HttpRequest& request, int status) {
  auto response = HttpFetch(port, request, 10s);
  if (!response) return response.error();
  if (response->status != status) {
    return MakeError("{} {} answered HTTP {}, want {}", request.method, request.target,
                     response->status, status);
  }
  return CheckHeaders(*response);
}

// GET / as the contract has it, and the document it must answer.
struct Contract {
  Expectation expect = ContractExpectation();
  Sample sample{"/", {}};
  Result<std::optional<nlohmann::ordered_json>> want = MakeError("not read");
  Status Check(const HttpResponse& response) const {
    if (!want) return want.error();
    return CheckAnswer(response, expect, sample, *want);
  }
};

Status KeepAliveAndClose(int port, const Contract& contract) {
  HttpRequest keep, close;
  close.keep_alive = false;
  auto responses = HttpExchange(port, {keep, keep, close}, 10s);
  if (!responses) return responses.error();
  for (const auto& r : *responses) {
    if (Status s = contract.Check(r); !s) return s;
  }
  if (!responses->back().closed_by_server) {
    return MakeError("the connection stayed open after Connection: close");
  }
  return OkStatus();
}

// HEAD / then GET / on one connection: the HEAD's head must be GET's (status, Content-Type,
// Content-Length), and a body sent after it would garble the GET's answer.
Status HeadIsGetWithoutBody(int port, const Contract& contract) {
  auto responses = HttpExchange(port, {{"HEAD", "/", true, ""}, {"GET", "/", true, ""}}, 10s);
  if (!responses) return responses.error();
  const HttpResponse& head = responses->front();
  const HttpResponse& get = responses->back();
  if (Status s = contract.Check(get); !s) {
    return MakeError("GET / after HEAD /: {}", s.error().message);
  }
  if (head.status != 200) return MakeError("HEAD / answered HTTP {}, want 200", head.status);
  if (Status s = CheckHeaders(head); !s) return s;
  for (const char* name : {"content-type", "content-length"}) {
    if (!head.has(name) || head.headers.at(name) != get.headers.at(name)) {
      return MakeError("HEAD / has {} '{}', GET / has '{}'", name,
                       head.has(name) ? head.headers.at(name) : "", get.headers.at(name));
    }
  }
  return OkStatus();
}

Status AbsoluteForm(int port, const Contract& contract) {
  const std::string target = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto response = HttpFetch(port, {"GET", target, true, ""}, 10s);
  if (!response) return response.error();
  if (Status s = contract.Check(*response); !s) {
    return MakeError("GET {}: {}", target, s.error().message);
  }
  return OkStatus();
}

Status ManyAtOnce(int port) {
  auto statuses = HttpConcurrentGets(port, kConcurrent, "/", 30s);
  long ok = std::count(statuses.begin(), statuses.end(), 200);
  if (ok != kConcurrent) {
    long failed = std::count(statuses.begin(), statuses.end(), 0);
    return MakeError("{} of {} concurrent requests answered 200 ({} got no answer)", ok,
                     kConcurrent, failed);
  }
  return OkStatus();
}

// With Postgres stopped: a 5xx, soon, from a server that stays up.
Status AnswersWhileDatabaseIsDown(ServerProcess& server) {
  auto response = HttpFetch(server.port(), {}, kFaultAnswerWithin);
  if (!response) {
    return MakeError("no answer within {} with the database down: {}",
                     FormatDuration(kFaultAnswerWithin), response.error().message);
  }
  if (response->status < 500 || response->status > 599) {
    return MakeError("answered HTTP {} with the database down, want 5xx", response->status);
  }
  std::this_thread::sleep_for(200ms);
  if (!server.Running()) return MakeError("exited with the database down: {}", server.LogTail(3));
  return OkStatus();
}

// GET /users/{username}: one user by username, 404 for one that does not exist.
Status OneUser(int port, const std::string& dsn) {
  Scenario scenario;
  scenario.name = "GET /users/{username}";
  scenario.request.path = "/users/user1234";
  Expectation expect = ContractExpectation();
  expect.body.sql = R"(SELECT user_id, username, email FROM "user" WHERE username = $1)";
  expect.body.params = "^/users/(.*)$";
  expect.body.object = true;
  expect.queries = {1, R"(from\s+"user"\s+where)", 1};
  ScenarioVerification v = VerifyScenario(port, dsn, scenario, expect);
  return v.answers ? v.counts : v.answers;
}

Status RecoversWhenDatabaseReturns(int port, const Contract& contract) {
  auto deadline = Clock::now() + kRecoverWithin;
  std::string last;
  while (Clock::now() < deadline) {
    auto response = HttpFetch(port, {}, 5s);
    if (response && contract.Check(*response)) return OkStatus();
    last = response ? "HTTP " + std::to_string(response->status) : response.error().message;
    std::this_thread::sleep_for(100ms);
  }
  return MakeError("no good answer within {} of the database coming back (last: {})",
                   FormatDuration(kRecoverWithin), last);
}

}  // namespace

bool ConformanceReport::passed() const {
  return std::none_of(clauses.begin(), clauses.end(),
                      [](const auto& c) { return c.outcome == ClauseResult::kFailed; });
}

ConformanceReport CheckConformance(const ServerConfig& config, const ConformanceSetup& setup) {
  ConformanceReport report{config.name, {}};
  Clauses clauses(report);
  auto port = config.port ? Result<int>(*config.port) : FreePort();
  if (!port) {
    clauses.Fail("starts and becomes ready", port.error().message);
    return report;
  }
  LaunchOptions launch;
  launch.port = *port;
  launch.database_url = setup.dsn;
  launch.pool_size = setup.pool_size;
  launch.log = setup.log_dir / (config.name + ".log");
  auto server = ServerProcess::Start(config, launch);
  Status ready = server ? server->WaitReady() : Status(server.error());
  clauses.Check("starts and becomes ready", ready);
  if (!ready) return report;
  const int p = *port;

  Contract contract;
  contract.want = ExpectedDocument(contract.expect, contract.sample, setup.dsn);
  auto first = HttpFetch(p, {}, 10s);
  clauses.Check("GET / = the 100 rows psql returns, as JSON with the required headers",
                first ? contract.Check(*first) : Status(first.error()));
  clauses.Check("GET /users/{username} = that user as a JSON object, one query",
                OneUser(p, setup.dsn));
  clauses.Check("GET /users/nobody: 404", Expect(p, {"GET", "/users/nobody", true, ""}, 404));
  clauses.Check("HEAD /: 200 with GET's headers, no body", HeadIsGetWithoutBody(p, contract));
  clauses.Check("GET http://127.0.0.1:PORT/ (absolute form): the rows", AbsoluteForm(p, contract));
  clauses.Check("unknown path: 404", Expect(p, {"GET", "/no-such-path", true, ""}, 404));
  clauses.Check("POST /: 405", Expect(p, {"POST", "/", true, "{}"}, 405));
  clauses.Check("DELETE /: 405", Expect(p, {"DELETE", "/", true, ""}, 405));
  clauses.Check("keep-alive, then Connection: close closes", KeepAliveAndClose(p, contract));
  clauses.Check("200 concurrent requests all 200", ManyAtOnce(p));
  clauses.Check(
      "N requests = N executions of the query (pg_stat_statements)",
      CheckQueryCounts(p, setup.dsn, {contract.sample}, contract.expect.queries, kCountedRequests));

  const char* down = "database down: 5xx within 10s, no crash";
  const char* back = "database back: 200 within 5s";
  if (setup.cluster == nullptr) {
    clauses.Skip(down, "needs the embedded cluster");
    clauses.Skip(back, "needs the embedded cluster");
  } else if (Status stopped = setup.cluster->StopServer(); !stopped) {
    clauses.Fail(down, stopped.error().message);
  } else {
    clauses.Check(down, AnswersWhileDatabaseIsDown(*server));
    Status started = setup.cluster->StartServer();
    clauses.Check(back, started ? RecoversWhenDatabaseReturns(p, contract) : started);
  }

  StopOutcome stop = server->Stop(kExitWithin);
  if (stop.needed_kill || !stop.all_gone) {
    clauses.Fail("SIGTERM: every process gone within 2s",
                 stop.all_gone ? "still running after 2s; killed" : "survived even SIGKILL");
  } else {
    clauses.Pass("SIGTERM: every process gone within 2s");
  }
  return report;
}

}  // namespace harness
