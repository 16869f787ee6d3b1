// harness agent: the harness on a host of its own, for a controller over SSH (remote/agent.h).
// Hidden: the controller starts it; it is not meant to be run by hand.
#include <fcntl.h>
#include <unistd.h>

#include "command_table.h"
#include "commands.h"
#include "remote/agent.h"

namespace harness {

void RegisterAgentCommand(CLI::App& app) {
  CLI::App* agent =
      app.add_subcommand("agent", "Serve a controller's requests on stdin and stdout (over SSH)");
  agent->group("");  // hidden from --help
  AddCommand(agent, [] {
    // The protocol gets descriptors of its own, kept from children (close-on-exec); fd 1 becomes
    // stderr, so that nothing else written to stdout, by us or a child, can corrupt it.
    int in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10);
    int out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 10);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || out < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
        dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
      std::perror("harness agent");
      return kExitBadInput;
    }
    close(null);
    return RunAgent(in, out);
  });
}

}  // namespace harness
