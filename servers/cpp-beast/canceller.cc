#include "canceller.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace cpp_beast {
namespace {

constexpr std::size_t kMaxWaiting = 64;

}  // namespace

// Shared with the thread, so that a thread still blocked in PQcancel when the Canceller goes
// away keeps what it uses.
struct Canceller::State {
  std::mutex mu;
  std::condition_variable wake;
  std::deque<PGcancel*> waiting;  // Guarded by mu.
  bool stopping = false;          // Guarded by mu.
};

Canceller::Canceller() : state_(std::make_shared<State>()) {
  std::thread([state = state_] {
    std::unique_lock<std::mutex> lock(state->mu);
    for (;;) {
      state->wake.wait(lock, [&] { return state->stopping || !state->waiting.empty(); });
      if (state->stopping) break;
      PGcancel* cancel = state->waiting.front();
      state->waiting.pop_front();
      lock.unlock();
      char error[256];
      // A failed cancel changes nothing for the caller: its request has had its 503 already,
      // and the connection is dropped if the statement does not end.
      PQcancel(cancel, error, sizeof error);
      PQfreeCancel(cancel);
      lock.lock();
    }
    for (PGcancel* cancel : state->waiting) PQfreeCancel(cancel);
    state->waiting.clear();
  }).detach();
}

Canceller::~Canceller() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
  }
  state_->wake.notify_one();
}

void Canceller::Cancel(PGcancel* cancel) {
  if (cancel == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->stopping && state_->waiting.size() < kMaxWaiting) {
      state_->waiting.push_back(cancel);
      cancel = nullptr;
    }
  }
  if (cancel != nullptr) {
    PQfreeCancel(cancel);
  } else {
    state_->wake.notify_one();
  }
}

}  // namespace cpp_beast
