#include "run/placed_roles.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "http/client.h"
#include "postgres/database.h"
#include "postgres/provision.h"
#include "remote/checkout.h"
#include "remote/remote_host.h"
#include "remote/tcp_rtt.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/net.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kRttTries = 20;

std::string LastLines(const std::string& text, int lines) {
  std::vector<std::string> all;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) all.push_back(line);
  size_t from = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  std::string out;
  for (size_t i = from; i < all.size(); ++i) out += (out.empty() ? "" : "\n") + all[i];
  return out;
}

// A password for the run's Postgres: 128 random bits in hex, so that it needs no quoting in a
// URL. Never printed, never written into results.
std::string NewPassword() {
  std::random_device random;
  std::string out;
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", static_cast<uint32_t>(random()));
  return out;
}

// One machine of the plan and the agent that drives it.
struct Host {
  std::string name;
  std::string address;  // where the others reach it
  std::string checkout;
  std::unique_ptr<RemoteHost> agent;
  HostRecord record;
};

class PlacedRoles;

class PlacedServer : public StartedServer {
 public:
  PlacedServer(std::string name, Host& host, pid_t pid, int port, std::string remote_log,
               fs::path local_log, ReadyCheck ready)
      : name_(std::move(name)),
        host_(host),
        pid_(pid),
        port_(port),
        remote_log_(std::move(remote_log)),
        local_log_(std::move(local_log)),
        ready_(std::move(ready)) {}
  ~PlacedServer() override {
    if (!stopped_) Stop(2s);
  }

  Status WaitReady() override {
    auto deadline = Clock::now() + ready_.timeout;
    HttpRequest probe;
    probe.target = ready_.path;
    std::string last = "no answer";
    while (Clock::now() < deadline) {
      auto running = host_.agent->Running(pid_);
      if (!running) return running.error();
      if (!*running) {
        return MakeError("{}: exited on host {} before it was ready: {}", name_, host_.name,
                         LogTail(5));
      }
      if (Interrupted()) return MakeError("{}: interrupted while waiting for it", name_);
      auto response = HttpFetch(port_, probe, 2s, host_.address);
      if (response) last_status_ = response->status;
      if (response && response->status == 200) return OkStatus();
      last = response ? "HTTP " + std::to_string(response->status) : response.error().message;
      std::this_thread::sleep_for(100ms);
    }
    return MakeError("{}: not ready after {} (GET {} on {}:{}: {}): {}", name_,
                     FormatDuration(ready_.timeout), ready_.path, UrlHost(host_.address), port_,
                     last, LogTail(3));
  }
  int last_status() const override { return last_status_; }
  const std::string& address() const override { return host_.address; }
  int port() const override { return port_; }
  bool Running() override {
    auto running = host_.agent->Running(pid_);
    return running && *running;
  }
  std::string LogTail(int lines) override {
    auto text = host_.agent->ReadFile(remote_log_);
    return text ? LastLines(*text, lines) : "(log unreadable: " + text.error().message + ")";
  }
  double TreeRssMib() override {
    auto rss = host_.agent->TreeRssMib(pid_);
    return rss ? *rss : 0;
  }
  StopOutcome Stop(std::chrono::milliseconds grace) override {
    stopped_ = true;
    StopOutcome outcome;
    auto start = Clock::now();
    auto stopped = host_.agent->Stop(pid_, grace);
    outcome.all_gone = stopped && stopped->all_gone;
    outcome.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    outcome.needed_kill = outcome.took >= grace;
    // The log, here with the others.
    if (auto text = host_.agent->ReadFile(remote_log_)) {
      std::string before = ReadFile(local_log_).value_or(std::string());
      (void)WriteFileAtomic(local_log_, before + *text);
    }
    return outcome;
  }
  pid_t pid() const { return pid_; }
  Host& host() { return host_; }

 private:
  std::string name_;
  Host& host_;
  pid_t pid_;
  int port_;
  std::string remote_log_;
  fs::path local_log_;
  ReadyCheck ready_;
  int last_status_ = 0;
  bool stopped_ = false;
};

class PlacedRoles : public Roles {
 public:
  PlacedRoles(const Config& config, std::vector<const ServerConfig*> servers)
      : config_(config), servers_(std::move(servers)) {}
  ~PlacedRoles() override {
    // Each agent stops what it started when its connection closes; closing says whether it did.
    for (auto& [name, host] : hosts_) {
      if (!host.agent) continue;
      if (Status closed = host.agent->Close(); !closed) {
        std::fprintf(stderr, "harness: %s\n", closed.error().message.c_str());
      }
    }
  }

