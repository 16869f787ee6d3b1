#include "database.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace cpp_beast {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Nothing listens on port 1 of the loopback interface: a connect is refused at once.
constexpr char kDeadDatabase[] = "postgresql://postgres@127.0.0.1:1/benchmark";

// Holds cancel requests back until the test sends them: a cancel that lands late.
class HeldCancels final : public CancelSink {
 public:
  ~HeldCancels() {
    for (PGcancel* cancel : held) PQfreeCancel(cancel);
  }
  void Cancel(PGcancel* cancel) override { held.push_back(cancel); }
  void SendAll() {
    for (PGcancel* cancel : held) {
      char error[256];
      EXPECT_TRUE(PQcancel(cancel, error, sizeof error)) << error;
      PQfreeCancel(cancel);
    }
    held.clear();
  }

  std::vector<PGcancel*> held;
};

// Records the answers it gets: the row count (-1 for a 503) and the first username.
class Recorder final : public QueryClient {
 public:
  struct Answer {
    std::uint64_t id;
    int rows;
    std::string first_username;
    Clock::time_point at;
  };

  void OnQueryDone(std::uint64_t id, const PGresult* result) override {
    Answer answer{id, result ? PQntuples(result) : -1, "", Clock::now()};
    if (answer.rows > 0) answer.first_username = PQgetvalue(result, 0, 1);
    answers.push_back(answer);
  }
  bool abandoned() const override { return gone; }

  std::vector<Answer> answers;
  bool gone = false;
};

class DatabaseTest : public ::testing::Test {
 protected:
  void Open(const std::string& conninfo, Database::Options options = {}) {
    options.conninfo = conninfo;
    database_ = std::make_unique<Database>(ioc_, options, status_, *sink_);
    database_->Start();
  }

  // Runs the loop until `done` holds or `limit` passes; returns `done()`.
  bool RunUntil(const std::function<bool()>& done, Clock::duration limit = 5s) {
    const Clock::time_point deadline = Clock::now() + limit;
    while (!done() && Clock::now() < deadline) {
      if (ioc_.stopped()) ioc_.restart();
      ioc_.run_for(10ms);
    }
    return done();
  }

  bool Answered(std::size_t count) {
    return RunUntil([&] { return recorder_->answers.size() >= count; });
  }

  void TearDown() override {
    database_.reset();  // Closes the connections; the loop does not run again.
  }

  asio::io_context ioc_{1};
  std::vector<std::string> lines_;
  DatabaseStatus status_{[this](const std::string& line) { lines_.push_back(line); }};
  Canceller canceller_;
  CancelSink* sink_ = &canceller_;
  std::unique_ptr<Database> database_;
  std::shared_ptr<Recorder> recorder_ = std::make_shared<Recorder>();
};

TEST_F(DatabaseTest, DeadDatabaseAnswers503AtOnceAndLogsOnce) {
  Open(kDeadDatabase, {.connections = 2});
  const Clock::time_point start = Clock::now();
  for (std::uint64_t id = 0; id < 5; ++id) {
    database_->Submit(recorder_, id, Statement::kUsers, "");
  }
  EXPECT_TRUE(recorder_->answers.empty());  // Never from inside Submit().
  ASSERT_TRUE(Answered(5));
  for (const Recorder::Answer& answer : recorder_->answers) EXPECT_EQ(answer.rows, -1);
  EXPECT_LT(Clock::now() - start, 500ms);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_TRUE(lines_[0].starts_with("cpp-beast: database down (")) << lines_[0];
}

// The rest need a database loaded with postgres/schema.sql and seed.sql, named by
// CPP_BEAST_TEST_DATABASE_URL. One holds a lock on table "user" for about a second, and one
// terminates other sessions' backends: point it at a scratch cluster, not a shared one.
class LiveDatabaseTest : public DatabaseTest {
 protected:
  void SetUp() override {
    const char* url = std::getenv("CPP_BEAST_TEST_DATABASE_URL");
    if (url == nullptr) GTEST_SKIP() << "CPP_BEAST_TEST_DATABASE_URL unset";
    url_ = url;
  }

  // A plain blocking libpq session, as a second client of the database.
  struct Session {
    explicit Session(const std::string& url) : conn(PQconnectdb(url.c_str())) {}
    ~Session() { PQfinish(conn); }
    // Runs `sql`; the first field of its last result, or "" (and a failed expectation).
    std::string Exec(const char* sql) {
      PGresult* result = PQexec(conn, sql);
      const ExecStatusType status = PQresultStatus(result);
      EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
          << sql << ": " << PQerrorMessage(conn);
      std::string value = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
      PQclear(result);
      return value;
    }
    PGconn* conn;
  };

