// libFuzzer target: results.json parsing (`harness report` and `harness compare` read files they
// did not write). Any input must give results or an error, never a crash or undefined behaviour;
// what parses must survive a round trip through ToJson.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "results/results.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto results =
      harness::ParseResults(std::string(reinterpret_cast<const char*>(data), size), "results.json");
  if (results) {
    auto again = harness::ParseResults(harness::ToJson(*results), "round trip");
    if (!again) {
      std::fprintf(stderr, "written back, not read again: %s\n", again.error().message.c_str());
      std::abort();
    }
  }
  return 0;
}
