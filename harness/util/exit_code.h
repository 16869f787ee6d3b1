// The exit codes of every harness command, in one place (README, "Exit codes"):
//   0      success;
//   1      a failure of what was measured or checked: a server failed, a conformance clause
//          failed, a comparison found a regression, Postgres died during a run;
//   2      bad input (arguments, bench.yaml, results files) or an environment that cannot run
//          (oha missing, Postgres failing to start, the benchmark query failing, a file that
//          cannot be written: any error that escapes a command as an exception);
//   128+N  interrupted by signal N (SIGINT, SIGTERM, SIGHUP), whatever the command was doing.
#pragma once

#include "util/interrupt.h"

namespace harness {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// What the harness exits with after a command returned `code`: an interrupt overrides it, so a
// command need not tell an interrupted wait from its other failures.
inline int ExitCode(int code) {
  int signal = InterruptSignal();
  return signal != 0 ? 128 + signal : code;
}

}  // namespace harness
