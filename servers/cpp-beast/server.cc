#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

// Boost 1.74's Asio uses std::exchange without including <utility>, which
// C++20 no longer pulls in transitively, so it must come before any Boost.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "http_date.h"
#include "http_response.h"
#include "session_limits.h"
#include "user_store.h"

namespace cpp_beast {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Pipelined requests answered on one connection before other work on the
// thread gets a turn.
constexpr int kRequestsPerTurn = 16;
// Back-off after a failed accept (e.g. EMFILE) so the loop does not spin.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
constexpr auto kForcedExitDelay = std::chrono::milliseconds(1500);

// What every session needs; outlives the io_contexts that run the sessions.
struct Shared {
  UserStore store;
  std::chrono::microseconds inject_delay;
  std::chrono::seconds io_timeout;
};

int StatusForParseError(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  return 400;
}

// One connection, confined to the thread that accepted it. It reads, parses
// and answers with plain non-blocking syscalls for as long as that needs no
// waiting, which for a `Connection: close` request that has arrived by the
// time it is accepted is the whole exchange: accept, recv, the query, one
// sendmsg, close. Only when a read or write would block does it hand the
// socket to Asio, and then only to wait for readiness, under a deadline.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(asio::io_context& ioc, int fd, Shared* shared)
      : fd_(fd), socket_(ioc), timer_(ioc), shared_(shared) {
    head_.reserve(kHeadReserve);
    body_.reserve(kBodyReserve);
  }

  ~Session() {
    // A session Asio never saw owns its descriptor outright.
    if (!closed_ && !socket_.is_open()) ::close(fd_);
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    BeginRequest();
    Process();
  }

 private:
  void BeginRequest() {
    // A parser handles one message, so each request gets a fresh one.
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    parser_->eager(true);
    // One deadline for the whole request, so trickling bytes cannot extend it.
    deadline_ = Clock::now() + shared_->io_timeout;
  }

