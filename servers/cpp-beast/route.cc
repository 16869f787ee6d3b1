#include "route.h"

#include <array>
#include <cstdint>

namespace cpp_beast {
namespace {

constexpr std::string_view kUsersPrefix = "/users/";

// RFC 3986 character classes, one bit each.
enum : std::uint8_t {
  kPchar = 1,      // unreserved / sub-delims / ":" / "@" ('%' is checked apart)
  kAuthority = 2,  // what may appear in an authority besides percent-encodings
  kScheme = 4,     // ALPHA / DIGIT / "+" / "-" / "."
  kHex = 8,
};

constexpr std::array<std::uint8_t, 256> MakeClasses() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    const bool unreserved = alpha || digit || c == '-' || c == '.' || c == '_' || c == '~';
    const bool sub_delim =
        std::string_view("!$&'()*+,;=").find(static_cast<char>(c)) != std::string_view::npos;
    std::uint8_t bits = 0;
    if (unreserved || sub_delim || c == ':' || c == '@') bits |= kPchar | kAuthority;
    if (c == '[' || c == ']') bits |= kAuthority;
    if (alpha || digit || c == '+' || c == '-' || c == '.') bits |= kScheme;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) bits |= kHex;
    classes[static_cast<std::size_t>(c)] = bits;
  }
  return classes;
}

constexpr std::array<std::uint8_t, 256> kClasses = MakeClasses();

bool Is(char c, std::uint8_t bits) { return (kClasses[static_cast<unsigned char>(c)] & bits) != 0; }

int HexValue(char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// Whether `text` is a valid path-abempty [ "?" query ]: pchars, '/', '?' and percent-encodings
// (a '?' starts the query, where '?' is allowed too).
bool ValidPathAndQuery(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (Is(c, kPchar) || c == '/' || c == '?') continue;
    if (c == '%' && i + 2 < text.size() && Is(text[i + 1], kHex) && Is(text[i + 2], kHex)) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

// Splits an absolute-form target into its path-abempty and query ("" for "http://host"), or
// returns false if `target` is not `scheme://authority...`.
bool PathOfAbsoluteForm(std::string_view target, std::string_view* rest) {
  const std::size_t colon = target.find("://");
  if (colon == 0 || colon == std::string_view::npos) return false;
  if (!((target[0] | 0x20) >= 'a' && (target[0] | 0x20) <= 'z')) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    if (!Is(target[i], kScheme)) return false;
  }
  std::size_t i = colon + 3;
  for (; i < target.size() && target[i] != '/' && target[i] != '?'; ++i) {
    if (Is(target[i], kAuthority)) continue;
    if (target[i] == '%' && i + 2 < target.size() && Is(target[i + 1], kHex) &&
        Is(target[i + 2], kHex)) {
      i += 2;
      continue;
    }
    return false;
  }
  *rest = target.substr(i);
  return true;
}

// Decodes a path segment; false if the result cannot be a username (a NUL byte, which a text
// parameter cannot carry, or bytes that are not UTF-8, which a UTF8 database cannot hold).
bool DecodeUsername(std::string_view segment, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '%') {  // Validated: two hex digits follow.
      out->push_back(static_cast<char>(HexValue(segment[i + 1]) * 16 + HexValue(segment[i + 2])));
      i += 2;
    } else {
      out->push_back(segment[i]);
    }
  }
  // UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
  const auto* p = reinterpret_cast<const unsigned char*>(out->data());
  const auto* end = p + out->size();
  while (p < end) {
    const unsigned char c = *p;
    if (c == 0) return false;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int length;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end - p < length || p[1] < low || p[1] > high) return false;
    for (int k = 2; k < length; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

}  // namespace

bool ValidHost(std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (Is(value[i], kAuthority) && value[i] != '@') continue;
    if (value[i] == '%' && i + 2 < value.size() && Is(value[i + 1], kHex) &&
        Is(value[i + 2], kHex)) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

Route RouteRequest(Method method, std::string_view target, std::string* username) {
  if (method == Method::kNotImplemented) return Route::kNotImplemented;
  std::string_view rest = target;
  if (target == "*") return Route::kNotFound;
  if (target.empty() || target[0] != '/') {
    if (!PathOfAbsoluteForm(target, &rest)) return Route::kBadTarget;
  }
  if (!ValidPathAndQuery(rest)) return Route::kBadTarget;
  std::string_view path = rest.substr(0, rest.find('?'));
  if (path.empty()) path = "/";  // RFC 9110 §4.2.3: an empty path is "/"

  Route route = Route::kNotFound;
  if (path == "/") {
    route = Route::kUsers;
  } else if (path.starts_with(kUsersPrefix) && path.size() > kUsersPrefix.size() &&
             path.find('/', kUsersPrefix.size()) == std::string_view::npos) {
    route = Route::kUserByName;
  }
  if (route == Route::kNotFound) return route;
  if (method != Method::kGetOrHead) return Route::kMethodNotAllowed;
  if (route == Route::kUserByName && !DecodeUsername(path.substr(kUsersPrefix.size()), username)) {
    return Route::kNotFound;
  }
  return route;
}

}  // namespace cpp_beast