  std::string url_;
};

TEST_F(LiveDatabaseTest, RunsBothStatements) {
  Open(url_, {.connections = 2});
  database_->Submit(recorder_, 0, Statement::kUsers, "");
  database_->Submit(recorder_, 1, Statement::kUserByName, "user1");
  database_->Submit(recorder_, 2, Statement::kUserByName, "nobody");
  ASSERT_TRUE(Answered(3));
  for (const Recorder::Answer& answer : recorder_->answers) {
    EXPECT_EQ(answer.rows, (std::vector<int>{100, 1, 0})[answer.id]) << answer.id;
    if (answer.id == 1) {
      EXPECT_EQ(answer.first_username, "user1");
    }
  }
  EXPECT_TRUE(RunUntil([&] { return database_->ready_connections() == 2; }));
  EXPECT_TRUE(lines_.empty());
}

TEST_F(LiveDatabaseTest, WaitersAreServedInOrderAndTheQueueIsBounded) {
  Open(url_, {.connections = 1, .queue_limit = 3});
  // The connection is still opening: the first three wait, the rest find the queue full.
  for (std::uint64_t id = 0; id < 6; ++id) {
    database_->Submit(recorder_, id, Statement::kUserByName, "user" + std::to_string(id + 1));
  }
  ASSERT_TRUE(Answered(6));
  std::vector<std::uint64_t> served;
  for (const Recorder::Answer& answer : recorder_->answers) {
    if (answer.id < 3) {
      EXPECT_EQ(answer.first_username, "user" + std::to_string(answer.id + 1));
      served.push_back(answer.id);
    } else {
      EXPECT_EQ(answer.rows, -1) << answer.id;
    }
  }
  EXPECT_EQ(served, (std::vector<std::uint64_t>{0, 1, 2}));
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0], "cpp-beast: answering 503: request queue full (3 waiting)");
}

TEST_F(LiveDatabaseTest, PipelinedStatementsOnOneConnection) {
  Open(url_, {.connections = 1, .pipeline_depth = 4});
  ASSERT_TRUE(RunUntil([&] { return database_->ready_connections() == 1; }));
  for (std::uint64_t id = 0; id < 20; ++id) {
    database_->Submit(recorder_, id, Statement::kUserByName, "user" + std::to_string(id + 1));
  }
  ASSERT_TRUE(Answered(20));
  for (std::uint64_t i = 0; i < 20; ++i) {
    EXPECT_EQ(recorder_->answers[i].id, i);
    EXPECT_EQ(recorder_->answers[i].first_username, "user" + std::to_string(i + 1));
  }
}

TEST_F(LiveDatabaseTest, AnAbandonedClientGetsNoAnswer) {
  Open(url_, {.connections = 1});
  recorder_->gone = true;
  database_->Submit(recorder_, 0, Statement::kUsers, "");
  auto other = std::make_shared<Recorder>();
  database_->Submit(other, 1, Statement::kUsers, "");
  ASSERT_TRUE(RunUntil([&] { return !other->answers.empty(); }));
  EXPECT_TRUE(recorder_->answers.empty());
}

// A statement blocked on a lock stands for a database that stopped answering. At depth 2 the
// statement pipelined behind it runs (and blocks) once the first is cancelled: it is cancelled
// in turn, so the connection is reused rather than dropped.
class DeadlineTest : public LiveDatabaseTest, public ::testing::WithParamInterface<int> {};

