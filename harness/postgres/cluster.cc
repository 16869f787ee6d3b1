#include "postgres/cluster.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>

#include "postgres/database.h"
#include "postgres/sql_text.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/net.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 60s;
constexpr auto kShutdownGrace = 10s;

// Postgres refuses to run as root: as root, run it as the `postgres` user.
struct RunAs {
  std::vector<std::string> prefix;  // setpriv ... --
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<RunAs> UnprivilegedUser() {
  RunAs r;
  r.uid = geteuid();
  r.gid = getegid();
  if (r.uid != 0) return r;
  const passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    return MakeError(
        "running as root needs an unprivileged 'postgres' user to run Postgres "
        "(it comes with Debian's postgresql package)");
  }
  r.uid = pw->pw_uid;
  r.gid = pw->pw_gid;
  r.prefix = {"setpriv", "--reuid=" + std::to_string(r.uid), "--regid=" + std::to_string(r.gid),
              "--init-groups", "--"};
  return r;
}

// The owner file: who made a cluster directory, so a later harness can tell a
// live one from one left behind.
void WriteOwner(const fs::path& dir, const std::string& mode, int port) {
  std::ofstream out(dir / "owner", std::ios::trunc);
  out << "pid=" << getpid() << "\nmode=" << mode << "\nport=" << port << "\n";
}

std::map<std::string, std::string> ReadOwner(const fs::path& dir) {
  std::map<std::string, std::string> owner;
  std::ifstream in(dir / "owner");
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) owner[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return owner;
}

// The postmaster of a data directory, if it still runs (checked against its
// command line, so a recycled pid is never signalled).
pid_t LivePostmaster(const fs::path& dir) {
  std::ifstream in(dir / "data/postmaster.pid");
  pid_t pid = 0;
  if (!(in >> pid) || !ProcessAlive(pid)) return 0;
  std::string args;
  return ReadProcFile(pid, "cmdline", args) && args.find("postgres") != std::string::npos ? pid : 0;
}

Status StopAndRemove(const fs::path& dir) {
  if (pid_t pid = LivePostmaster(dir)) {
    Process postmaster = Process::Adopt(pid, SIGINT);
    if (!postmaster.Stop(kShutdownGrace)) {
      return MakeError("postgres (pid {}) of {} would not stop", pid, dir.string());
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) return MakeError("cannot remove {}: {}", dir.string(), ec.message());
  return OkStatus();
}

std::vector<fs::path> ClusterDirs() {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(ClusterRoot(), ec)) {
    if (entry.path().filename().string().starts_with("pg-")) dirs.push_back(entry.path());
  }
  return dirs;
}

bool IsLoopback(const std::string& address) { return address == "127.0.0.1" || address == "::1"; }

// The rules a cluster's options must follow before anything is made (see ClusterOptions).
Status CheckAccess(const ClusterOptions& o) {
  if (IsWildcardAddress(o.listen_address)) {
    return MakeError("postgres must not listen on every interface ({}): give the host's address",
                     o.listen_address);
  }
  if (!FreePort(o.listen_address)) {
    return MakeError("postgres cannot listen on {}: not an address of this host", o.listen_address);
  }
  if (!IsLoopback(o.listen_address) && o.password.empty()) {
    return MakeError("postgres on {} needs a password: trust is for loopback only",
                     o.listen_address);
  }
  if (!o.password.empty() && o.clients.empty()) {
    return MakeError("postgres with a password needs the addresses of its clients");
  }
  // initdb reads the first line of its password file.
  if (o.password.find_first_of("\r\n") != std::string::npos) {
    return MakeError("the password for postgres must be one line");
  }
  for (const std::string& client : o.clients) {
    if (!IsIpAddress(client) || IsWildcardAddress(client)) {
      return MakeError("postgres clients must be IP addresses of hosts, got '{}'", client);
    }
  }
  return OkStatus();
}

}  // namespace

Result<fs::path> PostgresBinDir() {
  std::error_code ec;
  fs::path bindir = CommandOutput("pg_config --bindir");
  if (!bindir.empty() && fs::exists(bindir / "postgres", ec)) return bindir;
  fs::path best;
  int best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && fs::exists(entry.path() / "bin/postgres", ec)) {
      best = entry.path() / "bin";
      best_version = version;
    }
  }
  if (best.empty()) {
    return MakeError(
        "no Postgres server binaries found (pg_config --bindir, "
        "/usr/lib/postgresql/*/bin); "
        "run scripts/bootstrap");
  }
  return best;
}

fs::path ClusterRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return fs::path(tmp && *tmp ? tmp : "/tmp") / ("bench-harness-" + std::to_string(getuid()));
}

