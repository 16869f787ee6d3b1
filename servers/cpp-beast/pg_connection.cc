#include "pg_connection.h"

#include <boost/asio/error.hpp>
#include <memory>
#include <string_view>

namespace cpp_beast {
namespace {

namespace asio = boost::asio;
using WaitType = asio::posix::descriptor_base::wait_type;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Whether an error result means the connection is over: libpq lost it, or the server reported
// an error of severity FATAL or PANIC (a shutdown, a terminated backend), which it follows by
// closing the connection, though libpq may not have seen that yet.
bool Ends(const PGresult& result) {
  const char* severity = PQresultErrorField(&result, PG_DIAG_SEVERITY_NONLOCALIZED);
  return severity != nullptr &&
         (std::string_view(severity) == "FATAL" || std::string_view(severity) == "PANIC");
}

}  // namespace

PgConnection::PgConnection(asio::io_context& ioc, Observer& observer, int tag)
    : socket_(ioc), observer_(observer), tag_(tag) {}

PgConnection::~PgConnection() { Close(); }

void PgConnection::Close() {
  ++generation_;
  // The descriptor is libpq's: Asio lets go of it (cancelling its waits) and libpq closes it.
  if (socket_.is_open()) socket_.release();
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
  preparing_ = false;
  read_armed_ = false;
  write_armed_ = false;
  expected_.clear();
  statements_in_flight_ = 0;
}

std::string PgConnection::LibpqError() const {
  std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
  // libpq's messages may span lines; the first says what happened.
  message = message.substr(0, message.find('\n'));
  return message.empty() ? "connection failed" : message;
}

void PgConnection::Fail(std::string_view reason) {
  error_.assign(reason);
  Close();
  observer_.OnFailed(*this, error_);
}

bool PgConnection::Connect(const std::string& conninfo) {
  Close();
  conn_ = PQconnectStart(conninfo.c_str());
  if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    error_ = LibpqError();
    Close();
    return false;
  }
  // As the libpq manual says: before the first PQconnectPoll, act as if it asked to write.
  WaitToConnect(false);
  return true;
}

void PgConnection::WaitToConnect(bool read) {
  // libpq may replace the socket while connecting (the next address or host), and the new one
  // may get the old number, whose registration with the loop went with the old socket. So the
  // socket is registered afresh at each step; registering also reports readiness already there.
  if (socket_.is_open()) socket_.release();
  boost::system::error_code ec;
  socket_.assign(PQsocket(conn_), ec);
  if (ec) return Fail("cannot watch the database socket: " + ec.message());
  socket_.async_wait(read ? WaitType::wait_read : WaitType::wait_write,
                     [this, generation = generation_](const boost::system::error_code& ec) {
                       // Aborted: closed, perhaps destroyed; touch nothing.
                       if (ec == asio::error::operation_aborted) return;
                       if (generation != generation_ || ec) return;
                       ContinueConnecting();
                     });
}

void PgConnection::ContinueConnecting() {
  switch (PQconnectPoll(conn_)) {
    case PGRES_POLLING_READING:
      return WaitToConnect(true);
    case PGRES_POLLING_WRITING:
      return WaitToConnect(false);
    case PGRES_POLLING_OK:
      return Prepare();
    default:
      return Fail(LibpqError());
  }
}

void PgConnection::Prepare() {
  // Pipeline mode: statements go out without waiting for the answers before them, and each
  // batch ends with a sync point (PQpipelineSync). The preparations are one such batch: a
  // connection opens in one round trip more.
  if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1) {
    return Fail(LibpqError());
  }
  for (const StatementText& statement : kStatements) {
    if (!PQsendPrepare(conn_, statement.name, statement.sql, statement.parameters, nullptr)) {
      return Fail(LibpqError());
    }
    expected_.push_back(Expect::kPrepared);
    expected_.push_back(Expect::kEndOfStatement);
  }
  preparing_ = true;
  if (!Sync()) return Fail(std::string(error_));
}

