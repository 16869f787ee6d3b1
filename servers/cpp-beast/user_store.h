// The one query the benchmark serves, over a pool of long-lived PostgreSQL
// connections.
#ifndef SERVERS_CPP_BEAST_USER_STORE_H_
#define SERVERS_CPP_BEAST_USER_STORE_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cpp_beast {

// Returns `url` with connect_timeout=2 added unless it already sets one, so
// an unreachable host fails a request in seconds instead of hanging it. Works
// for both postgres:// URIs and key=value strings.
std::string WithConnectTimeout(const std::string& url);

// Appends `{"user_id":…,"username":…,"email":…}` to `*out`, in that key order.
void AppendUserObject(std::string_view user_id, std::string_view username, std::string_view email,
                      std::string* out);

// A fixed pool of `pool_size` connections to `database_url`, each prepared
// with the users query. Connections open lazily and are dropped on any
// failure. A query that fails on a connection opened earlier is retried once
// on a fresh one, so a database restart costs no error. A slot whose connect
// attempt failed waits 250 ms before trying again, so a dead database costs a
// fast refusal rather than a connect attempt per request. A watchdog thread
// breaks any query that runs longer than `query_timeout` (a stopped or
// partitioned database server), so a call never hangs.
//
// Thread-safe. A call holds one connection for the length of one query and
// blocks if all are busy, so callers should be at most `pool_size` threads.
class UserStore {
 public:
  UserStore(const std::string& database_url, int pool_size,
            std::chrono::milliseconds query_timeout = std::chrono::seconds(2));
  ~UserStore();
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // Runs the query and appends the JSON array of users to `*out`. Returns
  // false, leaving `*out` unchanged, if the database cannot answer.
  bool AppendUsersJson(std::string* out);

  // Tries to connect every idle slot now; returns how many are connected.
  // Lets a server pay connection setup before its first request.
  int Connect();

  // Makes every query in flight fail now, so threads blocked on the database
  // return promptly (at shutdown).
  void InterruptQueries();

 private:
  struct Slot;

  Slot* Acquire();
  void Release(Slot* slot);
  // Breaks queries in flight that started before `deadline`.
  void BreakQueriesStartedBefore(std::chrono::steady_clock::time_point deadline);
  void WatchQueries();

  const std::string conninfo_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::mutex mu_;
  std::condition_variable slot_freed_;
  std::vector<Slot*> idle_;  // Guarded by mu_.
  bool stopping_ = false;    // Guarded by mu_.
  std::condition_variable stop_;
  const std::chrono::milliseconds query_timeout_;
  std::thread watchdog_;  // Last: starts once everything above exists.
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_USER_STORE_H_
