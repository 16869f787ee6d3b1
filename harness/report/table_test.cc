#include "report/table.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(ReportTableTest, AlignsColumnsByCodePoints) {
  EXPECT_EQ(RenderTable({{"Metric", Align::kLeft}, {"a"}, {"bb"}},
                        {{"Throughput", "9740", "–"}, {"x", "1"}}),
            "| Metric     |    a |  bb |\n"
            "| :--------- | ---: | --: |\n"
            "| Throughput | 9740 |   – |\n"
            "| x          |    1 |     |\n");
}

}  // namespace
}  // namespace harness
