// The sampler parses /proc for every tree member every interval; its cost is the harness's
// overhead during a measurement (target: under 1% of a core).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include "util/files.h"
#include "util/proc.h"

namespace harness {
namespace {

constexpr const char* kStat =
    "12345 (python3 (uvicorn)) S 1 12345 12345 0 -1 4194560 52000 0 12 0 1234 567 0 0 20 0 41 "
    "0 987654 812345678 20480 18446744073709551615 1 1 0 0 0 0 0 16781312 16386 0 0 0 17 1 0 0 "
    "0 0 0 0 0 0 0 0 0 0 0";

void BM_ParseProcStat(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseProcStat(kStat));
}
BENCHMARK(BM_ParseProcStat);

void BM_ParseVmRss(benchmark::State& state) {
  auto status = ReadFile("/proc/self/status");
  std::string text = status ? *status : "";
  for (auto _ : state) benchmark::DoNotOptimize(ParseVmRssKib(text));
}
BENCHMARK(BM_ParseVmRss);

// What one sample of one process costs, reading the real files.
void BM_ReadOwnStatAndRss(benchmark::State& state) {
  for (auto _ : state) {
    auto text = ReadFile("/proc/self/stat");
    benchmark::DoNotOptimize(ParseProcStat(*text));
    benchmark::DoNotOptimize(ReadVmRssKib(getpid()));
  }
}
BENCHMARK(BM_ReadOwnStatAndRss);

void BM_ProcessTreeOfAllProcesses(benchmark::State& state) {
  auto all = ReadAllProcesses();
  for (auto _ : state) benchmark::DoNotOptimize(ProcessTree(1, all));
  state.counters["processes"] = static_cast<double>(all.size());
}
BENCHMARK(BM_ProcessTreeOfAllProcesses);

}  // namespace
}  // namespace harness
