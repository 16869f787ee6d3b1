// harness: compares web-server stacks backed by PostgreSQL. See README.md.
#include "commands.h"
#include "util/interrupt.h"
#include "util/supervisor.h"

int main(int argc, char** argv) {
  // The supervisor of a child the harness starts is this binary too (util/supervisor.h); it
  // keeps signals as they come and has no command line to parse.
  if (harness::IsSupervisorCall(argc, argv)) return harness::Supervise(argc, argv);
  harness::InstallInterruptHandler();
  return harness::RunCommandLine(argc, argv);
}