TEST_P(DeadlineTest, StatementsPastTheirDeadlineAreCancelledAnd503ThenTheConnectionRecovers) {
  const int depth = GetParam();
  Open(url_, {.connections = 1, .timeout = 300ms, .pipeline_depth = depth});
  ASSERT_TRUE(RunUntil([&] { return database_->ready_connections() == 1; }));
  Session locker(url_);
  locker.Exec("BEGIN");
  locker.Exec(R"(LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE)");
  const Clock::time_point start = Clock::now();
  for (int id = 0; id < depth; ++id) database_->Submit(recorder_, id, Statement::kUsers, "");
  ASSERT_TRUE(Answered(depth));
  for (const Recorder::Answer& answer : recorder_->answers) {
    EXPECT_EQ(answer.rows, -1) << answer.id;
    const auto took = answer.at - start;
    EXPECT_GE(took, 300ms) << answer.id;
    EXPECT_LT(took, 1000ms) << answer.id;
  }
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("the statement was cancelled"), std::string::npos) << lines_[0];
  // The cancel reached the server: nothing waits on the lock any more, the lock still held.
  bool cancelled = false;
  for (int i = 0; i < 50 && !cancelled; ++i) {
    RunUntil([] { return false; }, 20ms);
    cancelled = locker.Exec("SELECT count(*) FROM pg_locks WHERE NOT granted") == "0";
  }
  EXPECT_TRUE(cancelled);
  locker.Exec("COMMIT");
  database_->Submit(recorder_, depth, Statement::kUsers, "");
  ASSERT_TRUE(Answered(depth + 1));
  EXPECT_EQ(recorder_->answers[depth].rows, 100);
  EXPECT_EQ(database_->ready_connections(), 1);
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_TRUE(lines_[1].starts_with("cpp-beast: database back after ")) << lines_[1];
}

INSTANTIATE_TEST_SUITE_P(Depths, DeadlineTest, ::testing::Values(1, 2),
                         [](const auto& info) { return "depth" + std::to_string(info.param); });

// A statement that ends on its own past its deadline, before its cancel lands: the cancel would
// stop whatever runs next on that backend, so the connection is reopened, not reused.
TEST_F(LiveDatabaseTest, ACancelThatLandsLateStopsNoOtherRequest) {
  HeldCancels held;
  sink_ = &held;
  Open(url_, {.connections = 1, .timeout = 500ms});
  ASSERT_TRUE(RunUntil([&] { return database_->ready_connections() == 1; }));
  Session locker(url_);
  locker.Exec("BEGIN");
  locker.Exec(R"(LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE)");
  database_->Submit(recorder_, 0, Statement::kUsers, "");
  ASSERT_TRUE(Answered(1));
  EXPECT_EQ(recorder_->answers[0].rows, -1);
  ASSERT_EQ(held.held.size(), 1u);
  locker.Exec("COMMIT");  // the statement ends, its cancel still held back
  ASSERT_TRUE(RunUntil([&] { return database_->ready_connections() == 1; }));

  locker.Exec("BEGIN");
  locker.Exec(R"(LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE)");
  database_->Submit(recorder_, 1, Statement::kUsers, "");
  RunUntil([] { return false; }, 100ms);  // the next statement waits on the lock
  held.SendAll();                         // and the first one's cancel lands now
  RunUntil([] { return false; }, 100ms);
  locker.Exec("COMMIT");
  ASSERT_TRUE(Answered(2));
  EXPECT_EQ(recorder_->answers[1].rows, 100);
  // The reopened connection replaced the old one: a later failure is still judged right.
  EXPECT_EQ(status_.connections_up(), 1);
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_NE(lines_[0].find("database down"), std::string::npos) << lines_[0];
  EXPECT_TRUE(lines_[1].starts_with("cpp-beast: database back after ")) << lines_[1];
  database_.reset();  // before `held`, which it refers to
}

// What a database restart does to open connections: every backend ends.
TEST_F(LiveDatabaseTest, TerminatedBackendsCostNo503) {
  Open(url_, {.connections = 2});
  database_->Submit(recorder_, 0, Statement::kUsers, "");
  ASSERT_TRUE(Answered(1));
  ASSERT_TRUE(RunUntil([&] { return database_->ready_connections() == 2; }));
  Session admin(url_);
  admin.Exec(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE pid <> pg_backend_pid() AND datname = current_database() "
      "AND backend_type = 'client backend'");
  // At once, before the connections can have noticed, and again after they have.
  database_->Submit(recorder_, 1, Statement::kUsers, "");
  ASSERT_TRUE(Answered(2));
  RunUntil([] { return false; }, 300ms);
  database_->Submit(recorder_, 2, Statement::kUsers, "");
  ASSERT_TRUE(Answered(3));
  for (const Recorder::Answer& answer : recorder_->answers) {
    EXPECT_EQ(answer.rows, 100) << "request " << answer.id;
  }
  EXPECT_TRUE(lines_.empty()) << lines_[0];  // It was never down: no 503 was given.
  EXPECT_TRUE(RunUntil([&] { return database_->ready_connections() == 2; }));
}

}  // namespace
}  // namespace cpp_beast
