// The report's medians run over every measurement of every run compared; keep them cheap.
#include <benchmark/benchmark.h>

#include <random>

#include "stats/stats.h"

namespace harness {
namespace {

void BM_Median(benchmark::State& state) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> dist(0.1, 100.0);
  std::vector<double> values(state.range(0));
  for (double& v : values) v = dist(rng);
  for (auto _ : state) benchmark::DoNotOptimize(Median(values));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Median)->Arg(5)->Arg(100)->Arg(10'000);

}  // namespace
}  // namespace harness
