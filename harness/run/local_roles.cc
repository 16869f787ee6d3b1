// Every role on this machine: the embedded cluster (or an external server), the servers as our
// children on 127.0.0.1, oha beside them, the sampler watching all three.
#include <fmt/format.h>

#include <optional>

#include "postgres/database.h"
#include "postgres/provision.h"
#include "run/placed_roles.h"
#include "run/roles.h"
#include "sampling/sampler.h"
#include "util/proc.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

class LocalServer : public StartedServer {
 public:
  explicit LocalServer(ServerProcess process) : process_(std::move(process)) {}
  Status WaitReady() override { return process_.WaitReady(); }
  int last_status() const override { return process_.last_status(); }
  const std::string& address() const override { return address_; }
  int port() const override { return process_.port(); }
  bool Running() override { return process_.Running(); }
  std::string LogTail(int lines) override { return process_.LogTail(lines); }
  double TreeRssMib() override { return harness::TreeRssMib(process_.pid()); }
  StopOutcome Stop(std::chrono::milliseconds grace) override { return process_.Stop(grace); }
  pid_t pid() const { return process_.pid(); }

 private:
  ServerProcess process_;
  const std::string address_ = kLoopback;
};

class LocalRoles : public Roles {
 public:
  explicit LocalRoles(const Config& config) : config_(config) {}

  Status SetUp(RunResults& results, Progress&) override {
    auto db = ProvisionDatabase(config_.postgres, config_.pinning.postgres);
    if (!db) return db.error();
    db_ = std::move(*db);
    cores_ = results.environment.cores;
    return OkStatus();
  }
  const std::string& dsn() const override { return db_.dsn; }
  Status Alive() override {
    bool alive = db_.cluster ? ProcessAlive(db_.cluster->postmaster_pid())
                             : WaitUntilAccepting(db_.dsn, std::chrono::seconds(2)).ok();
    if (alive) return OkStatus();
    std::string why = "postgres died; the run stopped";
    if (db_.cluster) why += ": " + db_.cluster->LogTail(2);
    return MakeError("{}", why);
  }
  bool OneMachine() const override { return true; }
  pid_t postgres_pid() const override { return db_.cluster ? db_.cluster->postmaster_pid() : -1; }

  Status Build(const ServerConfig& server, const fs::path& log) override {
    return BuildServer(server, log);
  }
  Result<std::unique_ptr<StartedServer>> Start(const ServerConfig& server,
                                               const fs::path& log) override {
    auto port = server.port ? Result<int>(*server.port) : FreePort();
    if (!port) return port.error();
    LaunchOptions launch{*port, kLoopback, db_.dsn, config_.db_pool_size, config_.pinning.server,
                         log};
    auto process = ServerProcess::Start(server, launch);
    if (!process) return process.error();
    return std::unique_ptr<StartedServer>(new LocalServer(std::move(*process)));
  }
  Status WarmUp(const LoadSpec& spec, StartedServer& server, const RawFiles& raw) override {
    return harness::WarmUp(spec, Target(server), raw);
  }
  Result<Measurement> Measure(const LoadSpec& spec, StartedServer& server, const RawFiles& raw,
                              Progress& progress) override {
    return harness::Measure(spec, Target(server), raw, progress);
  }

 private:
  MeasureTarget Target(StartedServer& server) const {
    return {server.port(),       static_cast<LocalServer&>(server).pid(),
            postgres_pid(),      config_.sample_interval,
            config_.pinning.oha, cores_};
  }

  const Config& config_;
  Database db_;
  int cores_ = 1;
};

}  // namespace

bool RunsAcrossHosts(const Config& config, const std::vector<const ServerConfig*>& servers) {
  bool elsewhere = config.placement.load != kLocalHost ||
                   (config.postgres.dsn.empty() && config.placement.postgres != kLocalHost);
  for (const ServerConfig* s : servers) elsewhere |= ServerHost(config, *s) != kLocalHost;
  return elsewhere;
}

std::unique_ptr<Roles> MakeRoles(const Config& config,
                                 const std::vector<const ServerConfig*>& servers) {
  if (!RunsAcrossHosts(config, servers)) return std::make_unique<LocalRoles>(config);
  return MakePlacedRoles(config, servers);
}

}  // namespace harness
