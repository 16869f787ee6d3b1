#include "report/select.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

Measurement Point(std::string server, std::string level, bool valid, double rps,
                  int repetition = 1) {
  Measurement m;
  m.server = std::move(server);
  m.scenario = "s";
  m.level = *Level::Parse(level);
  m.valid = valid;
  m.rps = rps;
  m.repetition = repetition;
  return m;
}

TEST(ReportSelectTest, ListedServersFirstThenMeasuredOnes) {
  RunResults results;
  results.servers.resize(2);
  results.servers[0].name = "b";
  results.servers[1].name = "a";
  results.measurements = {Point("c", "", true, 1), Point("a", "", true, 1)};
  EXPECT_EQ(ServerOrder(results), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(FindServer(results, "a"), &results.servers[1]);
  EXPECT_EQ(FindServer(results, "c"), nullptr);
}

TEST(ReportSelectTest, ValuesComeOnlyFromValidPoints) {
  RunResults results;
  results.measurements = {Point("a", "", true, 10, 1), Point("a", "", false, 99, 2),
                          Point("a", "0.50", true, 5, 1)};
  auto points = Select(results, "a", "s");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_TRUE(AnyValid(points));
  auto rps = [](const Measurement& m) -> std::optional<double> { return m.rps; };
  EXPECT_EQ(ValidValues(points, rps), std::vector<double>{10});
  EXPECT_FALSE(AnyValid({points[1]}));
  EXPECT_EQ(Repetitions(results), 2);
}

TEST(ReportSelectTest, SweepLevelsInLoadOrder) {
  RunResults results;
  for (const char* level : {"0.9", "", "0.25", "saturation", "0.5", "0.25"}) {
    results.measurements.push_back(Point("a", level, true, 1));
  }
  EXPECT_EQ(SweepLevels(results, "s"),
            (std::vector<Level>{Level::Saturation(), Level::Fraction(0.25), Level::Fraction(0.5),
                                Level::Fraction(0.9)}));
  EXPECT_TRUE(SweepLevels(results, "other").empty());
}

}  // namespace
}  // namespace harness
