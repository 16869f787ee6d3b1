#include "postgres/provision.h"

#include "postgres/database.h"

namespace harness {

Result<Database> ProvisionDatabase(const PostgresConfig& config, const std::string& cpu_list) {
  Database db;
  if (!config.dsn.empty()) {
    if (Status s = PrepareExternal(config); !s) return s.error();
    db.dsn = config.dsn;
    return db;
  }
  ClusterOptions options;
  options.max_connections = config.max_connections;
  options.cpu_list = cpu_list;
  options.keep_directory = config.keep;
  options.setup = config.setup;
  auto cluster = Cluster::Create(options);
  if (!cluster) return cluster.error();
  db.cluster = std::move(*cluster);
  db.dsn = db.cluster->dsn();
  return db;
}

}  // namespace harness
