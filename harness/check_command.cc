// harness check [bench.yaml]: the servers' conformance test. Every clause of the contract in
// servers/README.md, against every enabled server, on the embedded cluster.
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "command_table.h"
#include "commands.h"
#include "config/config.h"
#include "postgres/database.h"
#include "postgres/provision.h"
#include "servers/conformance.h"
#include "servers/server_process.h"
#include "util/interrupt.h"

namespace harness {
namespace {

struct CheckOptions {
  std::string config = "bench.yaml";
  std::vector<std::string> servers;
  bool build = true;
};

const char* Mark(ClauseResult::Outcome outcome) {
  switch (outcome) {
    case ClauseResult::kPassed:
      return "pass";
    case ClauseResult::kFailed:
      return "FAIL";
    case ClauseResult::kSkipped:
      return "skip";
  }
  return "?";
}

int RunCheck(const CheckOptions& options) {
  auto config = LoadConfig(options.config);
  if (!config) {
    std::fprintf(stderr, "harness: %s\n", config.error().message.c_str());
    return kExitBadInput;
  }
  if (Status s = CheckServerNames(*config, options.servers); !s) {
    std::fprintf(stderr, "harness: %s\n", s.error().message.c_str());
    return kExitBadInput;
  }
  std::set<std::string> wanted(options.servers.begin(), options.servers.end());
  auto db = ProvisionDatabase(config->postgres, config->pinning.postgres);
  if (!db) {
    std::fprintf(stderr, "harness: %s\n", db.error().message.c_str());
    return kExitBadInput;
  }
  auto expected = RunBenchmarkQuery(db->dsn);
  if (!expected) {
    std::fprintf(stderr, "harness: %s\n", expected.error().message.c_str());
    return kExitBadInput;
  }
  std::filesystem::path log_dir = ClusterRoot() / ("check-" + std::to_string(getpid()));
  std::filesystem::create_directories(log_dir);

  ConformanceSetup setup{db->dsn, db->cluster.get(), config->db_pool_size, log_dir};
  std::vector<std::string> failures;
  int checked = 0;
  for (const ServerConfig& server : config->servers) {
    if (Interrupted()) break;
    if (wanted.empty() ? !server.enabled : !wanted.contains(server.name)) continue;
    ++checked;
    std::printf("%s\n", server.name.c_str());
    std::fflush(stdout);
    if (options.build) {
      if (Status built = BuildServer(server, log_dir / (server.name + ".build.log")); !built) {
        std::printf("  FAIL  builds: %s\n", built.error().message.c_str());
        failures.push_back(server.name + ": build");
        continue;
      }
    }
    ConformanceReport report = CheckConformance(server, setup);
    for (const ClauseResult& c : report.clauses) {
      std::printf("  %s  %s%s%s\n", Mark(c.outcome), c.clause.c_str(), c.detail.empty() ? "" : ": ",
                  c.detail.c_str());
      if (c.outcome == ClauseResult::kFailed) failures.push_back(server.name + ": " + c.clause);
    }
    std::fflush(stdout);
  }
  if (Interrupted()) {
    std::fprintf(stderr, "harness: interrupted\n");
    return kExitFailure;  // ExitCode() makes it 128+N
  }
  std::printf("conformance: %d server(s) checked, %zu clause(s) failed\n", checked,
              failures.size());
  for (const auto& f : failures) std::printf("  failed: %s\n", f.c_str());
  if (failures.empty()) {
    std::filesystem::remove_all(log_dir);
  } else {
    std::printf("server logs: %s\n", log_dir.c_str());
  }
  return failures.empty() && checked > 0 ? kExitOk : kExitFailure;
}

}  // namespace

void RegisterCheckCommand(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "Conformance test: every clause of the servers' contract, against each server");
  check->add_option("config", options->config, "the bench.yaml that declares the servers");
  check->add_option("--server", options->servers, "check only these servers (repeatable)");
  check->add_flag("!--no-build", options->build, "skip the servers' build commands");
  AddCommand(check, [options] { return RunCheck(*options); });
}

}  // namespace harness
