// Cancel requests for statements that ran past their deadline. PQcancel blocks (it opens a
// connection of its own to the server and waits for the server to close it, however long a hung
// server takes), so it runs here, on a thread of its own, and no event loop waits on it.
#ifndef SERVERS_CPP_BEAST_CANCELLER_H_
#define SERVERS_CPP_BEAST_CANCELLER_H_

#include <libpq-fe.h>

#include <memory>

namespace cpp_beast {

// Where a Database sends its cancel requests: Canceller in the server; tests hold one back to
// play a cancel that lands late.
class CancelSink {
 public:
  // Sends `cancel` (from PQgetCancel) some time later, and frees it.
  virtual void Cancel(PGcancel* cancel) = 0;

 protected:
  ~CancelSink() = default;
};

class Canceller final : public CancelSink {
 public:
  Canceller();
  // Does not wait for a cancel in progress: a hung server may hold it for good. The thread
  // finishes on its own, or with the process.
  ~Canceller();
  Canceller(const Canceller&) = delete;
  Canceller& operator=(const Canceller&) = delete;

  // Sends `cancel` (from PQgetCancel) and frees it. Thread-safe. Beyond a few dozen waiting, new
  // ones are dropped: a server that lets them pile up is not answering them either.
  void Cancel(PGcancel* cancel) override;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_CANCELLER_H_
