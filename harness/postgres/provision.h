// The database a run uses, as bench.yaml asks: the embedded cluster (made, seeded, torn down
// with this object) or an existing server (checked, seeded only with consent).
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "postgres/cluster.h"
#include "util/result.h"

namespace harness {

struct Database {
  std::unique_ptr<Cluster> cluster;  // null for an external server
  std::string dsn;
};

Result<Database> ProvisionDatabase(const PostgresConfig& config, const std::string& cpu_list);

}  // namespace harness
