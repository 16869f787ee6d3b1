// How the controller reaches a host: OpenSSH's own client, as the user would run it, with the
// options that make it fit to be driven by a program (README, "More than one machine").
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace harness {

// `ssh [options] -- DESTINATION COMMAND` for `host`:
//   BatchMode=yes              never a prompt (a passphrase, an unknown host key): fail instead;
//   ConnectTimeout, ServerAlive*   a host that does not answer, or stops answering without a
//                              word (a cable pulled), ends ssh within seconds, not hours;
//   ControlMaster=no, ControlPath=none   never a shared connection, nor a master that
//                              ControlPersist would keep alive after we are gone;
//   no forwarding of the agent, X11 or ports, and no terminal (-T): a pipe for JSON lines;
//   -p, -i with IdentitiesOnly, UserKnownHostsFile with StrictHostKeyChecking=yes as bench.yaml
//   says.
std::vector<std::string> SshArgv(const HostConfig& host, const std::string& command);

// The command that runs the agent in the host's checkout, for the login shell there; the
// cargo tools (oha) on its PATH, as scripts/env.sh puts them.
std::string AgentCommand(const std::string& checkout);

}  // namespace harness
