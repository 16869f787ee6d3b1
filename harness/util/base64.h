// Base64 (RFC 4648, with padding): bytes in JSON strings, which must be UTF-8, exactly (the
// agent's files: logs that are not UTF-8, raw outputs).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harness {

std::string Base64Encode(std::string_view bytes);
// Empty when `text` is not padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace harness
