// The subcommands of the harness CLI, one file each (db_command.cc, ...). Exit
// codes are shared: 0 success, 1 a failure of what was measured (a server
// failed, a regression), 2 bad input (config, results files, arguments) or an
// environment that cannot run the benchmark.
#pragma once

#include <CLI/CLI.hpp>

namespace harness {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

void RegisterCommands(CLI::App& app);
int RunSelectedCommand(CLI::App& app);

}  // namespace harness