  Status SetUp(RunResults& results, Progress& progress) override {
    if (Status s = Connect(progress); !s) return s;
    if (Status s = StartPostgres(progress); !s) return s;
    MeasureRoundTrips(progress);
    // The method is the hosts': their CPUs and kernels, oha's version where it ran, Postgres's
    // where it ran, the toolchains where the servers ran; not the controller's.
    for (const char* key : {"cpu", "cores", "kernel"}) results.method.erase(key);
    auto version = [&](const std::string& host, const std::string& tool) {
      const auto& versions = hosts_.at(host).record.environment.versions;
      return versions.contains(tool) ? versions.at(tool) : std::string();
    };
    results.method["oha"] = version(config_.placement.load, "oha");
    if (postgres_pid_ > 0) results.method["postgres"] = version(postgres_host_, "postgres");
    for (const char* tool : {"python3", "rustc", "g++"}) {
      std::set<std::string> found;
      for (const std::string& host : ServerHosts()) found.insert(version(host, tool));
      results.method[tool] = fmt::format("{}", fmt::join(found, " | "));
    }
    for (auto& [name, host] : hosts_) {
      results.hosts.push_back(host.record);
      const Environment& env = host.record.environment;
      results.method["host:" + name] = fmt::format("{}, {} of {} CPUs, {}", env.cpu_model,
                                                   env.cores, host.record.online_cpus, env.kernel);
    }
    results.method["placement"] =
        fmt::format("load {}, postgres {}, servers {}", config_.placement.load,
                    config_.postgres.dsn.empty() ? config_.placement.postgres : "(dsn)",
                    fmt::join(ServerHosts(), " "));
    results.round_trips = round_trips_;
    return OkStatus();
  }
  const std::string& dsn() const override { return dsn_; }
  Status Alive() override {
    for (auto& [name, host] : hosts_) {
      if (Status s = host.agent->Health(); !s) return s;
    }
    if (postgres_pid_ <= 0) {  // postgres.dsn: as on one machine
      if (WaitUntilAccepting(dsn_, 2s)) return OkStatus();
      return MakeError("postgres died; the run stopped");
    }
    // The postmaster's tree in its host's /proc: no connection, no backend, no load.
    auto rss = hosts_.at(postgres_host_).agent->TreeRssMib(postgres_pid_);
    if (!rss) return rss.error();
    if (*rss <= 0) return MakeError("postgres died on host {}; the run stopped", postgres_host_);
    return OkStatus();
  }
  bool OneMachine() const override { return false; }
  pid_t postgres_pid() const override { return -1; }  // on its host: see Measure

  Status Build(const ServerConfig& server, const fs::path& log) override {
    if (server.build.empty()) return OkStatus();
    auto host = HostOf(server);
    if (!host) return host.error();
    auto dir = DirOn(**host, server);
    if (!dir) return dir.error();
    const std::string remote_log = NewFile(**host, server.name + ".build.log");
    auto pid = (*host)->agent->Spawn({ShellCommand(server.build), *dir, {}, remote_log});
    if (!pid) return MakeError("{}: build: {}", server.name, pid.error().message);
    auto code = WaitFor(**host, *pid, 60min);
    std::string text = (*host)->agent->ReadFile(remote_log).value_or(std::string());
    std::string before = ReadFile(log).value_or(std::string());
    (void)WriteFileAtomic(log, before + text);
    if (!code) return MakeError("{}: build: {}", server.name, code.error().message);
    if (*code != 0) {
      return MakeError("{}: build failed on host {} (`{}` exited {}): {}", server.name,
                       (*host)->name, server.build, *code, LastLines(text, 3));
    }
    return OkStatus();
  }

