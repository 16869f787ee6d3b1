// The subcommands of the harness CLI, one file each (db_command.cc, ...), and the one way the
// harness ends: every command's result, and every exception that escapes it, goes through
// RunCommandLine, so that what the command started is stopped as the stack unwinds.
#pragma once

namespace harness {

// Exit codes, shared: 0 success, 1 a failure of what was measured (a server failed, a
// regression), 2 bad input (config, results files, arguments) or an environment that cannot run
// the benchmark.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Parses the command line, runs the chosen command and returns the exit code.
int RunCommandLine(int argc, char** argv);

}  // namespace harness
