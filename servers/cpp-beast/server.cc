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

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "canceller.h"
#include "database.h"
#include "db_status.h"
#include "request_handler.h"
#include "session_limits.h"

namespace cpp_beast {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Reads a connection makes before other work on the thread gets a turn, so a client that
// pipelines without pause cannot starve the others.
constexpr int kReadsPerTurn = 16;
// Back-off after a failed accept (e.g. EMFILE) so the loop does not spin.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
constexpr auto kForcedExitDelay = std::chrono::milliseconds(1500);

// One connection, confined to the thread that accepted it, and only moving bytes: what they
// mean is the RequestHandler's, and statements go to the thread's Database. It reads and writes
// with plain non-blocking syscalls as long as they do not need to wait, which for a
// `Connection: close` request that has arrived by the time it is accepted is the whole
// exchange: accept, recv, the statement, one sendmsg, close. Only when a read or write would
// block does it give the socket to Asio, to wait for readiness under a deadline.
class Session final : public QueryClient, public std::enable_shared_from_this<Session> {
 public:
  Session(asio::io_context& ioc, int fd, Database& database, std::chrono::seconds io_timeout)
      : fd_(fd), socket_(ioc), timer_(ioc), database_(database), io_timeout_(io_timeout) {}

  ~Session() {
    // A session Asio never saw owns its descriptor outright.
    if (!closed_ && !socket_.is_open()) ::close(fd_);
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    deadline_ = Clock::now() + io_timeout_;
    Process();
  }

  void OnQueryDone(std::uint64_t id, const PGresult* result) override {
    handler_.CompleteQuery(id, result);
    if (!closed_) Process();
  }

  bool abandoned() const override { return closed_; }

 private:
  // Moves bytes for as long as that needs no waiting, then arranges a wait, or closes.
  void Process() {
    for (int reads = 0; !closed_;) {
      bool need_bytes = buffer_.size() == 0;
      if (!need_bytes && handler_.wants_input()) {
        const std::uint64_t before = handler_.requests_received();
        const auto data = buffer_.data();
        buffer_.consume(
            handler_.Consume(std::string_view(static_cast<const char*>(data.data()), data.size())));
        // One deadline per request, from the end of the one before, so that trickling bytes
        // cannot extend it.
        if (handler_.requests_received() != before) deadline_ = Clock::now() + io_timeout_;
        // Left over: an incomplete request, unless the handler stopped taking input.
        need_bytes = handler_.wants_input();
      }
      RequestHandler::Query query;
      while (handler_.NextQuery(&query)) {
        database_.Submit(shared_from_this(), query.id, query.statement, query.param);
      }
      if (!Flush()) return;  // Waiting to write, or closed.
      if (handler_.finished()) return Close();
      // Nothing more to parse for now: the database's answer (OnQueryDone) resumes.
      if (!handler_.wants_input()) return;
      if (!need_bytes) continue;  // Room again for requests already read.
      if (reading_) return;
      // Reading when no bytes are likely to be there costs a recv that fails, and then the
      // wait anyway; arming the wait at once costs nothing more, because Asio re-arms the
      // descriptor (EPOLL_CTL_MOD), which reports bytes already there.
      if (!bytes_likely_) return Wait(tcp::socket::wait_read);
      if (++reads > kReadsPerTurn) {
        asio::post(timer_.get_executor(), [self = shared_from_this()] { self->Process(); });
        return;
      }
      const ssize_t n = ::recv(fd_, buffer_.prepare(kReadChunk).data(), kReadChunk, 0);
      // A short read took all there was: likely nothing more until the client hears back.
      bytes_likely_ = n == static_cast<ssize_t>(kReadChunk);
      if (n > 0) {
        buffer_.commit(static_cast<std::size_t>(n));
      } else if (n == 0) {
        handler_.EndOfInput();  // What was asked before is still answered.
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return Wait(tcp::socket::wait_read);
      } else if (errno != EINTR) {
        return Close();
      }
    }
  }

