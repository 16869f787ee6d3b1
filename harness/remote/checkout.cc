#include "remote/checkout.h"

#include <fmt/format.h>

#include <regex>

#include "util/process.h"

namespace harness {

namespace fs = std::filesystem;

Result<std::string> CheckoutCommit(const fs::path& checkout) {
  std::string sha =
      CommandOutput("git -C " + ShellQuote(checkout.string()) + " rev-parse --verify HEAD");
  static const std::regex kSha("[0-9a-f]{40}");
  if (!std::regex_match(sha, kSha)) {
    return MakeError("{} is not a git checkout of the project (git rev-parse HEAD failed)",
                     checkout.string());
  }
  return sha;
}

fs::path OwnCheckout() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::string top = CommandOutput("git -C " + ShellQuote(exe.parent_path().string()) +
                                  " rev-parse --show-toplevel");
  return top.empty() ? fs::current_path(ec) : fs::path(top);
}

std::string CommitMismatch(const std::string& host, const std::string& checkout,
                           const std::string& at, const std::string& want) {
  return fmt::format(
      "host {}: checkout {} is at {}, the controller at {}: run `git -C {} fetch && git -C {} "
      "checkout {} && {}/scripts/build` there",
      host, checkout, at.substr(0, 7), want.substr(0, 7), checkout, checkout, want, checkout);
}

}  // namespace harness
