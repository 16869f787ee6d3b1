// Where a run happened: the machine, the toolchains, the pinned libraries, the code's git state.
// Recorded in every results.json so figures can be traced and runs compared like with like.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "config/config.h"
#include "results/results.h"

namespace harness {

Environment CollectEnvironment(const Config& config, const std::string& oha_version);

// What any machine of a run records: CPU model, cores, kernel, hostname, the toolchains' and
// libraries' versions, and the git state of `checkout`. CollectEnvironment adds oha and the
// servers' pinned libraries; an agent (remote/agent.h) answers with its host's.
Environment CollectHostEnvironment(const std::filesystem::path& checkout);

// The last commit touching `dir`, with "-dirty" when it has uncommitted changes; "unknown"
// outside git.
std::string FolderGitSha(const std::filesystem::path& dir);

// The settings that decide whether two runs can be compared (see RunResults::method), and under
// "code:<server>" each server folder's git sha.
std::map<std::string, std::string> MethodOf(const Config& config, const Environment& env,
                                            const std::map<std::string, std::string>& commands);
// A short stable hash of the method proper, leaving out the "code:" keys: two runs of different
// code with the same method have the same fingerprint (FNV-1a, 64 bits, hex).
std::string Fingerprint(const std::map<std::string, std::string>& method);

}  // namespace harness
