#include "compare/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "compare/mann_whitney.h"
#include "stats/stats.h"

namespace harness {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Lookup(const std::map<std::string, std::string>& method, const std::string& key) {
  auto it = method.find(key);
  return it == method.end() ? "(absent)" : it->second;
}

// The scenario a per-scenario method key belongs to; empty for machine-wide keys.
std::string ScenarioOf(const std::string& key) {
  for (std::string_view prefix : {"scenario:", "warmup:"}) {
    if (key.starts_with(prefix)) return key.substr(prefix.size());
  }
  return "";
}

// Fills the method differences; returns the scenarios whose own settings differ.
std::set<std::string> DiffMethods(const RunResults& base, const RunResults& next, Comparison& c) {
  std::set<std::string> keys, scenarios;
  for (const auto& [key, value] : base.method) keys.insert(key);
  for (const auto& [key, value] : next.method) keys.insert(key);
  for (const std::string& key : keys) {
    std::string before = Lookup(base.method, key), after = Lookup(next.method, key);
    if (before == after) continue;
    if (key.starts_with("code:")) {
      // A server in one run only has no code change to speak of: its rows say "missing".
      if (base.method.contains(key) && next.method.contains(key)) {
        c.code_changes.push_back({key.substr(5), before, after});
      }
      continue;
    }
    c.method_differences.push_back({key, before, after});
    std::string scenario = ScenarioOf(key);
    if (scenario.empty()) c.machine_differs = true;
    scenarios.insert(scenario);
  }
  c.fingerprints_differ = base.fingerprint != next.fingerprint;
  // Different fingerprints but no key to say which setting differs (a hand-edited file): trust
  // nothing.
  if (c.fingerprints_differ && c.method_differences.empty()) c.machine_differs = true;
  return scenarios;
}

RunInfo InfoOf(const RunResults& results) {
  RunInfo info;
  info.started_at = results.started_at;
  info.git_sha = results.environment.git_sha;
  info.fingerprint = results.fingerprint;
  return info;
}

template <typename T>
void AppendMissing(std::vector<T>& to, const std::vector<T>& from) {
  for (const T& item : from) {
    if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
  }
}

// Whether the U test can judge the row at `level`, and if so its p-value; else the effect size
// alone will decide.
void Test(Row& row, double level) {
  int n1 = static_cast<int>(row.base_values.size()), n2 = static_cast<int>(row.new_values.size());
  if (MinimumPValue(n1, n2) < level) {
    row.decision = Decision::kUTest;
    row.p_value = MannWhitneyU(row.base_values, row.new_values).p_value;
  } else {
    row.decision = Decision::kEffectOnly;
  }
}

void Judge(Row& row, const CompareOptions& options) {
  const MetricSpec& metric = *row.metric;
  double delta = row.new_median - row.base_median;
  bool large = std::isfinite(row.change_pct) &&
               std::abs(row.change_pct) >= options.threshold_pct * metric.threshold_factor &&
               std::abs(delta) >= metric.floor;
  bool changed = large && (row.decision != Decision::kUTest || row.p_adjusted < options.alpha);
  bool worse = metric.better == Better::kHigher ? delta < 0 : delta > 0;
  row.verdict = !changed ? Verdict::kNoChange : worse ? Verdict::kRegressed : Verdict::kImproved;
}

// Tests the rows at `judged`, corrects the p-values of those the U test could judge, and gives
// every one its verdict.
void JudgeAll(Comparison& c, const std::vector<size_t>& judged) {
  const CompareOptions& options = c.options;
  c.test_level = options.alpha;
  if (options.correction != Correction::kNone && !judged.empty()) {
    c.test_level /= static_cast<double>(judged.size());
  }
  std::vector<size_t> family;
  std::vector<double> p_values;
  for (size_t i : judged) {
    Test(c.rows[i], c.test_level);
    if (c.rows[i].decision != Decision::kUTest) continue;
    family.push_back(i);
    p_values.push_back(c.rows[i].p_value);
  }
  c.family_size = static_cast<int>(family.size());
  std::vector<double> adjusted = AdjustPValues(p_values, options.correction);
  for (size_t k = 0; k < family.size(); ++k) c.rows[family[k]].p_adjusted = adjusted[k];
  for (size_t i : judged) Judge(c.rows[i], options);
}

}  // namespace

std::string_view CorrectionName(Correction correction) {
  switch (correction) {
    case Correction::kHolm:
      return "holm";
    case Correction::kBenjaminiHochberg:
      return "bh";
    case Correction::kNone:
      return "none";
  }
  return "";
}

