// harness db up | db down: the embedded cluster on its own, for working on a
// server by hand.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "command_table.h"
#include "commands.h"
#include "postgres/cluster.h"
#include "util/files.h"

namespace harness {

void RegisterDbCommands(CLI::App& app) {
  CLI::App* db = app.add_subcommand("db", "Start or stop an embedded Postgres on its own");
  db->require_subcommand(1);

  auto options = std::make_shared<ClusterOptions>();
  CLI::App* up = db->add_subcommand("up",
                                    "Start a seeded throwaway cluster that "
                                    "runs until `db down`; prints its DSN");
  up->add_option("--max-connections", options->max_connections, "Postgres max_connections")
      ->check(CLI::Range(10, 100000));
  up->add_option("--cpus", options->cpu_list, "taskset CPU list for Postgres, e.g. 1");
  auto dir_file = std::make_shared<std::string>();
  up->add_option("--dir-file", *dir_file,
                 "also write the cluster's directory to this file, for scripts' `db down --dir`");
  AddCommand(up, [options, dir_file] {
    options->detached = true;
    auto cluster = Cluster::Create(*options);
    if (!cluster) {
      std::fprintf(stderr, "harness: %s\n", cluster.error().message.c_str());
      return kExitBadInput;
    }
    const std::filesystem::path& dir = (*cluster)->directory();
    if (!dir_file->empty()) {
      if (Status s = WriteFileAtomic(*dir_file, dir.string() + "\n"); !s) {
        // A script could not stop it: do not leave it running.
        std::fprintf(stderr, "harness: %s\n", s.error().message.c_str());
        if (auto stopped = DestroyDetachedClusters(dir); !stopped) {
          std::fprintf(stderr, "harness: %s\n", stopped.error().message.c_str());
        }
        return kExitBadInput;
      }
    }
    std::fprintf(stderr, "harness: postgres (pid %d) in %s; stop it with `harness db down`\n",
                 static_cast<int>((*cluster)->postmaster_pid()), dir.c_str());
    std::printf("%s\n", (*cluster)->dsn().c_str());
    return kExitOk;
  });

  auto dir = std::make_shared<std::string>();
  CLI::App* down = db->add_subcommand(
      "down", "Stop every cluster `db up` started (or the one in --dir) and remove it");
  CLI::Option* dir_option =
      down->add_option("--dir", *dir, "the cluster directory `db up` reported");
  AddCommand(down, [dir, dir_option] {
    // Without --dir every detached cluster stops: an empty one (a script that lost the
    // directory) must not mean that.
    if (dir_option->count() > 0 && dir->empty()) {
      std::fprintf(stderr, "harness: db down: --dir is empty\n");
      return kExitBadInput;
    }
    auto removed = DestroyDetachedClusters(*dir);
    if (!removed) {
      std::fprintf(stderr, "harness: %s\n", removed.error().message.c_str());
      return kExitBadInput;
    }
    if (!dir->empty() && *removed == 0) {
      // Only clusters under ClusterRoot() are ever touched; a different TMPDIR is the usual slip.
      const std::filesystem::path root = ClusterRoot();
      std::filesystem::path given = std::filesystem::path(*dir).lexically_normal();
      if (given.filename().empty()) given = given.parent_path();  // a trailing slash
      std::error_code ec;
      if (std::filesystem::weakly_canonical(given, ec).parent_path() !=
          std::filesystem::weakly_canonical(root, ec)) {
        std::fprintf(stderr,
                     "harness: db down: --dir %s is not in %s, where `db up` makes clusters "
                     "(run with the TMPDIR `db up` had)\n",
                     dir->c_str(), root.c_str());
      } else {
        std::fprintf(stderr, "harness: db down: --dir %s: no cluster there\n", dir->c_str());
      }
      return kExitBadInput;
    }
    std::fprintf(stderr, "harness: stopped and removed %d cluster(s)\n", *removed);
    return kExitOk;
  });
}

}  // namespace harness