  Result<std::unique_ptr<StartedServer>> Start(const ServerConfig& server,
                                               const fs::path& log) override {
    auto found = HostOf(server);
    if (!found) return found.error();
    Host& host = **found;
    auto dir = DirOn(host, server);
    if (!dir) return dir.error();
    auto port = server.port ? Result<int>(*server.port) : host.agent->FreePort(host.address);
    if (!port) return MakeError("{}: {}", server.name, port.error().message);
    auto in_use = host.agent->PortInUse(host.address, *port);
    if (!in_use) return in_use.error();
    if (*in_use) {
      return MakeError("{}: port {} on {} (host {}) is already in use", server.name, *port,
                       host.address, host.name);
    }
    LaunchOptions launch{*port, host.address, dsn_, config_.db_pool_size, config_.pinning.server,
                         log};
    auto env = ServerEnvironment(server, launch);
    if (!env) return env.error();
    RemoteSpawn spawn;
    spawn.argv = ShellCommand(server.run);
    if (!config_.pinning.server.empty()) {
      spawn.argv.insert(spawn.argv.begin(), {"taskset", "-c", config_.pinning.server});
    }
    spawn.cwd = *dir;
    spawn.env = std::move(*env);
    spawn.output = NewFile(host, server.name + ".log");
    auto pid = host.agent->Spawn(spawn);
    if (!pid) return MakeError("{}: start: {}", server.name, pid.error().message);
    return std::unique_ptr<StartedServer>(
        new PlacedServer(server.name, host, *pid, *port, spawn.output, log, server.ready));
  }

  Status WarmUp(const LoadSpec& spec, StartedServer& server, const RawFiles& raw) override {
    Stops stops;
    auto oha = StartOha(spec, server, raw, "warmup", stops);
    if (!oha) return oha.error();
    auto code = WaitFor(Load(), oha->pid, Watchdog(spec));
    if (!code) return code.error();
    stops.Clear();
    if (*code != 0) return MakeError("oha exited with code {} on host {}", *code, Load().name);
    return OkStatus();
  }

  Result<Measurement> Measure(const LoadSpec& spec, StartedServer& started, const RawFiles& raw,
                              Progress& progress) override {
    auto& server = static_cast<PlacedServer&>(started);
    Stops stops;  // on any early return: oha and every sampler stopped on its host
    // One sampler per host for the server and Postgres, started before the load; the load
    // host's own for oha once it runs. Each host's machine figures come from its first sampler.
    std::vector<std::pair<std::string, int>> samplers;
    std::map<std::string, std::vector<std::pair<std::string, pid_t>>> before;
    before[server.host().name].push_back({"server", server.pid()});
    if (postgres_pid_ > 0) before[postgres_host_].push_back({"postgres", postgres_pid_});
    auto sample = [&](const std::string& host,
                      const std::vector<std::pair<std::string, pid_t>>& groups) -> Status {
      auto sampler = hosts_.at(host).agent->StartSampling(groups, config_.sample_interval);
      if (!sampler) return sampler.error();
      samplers.push_back({host, *sampler});
      stops.Add([this, host, id = *sampler] { (void)hosts_.at(host).agent->StopSampling(id); });
      return OkStatus();
    };
    for (const auto& [host, groups] : before) {
      if (Status s = sample(host, groups); !s) return s.error();
    }
    auto oha = StartOha(spec, server, raw, "oha", stops);
    if (!oha) return oha.error();
    if (Status s = sample(Load().name, {{"oha", oha->pid}}); !s) return s.error();
    auto deadline = Clock::now() + Watchdog(spec);
    std::optional<int> code;
    while (!code) {
      auto waited = Load().agent->Wait(oha->pid, 100ms);
      if (!waited) return waited.error();
      code = *waited;
      if (code) break;
      if (Interrupted()) return MakeError("interrupted");
      if (Clock::now() >= deadline) {
        return MakeError("oha did not finish within {}", FormatDuration(Watchdog(spec)));
      }
      progress.Tick();
    }
    // By host: the groups of all its samplers, and the machine as its first one saw it; each
    // sampler's rows go to a file of their own (one CSV is one sampler's clock).
    std::map<std::string, RemoteSamples> samples;
    std::vector<std::pair<std::string, std::string>> csvs;  // file name, rows
    for (const auto& [host, id] : samplers) {
      auto got = hosts_.at(host).agent->StopSampling(id);
      if (!got) return got.error();
      csvs.push_back({samples.contains(host) ? host + ".oha" : host, got->csv});
      auto [it, first] = samples.try_emplace(host, std::move(*got));
      if (!first) it->second.groups.merge(got->groups);
    }
    stops.Clear();
    fs::path dir = raw.run_dir / "raw" / raw.server;
    if (*code != 0) {
      std::string err = Load().agent->ReadFile(oha->error_output).value_or(std::string());
      return MakeError("oha exited with code {} on host {}: {}", *code, Load().name,
                       LastLines(err, 2));
    }
    auto text = Load().agent->ReadFile(oha->output);
    if (!text) return text.error();
    fs::path oha_json = dir / (raw.stem + ".oha.json");
    if (Status s = WriteFileAtomic(oha_json, *text); !s) return s.error();
    auto figures = ParseOhaJson(*text, oha_json.string());
    if (!figures) return figures.error();
    auto usage = [&](const std::string& host, const std::string& group) {
      auto s = samples.find(host);
      if (s == samples.end() || !s->second.groups.contains(group)) return Usage{};
      return s->second.groups.at(group);
    };
    Measurement m = MeasurementOf(spec, std::move(*figures), usage(server.host().name, "server"),
                                  usage(postgres_host_, "postgres"), usage(Load().name, "oha"));
    for (const auto& [name, s] : samples) m.host_usage[name] = s.machine;
    m.machine_usage = samples[server.host().name].machine;
    for (const auto& [name, rows] : csvs) {
      fs::path csv = dir / fmt::format("{}.samples.{}.csv", raw.stem, name);
      if (Status w = WriteFileAtomic(csv, rows); !w) return w.error();
      if (name == server.host().name) m.raw_samples = fs::relative(csv, raw.run_dir).string();
    }
    m.raw_oha = fs::relative(oha_json, raw.run_dir).string();
    AddSanityWarnings(spec, m, 0);  // each host's CPU is judged below, against its own CPUs
    for (const auto& [name, busy] : m.host_usage) {
      const HostRecord& host = hosts_.at(name).record;
      if (host.online_cpus > 0 &&
          busy.cpu_avg_pct >= kMachineBoundShare * 100.0 * host.online_cpus) {
        m.warnings.push_back(fmt::format(
            "host {} ({}) was {:.0f}% busy of {}%: that host, not the server alone, may have been "
            "the limit",
            name, fmt::join(host.roles, ", "), busy.cpu_avg_pct, 100 * host.online_cpus));
      }
    }
    return m;
  }

