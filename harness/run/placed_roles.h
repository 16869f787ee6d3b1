// The roles on the hosts of bench.yaml's placement (README, "More than one machine"): an agent
// per host over SSH (remote/remote_host.h), this machine's own roles through an agent of its
// own, so that every role is started, sampled and stopped the same way. Postgres listens on its
// host's address for the hosts that need it, with a password made for the run; each server
// listens on its host's address (HOST); oha runs on the load host; every host's CPU is sampled
// beside each measurement. A lost connection stops the run (Alive), and the agents stop
// everything they started when the roles are destroyed.
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "run/roles.h"

namespace harness {

// `servers`: the run's (bench.yaml's enabled ones, or those --server named).
std::unique_ptr<Roles> MakePlacedRoles(const Config& config,
                                       std::vector<const ServerConfig*> servers);

}  // namespace harness
