// Parsing oha's JSON happens once per measurement; this keeps an eye on it anyway.
#include <benchmark/benchmark.h>

#include "load/oha.h"
#include "util/files.h"

namespace harness {
namespace {

void BM_ParseOhaJson(benchmark::State& state) {
  auto text =
      ReadFile(std::string(PROJECT_SOURCE_DIR) + "/harness/load/testdata/oha-1.15-closed.json");
  for (auto _ : state) benchmark::DoNotOptimize(ParseOhaJson(*text, "fixture"));
}
BENCHMARK(BM_ParseOhaJson);

}  // namespace
}  // namespace harness
