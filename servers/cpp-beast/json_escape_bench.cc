// WriteJsonEscaped writes every string of the GET / document. Clean text (all of the seed's)
// takes the 8-bytes-at-a-time scan; text with escapes falls back to one escape at a time.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "json_escape.h"

namespace cpp_beast {
namespace {

std::string CleanText(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; i < size; ++i) text.push_back("0123456789abcdef-"[i % 17]);
  return text;
}

// Two escapes in every 8 bytes: a quote and a backslash.
std::string EscapingText(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; i < size; ++i) text.push_back("ab\"cdef\\"[i % 8]);
  return text;
}

void RunWriteJsonEscaped(benchmark::State& state, const std::string& text) {
  std::vector<char> out(MaxJsonEscapedSize(text.size()));
  for (auto _ : state) {
    char* end = WriteJsonEscaped(text, out.data());
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

// 8 bytes is about a username, 36 a user_id.
void BM_WriteJsonEscapedClean(benchmark::State& state) {
  RunWriteJsonEscaped(state, CleanText(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_WriteJsonEscapedClean)->Arg(8)->Arg(36)->Arg(1024);

void BM_WriteJsonEscapedEscaping(benchmark::State& state) {
  RunWriteJsonEscaped(state, EscapingText(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_WriteJsonEscapedEscaping)->Arg(8)->Arg(36)->Arg(1024);

}  // namespace
}  // namespace cpp_beast