  // Sends what the handler has ready, every response in one sendmsg. True if all went; false
  // if the session now waits for the socket to drain, or has closed.
  bool Flush() {
    if (writing_) return false;
    for (;;) {
      iovec parts[2 * RequestHandler::kMaxPending];
      const int count = handler_.Output(parts, static_cast<int>(std::size(parts)));
      if (count == 0) return true;
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = static_cast<std::size_t>(count);
      const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
      if (n >= 0) {
        handler_.Sent(static_cast<std::size_t>(n));
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        deadline_ = Clock::now() + io_timeout_;  // Time without progress is what counts.
        Wait(tcp::socket::wait_write);
        return false;
      } else if (errno != EINTR) {
        Close();
        return false;
      }
    }
  }

  void Wait(tcp::socket::wait_type type) {
    bool& armed = type == tcp::socket::wait_read ? reading_ : writing_;
    if (armed) return;
    if (!socket_.is_open()) {
      beast::error_code ec;
      socket_.assign(tcp::v4(), fd_, ec);
      if (ec) return Close();
    }
    armed = true;
    socket_.async_wait(type, [self = shared_from_this(), type](const beast::error_code& ec) {
      (type == tcp::socket::wait_read ? self->reading_ : self->writing_) = false;
      if (ec || self->closed_) return;
      if (type == tcp::socket::wait_read) self->bytes_likely_ = true;
      self->Process();
    });
    ArmTimer();
  }

  // The timer fires at the deadline it was armed with and re-arms itself if the deadline has
  // moved on, so a keep-alive connection touches the timer queue once per timeout period rather
  // than once per request.
  void ArmTimer() {
    if (timer_armed_) return;
    timer_armed_ = true;
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](const beast::error_code& ec) {
      self->timer_armed_ = false;
      if (ec || self->closed_) return;
      if (!self->reading_ && !self->writing_) return;  // Not waiting on the client.
      const Clock::time_point now = Clock::now();
      // While a response waits for the database, the database's own deadline applies.
      if (self->handler_.awaiting_database() && !self->writing_) {
        self->deadline_ = std::max(self->deadline_, now + self->io_timeout_);
      }
      if (now >= self->deadline_) return self->Close();
      self->ArmTimer();
    });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    if (socket_.is_open()) {
      beast::error_code ignored;
      socket_.close(ignored);  // Also cancels the pending waits.
    } else {
      ::close(fd_);
    }
  }

  const int fd_;
  tcp::socket socket_;  // Takes over fd_ the first time we must wait.
  asio::steady_timer timer_;
  Database& database_;
  const std::chrono::seconds io_timeout_;
  beast::flat_buffer buffer_;
  RequestHandler handler_;
  Clock::time_point deadline_;
  // Whether a recv now would likely find bytes: so on a new connection (the request is
  // usually there by the time it is accepted) and once the socket is reported readable.
  bool bytes_likely_ = true;
  bool reading_ = false;  // a wait for the socket to be readable is armed
  bool writing_ = false;  // ... writable
  bool timer_armed_ = false;
  bool closed_ = false;
};

// Accepts on one thread, from that thread's listening socket.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, tcp::acceptor& acceptor, Database& database,
           std::chrono::seconds io_timeout)
      : ioc_(ioc),
        acceptor_(acceptor),
        retry_timer_(ioc),
        database_(database),
        io_timeout_(io_timeout) {}

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
      // One connection per turn, then the wait: Asio re-arms the descriptor, which reports a
      // connection already queued, and a second accept4 would mostly find none. Armed first,
      // so even a throwing session cannot stop this thread accepting.
      Wait();
      std::make_shared<Session>(ioc_, fd, database_, io_timeout_)->Start();
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
  Database& database_;
  const std::chrono::seconds io_timeout_;
};

// One thread's event loop, its descriptor for the shared listening socket, and its share of
// the database connections. The loop is declared first so that it outlives what runs on it.
struct Worker {
  Worker(const Database::Options& options, DatabaseStatus& status, Canceller& canceller)
      : ioc(1), acceptor(ioc), database(ioc, options, status, canceller) {}

  asio::io_context ioc;
  tcp::acceptor acceptor;
  Database database;
};

}  // namespace

