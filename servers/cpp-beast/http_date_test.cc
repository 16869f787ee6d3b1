#include "http_date.h"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

namespace cpp_beast {
namespace {

std::string Format(std::time_t t) {
  char buf[kHttpDateLength];
  FormatHttpDate(t, buf);
  return std::string(buf, kHttpDateLength);
}

TEST(HttpDateTest, RfcExample) { EXPECT_EQ(Format(784111777), "Sun, 06 Nov 1994 08:49:37 GMT"); }

TEST(HttpDateTest, EpochAndLaterCentury) {
  EXPECT_EQ(Format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(Format(4102444799), "Thu, 31 Dec 2099 23:59:59 GMT");
  EXPECT_EQ(Format(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST(HttpDateTest, CachedMatchesNow) {
  const std::time_t before = std::time(nullptr);
  const std::string cached(CachedHttpDate());
  const std::time_t after = std::time(nullptr);
  EXPECT_TRUE(cached == Format(before) || cached == Format(after)) << cached;
}

}  // namespace
}  // namespace cpp_beast