bool PgConnection::Send(Statement statement, std::string_view param) {
  const StatementText& text = TextOf(statement);
  param_.assign(param);
  const char* values[] = {param_.c_str()};
  if (!PQsendQueryPrepared(conn_, text.name, text.parameters, values, nullptr, nullptr, 0)) {
    error_ = LibpqError();
    Close();
    return false;
  }
  expected_.push_back(Expect::kRows);
  expected_.push_back(Expect::kEndOfStatement);
  ++statements_in_flight_;
  // A sync point per statement: the server flushes each answer when it is ready, rather than
  // holding it back until the statements sent after it have run too.
  return Sync();
}

bool PgConnection::Sync() {
  if (!PQpipelineSync(conn_) || !Flush()) {
    error_ = LibpqError();
    Close();
    return false;
  }
  expected_.push_back(Expect::kSyncPoint);
  WaitRead();
  return true;
}

void PgConnection::Cancel(CancelSink& canceller) {
  if (conn_ != nullptr) canceller.Cancel(PQgetCancel(conn_));
}

bool PgConnection::Flush() {
  const int pending = PQflush(conn_);
  if (pending < 0) return false;
  if (pending > 0) WaitWrite();
  return true;
}

void PgConnection::WaitWrite() {
  if (write_armed_) return;
  write_armed_ = true;
  socket_.async_wait(WaitType::wait_write,
                     [this, generation = generation_](const boost::system::error_code& ec) {
                       if (ec == asio::error::operation_aborted) return;
                       if (generation != generation_) return;
                       write_armed_ = false;
                       if (ec) return Fail("database socket: " + ec.message());
                       if (!Flush()) Fail(LibpqError());
                     });
}

// Armed whenever the connection is open, idle included: a server that closes the connection
// (a restart, an administrator) is noticed at once, not at the next statement.
void PgConnection::WaitRead() {
  if (read_armed_) return;
  read_armed_ = true;
  socket_.async_wait(WaitType::wait_read,
                     [this, generation = generation_](const boost::system::error_code& ec) {
                       if (ec == asio::error::operation_aborted) return;
                       if (generation != generation_) return;
                       read_armed_ = false;
                       if (ec) return Fail("database socket: " + ec.message());
                       OnReadable();
                     });
}

void PgConnection::OnReadable() {
  // libpq reads one buffer's worth per call; bytes left in the socket are not lost to the
  // edge-triggered loop, because Asio re-arms the descriptor for each wait (EPOLL_CTL_MOD),
  // which reports readiness already there.
  if (!PQconsumeInput(conn_) || PQstatus(conn_) == CONNECTION_BAD) return Fail(LibpqError());
  if (!TakeResults()) return;
  WaitRead();
}

bool PgConnection::TakeResults() {
  const std::uint64_t generation = generation_;
  while (!expected_.empty() && !PQisBusy(conn_)) {
    ResultPtr result(PQgetResult(conn_));
    const ExecStatusType status =
        result ? PQresultStatus(result.get()) : PGRES_EMPTY_QUERY;  // status unused when null
    if (result && status == PGRES_FATAL_ERROR &&
        (PQstatus(conn_) == CONNECTION_BAD || Ends(*result))) {
      Fail(PQresultErrorMessage(result.get()));
      return false;
    }
    switch (expected_.front()) {
      case Expect::kPrepared:
        if (!result || status != PGRES_COMMAND_OK) {
          Fail(result ? PQresultErrorMessage(result.get()) : "preparing: no result");
          return false;
        }
        break;
      case Expect::kRows:
        if (!result) {
          Fail("statement ended without a result");
          return false;
        }
        expected_.pop_front();
        --statements_in_flight_;
        observer_.OnResult(*this, *result);
        if (generation != generation_) return false;
        continue;
      case Expect::kEndOfStatement:
        if (result) continue;  // A further result of the same statement: none is expected.
        break;
      case Expect::kSyncPoint:
        if (!result || status != PGRES_PIPELINE_SYNC) {
          Fail("pipeline out of step");
          return false;
        }
        break;
    }
    expected_.pop_front();
    if (preparing_ && expected_.empty()) {
      preparing_ = false;
      observer_.OnReady(*this);
      if (generation != generation_) return false;
    }
  }
  return true;
}

}  // namespace cpp_beast
