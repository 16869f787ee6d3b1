// cpp-beast's HTTP/1.1 checked against a reference implementation: the same raw requests
// (framing, methods, targets, pipelining, bad lengths) go to the built cpp-beast
// ($CPP_BEAST_BINARY, or build/bin/cpp-beast) and to the Axum server (hyper underneath,
// servers/axum/target/release/axum-server, built by scripts/bootstrap), both on one embedded
// cluster, and what comes back is compared: the status of each response and whether the server
// closed the connection. Where the two differ, the case lists what cpp-beast answers and the RFC
// clause that allows it; an unlisted difference fails, and so does a listed one that is gone.
//
// GET /users/{username} is left out until the Axum server has the route (issue 12).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

// Boost 1.74's Asio uses std::exchange without including <utility>, which
// C++20 no longer pulls in transitively, so it must come before any Boost.
// clang-format off
#include <utility>
// clang-format on

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "postgres/cluster.h"
#include "servers/server_process.h"
#include "testing/cli.h"
#include "util/files.h"
#include "util/net.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using namespace std::string_literals;
using Clock = std::chrono::steady_clock;

// A server that has said all it will says nothing for this long.
constexpr auto kQuiet = 300ms;
constexpr auto kAtMost = 3s;

struct Case {
  std::string name;
  std::string request;  // the bytes sent, at once
  // Responses at the start that answer HEAD requests, and so have no body.
  int head_responses = 0;
  // Set where the servers may differ: what cpp-beast answers, and why that is allowed.
  std::optional<std::string> cpp_beast;
  std::string clause;
};

std::string Get(const std::string& target, const std::string& fields = "Host: x\r\n") {
  return "GET " + target + " HTTP/1.1\r\n" + fields + "\r\n";
}

// What a server did with a case: "200 404 | open", "400 | closed", "| closed" (nothing), and
// "<unparsable>" where bytes that are no response followed.
std::string Outcome(const std::string& bytes, bool closed, int head_responses) {
  std::string outcome;
  boost::beast::string_view rest(bytes);
  for (int i = 0; !rest.empty(); ++i) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(1 << 24);
    if (i < head_responses) parser.skip(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    if (ec || !parser.is_done()) {
      outcome += "<unparsable> ";
      break;
    }
    outcome += std::to_string(parser.get().result_int()) + " ";
    rest.remove_prefix(used);
  }
  return outcome + (closed ? "| closed" : "| open");
}