Result<std::unique_ptr<Cluster>> Cluster::Create(const ClusterOptions& options) {
  if (Status s = CheckAccess(options); !s) return s.error();
  CleanStaleClusters();
  fs::path root = ClusterRoot();
  std::error_code ec;
  fs::create_directories(root, ec);
  // Traversable (not listable by others) so the postgres user can reach its own
  // directory.
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec, ec);
  std::string pattern = (root / "pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return MakeError("cannot create a cluster directory under {}: {}", root.string(),
                     std::strerror(errno));
  }
  fs::path dir = pattern;
  auto user = UnprivilegedUser();
  if (!user) {
    fs::remove_all(dir, ec);
    return user.error();
  }
  if (chown(dir.c_str(), user->uid, user->gid) != 0 || chmod(dir.c_str(), 0700) != 0) {
    fs::remove_all(dir, ec);
    return MakeError("cannot hand {} to uid {}: {}", dir.string(), user->uid, std::strerror(errno));
  }
  WriteOwner(dir, "run", 0);

  std::unique_ptr<Cluster> cluster(new Cluster(options, dir, 0));
  if (Status s = cluster->InitDb(); !s) return s.error();
  // Another process may take the free port between our probe and Postgres's
  // bind: try again.
  Status started = MakeError("postgres did not start");
  for (int attempt = 0; attempt < 3 && !started && !Interrupted(); ++attempt) {
    auto port = FreePort(options.listen_address);
    if (!port) return port.error();
    cluster->port_ = *port;
    started = cluster->StartServer();
  }
  if (!started) return started.error();
  WriteOwner(dir, options.detached ? "detached" : "run", cluster->port_);

  if (Status s = CreateDatabase(cluster->AdminDsn("postgres"), "benchmark"); !s) return s.error();
  if (Status s = ApplySchemaAndSeed(cluster->AdminDsn("benchmark"), options.setup); !s) {
    return s.error();
  }
  if (options.detached) cluster->Release();
  return cluster;
}

