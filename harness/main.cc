// harness: compares web-server stacks backed by PostgreSQL. See README.md.
#include "commands.h"
#include "util/interrupt.h"

int main(int argc, char** argv) {
  harness::InstallInterruptHandler();
  return harness::RunCommandLine(argc, argv);
}
