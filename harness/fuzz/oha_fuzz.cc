// libFuzzer target: oha's --output-format json, as the harness reads it after every measurement.
// Any input must give a measurement or an error, never a crash or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "load/oha.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m =
      harness::ParseOhaJson(std::string(reinterpret_cast<const char*>(data), size), "oha.json");
  (void)m;
  return 0;
}
