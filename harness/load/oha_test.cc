#include "load/oha.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "util/files.h"

namespace harness {
namespace {

// Real outputs of oha 1.15.0 against the C++ server (see testdata/).
LoadFigures Fixture(const std::string& name) {
  std::string path = std::string(PROJECT_SOURCE_DIR) + "/harness/load/testdata/" + name;
  auto text = ReadFile(path);
  EXPECT_TRUE(text) << text.error().message;
  auto m = ParseOhaJson(*text, path);
  EXPECT_TRUE(m) << m.error().message;
  return m ? *m : LoadFigures{};
}

TEST(OhaTest, ParsesAClosedLoopRun) {
  LoadFigures m = Fixture("oha-1.15-closed.json");
  EXPECT_EQ(m.requests, 300);
  EXPECT_EQ(m.successes, 300);
  EXPECT_EQ(m.status_codes.at("200"), 300);
  EXPECT_DOUBLE_EQ(m.success_rate, 1.0);
  EXPECT_NEAR(m.duration_s, 0.084721981, 1e-12);
  EXPECT_NEAR(m.rps, 300 / 0.084721981, 1e-6);
  EXPECT_DOUBLE_EQ(m.bytes_per_request, 10283);
  ASSERT_TRUE(m.latency.p50 && m.latency.p99 && m.latency.p999 && m.latency.max);
  EXPECT_NEAR(*m.latency.p50, 1.900282, 1e-9);
  EXPECT_NEAR(*m.latency.p99, 11.1619, 1e-9);
  EXPECT_NEAR(*m.latency.max, 14.70561, 1e-9);
  EXPECT_TRUE(m.errors.empty());
}

TEST(OhaTest, CountsErrorsButNotTheDeadlineCutOff) {
  // The server was killed half-way through a -z run.
  LoadFigures m = Fixture("oha-1.15-server-died.json");
  EXPECT_EQ(m.successes, 7394);
  EXPECT_EQ(m.errors.at("Connection refused (os error 111)"), 31179);
  EXPECT_EQ(m.errors.at("aborted due to deadline"), 4);
  EXPECT_EQ(m.requests, 7394 + 31179 + 2);
  EXPECT_LT(m.success_rate, 0.2);
  EXPECT_NEAR(m.rps, 7394 / m.duration_s, 1e-9);
}

TEST(OhaTest, NullPercentilesWhenNothingSucceeded) {
  LoadFigures m = Fixture("oha-1.15-all-failed.json");
  EXPECT_EQ(m.successes, 0);
  EXPECT_EQ(m.requests, 20);
  EXPECT_EQ(m.rps, 0);
  EXPECT_FALSE(m.latency.p50);
  EXPECT_FALSE(m.latency.p99);
  EXPECT_FALSE(m.latency.max);
  EXPECT_EQ(m.bytes_per_request, 0);
}

TEST(OhaTest, RejectsWhatIsNotOhaOutput) {
  EXPECT_FALSE(ParseOhaJson("", "x.json"));
  EXPECT_FALSE(ParseOhaJson("{\"summary\": {", "x.json"));
  auto foreign = ParseOhaJson("{\"hello\": 1}", "x.json");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().message.rfind("x.json: unexpected oha output", 0), 0u);
}

TEST(OhaTest, LatencyIsOfSuccessfulResponsesOnly) {
  // Every tenth request got a 500 after 20 ms more: the percentiles of all responses and of the
  // 2xx ones differ from p90 up (oha -n 200 -c 4 --stats-success-breakdown).
  LoadFigures m = Fixture("oha-1.15-mixed-500.json");
  EXPECT_EQ(m.successes, 180);
  EXPECT_EQ(m.status_codes.at("500"), 20);
  ASSERT_TRUE(m.latency.p50 && m.latency.p99 && m.latency.max && m.latency.mean);
  EXPECT_NEAR(*m.latency.p99, 51.987225, 1e-9);  // all responses: 72.04
  EXPECT_NEAR(*m.latency.p50, 44.002307, 1e-9);
  EXPECT_NEAR(*m.latency.max, 52.005279, 1e-6);     // the slowest 2xx, not the slowest 500
  EXPECT_NEAR(*m.latency.mean, 46.49461159, 1e-6);  // every response: Little's law counts all
  EXPECT_TRUE(m.warnings.empty());
}

TEST(OhaTest, NoBreakdownAndSomeErrorsMeansNoLatency) {
  auto text =
      ReadFile(std::string(PROJECT_SOURCE_DIR) + "/harness/load/testdata/oha-1.15-mixed-500.json");
  ASSERT_TRUE(text);
  auto doc = nlohmann::json::parse(*text);
  doc.erase("latencyPercentilesSuccessful");
  auto m = ParseOhaJson(doc.dump(), "x.json");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_FALSE(m->latency.p50);
  EXPECT_FALSE(m->latency.p99);
  ASSERT_EQ(m->warnings.size(), 1u);
  EXPECT_NE(m->warnings[0].find("--stats-success-breakdown"), std::string::npos);
}

TEST(OhaTest, TheCommandLineIsWhatRuns) {
  Scenario closed;
  closed.requests = 50000;
  closed.keepalive = false;
  EXPECT_EQ(OhaCommandLine(SpecOf(closed)),
            "oha -n 50000 -c 10 --disable-keepalive --stats-success-breakdown --no-tui "
            "--output-format json http://127.0.0.1:$PORT/");
  Scenario corrected = closed;
  corrected.rate = 10000;
  corrected.latency_correction = true;
  EXPECT_EQ(OhaCommandLine(SpecOf(corrected)),
            "oha -n 50000 -c 10 --disable-keepalive --latency-correction -q 10000 "
            "--stats-success-breakdown --no-tui --output-format json http://127.0.0.1:$PORT/");
  Scenario timed;
  timed.duration = std::chrono::seconds(10);
  timed.rate = 100;
  // -w included: the printed command is the one that runs, argument for argument.
  std::vector<std::string> args = OhaArguments(SpecOf(timed), 8000);
  std::string line = OhaCommandLine(SpecOf(timed));
  EXPECT_EQ(line,
            "oha -z 10s -c 10 -q 100 -w --stats-success-breakdown --no-tui --output-format json "
            "http://127.0.0.1:$PORT/");
  std::string joined;
  for (const std::string& a : args) joined += (joined.empty() ? "" : " ") + a;
  EXPECT_EQ(joined, line.substr(0, line.find("$PORT")) + "8000/");
}

TEST(OhaTest, TheInstalledOhaIsRecentEnough) {
  auto version = CheckOhaVersion();
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, "1.15.0");
}

}  // namespace
}  // namespace harness
