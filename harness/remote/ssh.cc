#include "remote/ssh.h"

#include "util/process.h"

namespace harness {

std::vector<std::string> SshArgv(const HostConfig& host, const std::string& command) {
  std::vector<std::string> argv = {"ssh", "-T"};
  auto option = [&](const std::string& value) { argv.insert(argv.end(), {"-o", value}); };
  for (const char* value :
       {"BatchMode=yes", "ConnectTimeout=10", "ServerAliveInterval=5", "ServerAliveCountMax=3",
        "ControlMaster=no", "ControlPath=none", "ForwardAgent=no", "ForwardX11=no",
        "ClearAllForwardings=yes", "LogLevel=ERROR"}) {
    option(value);
  }
  if (host.port) argv.insert(argv.end(), {"-p", std::to_string(*host.port)});
  if (!host.identity.empty()) {
    argv.insert(argv.end(), {"-i", host.identity.string()});
    option("IdentitiesOnly=yes");
  }
  if (!host.known_hosts.empty()) {
    option("UserKnownHostsFile=\"" + host.known_hosts.string() + "\"");  // a list, split at spaces
    option("StrictHostKeyChecking=yes");
  }
  argv.insert(argv.end(), {"--", host.ssh, command});
  return argv;
}

std::string AgentCommand(const std::string& checkout) {
  return "cd " + ShellQuote(checkout) +
         " && PATH=\"$HOME/.cargo/bin:$PATH\" exec build/bin/harness agent";
}

}  // namespace harness
