#include "commands.h"

#include <functional>
#include <vector>

#include "command_table.h"

namespace harness {
namespace {

std::vector<std::pair<CLI::App*, std::function<int()>>>& Table() {
  static std::vector<std::pair<CLI::App*, std::function<int()>>> table;
  return table;
}

}  // namespace

void AddCommand(CLI::App* command, std::function<int()> run) {
  Table().emplace_back(command, std::move(run));
}

void RegisterCommands(CLI::App& app) {
  RegisterDbCommands(app);
  RegisterValidateCommand(app);
  RegisterCheckCommand(app);
  RegisterRunCommand(app);
  RegisterReportCommand(app);
  RegisterCompareCommand(app);
  RegisterServeBodyCommand(app);
}

int RunSelectedCommand(CLI::App&) {
  for (auto& [command, run] : Table()) {
    if (command->parsed()) return run();
  }
  return kExitBadInput;
}

}  // namespace harness
