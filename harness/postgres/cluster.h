// The embedded Postgres: a throwaway cluster made with the machine's own
// binaries, in a private directory, on 127.0.0.1 (or a host's own address, see
// ClusterOptions) and a free port, seeded with the benchmark's 2000 users. As
// root (CI) it runs as the unprivileged `postgres` user, since Postgres refuses
// to run as root.
//
// Teardown is certain: the destructor stops the cluster and removes its
// directory; every cluster directory records which harness owns it, so one left
// by a harness that was SIGKILLed is found and removed by the next Create().
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "util/process.h"
#include "util/result.h"

namespace harness {

// The directory of the machine's Postgres programs (initdb, postgres, pgbench): pg_config's
// answer, else the newest of /usr/lib/postgresql/*/bin.
Result<std::filesystem::path> PostgresBinDir();

struct ClusterOptions {
  int max_connections = 1000;
  std::string cpu_list;         // taskset -c for the postmaster and its backends; empty: none
  bool detached = false;        // `harness db up`: runs on after we exit, until `db down`
  bool keep_directory = false;  // leave the directory (and its log) behind after stopping
  std::vector<std::filesystem::path> setup;  // SQL files instead of the built-in schema and seed
  // Where it listens and whom it admits. By default 127.0.0.1 and trust: one machine, whose
  // loopback only its own processes reach. On a host of its own (README, "More than one
  // machine"): that host's address, never a wildcard; pg_hba admits only `clients` (IP
  // addresses) with scram-sha-256 and `password`, which goes to initdb in a file removed as soon
  // as initdb has read it and appears in nothing the harness writes or prints. The harness
  // itself then talks to the cluster over the unix socket in its private directory.
  std::string listen_address = "127.0.0.1";
  std::vector<std::string> clients;
  std::string password;
};

class Cluster {
 public:
  // initdb, configure, start, wait until it accepts connections, create
  // database `benchmark`, apply postgres/schema.sql and postgres/seed.sql.
  static Result<std::unique_ptr<Cluster>> Create(const ClusterOptions& options);

  ~Cluster();  // Destroy(), unless detached
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // postgres://postgres@127.0.0.1:PORT/benchmark (trust authentication on loopback only), or
  // with the listen address; never with the password.
  std::string dsn() const;
  int port() const { return port_; }
  pid_t postmaster_pid() const { return postmaster_pid_; }
  const std::filesystem::path& directory() const { return dir_; }
  // The last lines of the server log, for error messages.
  std::string LogTail(int lines = 5) const;

  // Fault injection for the conformance test: stop the server keeping its data,
  // then start it again on the same port.
  Status StopServer();
  Status StartServer();

  // Leaves the cluster running when this object dies, for `db down` (detached)
  // or, if its owner file says "run", for the next CleanStaleClusters().
  void Release();

  // Stops the server and removes the directory (unless keep_directory).
  // Idempotent.
  Status Destroy();

 private:
  Cluster(ClusterOptions options, std::filesystem::path dir, int port)
      : options_(std::move(options)), dir_(std::move(dir)), port_(port) {}

  Status InitDb();
  Status WriteAccessRules() const;
  // How the harness itself connects to database `db`: as clients do on loopback, else over the
  // unix socket (key=value form).
  std::string AdminDsn(const std::string& db) const;
  std::string TcpDsn(const std::string& db) const;
  ClusterOptions options_;
  std::filesystem::path dir_;
  int port_;
  pid_t postmaster_pid_ = -1;
  std::unique_ptr<Process> server_;
  bool destroyed_ = false;
  bool handed_over_ = false;
};

// Where cluster directories live: $TMPDIR/bench-harness-<uid>.
std::filesystem::path ClusterRoot();

// `harness db down`: stops and removes every detached cluster (or the one in
// `dir`). Returns how many it removed.
Result<int> DestroyDetachedClusters(const std::filesystem::path& dir = {});

// Removes clusters whose owning harness is gone (killed without a chance to
// clean up). Never touches a directory without our owner file, nor one whose
// owner still runs.
int CleanStaleClusters();

}  // namespace harness
