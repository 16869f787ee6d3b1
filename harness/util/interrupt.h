// SIGINT, SIGTERM and SIGHUP do not kill the harness: they set a flag that
// every wait polls, so the pipeline unwinds through its destructors and stops
// what it started, in order, within seconds.
#pragma once

namespace harness {

// Call once, first thing in main(), before any thread starts.
void InstallInterruptHandler();

// The signal that asked us to stop, or 0.
int InterruptSignal();
inline bool Interrupted() { return InterruptSignal() != 0; }

}  // namespace harness
