// Three hosts on this machine for the tests of remote execution: network namespaces with sshd
// each, made by tests/hosts/netns and removed by it whatever the test did (see that script).
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "testing/live.h"

namespace harness {

class NetnsHosts {
 public:
  // Makes the hosts; empty with `why` set when this machine cannot (not root, no `ip netns`,
  // no sshd): the test skips. Any other failure of the script is `why` with the hosts null too,
  // and `failed` set: the test fails.
  static std::unique_ptr<NetnsHosts> Up(std::string& why, bool& failed);
  ~NetnsHosts();  // `down`, then the directory goes

  const std::filesystem::path& dir() const { return dir_; }
  // "a", "b", "c" as bench.yaml would declare them: root@address, the test's key and
  // known_hosts, `checkout` the project's (the one under test).
  HostConfig Host(const std::string& name) const;
  std::string Address(const std::string& name) const;
  std::string Cpus(const std::string& name) const;  // as Cpus_allowed_list writes it
  std::string Namespace(const std::string& name) const;
  // Its veth's end in this (the root) namespace, on the bridge: down, the host is cut off
  // without a word, as by a pulled cable.
  std::string Link(const std::string& name) const;
  // The inode of the host's network namespace, as /proc/<pid>/ns/net names it: net:[INODE].
  std::string NetNs(const std::string& name) const;
  // Live processes in the host's network namespace.
  std::vector<pid_t> Processes(const std::string& name) const;
  // The host's sshd, the one process that belongs there before and after a test.
  pid_t Sshd(const std::string& name) const;
  // What runs in the host's namespace besides its sshd (and, with `sessions`, sshd's
  // per-connection processes), once it has all stopped or `timeout` has passed.
  std::vector<ProcInfo> Leftovers(const std::string& name, std::chrono::milliseconds timeout,
                                  bool sessions = false) const;

 private:
  explicit NetnsHosts(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::string Value(const std::string& key) const;
  std::string Field(const std::string& name, const std::string& field) const;
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

// A test over the three hosts: skipped, saying why, where they cannot be made; failed where the
// script failed; `down` after each test, whatever it did.
class NetnsHostsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    bool failed = false;
    hosts_ = NetnsHosts::Up(why, failed);
    if (!hosts_ && failed) FAIL() << why;
    if (!hosts_) GTEST_SKIP() << why;
  }
  void TearDown() override { hosts_.reset(); }

  std::unique_ptr<NetnsHosts> hosts_;
};

// The network namespace of `pid` (net:[INODE]), or empty when it is gone.
std::string NetNsOf(pid_t pid);
// Its Cpus_allowed_list.
std::string CpusOf(pid_t pid);

}  // namespace harness
