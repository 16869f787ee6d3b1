// harness: compares web-server stacks backed by PostgreSQL. See README.md.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands.h"
#include "util/interrupt.h"

int main(int argc, char** argv) {
  harness::InstallInterruptHandler();
  CLI::App app{
      "Benchmark harness: web-server stacks backed by PostgreSQL, compared "
      "honestly."};
  app.require_subcommand(1);
  harness::RegisterCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : harness::kExitBadInput;
  }
  return harness::RunSelectedCommand(app);
}