Status Cluster::InitDb() {
  auto bindir = PostgresBinDir();
  if (!bindir) return bindir.error();
  auto user = UnprivilegedUser();
  if (!user) return user.error();
  SpawnOptions spawn;
  spawn.argv = user->prefix;
  for (std::string arg :
       {(*bindir / "initdb").string(), std::string("-D"), (dir_ / "data").string(),
        std::string("-U"), std::string("postgres"), std::string("--no-locale"), std::string("-E"),
        std::string("UTF8"), std::string("--no-sync")}) {
    spawn.argv.push_back(arg);
  }
  // The password reaches initdb in a file only it and we can read, gone once it has run.
  const fs::path pwfile = dir_ / "pwfile";
  if (options_.password.empty()) {
    spawn.argv.push_back("--auth=trust");
  } else {
    spawn.argv.insert(spawn.argv.end(), {"--auth-local=trust", "--auth-host=scram-sha-256",
                                         "--pwfile=" + pwfile.string()});
    int fd = open(pwfile.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool written = fd >= 0 && fchown(fd, user->uid, user->gid) == 0 &&
                   write(fd, options_.password.data(), options_.password.size()) ==
                       static_cast<ssize_t>(options_.password.size());
    if (fd >= 0) close(fd);
    if (!written) {
      unlink(pwfile.c_str());
      return MakeError("cannot write the password file in {}", dir_.string());
    }
  }
  spawn.cwd = dir_;
  spawn.output = dir_ / "initdb.log";
  auto initdb = Process::Spawn(spawn);
  bool done = initdb && initdb->Wait(120s);
  unlink(pwfile.c_str());
  if (!initdb) return initdb.error();
  if (!done || initdb->exit_code() != 0) {
    if (Interrupted()) return MakeError("interrupted during initdb");
    std::ifstream log(dir_ / "initdb.log");
    std::string last, line;
    while (std::getline(log, line)) last = line.empty() ? last : line;
    return MakeError("initdb failed in {}: {}", dir_.string(), last);
  }
  std::ofstream conf(dir_ / "data/postgresql.conf", std::ios::app);
  conf << "\n# Added by the benchmark harness.\n" << kClusterConf;
  conf << "max_connections = " << options_.max_connections << "\n";
  conf << "listen_addresses = '" << options_.listen_address << "'\n";
  conf << "unix_socket_directories = '" << dir_.string() << "'\n";
  if (!options_.password.empty()) conf << "password_encryption = 'scram-sha-256'\n";
  if (!conf) return MakeError("cannot write {}/data/postgresql.conf", dir_.string());
  return WriteAccessRules();
}

// With a password, pg_hba.conf is ours whole: the harness over the unix socket (in a 0700
// directory: only root and the postgres user reach it), and the planned clients by scram.
Status Cluster::WriteAccessRules() const {
  if (options_.password.empty()) return OkStatus();  // initdb's: trust, on loopback only
  std::ofstream hba(dir_ / "data/pg_hba.conf", std::ios::trunc);
  hba << "# Written by the benchmark harness: itself over the unix socket, and the run's planned\n"
         "# hosts with the run's password.\n"
         "local all postgres trust\n";
  for (const std::string& client : options_.clients) {
    hba << "host all postgres " << client
        << (client.find(':') == std::string::npos ? "/32" : "/128") << " scram-sha-256\n";
  }
  if (!hba) return MakeError("cannot write {}/data/pg_hba.conf", dir_.string());
  return OkStatus();
}

Status Cluster::StartServer() {
  auto bindir = PostgresBinDir();
  if (!bindir) return bindir.error();
  auto user = UnprivilegedUser();
  if (!user) return user.error();
  SpawnOptions spawn;
  spawn.argv = user->prefix;
  if (!options_.cpu_list.empty()) {
    spawn.argv.insert(spawn.argv.end(), {"taskset", "-c", options_.cpu_list});
  }
  spawn.argv.insert(spawn.argv.end(), {(*bindir / "postgres").string(), "-D",
                                       (dir_ / "data").string(), "-p", std::to_string(port_)});
  spawn.cwd = dir_;
  spawn.output = dir_ / "postgres.log";
  // In the foreground (no pg_ctl), so that its supervisor sees it; SIGINT is a fast shutdown.
  spawn.lifetime =
      options_.detached ? SpawnOptions::Lifetime::kDetached : SpawnOptions::Lifetime::kSupervised;
  spawn.stop_signal = SIGINT;
  auto process = Process::Spawn(spawn);
  if (!process) return process.error();
  server_ = std::make_unique<Process>(std::move(*process));
  postmaster_pid_ = server_->pid();

  std::string admin =
      AdminDsn("postgres") + (options_.password.empty() ? "?" : " ") + "connect_timeout=2";
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (PQping(admin.c_str()) != PQPING_OK) {
    if (!server_->Running()) {
      std::string tail = LogTail(1);
      server_.reset();
      return MakeError("postgres exited while starting (port {}): {}", port_, tail);
    }
    if (Interrupted() || std::chrono::steady_clock::now() >= deadline) {
      server_->Stop(kShutdownGrace);
      server_.reset();
      if (Interrupted()) return MakeError("interrupted while postgres was starting");
      return MakeError("postgres did not accept connections within 60s");
    }
    std::this_thread::sleep_for(20ms);
  }
  return OkStatus();
}

Status Cluster::StopServer() {
  if (!server_) return OkStatus();
  bool stopped = server_->Stop(kShutdownGrace);
  server_.reset();
  if (!stopped) return MakeError("postgres in {} would not stop", dir_.string());
  return OkStatus();
}

Status Cluster::Destroy() {
  if (destroyed_) return OkStatus();
  destroyed_ = true;
  Status stopped = StopServer();
  if (!stopped) return stopped;
  if (options_.keep_directory) {
    WriteOwner(dir_, "kept", port_);
    return OkStatus();
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (ec) return MakeError("cannot remove {}: {}", dir_.string(), ec.message());
  return OkStatus();
}

void Cluster::Release() {
  if (server_) server_->Release();
  handed_over_ = true;
}

Cluster::~Cluster() {
  if (handed_over_) return;  // `db up`: runs on until `db down`
  if (Status s = Destroy(); !s) std::fprintf(stderr, "harness: %s\n", s.error().message.c_str());
}

std::string Cluster::dsn() const { return TcpDsn("benchmark"); }

std::string Cluster::TcpDsn(const std::string& db) const {
  const std::string& host = options_.listen_address;
  return "postgres://postgres@" + (host.find(':') == std::string::npos ? host : "[" + host + "]") +
         ":" + std::to_string(port_) + "/" + db;
}

std::string Cluster::AdminDsn(const std::string& db) const {
  if (options_.password.empty()) return TcpDsn(db);
  return "host='" + dir_.string() + "' port=" + std::to_string(port_) +
         " user=postgres dbname=" + db;
}

std::string Cluster::LogTail(int lines) const { return TailLines(dir_ / "postgres.log", lines); }

Result<int> DestroyDetachedClusters(const fs::path& dir) {
  int removed = 0;
  for (const fs::path& d : ClusterDirs()) {
    if (!dir.empty() && fs::weakly_canonical(d) != fs::weakly_canonical(dir)) continue;
    auto owner = ReadOwner(d);
    if (owner["mode"] != "detached" && dir.empty()) continue;
    if (Status s = StopAndRemove(d); !s) return s.error();
    ++removed;
  }
  return removed;
}

int CleanStaleClusters() {
  int removed = 0;
  for (const fs::path& d : ClusterDirs()) {
    auto owner = ReadOwner(d);
    if (owner["mode"] != "run") continue;
    pid_t pid = std::atoi(owner["pid"].c_str());
    if (pid <= 0 || ProcessAlive(pid)) continue;
    if (StopAndRemove(d)) {
      std::fprintf(stderr, "harness: removed a cluster left by harness pid %d: %s\n", pid,
                   d.c_str());
      ++removed;
    }
  }
  return removed;
}

}  // namespace harness
