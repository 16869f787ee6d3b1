// bench.yaml's `hosts` (machines reached with OpenSSH) and `placement` (which role runs where).
#include <fmt/format.h>

#include <regex>

#include "config/config.h"
#include "config/reader.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// An ssh destination: [user@]host, where host is a name, an IPv4 address or an IPv6 one (bare or
// in brackets). Nothing that ssh could read as an option or a second argument: the value goes on
// its command line.
const std::regex kDestination(R"(([A-Za-z0-9._][A-Za-z0-9._-]*@)?[A-Za-z0-9._:\[\]-]+)");
const std::regex kAddress(R"([A-Za-z0-9._:-]+)");

// The host part of an ssh destination, brackets of an IPv6 address removed.
std::string HostPart(const std::string& destination) {
  std::string host = destination.substr(destination.rfind('@') + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

HostConfig ReadHost(const Reader& r, const YAML::Node& node, const std::string& key,
                    const fs::path& base) {
  HostConfig h;
  r.ExpectMap(node, key, {"ssh", "port", "identity", "known_hosts", "checkout", "address"});
  for (const char* required : {"ssh", "checkout"}) {
    if (!node[required]) r.Fail(node, Reader::Join(key, required), "missing");
  }
  h.ssh = r.String(node["ssh"], key + ".ssh");
  if (h.ssh.starts_with("-") || !std::regex_match(h.ssh, kDestination)) {
    r.Fail(node["ssh"], key + ".ssh", "expected an ssh destination such as user@db.example.net");
  }
  if (node["port"]) {
    h.port = static_cast<int>(r.Integer(node["port"], key + ".port", 1));
    if (*h.port > 65535) r.Fail(node["port"], key + ".port", "a TCP port, 1 to 65535");
  }
  if (node["identity"]) h.identity = r.File(node["identity"], key + ".identity", base);
  if (node["known_hosts"]) h.known_hosts = r.File(node["known_hosts"], key + ".known_hosts", base);
  h.checkout = r.String(node["checkout"], key + ".checkout");
  if (!h.checkout.starts_with("/")) {
    r.Fail(node["checkout"], key + ".checkout",
           "expected the absolute path of the project's checkout on that host");
  }
  h.address = HostPart(h.ssh);
  if (node["address"]) {
    h.address = r.String(node["address"], key + ".address");
    if (h.address.starts_with("-") || !std::regex_match(h.address, kAddress)) {
      r.Fail(node["address"], key + ".address", "expected a host name or an IP address");
    }
  }
  // Every address, as every port, is one the harness will bind or connect to on purpose: a
  // wildcard would make Postgres listen everywhere.
  if (h.address == "0.0.0.0" || h.address == "::" || h.address == "*") {
    r.Fail(node[node["address"] ? "address" : "ssh"], key + ".address",
           "must be the host's own address, not a wildcard");
  }
  return h;
}

}  // namespace

Hosts ReadHosts(const Reader& r, const YAML::Node& node, const fs::path& base) {
  if (!node.IsMap() || node.size() == 0) {
    r.Fail(node, "hosts", "expected a mapping of NAME: {ssh: user@host, checkout: /path}");
  }
  Hosts hosts;
  for (const auto& entry : node) {
    std::string name = entry.first.Scalar();
    std::string key = "hosts." + name;
    if (!std::regex_match(name, NamePattern())) {
      r.Fail(entry.first, key, "use letters, digits, '.', '_' and '-' only");
    }
    if (name == kLocalHost) {
      r.Fail(entry.first, key, "'local' names this machine; give the host another name");
    }
    // YAML would keep the first and drop the second without a word.
    if (hosts.contains(name)) r.Fail(entry.first, key, "given twice");
    HostConfig host = ReadHost(r, entry.second, key, base);
    host.name = name;
    hosts.emplace(name, std::move(host));
  }
  return hosts;
}

Placement ReadPlacement(const Reader& r, const YAML::Node& node, const Hosts& hosts) {
  Placement p;
  r.ExpectMap(node, "placement", {"load", "postgres", "servers"});
  if (node["load"]) p.load = ReadHostName(r, node["load"], "placement.load", hosts);
  if (node["postgres"]) p.postgres = ReadHostName(r, node["postgres"], "placement.postgres", hosts);
  if (node["servers"]) p.servers = ReadHostName(r, node["servers"], "placement.servers", hosts);
  return p;
}

std::string ReadHostName(const Reader& r, const YAML::Node& node, const std::string& key,
                         const Hosts& hosts) {
  std::string name = r.String(node, key);
  if (name == kLocalHost || hosts.contains(name)) return name;
  std::string known;
  for (const auto& [host, config] : hosts) known += host + ", ";
  r.Fail(node, key, fmt::format("no host named '{}' (one of: {}{})", name, known, kLocalHost));
}

}  // namespace harness