struct Server::Impl {
  explicit Impl(const Config& config)
      : handle_signals(config.handle_signals),
        io_timeout(config.io_timeout),
        inject_delay(config.inject_delay.count() > 0) {
    if (config.threads < 1 || config.threads > config.db_pool_size) {
      throw std::invalid_argument("THREADS must be between 1 and DB_POOL_SIZE");
    }
    // DB_POOL_SIZE connections in all, shared out as evenly as they go.
    for (int i = 0; i < config.threads; ++i) {
      const int connections =
          config.db_pool_size / config.threads + (i < config.db_pool_size % config.threads);
      workers.push_back(
          std::make_unique<Worker>(Database::Options{.conninfo = config.database_url,
                                                     .connections = connections,
                                                     .timeout = config.db_timeout,
                                                     .pipeline_depth = config.pipeline_depth,
                                                     .inject_delay = config.inject_delay},
                                   status, canceller));
    }
  }

  const bool handle_signals;
  const std::chrono::seconds io_timeout;
  const bool inject_delay;
  // Declared before the workers, whose databases use them.
  DatabaseStatus status;
  Canceller canceller;
  std::vector<std::unique_ptr<Worker>> workers;
  // Signals get their own loop, run by the thread that calls Run().
  asio::io_context control{1};
  asio::signal_set signals{control};
};

Server::Server(const Config& config) : impl_(std::make_unique<Impl>(config)) {
  // One listening socket per thread, bound to the same port with SO_REUSEPORT: the kernel hands
  // each new connection to one of them, so exactly one thread wakes for it. (One socket shared
  // by all threads wakes them all, and all but one find nothing to accept.)
  unsigned short port = config.port;
  if (port != 0) {
    // SO_REUSEPORT would let a second server on the port share its connections without a
    // word. Binding once without it first keeps a port in use an error.
    tcp::acceptor probe(impl_->control);
    probe.open(tcp::v4());
    probe.set_option(asio::socket_base::reuse_address(true));
    probe.bind(tcp::endpoint(asio::ip::make_address_v4(config.host), port));
  }
  for (const std::unique_ptr<Worker>& worker : impl_->workers) {
    tcp::acceptor& acceptor = worker->acceptor;
    const tcp::endpoint endpoint(asio::ip::make_address_v4(config.host), port);
    acceptor.open(endpoint.protocol());
    // Lets a restarted server bind while old connections sit in TIME_WAIT.
    acceptor.set_option(asio::socket_base::reuse_address(true));
    const int on = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
      throw std::system_error(errno, std::generic_category(), "SO_REUSEPORT");
    }
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    acceptor.non_blocking(true);
    port = acceptor.local_endpoint().port();  // The kernel's choice when config.port was 0.
  }
}

Server::~Server() = default;

unsigned short Server::port() const {
  return impl_->workers.front()->acceptor.local_endpoint().port();
}

void Server::Run() {
  Impl& impl = *impl_;
  for (const std::unique_ptr<Worker>& worker : impl.workers) {
    Database& database = worker->database;
    asio::post(worker->ioc, [&database] { database.Start(); });
    std::make_shared<Listener>(worker->ioc, worker->acceptor, database, impl.io_timeout)->Wait();
  }
  if (impl.handle_signals) {
    impl.signals.add(SIGINT);
    impl.signals.add(SIGTERM);
    impl.signals.async_wait([this](beast::error_code ec, int) {
      if (ec) return;
      Stop();
      // Nothing here blocks on the database any more, so this should never fire; it keeps
      // the contract (an exit within 2 s) should something else hang.
      std::thread([] {
        std::this_thread::sleep_for(kForcedExitDelay);
        std::fputs("cpp-beast: still stopping after 1.5 s, exiting anyway\n", stderr);
        std::_Exit(0);
      }).detach();
    });
  }
  const auto run = [&impl](asio::io_context* ioc) {
    if (impl.inject_delay) {
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
  for (const std::unique_ptr<Worker>& worker : impl_->workers) worker->ioc.stop();
  impl_->control.stop();
}

}  // namespace cpp_beast
