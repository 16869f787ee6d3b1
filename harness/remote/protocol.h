// The agent's protocol (remote/agent.h): JSON lines over the agent's stdin and stdout, which on a
// remote host are the SSH connection's. The controller sends one request per line and waits for
// its answer before the next; the agent answers each on one line with the request's id:
//
//   → {"id": 3, "op": "spawn", "argv": ["sh", "-c", "exec sleep 9"], "output": "x.log"}
//   ← {"id": 3, "ok": true, "pid": 4242}
//   ← {"id": 4, "ok": false, "error": "one line saying what failed"}
//
// Paths are the host's, relative ones to the agent's checkout. Durations are milliseconds.
//   hello        {protocol, commit, host, lease_ms} → {agent_pid, checkout, commit, workdir,
//                cpus, online_cpus, environment}. The first request; the agent refuses every
//                other before it, and refuses hello itself when its checkout is at another
//                commit than `commit` (remote/checkout.h). With lease_ms > 0 the agent ends,
//                stopping everything, when no line comes for that long while it is idle (a
//                connection that died silently).
//   ping         {} → {}
//   spawn        {argv, cwd, env, output, error_output, stop_signal} → {pid}: under a supervisor
//                (util/process.h); output defaults to /dev/null, never the protocol's stdout.
//   status       {pid} → {running, exit_code}          (exit_code null while it runs)
//   wait         {pid, timeout_ms} → {exited, exit_code}
//   stop         {pid, grace_ms} → {all_gone, exit_code}
//   rss          {pid} → {rss_mib}: the tree's resident memory now (TreeRssMib)
//   sample_start {groups: {name: pid}, interval_ms} → {sampler}
//   sample_stop  {sampler} → {groups: {name: Usage}, machine: Usage, csv}
//   read_file    {path, max_bytes} → {data}: base64, the file's bytes as they are
//   write_file   {path, data, mode} → {}: data base64; mode (e.g. 0600 as 384) optional
//   free_port    {address} → {port}
//   port_in_use  {address, port} → {in_use}
//   source_address {to} → {address}: the address this host's packets to `to` leave from
//   tcp_rtt      {host, port, tries, timeout_ms} → {address, port, tries, median_ms, min_ms,
//                max_ms}
//   cluster_up   {listen, clients, password, max_connections, cpu_list, setup, keep} → {port,
//                dsn, postmaster_pid, directory}: the embedded Postgres (postgres/cluster.h) on
//                `listen`, admitting `clients` with `password` (scram-sha-256); the dsn carries
//                no password. One cluster per agent.
//   cluster_down {} → {}
// When its stdin closes, on SIGTERM, SIGINT or SIGHUP, or when the lease runs out, the agent
// stops every process, sampler and cluster it started, removes its workdir, writes a last line
// {"bye": true, "reason": ..., "stopped": N, "left": [pids]} (left: what would not stop) and exits.
#pragma once

#include <nlohmann/json.hpp>

#include "results/results.h"

namespace harness {

// Both sides say it in hello; a controller and an agent that speak differently refuse.
inline constexpr int kAgentProtocol = 1;

nlohmann::json UsageToJson(const Usage& usage);
Usage UsageFromJson(const nlohmann::json& json);
nlohmann::json EnvironmentToJson(const Environment& env);
Environment EnvironmentFromJson(const nlohmann::json& json);

}  // namespace harness