 private:
  struct Oha {
    pid_t pid;
    std::string output, error_output;
  };

  static std::chrono::milliseconds Watchdog(const LoadSpec& spec) {
    return spec.duration ? *spec.duration + 60s : std::chrono::milliseconds(30min);
  }

  Host& Load() { return hosts_.at(config_.placement.load); }

  std::vector<std::string> ServerHosts() const {
    std::set<std::string> names;
    for (const ServerConfig* s : servers_) names.insert(ServerHost(config_, *s));
    return {names.begin(), names.end()};
  }

  Result<Host*> HostOf(const ServerConfig& server) {
    auto found = hosts_.find(ServerHost(config_, server));
    if (found == hosts_.end()) {
      return MakeError("{}: host {} is not connected", server.name, ServerHost(config_, server));
    }
    return &found->second;
  }

  // The server's folder on its host: the same place in that host's checkout.
  Result<std::string> DirOn(const Host& host, const ServerConfig& server) const {
    if (host.name == kLocalHost) return server.dir.string();
    fs::path relative = server.dir.lexically_relative(OwnCheckout());
    if (relative.empty() || *relative.begin() == "..") {
      return MakeError("{}: dir {} is outside the project's checkout, so host {} has no copy of it",
                       server.name, server.dir.string(), host.name);
    }
    return (fs::path(host.checkout) / relative).string();
  }

  // The exit code of `pid` on `host`, waited for up to `limit`; interruptible.
  Result<int> WaitFor(Host& host, pid_t pid, std::chrono::milliseconds limit) {
    auto deadline = Clock::now() + limit;
    while (true) {
      auto waited = host.agent->Wait(pid, 200ms);
      if (!waited) return waited.error();
      if (*waited) return **waited;
      if (Interrupted() || Clock::now() >= deadline) {
        (void)host.agent->Stop(pid, 2s);
        return MakeError("{}", Interrupted() ? "interrupted" : "did not finish in time");
      }
    }
  }

  // What to undo on an early return: oha and the samplers, stopped on their hosts.
  class Stops {
   public:
    ~Stops() {
      for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
    }
    void Add(std::function<void()> undo) { undo_.push_back(std::move(undo)); }
    void Clear() { undo_.clear(); }

