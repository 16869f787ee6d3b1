#include "database.h"

#include <boost/asio/post.hpp>

namespace cpp_beast {
namespace {

namespace asio = boost::asio;

constexpr auto kTick = std::chrono::milliseconds(100);
constexpr auto kRetryInterval = std::chrono::milliseconds(250);

// Whether `result` is a statement stopped by a cancel request. Nothing else here stops one with
// that SQLSTATE: the server sets no statement_timeout, and an administrator's
// pg_cancel_backend() would at worst let a connection be reused with our cancel still on its way.
bool WasCancelled(const PGresult& result) {
  const char* state = PQresultErrorField(&result, PG_DIAG_SQLSTATE);
  return state != nullptr && std::string_view(state) == "57014";  // query_canceled
}

}  // namespace

struct Database::Slot {
  enum class State {
    kDown,        // closed; reopens at `since`
    kConnecting,  // since `since`
    kReady,
    kCancelling,  // a statement timed out at `since`; its answer (or error) is awaited
  };

  Slot(asio::io_context& ioc, PgConnection::Observer& observer, int tag)
      : connection(ioc, observer, tag) {}

  PgConnection connection;
  State state = State::kDown;
  std::deque<Request> in_flight;  // sent here, to be answered in this order
  int to_discard = 0;             // answers due for requests that already had their 503
  bool cancel_pending = false;    // a cancel was sent and no answer has shown it took
  Clock::time_point since;
  Clock::time_point opened;  // when it last became ready
};

Database::Database(asio::io_context& ioc, Options options, DatabaseStatus& status,
                   CancelSink& canceller)
    : ioc_(ioc), options_(std::move(options)), status_(status), canceller_(canceller), tick_(ioc) {
  PgConnection::Observer& observer = *this;
  for (int i = 0; i < options_.connections; ++i) {
    slots_.push_back(std::make_unique<Slot>(ioc, observer, i));
  }
}

Database::~Database() = default;

void Database::Start() {
  for (const std::unique_ptr<Slot>& slot : slots_) StartConnecting(*slot);
  ArmTick();
}

int Database::ready_connections() const {
  int ready = 0;
  for (const std::unique_ptr<Slot>& slot : slots_) ready += slot->state == Slot::State::kReady;
  return ready;
}

void Database::Submit(std::shared_ptr<QueryClient> client, std::uint64_t id, Statement statement,
                      std::string_view param) {
  Request request{std::move(client), id, statement, std::string(param), {}, std::nullopt};
  if (options_.inject_delay.count() > 0) {  // Tested once per request: 0 costs one branch.
    auto timer = std::make_shared<asio::steady_timer>(ioc_, options_.inject_delay);
    timer->async_wait(
        [this, timer, request = std::move(request)](const boost::system::error_code& ec) mutable {
          if (!ec) Enqueue(std::move(request));
        });
    return;
  }
  Enqueue(std::move(request));
}

void Database::Enqueue(Request request) {
  const Clock::time_point now = Clock::now();
  request.deadline = now + options_.timeout;
  for (const std::unique_ptr<Slot>& slot : slots_) {
    if (slot->state == Slot::State::kDown && slot->since <= now) StartConnecting(*slot);
  }
  if (!AnyUsable()) return Fail(std::move(request), "no database connection open");
  if (queue_.size() >= options_.queue_limit) {
    return Fail(std::move(request),
                "request queue full (" + std::to_string(options_.queue_limit) + " waiting)");
  }
  queue_.push_back(std::move(request));
  Dispatch();
  ArmTick();
}

void Database::Dispatch() {
  while (!queue_.empty()) {
    if (queue_.front().client->abandoned()) {
      queue_.pop_front();
      continue;
    }
    Request& request = queue_.front();
    Slot* slot = LeastBusy(request);
    if (slot == nullptr) break;
    if (!slot->connection.Send(request.statement, request.param)) {
      ConnectionBroke(*slot, slot->connection.error());
      continue;
    }
    slot->in_flight.push_back(std::move(request));
    queue_.pop_front();
  }
}

Database::Slot* Database::LeastBusy(const Request& request) {
  Slot* best = nullptr;
  for (const std::unique_ptr<Slot>& slot : slots_) {
    if (slot->state != Slot::State::kReady) continue;
    // A retry goes to a connection opened since the failure: the others may be as stale.
    if (request.retry_after && slot->opened <= *request.retry_after) continue;
    const std::size_t busy = slot->in_flight.size();
    if (busy >= static_cast<std::size_t>(options_.pipeline_depth)) continue;
    if (best == nullptr || busy < best->in_flight.size()) best = slot.get();
  }
  return best;
}

bool Database::AnyUsable() const {
  for (const std::unique_ptr<Slot>& slot : slots_) {
    if (slot->state == Slot::State::kReady || slot->state == Slot::State::kConnecting) return true;
  }
  return false;
}

void Database::StartConnecting(Slot& slot) {
  slot.state = Slot::State::kConnecting;
  slot.since = Clock::now();
  if (!slot.connection.Connect(options_.conninfo)) ConnectFailed(slot, slot.connection.error());
}

void Database::OnReady(PgConnection& connection) {
  Slot& slot = *slots_[connection.tag()];
  slot.state = Slot::State::kReady;
  slot.opened = Clock::now();
  slot.to_discard = 0;
  slot.cancel_pending = false;
  status_.ConnectionUp();
  Dispatch();
  ArmTick();
}

void Database::OnResult(PgConnection& connection, const PGresult& result) {
  Slot& slot = *slots_[connection.tag()];
  if (slot.to_discard > 0) {
    // The answer to a request that timed out. A cancel stops whatever statement runs when it
    // lands, so only an answer it cancelled (SQLSTATE 57014) shows it is spent; the next
    // pipelined statement, running now, is cancelled in turn.
    // (Answers are discarded only while the slot is kCancelling.)
    if (WasCancelled(result)) slot.cancel_pending = false;
    if (--slot.to_discard > 0) {
      if (!slot.cancel_pending) SendCancel(slot);
    } else if (slot.cancel_pending) {
      // The statement ended on its own first: the cancel still on its way could stop the next
      // request's statement, so this connection is not reused (nothing is in flight on it).
      ConnectionBroke(slot, "a cancel was still on its way");
    } else {
      slot.state = Slot::State::kReady;
      Dispatch();
    }
    return;
  }
  if (slot.in_flight.empty()) return;
  Request request = std::move(slot.in_flight.front());
  slot.in_flight.pop_front();
  // Requests already waiting go before anything this answer leads its client to submit.
  Dispatch();
  const bool ok = PQresultStatus(&result) == PGRES_TUPLES_OK;
  if (ok) {
    status_.QueryAnswered();
  } else if (!status_.down()) {
    status_.Refused(std::string("the statement failed: ") + PQresultErrorMessage(&result));
  }
  if (!request.client->abandoned()) request.client->OnQueryDone(request.id, ok ? &result : nullptr);
}

void Database::OnFailed(PgConnection& connection, std::string_view reason) {
  Slot& slot = *slots_[connection.tag()];
  if (slot.state == Slot::State::kConnecting) return ConnectFailed(slot, std::string(reason));
  ConnectionBroke(slot, std::string(reason));
  Dispatch();
}

void Database::ConnectFailed(Slot& slot, std::string reason) {
  slot.state = Slot::State::kDown;
  slot.since = Clock::now() + kRetryInterval;
  status_.ConnectFailed(reason);
  if (!AnyUsable()) FailQueue(reason);
  ArmTick();
}

void Database::ConnectionBroke(Slot& slot, std::string reason) {
  slot.connection.Close();
  std::deque<Request> lost = std::move(slot.in_flight);
  slot.in_flight.clear();
  slot.state = Slot::State::kDown;
  slot.to_discard = 0;
  status_.ConnectionLost();
  // An open connection that breaks has most likely met a database restart: what it lost is
  // retried once on a fresh connection, first in line and in order, and it reopens at once.
  const Clock::time_point now = Clock::now();
  for (auto it = lost.rbegin(); it != lost.rend(); ++it) {
    if (!it->retry_after) {
      it->retry_after = now;
      queue_.push_front(std::move(*it));
    } else {
      Fail(std::move(*it), reason);
    }
  }
  StartConnecting(slot);
  if (!AnyUsable()) FailQueue(reason);
  ArmTick();
}

void Database::TimeOut(Slot& slot) {
  const std::string reason = "no answer from the database within " +
                             std::to_string(options_.timeout.count()) +
                             " ms; the statement was cancelled";
  status_.QueryTimedOut(reason);
  for (Request& request : slot.in_flight) Fail(std::move(request), reason);
  slot.to_discard = static_cast<int>(slot.in_flight.size());
  slot.in_flight.clear();
  SendCancel(slot);
  slot.state = Slot::State::kCancelling;
  slot.since = Clock::now();
}

void Database::SendCancel(Slot& slot) {
  slot.connection.Cancel(canceller_);
  slot.cancel_pending = true;
}

void Database::Fail(Request request, std::string_view reason) {
  // While the database is down its log line gives the reason; otherwise this one does.
  if (!status_.down()) status_.Refused(reason);
  asio::post(ioc_, [request = std::move(request)] {
    if (!request.client->abandoned()) request.client->OnQueryDone(request.id, nullptr);
  });
}

void Database::FailQueue(std::string_view reason) {
  while (!queue_.empty()) {
    Request request = std::move(queue_.front());
    queue_.pop_front();
    Fail(std::move(request), reason);
  }
}

void Database::ArmTick() {
  if (tick_armed_) return;
  bool needed = !queue_.empty();
  for (const std::unique_ptr<Slot>& slot : slots_) {
    needed = needed || slot->state != Slot::State::kReady || !slot->in_flight.empty();
  }
  if (!needed) return;
  tick_armed_ = true;
  tick_.expires_after(kTick);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // Only cancelled when this object goes away.
    tick_armed_ = false;
    OnTick();
  });
}