  // Parses and answers everything possible without waiting, then arranges a
  // wait or closes.
  void Process() {
    int answered = 0;
    for (;;) {
      if (buffer_.size() > 0 && !parser_->is_done()) {
        beast::error_code ec;
        const std::size_t used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        if (ec && ec != http::error::need_more) {
          // The request's version may not have been parsed; answer as 1.1.
          keep_alive_ = false;
          RespondError(StatusForParseError(ec), 11);
          if (!Send()) return;
          continue;
        }
        if (!ec && used > 0) continue;
      }
      if (parser_->is_done()) {
        Respond();
        if (!Send()) return;
        if (++answered == kRequestsPerTurn) {
          // A client pipelining without pause must not starve the others.
          asio::post(timer_.get_executor(), [self = shared_from_this()] { self->Process(); });
          return;
        }
        continue;
      }
      const ssize_t n = ::recv(fd_, buffer_.prepare(kReadChunk).data(), kReadChunk, 0);
      if (n > 0) {
        buffer_.commit(static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return Wait(tcp::socket::wait_read);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return Close();  // The peer closed or the socket failed.
      }
    }
  }

  void Respond() {
    const http::request<http::string_body>& req = parser_->get();
    keep_alive_ = req.keep_alive();
    const int version = req.version();
    switch (RouteRequest(req.method() == http::verb::get, req.target())) {
      case Route::kUsers:
        return RespondUsers(version);
      case Route::kNotFound:
        return RespondError(404, version);
      case Route::kMethodNotAllowed:
        return RespondError(405, version);
    }
  }

  void RespondUsers(int version) {
    // Tested once per request so the default of 0 costs one branch.
    if (shared_->inject_delay.count() > 0) {
      std::this_thread::sleep_for(shared_->inject_delay);
    }
    body_.clear();
    // Blocks this thread for one query; the pool has a connection per
    // thread, so no other thread waits on it.
    if (!shared_->store.AppendUsersJson(&body_)) return RespondError(503, version);
    SetHead(200, "application/json", version);
  }

  void RespondError(int status, int version) {
    body_.assign(ErrorBody(status));
    SetHead(status, "text/plain", version);
  }

  void SetHead(int status, std::string_view content_type, int version) {
    head_.clear();
    AppendResponseHead({.status = status,
                        .content_type = content_type,
                        .content_length = body_.size(),
                        .version = version,
                        .keep_alive = keep_alive_},
                       CachedHttpDate(), &head_);
    sent_ = 0;
  }

  // Sends what remains of the response (head and body in one sendmsg).
  // Returns true if the connection is ready for its next request; false if
  // it now waits for the socket to drain or has closed.
  bool Send() {
    const std::size_t total = head_.size() + body_.size();
    while (sent_ < total) {
      iovec parts[2];
      int count = 0;
      if (sent_ < head_.size()) {
        parts[count++] = {head_.data() + sent_, head_.size() - sent_};
        parts[count++] = {body_.data(), body_.size()};
      } else {
        const std::size_t offset = sent_ - head_.size();
        parts[count++] = {body_.data() + offset, body_.size() - offset};
      }
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = static_cast<std::size_t>(count);
      const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
      if (n >= 0) {
        sent_ += static_cast<std::size_t>(n);
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        deadline_ = Clock::now() + shared_->io_timeout;
        Wait(tcp::socket::wait_write);
        return false;
      } else if (errno != EINTR) {
        Close();
        return false;
      }
    }
    if (!keep_alive_) {
      Close();
      return false;
    }
    BeginRequest();
    return true;
  }

  void Wait(tcp::socket::wait_type type) {
    if (!socket_.is_open()) {
      beast::error_code ec;
      socket_.assign(tcp::v4(), fd_, ec);
      if (ec) return Close();
    }
    socket_.async_wait(type, [self = shared_from_this(), type](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (type == tcp::socket::wait_read) return self->Process();
      if (self->Send()) self->Process();
    });
    ArmTimer();
  }

  // The timer fires at the deadline it was armed with and re-arms itself if
  // the deadline has moved on, so a keep-alive connection touches the timer
  // queue once per timeout period rather than once per request.
  void ArmTimer() {
    if (timer_armed_) return;
    timer_armed_ = true;
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      self->timer_armed_ = false;
      if (ec || self->closed_) return;
      if (Clock::now() >= self->deadline_) return self->Close();
      self->ArmTimer();
    });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    if (socket_.is_open()) {
      beast::error_code ignored;
      socket_.close(ignored);  // Also cancels the pending wait.
    } else {
      ::close(fd_);
    }
  }

  const int fd_;
  tcp::socket socket_;  // Takes over fd_ the first time we must wait.
  asio::steady_timer timer_;
  Shared* shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_;
  std::string body_;
  std::size_t sent_ = 0;
  Clock::time_point deadline_;
  bool keep_alive_ = false;
  bool timer_armed_ = false;
  bool closed_ = false;
};

// Accepts, on one thread, from the listening socket all threads share.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, tcp::acceptor& acceptor, Shared* shared)
      : ioc_(ioc), acceptor_(acceptor), retry_timer_(ioc), shared_(shared) {}

  void Wait() {
    acceptor_.async_wait(tcp::acceptor::wait_read,
                         [self = shared_from_this()](beast::error_code ec) {
                           if (!ec) self->AcceptOne();
                         });
  }

 private:
  // accept4 directly, rather than Asio's accept, hands each connection over
  // already non-blocking and unregistered with epoll: a request that never
  // needs to wait never costs an epoll_ctl or an ioctl.
  void AcceptOne() {
    const int fd =
        ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      // One connection per turn, so idle threads share a burst of new
      // connections. Epoll is edge-triggered, so more may be queued without a
      // new event: look again once this one is served and whatever else is
      // ready here has run. Queued first, so even a throwing session cannot
      // stop this thread accepting.
      asio::post(ioc_, [self = shared_from_this()] { self->AcceptOne(); });
      std::make_shared<Session>(ioc_, fd, shared_)->Start();
      return;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Wait();
    if (errno == EINTR || errno == ECONNABORTED) {
      asio::post(ioc_, [self = shared_from_this()] { self->AcceptOne(); });
      return;
    }
    // Out of descriptors or memory: pause rather than spin.
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Wait();
    });
  }

  asio::io_context& ioc_;
  tcp::acceptor& acceptor_;
  asio::steady_timer retry_timer_;
  Shared* shared_;
};

