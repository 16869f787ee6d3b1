#include "json_escape.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace cpp_beast {
namespace {

// Zero means the byte is copied as is; 'u' means \u00XX; anything else is the
// letter after the backslash.
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['"'] = '"';
  table['\\'] = '\\';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  return table;
}

constexpr std::array<char, 256> kEscape = MakeEscapeTable();

// Whether any of the 8 bytes packed in `word` needs escaping: the classic
// "has a byte less than n" and "has a zero byte" bit tricks, exact as to
// whether such a byte exists. Lets the scan skip clean text 8 bytes at a time,
// which is nearly all of it.
bool WordNeedsEscape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  const std::uint64_t control = (word - kOnes * 0x20) & ~word;
  const std::uint64_t quote_zero = (quote - kOnes) & ~quote;
  const std::uint64_t backslash_zero = (backslash - kOnes) & ~backslash;
  return ((control | quote_zero | backslash_zero) & kHighBits) != 0;
}

// Index of the first byte at or after `from` that needs escaping, or `size`.
std::size_t FindEscape(const char* data, std::size_t from, std::size_t size) {
  std::size_t i = from;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    if (WordNeedsEscape(word)) break;
  }
  while (i < size && kEscape[static_cast<unsigned char>(data[i])] == 0) ++i;
  return i;
}

}  // namespace

char* WriteJsonEscaped(std::string_view text, char* out) {
  const char* data = text.data();
  const std::size_t size = text.size();
  std::size_t run_start = 0;
  for (;;) {
    const std::size_t i = FindEscape(data, run_start, size);
    std::memcpy(out, data + run_start, i - run_start);
    out += i - run_start;
    if (i == size) return out;
    const unsigned char c = static_cast<unsigned char>(data[i]);
    const char kind = kEscape[c];
    if (kind == 'u') {
      static constexpr char kHex[] = "0123456789abcdef";
      std::memcpy(out, "\\u00", 4);
      out[4] = kHex[c >> 4];
      out[5] = kHex[c & 0xF];
      out += 6;
    } else {
      out[0] = '\\';
      out[1] = kind;
      out += 2;
    }
    run_start = i + 1;
  }
}

void AppendJsonEscaped(std::string_view text, std::string* out) {
  const std::size_t old_size = out->size();
  out->resize(old_size + MaxJsonEscapedSize(text.size()));
  char* end = WriteJsonEscaped(text, out->data() + old_size);
  out->resize(static_cast<std::size_t>(end - out->data()));
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  AppendJsonEscaped(text, out);
  out->push_back('"');
}

}  // namespace cpp_beast