void Database::OnTick() {
  const Clock::time_point now = Clock::now();
  for (const std::unique_ptr<Slot>& slot : slots_) {
    switch (slot->state) {
      case Slot::State::kReady:
        if (!slot->in_flight.empty() && slot->in_flight.front().deadline <= now) TimeOut(*slot);
        break;
      case Slot::State::kCancelling:
        if (now - slot->since >= options_.timeout) {
          ConnectionBroke(*slot, "a cancelled statement did not end");
        }
        break;
      case Slot::State::kConnecting:
        if (now - slot->since >= options_.connect_timeout) {
          slot->connection.Close();
          ConnectFailed(*slot, "no answer from the database within " +
                                   std::to_string(options_.connect_timeout.count()) +
                                   " ms while connecting");
        }
        break;
      case Slot::State::kDown:
        if (slot->since <= now) StartConnecting(*slot);
        break;
    }
  }
  while (!queue_.empty() && queue_.front().deadline <= now) {
    Request request = std::move(queue_.front());
    queue_.pop_front();
    Fail(std::move(request), "no database connection free within " +
                                 std::to_string(options_.timeout.count()) + " ms (" +
                                 std::to_string(queue_.size()) + " more waiting)");
  }
  Dispatch();
  ArmTick();
}

}  // namespace cpp_beast
