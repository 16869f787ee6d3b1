#include "compare/run_dirs.h"

#include <cctype>

namespace harness {

namespace fs = std::filesystem;

Result<LoadedRun> LoadRun(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError("{}: no such run directory or results file", path.string());
  }
  auto results = LoadResults(path);
  if (!results) return results.error();
  LoadedRun run;
  run.dir = fs::is_directory(path, ec) ? path : path.parent_path();
  if (run.dir.empty()) run.dir = ".";
  run.label = fs::absolute(run.dir).lexically_normal().filename().string();
  if (run.label.empty())
    run.label = fs::absolute(run.dir).lexically_normal().parent_path().filename().string();
  run.results = std::move(*results);
  return run;
}

Result<fs::path> NewestRun(const fs::path& results_dir) {
  std::error_code ec;
  fs::path newest;
  for (const auto& entry : fs::directory_iterator(results_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory(ec) || name.empty() ||
        !std::isdigit(static_cast<unsigned char>(name[0]))) {
      continue;
    }
    if (!fs::exists(entry.path() / "results.json", ec)) continue;
    if (newest.empty() || name > newest.filename().string()) newest = entry.path();
  }
  if (newest.empty()) {
    return MakeError("{}: no run directory with a results.json (run `harness run` first)",
                     results_dir.string());
  }
  return newest;
}

}  // namespace harness
