// Rendering the 100 rows of GET / into the response body from a libpq result, as the request
// handler does (AppendUsersJson), into a body reserved as the handler reserves it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "seed_users.h"
#include "session_limits.h"
#include "users_json.h"

namespace cpp_beast {
namespace {

void RunUsersJson(benchmark::State& state, const PGresult& rows) {
  std::string body;
  body.reserve(kBodyReserve);
  for (auto _ : state) {
    body.clear();
    AppendUsersJson(rows, &body);
    benchmark::DoNotOptimize(body.data());
    benchmark::ClobberMemory();
  }
  // Per document: the rows in, the body's bytes out.
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * PQntuples(&rows)));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

// The seed's rows, all clean: every string takes the escaper's 8-bytes-at-a-time path.
void BM_UsersJson(benchmark::State& state) {
  const PGresultPtr rows = MakeUsersResult(kSeedUsers);
  std::string check;
  AppendUsersJson(*rows, &check);
  if (check.size() != kSeedUsersJsonSize) {
    state.SkipWithError("the seed rows no longer render to the document GET / serves");
    return;
  }
  RunUsersJson(state, *rows);
}
BENCHMARK(BM_UsersJson);

// The same rows with five escapes each: username `"userN"\` and a tab, email ending in a
// control byte (\u001f), so the escaper's slow path runs for two strings out of three.
void BM_UsersJsonEscaping(benchmark::State& state) {
  std::vector<std::string> storage;
  storage.reserve(2 * std::size(kSeedUsers));
  std::vector<SeedUser> users;
  for (const SeedUser& user : kSeedUsers) {
    std::string& username = storage.emplace_back("\"");
    username.append(user.username).append("\"\\\t");
    std::string& email = storage.emplace_back(user.email);
    email.push_back('\x1f');
    users.push_back({user.user_id, username, email});
  }
  RunUsersJson(state, *MakeUsersResult(users));
}
BENCHMARK(BM_UsersJsonEscaping);

}  // namespace
}  // namespace cpp_beast
