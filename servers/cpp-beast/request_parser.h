// Beast's HTTP/1 request parser (http::basic_parser) keeping only what cpp-beast answers from:
// method, target, version, and the few header fields that change an answer. Nothing else is
// stored, so parsing a request allocates nothing (http::request_parser builds its field list a
// node at a time), and a body, which no route reads, is counted and dropped.
#ifndef SERVERS_CPP_BEAST_REQUEST_PARSER_H_
#define SERVERS_CPP_BEAST_REQUEST_PARSER_H_

// Boost 1.74's Asio uses std::exchange without including <utility>, which
// C++20 no longer pulls in transitively, so it must come before any Boost.
// clang-format off
#include <utility>
// clang-format on

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "route.h"

namespace cpp_beast {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  using verb = boost::beast::http::verb;

  // `*target` receives the request-target: the caller keeps it, so its capacity is reused.
  explicit RequestParser(std::string* target) : target_(target) { target_->clear(); }

  // Beast parses the request-line as soon as it has arrived, before the rest of the header.
  bool got_request_line() const { return got_request_line_; }
  verb method() const { return method_; }
  int version() const { return version_; }
  int host_fields() const { return host_fields_; }
  bool host_valid() const { return host_valid_; }
  bool has_transfer_encoding() const { return transfer_encoding_; }
  bool expects_continue() const { return expects_continue_; }

 private:
  using error_code = boost::beast::error_code;
  using field = boost::beast::http::field;

  void on_request_impl(verb method, std::string_view, std::string_view target, int version,
                       error_code&) override {
    got_request_line_ = true;
    method_ = method;
    version_ = version;
    target_->assign(target);
  }
  void on_response_impl(int, std::string_view, int, error_code&) override {}
  void on_field_impl(field name, std::string_view, std::string_view value, error_code&) override {
    switch (name) {
      case field::host:
        ++host_fields_;
        host_valid_ = host_valid_ && ValidHost(value);
        break;
      case field::transfer_encoding:
        transfer_encoding_ = true;
        break;
      case field::expect:
        expects_continue_ = boost::beast::iequals(value, "100-continue");
        break;
      default:
        break;
    }
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(std::string_view body, error_code&) override { return body.size(); }
  void on_chunk_header_impl(std::uint64_t, std::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view body, error_code&) override {
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  std::string* target_;
  bool got_request_line_ = false;
  verb method_ = verb::unknown;
  int version_ = 11;
  int host_fields_ = 0;
  bool host_valid_ = true;
  bool transfer_encoding_ = false;
  bool expects_continue_ = false;
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_REQUEST_PARSER_H_