   private:
    std::vector<std::function<void()>> undo_;
  };

  // A path in the host's workdir that no earlier step used: the agent appends to its outputs.
  std::string NewFile(Host& host, const std::string& name) {
    return fmt::format("{}/{}-{}", host.agent->workdir(), ++files_, name);
  }

  Result<Oha> StartOha(LoadSpec spec, StartedServer& server, const RawFiles& raw,
                       const std::string& what, Stops& stops) {
    Host& load = Load();
    const std::string base = NewFile(load, raw.server + "-" + raw.stem + "." + what);
    if (!spec.urls_file.empty()) {
      auto urls = ReadFile(spec.urls_file);
      if (!urls) return urls.error();
      if (Status s = load.agent->WriteFile(base + ".urls", *urls); !s) return s.error();
      spec.urls_file = base + ".urls";
    }
    RemoteSpawn spawn;
    spawn.argv = OhaArguments(spec, server.port(), server.address());
    if (!config_.pinning.oha.empty()) {
      spawn.argv.insert(spawn.argv.begin(), {"taskset", "-c", config_.pinning.oha});
    }
    spawn.output = base + ".json";
    spawn.error_output = base + ".stderr";
    auto pid = load.agent->Spawn(spawn);
    if (!pid) return pid.error();
    stops.Add([&load, pid = *pid] { (void)load.agent->Stop(pid, 2s); });
    return Oha{*pid, spawn.output, spawn.error_output};
  }

  // Every host of the plan, its agent at our commit; this machine's roles through an agent too.
  Status Connect(Progress& progress) {
    std::map<std::string, std::vector<std::string>> roles;
    roles[config_.placement.load].push_back("load");
    if (config_.postgres.dsn.empty()) roles[config_.placement.postgres].push_back("postgres");
    for (const ServerConfig* s : servers_) {
      roles[ServerHost(config_, *s)].push_back("server:" + s->name);
    }
    // Where the other hosts reach this machine: the address its packets to them leave from.
    std::string local_address = kLoopback;
    for (const auto& [name, host] : config_.hosts) {
      if (!roles.contains(name)) continue;
      auto resolved = ResolveAddress(host.address);
      if (!resolved) return MakeError("host {}: {}", name, resolved.error().message);
      if (auto from = SourceAddressTowards(*resolved)) local_address = *from;
      break;
    }
    for (const auto& [name, its_roles] : roles) {
      Host host;
      host.name = name;
      Result<std::unique_ptr<RemoteHost>> agent = MakeError("not connected");
      if (name == kLocalHost) {
        host.address = local_address;
        host.checkout = OwnCheckout().string();
        agent = RemoteHost::Local(name, OwnCheckout());
      } else {
        const HostConfig& config = config_.hosts.at(name);
        auto resolved = ResolveAddress(config.address);
        if (!resolved) return MakeError("host {}: {}", name, resolved.error().message);
        host.address = *resolved;
        host.checkout = config.checkout;
        host.record.ssh = config.ssh;
        progress.Log(fmt::format("harness: host {} ({}): connecting", name, config.ssh));
        agent = RemoteHost::Connect(config);
      }
      if (!agent) return agent.error();
      host.agent = std::move(*agent);
      host.record.name = name;
      host.record.address = host.address;
      host.record.roles = its_roles;
      host.record.environment = host.agent->environment();
      host.record.online_cpus = host.agent->online_cpus();
      if (name == config_.placement.load && !host.record.environment.versions.contains("oha")) {
        return MakeError("host {}: oha is not installed there (scripts/bootstrap installs it)",
                         name);
      }
      hosts_.emplace(name, std::move(host));
    }
    return OkStatus();
  }

