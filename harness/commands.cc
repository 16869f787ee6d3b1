#include "commands.h"

#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "command_table.h"

namespace harness {
namespace {

std::vector<std::pair<CLI::App*, std::function<int()>>>& Table() {
  static std::vector<std::pair<CLI::App*, std::function<int()>>> table;
  return table;
}

void RegisterCommands(CLI::App& app) {
  RegisterDbCommands(app);
  RegisterValidateCommand(app);
  RegisterCheckCommand(app);
  RegisterRunCommand(app);
  RegisterReportCommand(app);
  RegisterCompareCommand(app);
  RegisterServeBodyCommand(app);
  RegisterAgentCommand(app);
  RegisterHostsCommand(app);
}

int RunSelectedCommand() {
  for (auto& [command, run] : Table()) {
    if (command->parsed()) return run();
  }
  return kExitBadInput;
}

}  // namespace

void AddCommand(CLI::App* command, std::function<int()> run) {
  Table().emplace_back(command, std::move(run));
}

int RunCommandLine(int argc, char** argv) {
  CLI::App app{
      "Benchmark harness: web-server stacks backed by PostgreSQL, compared "
      "honestly."};
  app.require_subcommand(1);
  RegisterCommands(app);
  int code = kExitBadInput;
  // Catching here, not letting std::terminate end the process, is what unwinds the stack: the
  // destructors stop the servers, oha and Postgres a command had started.
  try {
    app.parse(argc, argv);
    code = RunSelectedCommand();
  } catch (const CLI::ParseError& e) {
    code = app.exit(e) == 0 ? kExitOk : kExitBadInput;
  } catch (const std::exception& e) {
    std::string what = e.what();
    std::fprintf(stderr, "harness: %s\n", what.substr(0, what.find('\n')).c_str());
  } catch (...) {
    std::fprintf(stderr, "harness: unexpected error\n");
  }
  return ExitCode(code);
}

}  // namespace harness
