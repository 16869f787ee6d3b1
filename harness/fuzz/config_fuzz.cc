// libFuzzer target: bench.yaml parsing. Any input must give a Config or a one-line error naming
// the file, never a crash, a hang or undefined behaviour. Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Relative server folders resolve against the project root, so good seeds load whole.
  static const std::filesystem::path kName =
      std::filesystem::path(PROJECT_SOURCE_DIR) / "fuzz.yaml";
  auto config = harness::ParseConfig(std::string(reinterpret_cast<const char*>(data), size), kName);
  if (!config) {
    const std::string& message = config.error().message;
    // The contract of every config error (README, bench.yaml): one line, naming the file.
    if (message.find('\n') != std::string::npos || message.rfind(kName.string(), 0) != 0) {
      std::fprintf(stderr, "not a one-line error naming the file: %s\n", message.c_str());
      std::abort();
    }
  }
  return 0;
}
