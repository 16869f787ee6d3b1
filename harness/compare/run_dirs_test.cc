#include "compare/run_dirs.h"

#include <gtest/gtest.h>

#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

TEST(RunDirsTest, NewestRunIsTheGreatestTimestampedNameWithResults) {
  fs::path root = TempDir("run-dirs");
  std::string json = ToJson(RunResults{});
  ASSERT_TRUE(WriteFileAtomic(root / "20261125T100000Z-aaa" / "results.json", json));
  ASSERT_TRUE(WriteFileAtomic(root / "20261125T120000Z-bbb" / "results.json", json));
  ASSERT_TRUE(WriteFileAtomic(root / "baseline" / "results.json", json));  // not a run of its own
  fs::create_directories(root / "20261125T130000Z-ccc");                   // started, no results
  auto newest = NewestRun(root);
  ASSERT_TRUE(newest) << newest.error().message;
  EXPECT_EQ(newest->filename(), "20261125T120000Z-bbb");

  auto empty = NewestRun(root / "20261125T130000Z-ccc");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, (root / "20261125T130000Z-ccc").string() +
                                       ": no run directory with a results.json (run `harness "
                                       "run` first)");
  fs::remove_all(root);
}

TEST(RunDirsTest, LoadRunTakesADirectoryOrItsResultsFile) {
  fs::path root = TempDir("run-dirs");
  fs::path dir = root / "20261125T100000Z-aaa";
  ASSERT_TRUE(WriteFileAtomic(dir / "results.json", ToJson(RunResults{})));
  for (const fs::path& path : {dir, dir / "results.json", fs::path(dir.string() + "/")}) {
    auto run = LoadRun(path);
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->label, "20261125T100000Z-aaa") << path;
    EXPECT_EQ(run->dir.filename().string().empty() ? run->dir.parent_path() : run->dir, dir);
  }
  auto missing = LoadRun(root / "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            (root / "nope").string() + ": no such run directory or results file");
  fs::remove_all(root);
}

}  // namespace
}  // namespace harness
