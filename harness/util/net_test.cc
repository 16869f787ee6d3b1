#include "util/net.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(Net, UrlHostBracketsOnlyIpv6) {
  EXPECT_EQ(UrlHost("10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(UrlHost("::1"), "[::1]");
}

TEST(Net, TheSourceAddressTowardsLoopbackIsLoopback) {
  auto from = SourceAddressTowards("127.0.0.1");
  ASSERT_TRUE(from) << from.error().message;
  EXPECT_EQ(*from, "127.0.0.1");
  EXPECT_FALSE(SourceAddressTowards("db.example"));
}

TEST(Net, Wildcards) {
  EXPECT_TRUE(IsWildcardAddress("0.0.0.0"));
  EXPECT_TRUE(IsWildcardAddress("::"));
  EXPECT_FALSE(IsWildcardAddress("127.0.0.1"));
}

}  // namespace
}  // namespace harness
