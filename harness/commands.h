// The subcommands of the harness CLI, one file each (db_command.cc, ...), and the one way the
// harness ends: every command's result, and every exception that escapes it, goes through
// RunCommandLine, so that what the command started is stopped as the stack unwinds and the exit
// code follows the one policy of util/exit_code.h.
#pragma once

#include "util/exit_code.h"

namespace harness {

// Parses the command line, runs the chosen command and returns the exit code.
int RunCommandLine(int argc, char** argv);

}  // namespace harness
