// JSON string output for response bodies written by hand.
//
// Escaping: '"' and '\\' get a backslash; \b \f \n \r \t use their short
// forms; every other byte below 0x20 becomes \u00XX. All other bytes,
// including UTF-8 multi-byte sequences and DEL, pass through unchanged: the
// input is assumed to be valid UTF-8, which a UTF8-encoded PostgreSQL database
// guarantees for text columns.
#ifndef SERVERS_CPP_BEAST_JSON_ESCAPE_H_
#define SERVERS_CPP_BEAST_JSON_ESCAPE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace cpp_beast {

// The most bytes escaping `size` input bytes can produce (all \u00XX).
constexpr std::size_t MaxJsonEscapedSize(std::size_t size) { return 6 * size; }

// Writes `text`, escaped, to `out` (no surrounding quotes) and returns one
// past the last byte written. `out` must have room for
// MaxJsonEscapedSize(text.size()) bytes. For callers that assemble a document
// through a raw pointer, which is what keeps GET / cheap.
char* WriteJsonEscaped(std::string_view text, char* out);

// Appends `text`, escaped, to `*out` (no surrounding quotes).
void AppendJsonEscaped(std::string_view text, std::string* out);

// Appends `text` to `*out` as a complete JSON string literal, quotes included.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_JSON_ESCAPE_H_