// Sends `request` on a new connection to 127.0.0.1:port and reads until the server closes it or
// goes quiet.
std::string Exchange(int port, const Case& c) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "<cannot connect>";
  }
  std::string_view out = c.request;
  while (!out.empty()) {
    const ssize_t n = send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n <= 0) break;  // The server may close before it has read everything.
    out.remove_prefix(static_cast<std::size_t>(n));
  }
  std::string bytes;
  bool closed = false;
  const Clock::time_point give_up = Clock::now() + kAtMost;
  while (!closed && Clock::now() < give_up) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(kQuiet.count())) <= 0) break;
    char buf[16384];
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;  // EOF or reset
    } else {
      bytes.append(buf, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  return Outcome(bytes, closed, c.head_responses);
}

std::vector<Case> Battery() {
  const std::string close = "Host: x\r\nConnection: close\r\n";
  return {
      // Methods and versions.
      {"get", Get("/")},
      {"get_close", Get("/", close)},
      {"http10", "GET / HTTP/1.0\r\n\r\n"},
      {"http10_keep_alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"},
      // Both reject a higher minor version; RFC 9110 §2.5 says SHOULD process it as 1.1.
      {"http12", "GET / HTTP/1.2\r\nHost: x\r\n\r\n"},
      {"http20", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"},
      {"http09", "GET /\r\n\r\n"},
      {"head", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", 1},
      {"head_close", "HEAD / HTTP/1.1\r\n" + close + "\r\n", 1},
      {"head_404", "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n", 1},
      {"head_then_get", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + Get("/nope"), 1},
      {"post", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"},
      {"put", "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"},
      {"delete", "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"options", "OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"options_asterisk", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"trace", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"connect", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 0, "501 | open",
       "RFC 9110 §9.1: a method the origin server does not implement SHOULD get 501"},
      {"method_lowercase", "get / HTTP/1.1\r\nHost: x\r\n\r\n", 0, "501 | open",
       "RFC 9110 §9.1: methods are case-sensitive, and one not recognized SHOULD get 501"},
      {"method_unknown", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 0, "501 | open",
       "RFC 9110 §9.1: a method not recognized SHOULD get 501"},
      // Request targets.
      {"absolute_form", Get("http://x/")},
      {"absolute_form_empty_path", Get("http://x")},
      {"absolute_form_query", Get("http://x/?a=1")},
      {"absolute_form_https_port", Get("https://x:1/")},
      {"absolute_form_upper_case", Get("HTTP://X/")},
      {"absolute_form_other_scheme", Get("ftp://x/")},
      {"absolute_form_404", Get("http://x/nope")},
      {"query", Get("/?a=b")},
      {"double_slash", Get("//")},
      {"dot_segment", Get("/./")},
      {"encoded_slash", Get("/%2F")},
      {"asterisk_get", Get("*")},
      {"authority_form_get", Get("x:80"), 0, "400 | closed",
       "RFC 9112 §3.2.3: the authority form is for CONNECT only; §3: an invalid request-line "
       "SHOULD get 400"},
      {"fragment", Get("/#a"), 0, "400 | closed",
       "RFC 9112 §3.2: a request-target has no fragment; §3: an invalid request-line SHOULD "
       "get 400"},
      {"target_bytes_rfc3986_forbids", Get("/a\"b{|}^"), 0, "400 | closed",
       "RFC 3986 §2 has no such bytes in a path; RFC 9112 §3: an invalid request-line SHOULD "
       "get 400"},
      {"bad_percent_encoding", Get("/%zz"), 0, "400 | closed",
       "RFC 3986 §2.1: '%' starts two hex digits; RFC 9112 §3: SHOULD get 400"},
      {"raw_utf8_target", Get("/caf\xc3\xa9"), 0, "400 | closed",
       "RFC 3986 §2: bytes beyond ASCII are percent-encoded; RFC 9112 §3: SHOULD get 400"},
      {"target_9k", Get("/" + std::string(9000, 'a')), 0, "414 | closed",
       "RFC 9112 §3: a target longer than the server wishes to parse MUST get 414 (cpp-beast "
       "parses 8 KiB of header, hyper more)"},
      // Request-line and field syntax.
      {"empty_target", "GET  HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"two_spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"tab_separator", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"one_empty_line_first", "\r\n" + Get("/")},
      {"two_empty_lines_first", "\r\n\r\n" + Get("/"), 0, "400 | closed",
       "RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request-line "
       "(cpp-beast ignores one)"},
      {"bare_lf", "GET / HTTP/1.1\nHost: x\n\n", 0, "400 | closed",
       "RFC 9112 §2.2: a recipient MAY recognize a single LF as a line terminator"},
      {"space_before_colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n"},
      {"obs_fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 0, "200 | open",
       "RFC 9112 §5.2: a server MUST either reject obs-fold with 400 or replace it with SP "
       "(Beast replaces it)"},
      {"field_without_colon", "GET / HTTP/1.1\r\nHost: x\r\nfoo\r\n\r\n"},
      {"field_name_not_a_token", "GET / HTTP/1.1\r\nHost: x\r\nX(A): 1\r\n\r\n"},
      {"nul_in_field", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"s},
      {"cr_in_field", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"},
      {"obs_text_in_field", "GET / HTTP/1.1\r\nHost: x\r\nX-A: caf\xe9\r\n\r\n"},
      {"no_host", "GET / HTTP/1.1\r\n\r\n", 0, "400 | closed",
       "RFC 9112 §3.2: an HTTP/1.1 request without Host MUST get 400"},
      {"two_hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 0, "400 | closed",
       "RFC 9112 §3.2: a request with more than one Host MUST get 400"},
      {"invalid_host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 0, "400 | closed",
       "RFC 9112 §3.2: a Host with an invalid value MUST get 400"},
      {"http10_without_host", "GET / HTTP/1.0\r\n\r\n"},
      // Message body framing.
      {"content_length_body_then_request",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + Get("/", close)},
      {"chunked_body_then_request",
       "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" +
           Get("/", close)},
      {"chunk_extension",
       "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b\r\nx\r\n0\r\n\r\n"},
      {"chunked_trailer",
       "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n"},
      {"bad_chunk_size", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0,
       "400 | closed",
       "RFC 9110 §15.5.1: 400 for a malformed message (hyper answers before it reads the body "
       "and then closes)"},
      {"content_length_twice_equal",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na"},
      {"content_length_list_equal", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\na", 0,
       "200 | open",
       "RFC 9110 §8.6: a recipient MAY take a list of equal values as the one value, or reject "
       "it"},
      {"content_length_twice_different",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
      {"content_length_trailing_space", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 \r\n\r\na"},
      {"content_length_negative", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
      {"content_length_plus", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\na"},
      {"content_length_hex", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x1\r\n\r\na"},
      {"content_length_huge",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"},
      {"content_length_and_chunked",
       "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
       "0\r\n\r\n",
       0, "400 | closed",
       "RFC 9112 §6.1: a server MAY reject a request with both, and MUST close the connection "
       "after it either way"},
      {"transfer_encoding_not_chunked",
       "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"},
      {"transfer_encoding_gzip_chunked",
       "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
      {"transfer_encoding_chunked_twice",
       "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 0,
       "400 | closed",
       "RFC 9112 §6.1: a sender MUST NOT apply chunked more than once; RFC 9110 §2.2: "
       "recovering from an invalid construct is a MAY"},
      {"transfer_encoding_in_http10",
       "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"expect_continue_without_body",
       "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n", 0,
       "100 | open",
       "RFC 9110 §10.1.1: a server MUST send either a final status at once or 100 (Continue); "
       "cpp-beast sends 100 and waits for the content"},
      // Connections.
      {"pipelined", Get("/") + Get("/nope") + Get("/", close)},
      {"request_after_close", Get("/", close) + Get("/")},
      {"connection_list_with_close", Get("/", "Host: x\r\nConnection: keep-alive, close\r\n")},
      {"upgrade_h2c_ignored",
       Get("/",
           "Host: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
           "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")},
      {"http2_preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0, "400 | closed",
       "RFC 9112 §3: an invalid request-line SHOULD get 400 (hyper, without HTTP/2, closes "
       "without a word)"},
  };
}

fs::path CppBeastBinary() {
  const char* override = std::getenv("CPP_BEAST_BINARY");
  if (override && *override) return fs::absolute(override);
  return fs::path(HARNESS_BINARY).parent_path() / "cpp-beast";
}

fs::path AxumBinary() {
  return fs::path(PROJECT_SOURCE_DIR) / "servers/axum/target/release/axum-server";
}

class HttpDifferential : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(AxumBinary())) {
      setup_error_ = "no Axum server at " + AxumBinary().string() + " (run scripts/bootstrap)";
      axum_missing_ = true;
      return;
    }
    auto cluster = Cluster::Create({});
    if (!cluster) {
      setup_error_ = cluster.error().message;
      return;
    }
    cluster_ = std::move(*cluster).release();
    log_dir_ = new fs::path(TempDir("http-differential"));
    cpp_beast_ = Start("cpp-beast", "servers/cpp-beast", CppBeastBinary());
    axum_ = Start("axum", "servers/axum", AxumBinary());
  }

  static ServerProcess* Start(const std::string& name, const std::string& dir,
                              const fs::path& binary) {
    ServerConfig config;
    config.name = name;
    config.dir = fs::path(PROJECT_SOURCE_DIR) / dir;
    config.run = "exec '" + binary.string() + "'";
    config.ready.timeout = 30s;
    auto port = FreePort();
    if (!port) {
      setup_error_ = port.error().message;
      return nullptr;
    }
    auto server =
        ServerProcess::Start(config, {*port, kLoopback, cluster_->dsn(), 5, "", *log_dir_ / name});
    if (!server) {
      setup_error_ = name + ": " + server.error().message;
      return nullptr;
    }
    auto* process = new ServerProcess(std::move(*server));
    if (Status ready = process->WaitReady(); !ready) {
      setup_error_ = name + ": " + ready.error().message;
    }
    return process;
  }

  static void TearDownTestSuite() {
    for (ServerProcess** server : {&cpp_beast_, &axum_}) {
      if (*server == nullptr) continue;
      EXPECT_FALSE((*server)->Stop(5s).needed_kill) << (*server)->name() << " ignored SIGTERM";
      delete *server;
      *server = nullptr;
    }
    delete cluster_;
    cluster_ = nullptr;
    if (log_dir_) fs::remove_all(*log_dir_);
    delete log_dir_;
    log_dir_ = nullptr;
  }

  void SetUp() override {
    // Without the reference there is nothing to compare with: skipped, never passed.
    if (axum_missing_) GTEST_SKIP() << setup_error_;
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  static std::string setup_error_;
  static bool axum_missing_;
  static Cluster* cluster_;
  static ServerProcess* cpp_beast_;
  static ServerProcess* axum_;
  static fs::path* log_dir_;
};

std::string HttpDifferential::setup_error_;
bool HttpDifferential::axum_missing_ = false;
Cluster* HttpDifferential::cluster_ = nullptr;
ServerProcess* HttpDifferential::cpp_beast_ = nullptr;
ServerProcess* HttpDifferential::axum_ = nullptr;
fs::path* HttpDifferential::log_dir_ = nullptr;

// One test for the whole battery, so that ctest starts the cluster and the servers once; each
// case that fails says which.
TEST_F(HttpDifferential, SameAnswerOrAListedDifference) {
  for (const Case& c : Battery()) {
    // Both at once: a server that keeps the connection open costs a quiet period.
    std::string ours;
    std::thread ask_cpp_beast([&] { ours = Exchange(cpp_beast_->port(), c); });
    const std::string reference = Exchange(axum_->port(), c);
    ask_cpp_beast.join();
    if (!c.cpp_beast) {
      EXPECT_EQ(ours, reference) << c.name << ": cpp-beast and Axum differ, and no RFC clause "
                                 << "is listed";
    } else {
      EXPECT_EQ(ours, *c.cpp_beast) << c.name << ": not the listed answer (" << c.clause << ")";
      EXPECT_NE(ours, reference) << c.name << ": listed as a difference, but Axum answers the "
                                 << "same: unlist it";
    }
  }
}

}  // namespace
}  // namespace harness
