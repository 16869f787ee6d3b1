#include "load/open_loop.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace harness {

void JudgeOpenLoop(const LoadSpec& spec, LoadFigures& m) {
  if (!spec.rate || *spec.rate <= 0) return;
  const double rate = *spec.rate;
  long long allowed = std::max(
      kSlackRequests,
      static_cast<long long>(std::ceil(rate * std::chrono::duration<double>(kSlack).count())));
  long long unsent = 0;
  if (spec.duration) {
    double schedule = std::chrono::duration<double>(*spec.duration).count();
    m.schedule_s = schedule;
    unsent = std::llround(rate * schedule) - m.requests;
  } else if (spec.requests) {
    double schedule = static_cast<double>(*spec.requests) / rate;
    m.schedule_s = schedule;
    unsent = std::llround(rate * std::max(0.0, m.duration_s - schedule));
    allowed += spec.concurrency;  // in flight when the schedule ended
  }
  unsent = std::max(0LL, unsent);
  m.unsent = unsent;
  m.backlog_ms = 1000.0 * static_cast<double>(unsent) / rate;

  long long responses = m.requests;
  for (const auto& [what, n] : m.errors) responses -= n;
  if (m.latency.mean && m.duration_s > 0 && responses > 0) {
    m.in_system = static_cast<double>(responses) / m.duration_s * (*m.latency.mean / 1000.0);
  }

  bool behind = unsent > allowed;
  bool queued = m.in_system && *m.in_system > spec.concurrency;
  m.saturated = behind || queued;
  if (m.saturated) m.behind_schedule = behind;
  if (behind && spec.duration) {
    m.warnings.push_back(fmt::format(
        "saturated: oha ended {} behind its schedule: {} of the {:.0f} requests offered were "
        "still queued at the deadline ({} allowed for oha's timer)",
        FormatBacklog(*m.backlog_ms), unsent, rate * *m.schedule_s, allowed));
  } else if (behind) {
    m.warnings.push_back(fmt::format(
        "saturated: {} requests scheduled over {} took {}: {} behind the schedule ({} allowed "
        "for oha's timer and the {} requests in flight)",
        *spec.requests, FormatBacklog(1000 * *m.schedule_s), FormatBacklog(1000 * m.duration_s),
        FormatBacklog(*m.backlog_ms), FormatBacklog(1000.0 * allowed / rate), spec.concurrency));
  }
  if (queued) {
    m.warnings.push_back(fmt::format(
        "saturated: rate x mean latency = {:.1f} requests in the system, more than the {} "
        "connections can hold in flight, so requests waited in oha's queue (Little's law)",
        *m.in_system, spec.concurrency));
  }
}

std::string FormatBacklog(double ms) {
  if (ms >= 1000) return fmt::format("{:.3g} s", ms / 1000);
  return fmt::format("{:.3g} ms", ms);
}

std::string SaturatedLabel(bool behind, double backlog_ms, std::optional<double> in_system,
                           int connections) {
  if (behind || !in_system || connections <= 0) {
    return backlog_ms > 0 ? fmt::format("saturated (backlog {})", FormatBacklog(backlog_ms))
                          : "saturated";
  }
  return fmt::format("saturated ({:.0f} in the system for {} connections)", *in_system,
                     connections);
}

}  // namespace harness
