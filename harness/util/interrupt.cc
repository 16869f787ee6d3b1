#include "util/interrupt.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <thread>

namespace harness {
namespace {

std::atomic<int> g_signal{0};

}  // namespace

void InstallInterruptHandler() {
  // Blocked in every thread and taken by one sigwait thread, so no
  // async-signal-safety games.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    for (;;) {
      int signal = 0;
      if (sigwait(&set, &signal) == 0) g_signal.store(signal);
    }
  }).detach();
}

int InterruptSignal() { return g_signal.load(); }

}  // namespace harness
