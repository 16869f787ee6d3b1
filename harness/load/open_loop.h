// Did an open-loop run (oha -q, with latency correction) measure the server, or a backlog?
//
// oha sends requests on a schedule, one every 1/rate seconds, into a queue that its `-c`
// connections drain. While the server keeps up, a request leaves the queue when it is due, so the
// requests in the system are the ones in flight: by Little's law rate × mean latency of them, and
// never more than the connections. A server that falls behind leaves requests queued in oha, and
// with latency correction their wait counts as latency: the figures then measure the backlog (it
// grows with the length of the run), not the server. The throughput hardly shows it, because oha
// drops what is still queued at a -z deadline. So a point is judged by its backlog, two ways:
//
// - At the end. With -z, `unsent` = rate × duration − requests: the requests still queued at the
//   deadline (-w waits only for those in flight, which are counted). With -n, the run overruns its
//   schedule (n / rate) while the backlog drains: unsent = rate × overrun, and the requests in
//   flight when the schedule ended (at most the connections) explain part of that. `backlog_ms` =
//   unsent / rate: how far behind its schedule oha was when the schedule ended.
//   Allowed: what the requests in flight explain (with -n), plus oha's timer, whose scheduler
//   ticks on a 1 ms wheel and drops ticks that wake after the deadline: unsent up to
//   max(kSlackRequests, rate × kSlack). In every healthy point of the reference run unsent was
//   below rate × 1.5 ms.
// - During the run. rate × mean latency (Little's law: the requests in the system, queued or in
//   flight) above the connections means requests waited in oha's queue on average.
//
// Either makes the point saturated. oha 1.15 stamps a request with the time its scheduler woke,
// not the time it was due, so on a busy machine, where the scheduler wakes late, the correction
// can understate latency; the backlog rule does not depend on those stamps.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "load/figures.h"
#include "load/oha.h"

namespace harness {

inline constexpr std::chrono::milliseconds kSlack{5};
inline constexpr long long kSlackRequests = 2;

// For a run with a rate: fills m.schedule_s, unsent, backlog_ms, in_system and saturated, and
// says why in m.warnings when saturated. A closed loop (no rate) is left alone.
void JudgeOpenLoop(const LoadSpec& spec, LoadFigures& m);

// A backlog for people: "164 ms", "7.5 s".
std::string FormatBacklog(double ms);

// What a saturated point shows instead of its latency, by the rule that judged it: "saturated
// (backlog 7.5 s)" when oha ended behind its schedule, else "saturated (51 in the system for 10
// connections)" (Little's law: requests waited in oha's queue, though it caught up by the end).
// `behind`: LoadFigures::behind_schedule (the backlog rule fired).
std::string SaturatedLabel(bool behind, double backlog_ms, std::optional<double> in_system,
                           int connections);

}  // namespace harness
