#include "results/environment.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "util/files.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

// name==version lines of a requirements file.
void PipPins(const fs::path& file, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  std::ifstream in(file);
  std::string line;
  static const std::regex pin(R"(^([A-Za-z0-9_.\[\]-]+)==([^\s;#]+))");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, pin)) out[prefix + m[1].str()] = m[2];
  }
}

// The versions Cargo.lock resolved for the direct dependencies named in Cargo.toml.
void CargoPins(const fs::path& dir, const std::string& prefix,
               std::map<std::string, std::string>& out) {
  std::ifstream toml(dir / "Cargo.toml");
  std::set<std::string> direct;
  std::string line;
  bool in_deps = false;
  static const std::regex dep(R"(^([A-Za-z0-9_-]+)\s*=)");
  std::smatch m;
  while (std::getline(toml, line)) {
    if (line.starts_with("[")) in_deps = line == "[dependencies]";
    if (in_deps && std::regex_search(line, m, dep)) direct.insert(m[1]);
  }
  std::ifstream lock(dir / "Cargo.lock");
  std::string name;
  while (std::getline(lock, line)) {
    if (line.starts_with("name = ")) name = line.substr(8, line.size() - 9);
    if (line.starts_with("version = ") && direct.contains(name)) {
      out[prefix + name] = line.substr(11, line.size() - 12);
    }
  }
}

}  // namespace

std::string FolderGitSha(const fs::path& dir) {
  std::string sha = CommandOutput("git -C " + Quote(dir) + " log -1 --format=%h -- .");
  if (sha.empty()) return "unknown";
  if (!CommandOutput("git -C " + Quote(dir) + " status --porcelain -- .").empty()) {
    sha += "-dirty";
  }
  return sha;
}

Environment CollectEnvironment(const Config& config, const std::string& oha_version) {
  // The harness's own commit: the checkout its binary was built in, wherever bench.yaml lives
  // (a user's own folder has its servers' commits under code:<server>).
  std::error_code ec;
  fs::path root = fs::read_symlink("/proc/self/exe", ec).parent_path();
  Environment env = CollectHostEnvironment(ec ? fs::path(".") : root);
  if (env.git_sha == "unknown") {  // a build outside the checkout: bench.yaml's folder's, as before
    Environment by_config = CollectHostEnvironment(
        config.file.has_parent_path() ? fs::absolute(config.file, ec).parent_path() : ".");
    env.git_sha = by_config.git_sha;
    env.git_dirty = by_config.git_dirty;
  }
  env.versions["oha"] = oha_version;
  for (const ServerConfig& s : config.servers) {
    PipPins(s.dir / "requirements.txt", s.name + ":", env.versions);
    CargoPins(s.dir, s.name + ":", env.versions);
  }
  return env;
}

Environment CollectHostEnvironment(const fs::path& root) {
  Environment env;
  env.cpu_model = CpuModel();
  env.cores = static_cast<int>(std::thread::hardware_concurrency());
  utsname u{};
  if (uname(&u) == 0) env.kernel = std::string(u.sysname) + " " + u.release;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) env.hostname = host;

  env.git_sha = CommandOutput("git -C " + Quote(root) + " rev-parse --short HEAD");
  if (env.git_sha.empty()) env.git_sha = "unknown";
  env.git_dirty = !CommandOutput("git -C " + Quote(root) + " status --porcelain").empty();

  auto& v = env.versions;
  v["g++"] = CommandOutput("g++ -dumpfullversion");
  v["rustc"] = CommandOutput("rustc --version");
  v["python3"] = CommandOutput("python3 --version");
  v["postgres"] = CommandOutput("\"$(pg_config --bindir)/postgres\" --version");
  for (const char* pkg : {"libboost-dev", "libpqxx-dev", "libyaml-cpp-dev", "libcli11-dev",
                          "nlohmann-json3-dev", "libfmt-dev", "libgtest-dev"}) {
    v[std::string("deb:") + pkg] =
        CommandOutput(std::string("dpkg-query -W -f='${Version}' ") + pkg);
  }
  return env;
}

std::map<std::string, std::string> MethodOf(const Config& config, const Environment& env,
                                            const std::map<std::string, std::string>& commands) {
  std::map<std::string, std::string> method;
  for (const auto& [name, command] : commands) method["scenario:" + name] = command;
  for (const Scenario& s : config.scenarios) {
    if (s.warmup.count() > 0) method["warmup:" + s.name] = FormatDuration(s.warmup);
  }
  method["oha"] = env.versions.count("oha") ? env.versions.at("oha") : "";
  method["cpu"] = env.cpu_model;
  method["cores"] = std::to_string(env.cores);
  method["kernel"] = env.kernel;
  method["db_pool_size"] = std::to_string(config.db_pool_size);
  method["postgres.max_connections"] = std::to_string(config.postgres.max_connections);
  method["pinning"] =
      config.pinning.server + "/" + config.pinning.postgres + "/" + config.pinning.oha;
  method["sample_interval"] = FormatDuration(config.sample_interval);
  // The toolchains and the database change the numbers as much as the servers' code does.
  for (const char* tool : {"postgres", "python3", "rustc", "g++"}) {
    method[tool] = env.versions.count(tool) ? env.versions.at(tool) : "";
  }
  // Shown when it differs, but not a reason to call runs incomparable: a new harness that
  // measures the same way is what the nightly compares with.
  // "(harness)" cannot be a server's name (bench.yaml allows letters, digits, . _ -).
  method["code:(harness)"] = env.git_sha + (env.git_dirty ? "-dirty" : "");
  for (const ServerConfig& s : config.servers) {
    if (s.enabled) method["code:" + s.name] = FolderGitSha(s.dir);
  }
  return method;
}

std::string Fingerprint(const std::map<std::string, std::string>& method) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const auto& [key, value] : method) {
    if (key.starts_with("code:")) continue;  // a change of code is what compare looks for
    for (char c : key + "=" + value + "\n") {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

}  // namespace harness
