#include "json_escape.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cpp_beast {
namespace {

std::string Escaped(std::string_view text) {
  std::string out;
  AppendJsonEscaped(text, &out);
  return out;
}

TEST(JsonEscapeTest, PlainAsciiUnchanged) {
  EXPECT_EQ(Escaped(""), "");
  EXPECT_EQ(Escaped("user1@example.com"), "user1@example.com");
  EXPECT_EQ(Escaped("a/b'c"), "a/b'c");
}

TEST(JsonEscapeTest, QuoteAndBackslash) {
  EXPECT_EQ(Escaped(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(Escaped(R"(C:\dir\)"), R"(C:\\dir\\)");
}

TEST(JsonEscapeTest, ShortFormControlCharacters) {
  EXPECT_EQ(Escaped("\b\f\n\r\t"), R"(\b\f\n\r\t)");
  EXPECT_EQ(Escaped("a\nb"), R"(a\nb)");
}

TEST(JsonEscapeTest, OtherControlCharactersAsUnicodeEscapes) {
  EXPECT_EQ(Escaped(std::string_view("\0", 1)), R"(\u0000)");
  EXPECT_EQ(Escaped("\x01"), R"(\u0001)");
  EXPECT_EQ(Escaped("\x0b"), R"(\u000b)");
  EXPECT_EQ(Escaped("\x1f"), R"(\u001f)");
  EXPECT_EQ(Escaped("x\x1fy"), R"(x\u001fy)");
}

TEST(JsonEscapeTest, DeleteAndNonAsciiPassThrough) {
  EXPECT_EQ(Escaped("\x7f"), "\x7f");
  EXPECT_EQ(Escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(JsonEscapeTest, AppendsWithoutClearing) {
  std::string out = "[";
  AppendJsonString("a\"b", &out);
  EXPECT_EQ(out, R"(["a\"b")");
}

// A byte-at-a-time model of the rules, to check the word-at-a-time scan.
std::string ModelEscaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[7];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

// Puts each special byte at every offset of strings long enough to cross
// 8-byte words, so both the word scan and the tail scan meet it.
TEST(JsonEscapeTest, SpecialBytesAtEveryOffset) {
  const std::string specials = std::string("\"\\\n\x01\x1f\x7f\xc3", 7) + '\0';
  for (const char special : specials) {
    for (std::size_t length = 1; length <= 24; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        EXPECT_EQ(Escaped(text), ModelEscaped(text))
            << "byte " << static_cast<int>(special) << " at " << at << "/" << length;
      }
    }
  }
}

TEST(JsonEscapeTest, WriteStaysWithinBound) {
  const std::string text(19, '\x01');
  std::string buffer(MaxJsonEscapedSize(text.size()) + 1, '#');
  char* end = WriteJsonEscaped(text, buffer.data());
  EXPECT_EQ(end - buffer.data(), static_cast<std::ptrdiff_t>(MaxJsonEscapedSize(text.size())));
  EXPECT_EQ(buffer.back(), '#');
}

// Every byte value below 0x80 must survive a round trip through a real JSON
// parser, which catches any escape a hand-written expectation could miss.
TEST(JsonEscapeTest, RoundTripsEveryAsciiByte) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all += "\xc3\xa9\xe2\x82\xac";
  std::string literal;
  AppendJsonString(all, &literal);
  EXPECT_EQ(nlohmann::json::parse(literal).get<std::string>(), all);
}

}  // namespace
}  // namespace cpp_beast
