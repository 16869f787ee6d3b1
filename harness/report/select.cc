#include "report/select.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace harness {
std::vector<std::string> ServerOrder(const RunResults& results) {
  std::vector<std::string> order;
  for (const ServerOutcome& s : results.servers) order.push_back(s.name);
  for (const Measurement& m : results.measurements) {
    if (std::find(order.begin(), order.end(), m.server) == order.end()) {
      order.push_back(m.server);
    }
  }
  return order;
}

const ServerOutcome* FindServer(const RunResults& results, std::string_view name) {
  for (const ServerOutcome& s : results.servers) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<const Measurement*> Select(const RunResults& results, std::string_view server,
                                       std::string_view scenario, const Level& level) {
  std::vector<const Measurement*> points;
  for (const Measurement& m : results.measurements) {
    if (m.server == server && m.scenario == scenario && m.level == level) {
      points.push_back(&m);
    }
  }
  return points;
}

bool AnyValid(const std::vector<const Measurement*>& points) {
  return std::any_of(points.begin(), points.end(), [](const Measurement* m) { return m->valid; });
}

std::vector<const Measurement*> LatencyPoints(const std::vector<const Measurement*>& points) {
  std::vector<const Measurement*> usable;
  size_t valid = 0;
  for (const Measurement* m : points) {
    if (!m->valid) continue;
    ++valid;
    if (!m->saturated) usable.push_back(m);
  }
  if (usable.size() * 2 < valid) usable.clear();
  return usable;
}

bool LatencySaturated(const std::vector<const Measurement*>& points) {
  return AnyValid(points) && LatencyPoints(points).empty();
}

std::vector<double> ValidValues(const std::vector<const Measurement*>& points, Getter get) {
  std::vector<double> values;
  for (const Measurement* m : points) {
    if (!m->valid) continue;
    if (std::optional<double> v = get(*m)) values.push_back(*v);
  }
  return values;
}

std::vector<Level> SweepLevels(const RunResults& results, std::string_view scenario) {
  std::vector<Level> levels;
  for (const Measurement& m : results.measurements) {
    if (m.scenario == scenario && !m.level.fixed() &&
        std::find(levels.begin(), levels.end(), m.level) == levels.end()) {
      levels.push_back(m.level);
    }
  }
  std::sort(levels.begin(), levels.end());
  return levels;
}

int Repetitions(const RunResults& results) {
  int most = 0;
  for (const Measurement& m : results.measurements) {
    most = std::max(most, m.repetition);
  }
  return most;
}

}  // namespace harness
