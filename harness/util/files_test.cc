#include "util/files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testing/cli.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

TEST(WriteFileAtomicTest, ReplacesTheWholeFileAndCreatesTheDirectory) {
  fs::path dir = TempDir("files-test");
  fs::path file = dir / "a/b/out.txt";
  ASSERT_TRUE(WriteFileAtomic(file, "first, longer content").ok());
  ASSERT_TRUE(WriteFileAtomic(file, "second").ok());
  EXPECT_EQ(*ReadFile(file), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "a/b"), {}), 1) << "no temporary left";
  fs::remove_all(dir);
}

TEST(ReadFileTest, NamesTheFileItCannotRead) {
  auto missing = ReadFile("/nonexistent/results.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/results.json"), std::string::npos);
  EXPECT_FALSE(ReadFile("/tmp").ok()) << "a directory";
}

TEST(ReadProcFileTest, ReadsALiveProcessAndIsFalseOnceItIsGone) {
  std::string text;
  ASSERT_TRUE(ReadProcFile(getpid(), "stat", text));
  EXPECT_EQ(text.substr(0, std::to_string(getpid()).size()), std::to_string(getpid()));

  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_FALSE(ReadProcFile(child, "cmdline", text));
  EXPECT_FALSE(ReadProcFile(child, "stat", text));
}

// What failed CI once: a /proc file opened while the process lived and read after it was
// reaped fails with ESRCH, which an ifstream turns into an exception.
TEST(ReadProcFdTest, IsFalseWhenTheProcessWasReapedAfterTheOpen) {
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  ASSERT_GT(child, 0);
  std::string path = "/proc/" + std::to_string(child) + "/cmdline";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::string text;
  EXPECT_TRUE(ReadProcFd(fd, text));
  kill(child, SIGKILL);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_FALSE(ReadProcFd(fd, text));
  close(fd);
}

}  // namespace
}  // namespace harness