// One thread's event loop, and its descriptor for the shared listening socket.
struct Worker {
  Worker() : ioc(1), acceptor(ioc) {}

  asio::io_context ioc;
  tcp::acceptor acceptor;
};

}  // namespace

struct Server::Impl {
  explicit Impl(const Config& config)
      : handle_signals(config.handle_signals),
        shared{UserStore(config.database_url, config.db_pool_size), config.inject_delay,
               config.io_timeout} {
    for (int i = 0; i < config.threads; ++i) workers.push_back(std::make_unique<Worker>());
  }

  const bool handle_signals;
  // Declared before the workers: sessions destroyed with them still point here.
  Shared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  // Signals get their own loop, run by the thread that calls Run(): a worker
  // may be blocked in a query, and SIGTERM must not wait for it.
  asio::io_context control{1};
  asio::signal_set signals{control};
};

Server::Server(const Config& config) : impl_(std::make_unique<Impl>(config)) {
  tcp::acceptor& first = impl_->workers.front()->acceptor;
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), config.port);
  first.open(endpoint.protocol());
  // Lets a restarted server bind while old connections sit in TIME_WAIT.
  first.set_option(asio::socket_base::reuse_address(true));
  first.bind(endpoint);
  first.listen(asio::socket_base::max_listen_connections);
  first.non_blocking(true);
  // Every thread waits on the same listening socket, each through its own
  // descriptor (an io_context owns and closes what it is given). Whichever
  // thread is free takes the next connection, which SO_REUSEPORT's hashing
  // would not guarantee: there a connection can queue behind a thread busy
  // with a query while another thread idles.
  for (std::size_t i = 1; i < impl_->workers.size(); ++i) {
    const int fd = ::fcntl(first.native_handle(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "dup");
    tcp::acceptor& acceptor = impl_->workers[i]->acceptor;
    acceptor.assign(tcp::v4(), fd);
    acceptor.non_blocking(true);
  }
}

Server::~Server() = default;

unsigned short Server::port() const {
  return impl_->workers.front()->acceptor.local_endpoint().port();
}

int Server::ConnectDatabase() { return impl_->shared.store.Connect(); }

void Server::Run() {
  Impl& impl = *impl_;
  for (const std::unique_ptr<Worker>& worker : impl.workers) {
    std::make_shared<Listener>(worker->ioc, worker->acceptor, &impl.shared)->Wait();
  }
  if (impl.handle_signals) {
    impl.signals.add(SIGINT);
    impl.signals.add(SIGTERM);
    impl.signals.async_wait([this](beast::error_code ec, int) {
      if (ec) return;
      Stop();
      // Backstop for the one wait Stop() cannot break: a connect to a hung
      // database already in progress (up to connect_timeout). The contract
      // is an exit within 2 s.
      std::thread([] {
        std::this_thread::sleep_for(kForcedExitDelay);
        std::fputs("cpp-beast: database call still blocked, exiting anyway\n", stderr);
        std::_Exit(0);
      }).detach();
    });
  }
  const auto run = [&impl](asio::io_context* ioc) {
    if (impl.shared.inject_delay.count() > 0) {
      // The default 50 us timer slack would stretch every injected delay;
      // the regression gate wants it to mean what it says.
      prctl(PR_SET_TIMERSLACK, 1000UL);
    }
    for (;;) {
      try {
        ioc->run();
        return;
      } catch (const std::exception& e) {
        // Only bad_alloc and the like get here; the session that threw is
        // gone, the rest keep being served.
        std::fprintf(stderr, "cpp-beast: handler failed: %s\n", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (const std::unique_ptr<Worker>& worker : impl.workers) {
    threads.emplace_back(run, &worker->ioc);
  }
  // Keeps the control loop running until Stop(), signals or not.
  const auto keep_running = asio::make_work_guard(impl.control);
  impl.control.run();
  for (std::thread& thread : threads) thread.join();
}

void Server::Stop() {
  // Threads blocked on a hung database would otherwise hold up Run()'s join.
  impl_->shared.store.InterruptQueries();
  for (const std::unique_ptr<Worker>& worker : impl_->workers) worker->ioc.stop();
  impl_->control.stop();
}

}  // namespace cpp_beast
