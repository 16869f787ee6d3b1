#include "http_response.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace cpp_beast {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

std::string Head(const ResponseHead& head) {
  std::string out;
  AppendResponseHead(head, kDate, &out);
  return out;
}

TEST(AppendResponseHeadTest, KeepAliveHttp11) {
  EXPECT_EQ(Head({.status = 200, .content_length = 10312}),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 10312\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST(AppendResponseHeadTest, CloseHttp11) {
  EXPECT_EQ(Head({.status = 200, .content_length = 2, .keep_alive = false}),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 2\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Connection: close\r\n\r\n");
}

TEST(AppendResponseHeadTest, Http10) {
  EXPECT_EQ(Head({.content_length = 0, .version = 10, .keep_alive = true}),
            "HTTP/1.0 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 0\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Connection: keep-alive\r\n\r\n");
  EXPECT_EQ(Head({.content_length = 0, .version = 10, .keep_alive = false}),
            "HTTP/1.0 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 0\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST(AppendResponseHeadTest, MethodNotAllowedCarriesAllow) {
  const std::string head =
      Head({.status = 405, .content_type = "text/plain", .content_length = ErrorBody(405).size()});
  EXPECT_EQ(head,
            "HTTP/1.1 405 Method Not Allowed\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 19\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Allow: GET, HEAD\r\n\r\n");
}

TEST(AppendResponseHeadTest, ErrorStatusLines) {
  for (const auto& [status, line] :
       {std::pair{400, "HTTP/1.1 400 Bad Request\r\n"},
        std::pair{404, "HTTP/1.1 404 Not Found\r\n"},
        std::pair{413, "HTTP/1.1 413 Content Too Large\r\n"},
        std::pair{414, "HTTP/1.1 414 URI Too Long\r\n"},
        std::pair{431, "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
        std::pair{501, "HTTP/1.1 501 Not Implemented\r\n"},
        std::pair{503, "HTTP/1.1 503 Service Unavailable\r\n"}}) {
    EXPECT_TRUE(Head({.status = status}).starts_with(line)) << status;
    EXPECT_FALSE(ErrorBody(status).empty());
    EXPECT_TRUE(ErrorBody(status).ends_with('\n'));
  }
}

TEST(AppendResponseHeadTest, AppendsWithoutClearing) {
  std::string out = "x";
  AppendResponseHead({}, kDate, &out);
  EXPECT_TRUE(out.starts_with("xHTTP/1.1 200 OK\r\n"));
}

}  // namespace
}  // namespace cpp_beast
