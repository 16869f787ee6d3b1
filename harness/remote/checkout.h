// The agent runs from a checkout of this project on its host, and only at the controller's
// commit: the same commit is the same harness, and the same servers' code and bench files.
#pragma once

#include <filesystem>
#include <string>

#include "util/result.h"

namespace harness {

// The commit `checkout` is at (`git rev-parse HEAD`), 40 hex digits.
Result<std::string> CheckoutCommit(const std::filesystem::path& checkout);

// The checkout this binary was built in: the git work tree that holds /proc/self/exe (the
// controller's; an agent's checkout is the folder its ssh command changed to).
std::filesystem::path OwnCheckout();

// The agent's one-line refusal of a checkout at another commit, with how to sync it.
std::string CommitMismatch(const std::string& host, const std::string& checkout,
                           const std::string& at, const std::string& want);

}  // namespace harness