  // The embedded cluster on the postgres host, listening on that host's address, admitting the
  // servers' hosts and this machine (which checks answers and counts queries) with the run's
  // password; or the external server of postgres.dsn, as on one machine.
  Status StartPostgres(Progress& progress) {
    if (!config_.postgres.dsn.empty()) {
      auto db = ProvisionDatabase(config_.postgres, "");
      if (!db) return db.error();
      external_ = std::move(*db);
      dsn_ = external_.dsn;
      postgres_host_ = "(dsn)";
      return OkStatus();
    }
    postgres_host_ = config_.placement.postgres;
    Host& db = hosts_.at(postgres_host_);
    RemoteClusterOptions options;
    options.listen = db.address;
    // Each client as the database host sees it: the address its packets leave from.
    std::set<std::string> clients;
    for (const std::string& name : ServerHosts()) {
      auto from = name == kLocalHost ? SourceAddressTowards(db.address)
                                     : hosts_.at(name).agent->SourceAddress(db.address);
      if (!from) return MakeError("host {}: {}", name, from.error().message);
      clients.insert(*from);
    }
    auto controller = SourceAddressTowards(db.address);
    if (!controller) return MakeError("host {}: {}", db.name, controller.error().message);
    clients.insert(*controller);
    options.clients.assign(clients.begin(), clients.end());
    options.password = NewPassword();
    options.max_connections = config_.postgres.max_connections;
    options.cpu_list = config_.pinning.postgres;
    options.keep = config_.postgres.keep;
    for (size_t i = 0; i < config_.postgres.setup.size(); ++i) {
      auto text = ReadFile(config_.postgres.setup[i]);
      if (!text) return text.error();
      std::string path = fmt::format("{}/setup-{}.sql", db.agent->workdir(), i + 1);
      if (Status s = db.agent->WriteFile(path, *text); !s) return s;
      options.setup.push_back(path);
    }
    progress.Log(fmt::format("harness: postgres on host {} ({})", db.name, db.address));
    auto cluster = db.agent->ClusterUp(options);
    if (!cluster) return cluster.error();
    postgres_pid_ = cluster->postmaster_pid;
    auto parts = ParseDsn(cluster->dsn);
    if (!parts) return parts.error();
    dsn_ = fmt::format("postgres://{}:{}@{}:{}/{}", parts->user, options.password,
                       UrlHost(parts->host), parts->port, parts->dbname);
    postgres_port_ = std::stoi(parts->port);
    return WaitUntilAccepting(dsn_, 10s);
  }

  // Before the first server: load <-> each server's host, each server's host <-> Postgres. From
  // an agent to the other host's sshd (the one port every host opens), and to Postgres's own
  // port for the database's pair; from here when one end is this machine.
  void MeasureRoundTrips(Progress& progress) {
    std::set<std::pair<std::string, std::string>> done;
    auto pair = [&](const std::string& label, const std::string& from, const std::string& to,
                    int port) {
      if (from == to || !done.insert({from, to}).second) return;
      Host& a = hosts_.at(from);
      const std::string& address = hosts_.at(to).address;
      Result<RttStats> rtt = from == kLocalHost ? MeasureTcpRtt(address, port, kRttTries, 2s)
                                                : a.agent->TcpRtt(address, port, kRttTries);
      if (!rtt) {
        progress.Log(fmt::format("harness: round trip {}: {}", label, rtt.error().message));
        return;
      }
      round_trips_.push_back({label, from, fmt::format("{}:{}", UrlHost(rtt->address), rtt->port),
                              rtt->tries, rtt->median_ms, rtt->min_ms, rtt->max_ms});
      progress.Log(fmt::format("harness: round trip {}: {:.3f} ms median", label, rtt->median_ms));
    };
    auto ssh_port = [&](const std::string& name) {
      return name == kLocalHost ? 22 : config_.hosts.at(name).port.value_or(22);
    };
    for (const std::string& server : ServerHosts()) {
      const std::string& load = config_.placement.load;
      if (server == kLocalHost) {
        pair(fmt::format("server {} <-> load {}", server, load), server, load, ssh_port(load));
      } else {
        pair(fmt::format("load {} <-> server {}", load, server), load, server, ssh_port(server));
      }
      if (postgres_port_ > 0) {
        pair(fmt::format("server {} <-> postgres {}", server, postgres_host_), server,
             postgres_host_, postgres_port_);
      }
    }
  }

  const Config& config_;
  std::vector<const ServerConfig*> servers_;  // the run's
  std::map<std::string, Host> hosts_;
  int files_ = 0;
  Database external_;
  std::string dsn_;
  std::string postgres_host_;
  pid_t postgres_pid_ = -1;
  int postgres_port_ = 0;
  std::vector<RoundTrip> round_trips_;
};

}  // namespace

std::unique_ptr<Roles> MakePlacedRoles(const Config& config,
                                       std::vector<const ServerConfig*> servers) {
  return std::make_unique<PlacedRoles>(config, std::move(servers));
}

}  // namespace harness
