#include "http_response.h"

#include <charconv>

namespace cpp_beast {
namespace {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

void AppendNumber(std::size_t value, std::string* out) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

}  // namespace

void AppendResponseHead(const ResponseHead& head, std::string_view date, std::string* out) {
  out->append(head.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(static_cast<std::size_t>(head.status), out);
  out->push_back(' ');
  out->append(ReasonPhrase(head.status));
  out->append("\r\nContent-Type: ");
  out->append(head.content_type);
  out->append("\r\nContent-Length: ");
  AppendNumber(head.content_length, out);
  out->append("\r\nDate: ");
  out->append(date);
  if (head.status == 405) out->append("\r\nAllow: GET, HEAD");
  // HTTP/1.1 defaults to persistent and HTTP/1.0 to close; say so only when
  // the choice differs from the default.
  if (head.version == 10 && head.keep_alive) {
    out->append("\r\nConnection: keep-alive");
  } else if (head.version != 10 && !head.keep_alive) {
    out->append("\r\nConnection: close");
  }
  out->append("\r\n\r\n");
}

std::string_view ErrorBody(int status) {
  switch (status) {
    case 400:
      return "bad request\n";
    case 404:
      return "not found\n";
    case 405:
      return "method not allowed\n";
    case 413:
      return "request body too large\n";
    case 414:
      return "request target too long\n";
    case 431:
      return "request header too large\n";
    case 501:
      return "method not implemented\n";
    case 503:
      return "database unavailable\n";
    default:
      return "internal error\n";
  }
}

}  // namespace cpp_beast
