// The fuzzers' committed seeds (harness/fuzz/corpus/), replayed in the ordinary test suite: each
// parser answers every seed with a value or an error, never an exception or a crash. The seeds
// include the inputs that crashed the fuzzers once (number-overflow.json, nul-byte.yaml), so this
// is also their regression test. scripts/fuzz explores from here, with the sanitizers.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"
#include "load/oha.h"
#include "results/results.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(PROJECT_SOURCE_DIR) / "harness/fuzz/corpus";

std::vector<std::pair<std::string, std::string>> Seeds(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> seeds;
  for (const auto& entry : fs::directory_iterator(kCorpus / target)) {
    auto text = ReadFile(entry.path());
    EXPECT_TRUE(text) << entry.path();
    if (text) seeds.emplace_back(entry.path().filename().string(), *text);
  }
  EXPECT_GE(seeds.size(), 5u) << "seeds of " << target;
  return seeds;
}

TEST(FuzzSeeds, ConfigGivesAConfigOrOneLineNamingTheFile) {
  const fs::path name = fs::path(PROJECT_SOURCE_DIR) / "fuzz.yaml";
  for (const auto& [file, text] : Seeds("config")) {
    auto config = ParseConfig(text, name);
    if (config) continue;
    const std::string& message = config.error().message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << file << ": " << message;
    EXPECT_EQ(message.find('\0'), std::string::npos) << file << ": " << message;
    EXPECT_TRUE(message.starts_with(name.string())) << file << ": " << message;
  }
}

TEST(FuzzSeeds, ResultsParseOrFailAndRoundTrip) {
  for (const auto& [file, text] : Seeds("results")) {
    auto results = ParseResults(text, file);
    if (file == "number-overflow.json" || file == "wrong-types.json") {
      EXPECT_FALSE(results) << file << " should be refused";
    }
    if (!results) continue;
    auto again = ParseResults(ToJson(*results), file + " again");
    EXPECT_TRUE(again) << file << ": " << again.error().message;
  }
}

TEST(FuzzSeeds, OhaOutputParsesOrFails) {
  for (const auto& [file, text] : Seeds("oha")) {
    auto m = ParseOhaJson(text, file);
    if (file.starts_with("oha-1.15-")) {
      EXPECT_TRUE(m) << file << ": " << m.error().message;
    }
    if (file == "number-overflow.json" || file == "float-count.json") {
      EXPECT_FALSE(m) << file << " should be refused";
    }
  }
}

}  // namespace
}  // namespace harness
