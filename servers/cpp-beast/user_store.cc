#include "user_store.h"

#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <optional>
#include <pqxx/pqxx>
#include <utility>

#include "json_escape.h"

namespace cpp_beast {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kQueryName[] = "users";
constexpr char kQuery[] =
    R"(SELECT user_id, username, email FROM "user" ORDER BY user_id LIMIT 100)";
constexpr auto kRetryInterval = std::chrono::milliseconds(250);
constexpr auto kWatchInterval = std::chrono::milliseconds(100);

// Takes the iterator itself: dereferencing one copies the field.
std::string_view View(const pqxx::row::const_iterator& field) {
  return std::string_view(field->c_str(), field->size());
}

// A live connection with the query prepared, and one nontransaction kept open
// for its whole life. Reusing the nontransaction is what makes a request a
// single round trip: libpqxx 6 polls the socket for notifications (an extra
// recv) whenever a transaction object begins or ends. A nontransaction sends
// no BEGIN/COMMIT.
struct Link {
  explicit Link(const std::string& conninfo) : conn(conninfo) {}

  // Prepares now rather than on first use, so a bad schema shows up as a
  // failed connect and the first request pays no extra round trip.
  void Prepare() {
    conn.prepare(kQueryName, kQuery);
    conn.prepare_now(kQueryName);
    txn.emplace(conn);
  }

  pqxx::connection conn;
  std::optional<pqxx::nontransaction> txn;  // After conn: must close first.
};

}  // namespace

struct UserStore::Slot {
  // Connects unless connected or inside the retry interval; true if usable.
  bool EnsureConnected(const std::string& conninfo);

  // Runs `work` on `socket` under the watchdog's eye. Returns false if the
  // watchdog broke the socket meanwhile.
  template <typename Work>
  bool Watched(int socket, Work&& work);

  // Called by the watchdog: breaks the round trip in flight, if it started
  // before `deadline`.
  void BreakIfStartedBefore(Clock::time_point deadline);

  std::unique_ptr<Link> link;
  Clock::time_point next_attempt{};

  // The watchdog's view of the round trip in flight. Under a mutex rather
  // than in atomics so the watchdog can never shut down a socket number that
  // was closed and reused in between.
  std::mutex watch_mu;
  int busy_socket = -1;          // Guarded by watch_mu.
  Clock::time_point busy_since;  // Guarded by watch_mu.
  bool broken = false;           // Guarded by watch_mu.
};

bool UserStore::Slot::EnsureConnected(const std::string& conninfo) {
  if (link) return true;
  const Clock::time_point now = Clock::now();
  if (now < next_attempt) return false;
  try {
    // Connecting is bounded by connect_timeout; preparing is a round trip
    // that could hang like any query, so it is watched.
    auto fresh = std::make_unique<Link>(conninfo);
    if (Watched(fresh->conn.sock(), [&] { fresh->Prepare(); })) {
      link = std::move(fresh);
      return true;
    }
  } catch (const std::exception&) {
  }
  next_attempt = now + kRetryInterval;
  return false;
}

template <typename Work>
bool UserStore::Slot::Watched(int socket, Work&& work) {
  {
    std::lock_guard<std::mutex> lock(watch_mu);
    busy_socket = socket;
    busy_since = Clock::now();
    broken = false;
  }
  struct Unwatch {
    ~Unwatch() {
      std::lock_guard<std::mutex> lock(slot->watch_mu);
      slot->busy_socket = -1;
    }
    Slot* slot;
  } unwatch{this};
  work();
  std::lock_guard<std::mutex> lock(watch_mu);
  return !broken;
}

void UserStore::Slot::BreakIfStartedBefore(Clock::time_point deadline) {
  std::lock_guard<std::mutex> lock(watch_mu);
  if (busy_socket >= 0 && busy_since < deadline && !broken) {
    // Wakes libpq's blocking poll with an EOF, so the round trip fails as a
    // broken connection.
    ::shutdown(busy_socket, SHUT_RDWR);
    broken = true;
  }
}

std::string WithConnectTimeout(const std::string& url) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  const bool is_uri = url.starts_with("postgres://") || url.starts_with("postgresql://");
  if (is_uri) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=2";
  }
  return url.empty() ? "connect_timeout=2" : url + " connect_timeout=2";
}