std::vector<double> AdjustPValues(const std::vector<double>& p_values, Correction correction) {
  const size_t m = p_values.size();
  std::vector<double> adjusted = p_values;
  if (correction == Correction::kNone) return adjusted;
  std::vector<size_t> order(m);  // smallest p-value first; ties in their order
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return p_values[x] < p_values[y]; });
  if (correction == Correction::kHolm) {
    // The k-th smallest (k from 0) faces alpha / (m - k), and only once all smaller ones passed:
    // the running maximum of (m - k) p.
    double running = 0;
    for (size_t k = 0; k < m; ++k) {
      running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p_values[order[k]]));
      adjusted[order[k]] = running;
    }
  } else {
    // The k-th smallest (k from 1) passes when any p_(j), j >= k, is at most j alpha / m: the
    // running minimum of m p / j from the largest down.
    double running = 1;
    for (size_t k = m; k-- > 0;) {
      double scaled = static_cast<double>(m) * p_values[order[k]] / static_cast<double>(k + 1);
      running = std::min(running, std::min(1.0, scaled));
      adjusted[order[k]] = running;
    }
  }
  return adjusted;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNoChange:
      return "no change";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kNotComparable:
      return "not comparable";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kMissing:
      return "missing";
  }
  return "";
}

int Comparison::Count(Verdict verdict) const {
  return static_cast<int>(
      std::count_if(rows.begin(), rows.end(), [&](const Row& r) { return r.verdict == verdict; }));
}

bool Comparison::AnyRegression() const {
  return Count(Verdict::kRegressed) > 0 || Count(Verdict::kFailed) > 0;
}

Comparison Compare(const RunResults& base, const RunResults& next, const CompareOptions& options) {
  Comparison c;
  c.options = options;
  c.base = InfoOf(base);
  c.next = InfoOf(next);
  std::set<std::string> changed_scenarios = DiffMethods(base, next, c);

  std::vector<std::string> servers = ServerOrder(next);
  AppendMissing(servers, ServerOrder(base));
  // A server measured before that fails now is a regression, whatever it still measured.
  for (const std::string& server : servers) {
    const ServerOutcome* before = FindServer(base, server);
    const ServerOutcome* after = FindServer(next, server);
    if (before && before->ok && after && !after->ok) {
      Row row;
      row.server = server;
      row.change_pct = row.p_value = row.p_adjusted = kNaN;
      row.verdict = Verdict::kFailed;
      row.note = std::string(ServerVerdictName(after->verdict)) + ": " + after->failure;
      c.rows.push_back(row);
    }
  }

  std::vector<size_t> judged;  // rows with both sides measured and comparable
  std::vector<Point> points = Points(next);
  auto base_points = Points(base);
  for (const Point& p : base_points) {
    auto same = [&](const Point& q) { return q.scenario == p.scenario && q.level == p.level; };
    if (std::none_of(points.begin(), points.end(), same)) points.push_back(p);
  }
  for (const Point& point : points) {
    for (const std::string& server : servers) {
      for (const MetricSpec& metric : Metrics()) {
        if (!metric.compared) continue;
        Row row;
        row.point = point;
        row.server = server;
        row.metric = &metric;
        row.base_values = Values(base, server, point, metric);
        row.new_values = Values(next, server, point, metric);
        if (row.base_values.empty() && row.new_values.empty()) continue;
        row.base_median = Median(row.base_values);
        row.new_median = Median(row.new_values);
        row.change_pct = row.base_median == 0
                             ? kNaN
                             : (row.new_median - row.base_median) / std::abs(row.base_median) * 100;
        row.p_value = row.p_adjusted = kNaN;
        if (row.base_values.empty() || row.new_values.empty()) {
          row.verdict = Verdict::kMissing;
          row.note = row.base_values.empty() ? "not measured in the base run"
                                             : "not measured in the new run";
        } else if (c.machine_differs || changed_scenarios.contains(point.scenario)) {
          row.verdict = Verdict::kNotComparable;
          row.note = c.machine_differs ? "the machine or method differs" : "the scenario differs";
        } else if (auto rates = std::pair(OfferedRate(base, server, point),
                                          OfferedRate(next, server, point));
                   rates.first != rates.second) {
          // A sweep's levels are fractions of each run's own saturation throughput: compared
          // only where both runs offered the same absolute rate.
          row.verdict = Verdict::kNotComparable;
          row.note = fmt::format("offered {} rps in the base run, {} in the new",
                                 rates.first ? fmt::format("{:.0f}", *rates.first) : "no rate",
                                 rates.second ? fmt::format("{:.0f}", *rates.second) : "no rate");
        } else {
          judged.push_back(c.rows.size());
        }
        c.rows.push_back(std::move(row));
      }
    }
  }
  JudgeAll(c, judged);
  return c;
}

}  // namespace harness
