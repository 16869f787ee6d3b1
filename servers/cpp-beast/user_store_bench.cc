// Rendering the 100 rows of GET / into the response body: AppendUserObject per row, in the loop
// of UserStore::AppendUsersJson (see AppendUsersJsonFromRows), into a body reserved as a
// session reserves it. No database: libpqxx's per-field accessors, which the real loop also
// pays, are left out.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "seed_users_bench.h"
#include "session_limits.h"
#include "user_store.h"

namespace cpp_beast {
namespace {

void RunUsersJson(benchmark::State& state, std::span<const SeedUser> rows) {
  std::string body;
  body.reserve(kBodyReserve);
  for (auto _ : state) {
    body.clear();
    AppendUsersJsonFromRows(rows, &body);
    benchmark::DoNotOptimize(body.data());
    benchmark::ClobberMemory();
  }
  // Per document: the rows in, the body's bytes out.
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

// The seed's rows, all clean: every string takes the escaper's 8-bytes-at-a-time path.
void BM_UsersJson(benchmark::State& state) {
  std::string check;
  AppendUsersJsonFromRows(kSeedUsers, &check);
  if (check.size() != kSeedUsersJsonSize) {
    state.SkipWithError("the seed rows no longer render to the document GET / serves");
    return;
  }
  RunUsersJson(state, kSeedUsers);
}
BENCHMARK(BM_UsersJson);

// The same rows with five escapes each: username `"userN"\` and a tab, email ending in a
// control byte (\u001f), so the escaper's slow path runs for two strings out of three.
void BM_UsersJsonEscaping(benchmark::State& state) {
  std::vector<std::string> storage;
  storage.reserve(2 * std::size(kSeedUsers));
  std::vector<SeedUser> rows;
  for (const SeedUser& user : kSeedUsers) {
    std::string& username = storage.emplace_back("\"");
    username.append(user.username).append("\"\\\t");
    std::string& email = storage.emplace_back(user.email);
    email.push_back('\x1f');
    rows.push_back({user.user_id, username, email});
  }
  RunUsersJson(state, rows);
}
BENCHMARK(BM_UsersJsonEscaping);

}  // namespace
}  // namespace cpp_beast