void AppendUserObject(std::string_view user_id, std::string_view username, std::string_view email,
                      std::string* out) {
  static constexpr std::string_view kOpen = R"({"user_id":")";
  static constexpr std::string_view kUsername = R"(","username":")";
  static constexpr std::string_view kEmail = R"(","email":")";
  static constexpr std::string_view kClose = R"("})";
  const std::size_t old_size = out->size();
  // One resize and raw writes instead of a dozen appends: the fixed pieces
  // then compile to plain moves. This is most of the CPU GET / spends in
  // user space.
  out->resize(old_size + kOpen.size() + kUsername.size() + kEmail.size() + kClose.size() +
              MaxJsonEscapedSize(user_id.size() + username.size() + email.size()));
  char* p = out->data() + old_size;
  const auto put = [&p](std::string_view piece) {
    std::memcpy(p, piece.data(), piece.size());
    p += piece.size();
  };
  put(kOpen);
  p = WriteJsonEscaped(user_id, p);
  put(kUsername);
  p = WriteJsonEscaped(username, p);
  put(kEmail);
  p = WriteJsonEscaped(email, p);
  put(kClose);
  out->resize(static_cast<std::size_t>(p - out->data()));
}

UserStore::UserStore(const std::string& database_url, int pool_size,
                     std::chrono::milliseconds query_timeout)
    : conninfo_(WithConnectTimeout(database_url)), query_timeout_(query_timeout) {
  for (int i = 0; i < pool_size; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    idle_.push_back(slots_.back().get());
  }
  watchdog_ = std::thread([this] { WatchQueries(); });
}

UserStore::~UserStore() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_.notify_all();
  watchdog_.join();
}

void UserStore::WatchQueries() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_.wait_for(lock, kWatchInterval, [this] { return stopping_; })) {
    lock.unlock();
    BreakQueriesStartedBefore(Clock::now() - query_timeout_);
    lock.lock();
  }
}

void UserStore::InterruptQueries() { BreakQueriesStartedBefore(Clock::time_point::max()); }

void UserStore::BreakQueriesStartedBefore(Clock::time_point deadline) {
  for (const std::unique_ptr<Slot>& slot : slots_) slot->BreakIfStartedBefore(deadline);
}

UserStore::Slot* UserStore::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  slot_freed_.wait(lock, [this] { return !idle_.empty(); });
  Slot* slot = idle_.back();
  idle_.pop_back();
  return slot;
}

void UserStore::Release(Slot* slot) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(slot);
  }
  slot_freed_.notify_one();
}

bool UserStore::AppendUsersJson(std::string* out) {
  Slot* slot = Acquire();
  bool ok = false;
  for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
    const bool was_open = slot->link != nullptr;
    if (!slot->EnsureConnected(conninfo_)) break;
    const std::size_t start = out->size();
    bool timed_out = false;
    try {
      pqxx::result rows;
      timed_out = !slot->Watched(slot->link->conn.sock(),
                                 [&] { rows = slot->link->txn->exec_prepared(kQueryName); });
      if (!timed_out) {
        out->push_back('[');
        // Iterators and ->, because libpqxx 6's operator* and operator[] copy
        // a row or field, and each copy bumps two shared_ptr reference counts.
        for (auto row = rows.begin(); row != rows.end(); ++row) {
          if (out->size() > start + 1) out->push_back(',');
          pqxx::row::const_iterator field = row->begin();
          const std::string_view user_id = View(field);
          ++field;
          const std::string_view username = View(field);
          ++field;
          AppendUserObject(user_id, username, View(field), out);
        }
        out->push_back(']');
        ok = true;
      }
    } catch (const std::exception&) {
      out->resize(start);
      // The watchdog may have fired just as the query failed on its own.
      std::lock_guard<std::mutex> lock(slot->watch_mu);
      timed_out = slot->broken;
    }
    if (ok) break;
    slot->link.reset();
    // A hung server would hold the next connect for its whole timeout;
    // answer fast for a while instead.
    if (timed_out) slot->next_attempt = Clock::now() + kRetryInterval;
    // A connection opened before this call earns one retry: it may just be
    // stale from a database restart. A timed-out one does not: the database
    // is hung, and the caller has waited long enough.
    if (!was_open || timed_out) break;
  }
  Release(slot);
  return ok;
}

int UserStore::Connect() {
  std::vector<Slot*> taken;
  {
    std::lock_guard<std::mutex> lock(mu_);
    taken.swap(idle_);
  }
  int connected = 0;
  for (Slot* slot : taken) {
    // One failure means the database is down; don't wait out every slot.
    if (!slot->EnsureConnected(conninfo_)) break;
    ++connected;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.insert(idle_.end(), taken.begin(), taken.end());
  }
  slot_freed_.notify_all();
  return connected;
}

}  // namespace cpp_beast
