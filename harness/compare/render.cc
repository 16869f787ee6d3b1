#include "compare/render.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "compare/mann_whitney.h"
#include "report/format.h"
#include "report/table.h"

namespace harness {
namespace {

std::string FormatValue(const MetricSpec& metric, double value) {
  return metric.key == "rps" ? FormatRps(value) : FormatSignificant(value, 3);
}

std::string FormatChange(double pct) {
  if (!std::isfinite(pct)) return std::string(kMissing);
  if (std::abs(pct) < 0.05) return "0.0%";  // no sign on what rounds to nothing
  return fmt::format("{:+.1f}%", pct);
}

std::string FormatP(double p) {
  return std::isnan(p) ? std::string(kMissing) : FormatSignificant(p, 2);
}

std::string VerdictCell(const Row& row) {
  std::string text(VerdictName(row.verdict));
  if (row.verdict == Verdict::kRegressed || row.verdict == Verdict::kFailed) {
    text = "**" + text + "**";
  }
  if (row.decision == Decision::kEffectOnly && row.verdict != Verdict::kNotComparable) {
    text += " (effect size only)";
  }
  if (row.verdict == Verdict::kMissing) text += ": " + row.note;
  return text;
}

std::string RunLine(const char* role, const RunInfo& run) {
  std::string line = fmt::format("**{}** {}", role, CodeSpan(run.label));
  std::vector<std::string> details;
  if (!run.started_at.empty()) details.push_back("started " + EscapeMarkdown(run.started_at));
  if (!run.git_sha.empty()) details.push_back("harness " + EscapeMarkdown(run.git_sha));
  if (!details.empty()) line += fmt::format(" ({})", fmt::join(details, ", "));
  return line;
}

std::string Headline(const Comparison& c) {
  int regressed = c.Count(Verdict::kRegressed), failed = c.Count(Verdict::kFailed);
  std::vector<std::string> parts;
  for (Verdict v :
       {Verdict::kImproved, Verdict::kNoChange, Verdict::kNotComparable, Verdict::kMissing}) {
    if (int n = c.Count(v); n > 0) parts.push_back(fmt::format("{} {}", n, VerdictName(v)));
  }
  std::string rest = parts.empty() ? "" : fmt::format(", {}", fmt::join(parts, ", "));
  if (regressed + failed == 0) return fmt::format("**No regression**{}.\n", rest);
  std::string bad = fmt::format("{} regressed", regressed);
  if (failed > 0) bad += fmt::format(", {} server{} failed", failed, failed == 1 ? "" : "s");
  return fmt::format("**Regression: {}**{}.\n", bad, rest);
}

std::string Differences(const Comparison& c) {
  std::string out;
  if (!c.method_differences.empty() || c.machine_differs) {
    std::vector<std::string> keys;
    for (const MethodDifference& d : c.method_differences) {
      keys.push_back(
          fmt::format("{}: {} → {}", CodeSpan(d.key), CodeSpan(d.base), CodeSpan(d.next)));
    }
    out += fmt::format("> **The method differs** (fingerprint {} → {}){}{}\n>\n> {}\n\n",
                       CodeSpan(c.base.fingerprint), CodeSpan(c.next.fingerprint),
                       keys.empty() ? "" : ": ", fmt::join(keys, "; "),
                       c.machine_differs
                           ? "The machine or the load generator differs: every row is marked not "
                             "comparable."
                           : "The rows of the scenarios whose settings differ are marked not "
                             "comparable.");
  }
  if (!c.code_changes.empty()) {
    std::vector<std::string> changes;
    for (const MethodDifference& d : c.code_changes) {
      changes.push_back(fmt::format("{} {} → {}", EscapeMarkdown(d.key), EscapeMarkdown(d.base),
                                    EscapeMarkdown(d.next)));
    }
    out += fmt::format("Code changed: {}.\n\n", fmt::join(changes, ", "));
  }
  std::vector<std::string> failed;
  for (const Row& row : c.rows) {
    if (row.verdict == Verdict::kFailed) {
      failed.push_back(
          fmt::format("**{}** ({})", EscapeMarkdown(row.server), EscapeMarkdown(row.note)));
    }
  }
  if (!failed.empty())
    out += fmt::format("Failed in the new run: {}.\n\n", fmt::join(failed, ", "));
  return out;
}

// "Holm", "Benjamini-Hochberg", "" with no correction.
std::string_view CorrectionTitle(Correction correction) {
  switch (correction) {
    case Correction::kHolm:
      return "Holm";
    case Correction::kBenjaminiHochberg:
      return "Benjamini-Hochberg";
    case Correction::kNone:
      break;
  }
  return "";
}

// The adjusted p-values' column: "Holm", "BH".
std::string_view ShortTitle(Correction correction) {
  return correction == Correction::kBenjaminiHochberg ? "BH" : CorrectionTitle(correction);
}

std::string Rule(const Comparison& c) {
  const CompareOptions& o = c.options;
  int m = c.family_size;
  std::string correction;
  if (o.correction == Correction::kNone) {
    correction = fmt::format(" (no correction for the {} rows it judged)", m);
  } else if (m == 0) {
    correction = fmt::format(" after {}'s correction (no row here has the repetitions for it)",
                             CorrectionTitle(o.correction));
  } else {
    correction = fmt::format(
        " after {}'s correction over the {} row{} it judged (\"p ({})\": {})",
        CorrectionTitle(o.correction), m, m == 1 ? "" : "s", ShortTitle(o.correction),
        o.correction == Correction::kHolm
            ? fmt::format("the chance that noise alone changes any of them stays under {}", o.alpha)
            : fmt::format("noise makes up under {:g}% of the rows called changed, on average",
                          100 * o.alpha));
  }
  std::string out = fmt::format(
      "A row changes when the two-sided Mann-Whitney U test over the repetitions gives p < {}{} "
      "and the medians differ by at least {}% (99% latency, a noisier figure: {}%; peak memory: "
      "and by at least 1 MiB). CPU is judged per request.\n",
      o.alpha, correction, o.threshold_pct, 2 * o.threshold_pct);
  bool effect_only = std::any_of(c.rows.begin(), c.rows.end(),
                                 [](const Row& r) { return r.decision == Decision::kEffectOnly; });
  if (effect_only) {
    int needed = 2;
    while (MinimumPValue(needed, needed) >= c.test_level && needed < 100) ++needed;
    auto judged = std::count_if(c.rows.begin(), c.rows.end(),
                                [](const Row& r) { return r.decision != Decision::kNone; });
    std::string level = o.correction == Correction::kNone
                            ? ""
                            : fmt::format("{} over the {} rows judged; ", o.alpha, judged);
    out += fmt::format(
        "\n\"Effect size only\": too few repetitions for the U test ever to reach p < {:.2g} "
        "({}with equal counts it needs {} on each side); the threshold alone decides{}.\n",
        c.test_level, level, needed,
        o.correction == Correction::kNone ? "" : ", outside the correction");
  }
  return out + "\n";
}

std::string Tables(const Comparison& c) {
  std::string out;
  std::vector<std::string> seen;
  for (const Row& first : c.rows) {
    if (!first.metric) continue;
    std::string label = first.point.Label();
    if (std::find(seen.begin(), seen.end(), label) != seen.end()) continue;
    seen.push_back(label);
    bool corrected = c.options.correction != Correction::kNone;
    std::vector<std::vector<std::string>> rows;
    for (const Row& row : c.rows) {
      if (!row.metric || row.point.Label() != label) continue;
      std::vector<std::string> cells = {EscapeMarkdown(row.server),
                                        std::string(row.metric->label),
                                        FormatValue(*row.metric, row.base_median),
                                        FormatValue(*row.metric, row.new_median),
                                        FormatChange(row.change_pct),
                                        FormatP(row.p_value)};
      if (corrected) cells.push_back(FormatP(row.p_adjusted));
      cells.push_back(fmt::format("{} / {}", row.base_values.size(), row.new_values.size()));
      cells.push_back(VerdictCell(row));
      rows.push_back(std::move(cells));
    }
    std::vector<Column> columns = {
        {"Server", Align::kLeft}, {"Metric", Align::kLeft}, {"Base"}, {"New"}, {"Change"}, {"p"}};
    if (corrected) {
      columns.push_back({fmt::format("p ({})", ShortTitle(c.options.correction))});
    }
    columns.push_back({"Reps"});
    columns.push_back({"Verdict", Align::kLeft});
    out += fmt::format("## {}\n\n", EscapeMarkdown(label));
    out += RenderTable(columns, rows);
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json Number(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json RunJson(const RunInfo& run) {
  return {{"label", run.label},
          {"path", run.path},
          {"started_at", run.started_at},
          {"git_sha", run.git_sha},
          {"fingerprint", run.fingerprint}};
}

nlohmann::ordered_json DifferencesJson(const std::vector<MethodDifference>& differences,
                                       const char* key_name) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const MethodDifference& d : differences) {
    out.push_back({{key_name, d.key}, {"base", d.base}, {"new", d.next}});
  }
  return out;
}

}  // namespace

std::string RenderComparisonMarkdown(const Comparison& c) {
  std::string out = "# Benchmark comparison\n\n";
  out += RunLine("Base", c.base) + " → " + RunLine("new", c.next) + ".\n\n";
  out += Headline(c) + "\n" + Differences(c) + Rule(c) + Tables(c);
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

std::string RenderComparisonJson(const Comparison& c) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const Row& row : c.rows) {
    std::string_view decision = row.decision == Decision::kUTest        ? "u-test"
                                : row.decision == Decision::kEffectOnly ? "effect size only"
                                                                        : "none";
    rows.push_back({{"scenario", row.point.scenario},
                    {"level", row.point.level.Name()},
                    {"server", row.server},
                    {"metric", row.metric ? std::string(row.metric->key) : ""},
                    {"base_values", row.base_values},
                    {"new_values", row.new_values},
                    {"base_median", Number(row.base_median)},
                    {"new_median", Number(row.new_median)},
                    {"change_pct", Number(row.change_pct)},
                    {"p_value", Number(row.p_value)},
                    {"p_adjusted", Number(row.p_adjusted)},
                    {"decision", decision},
                    {"verdict", VerdictName(row.verdict)},
                    {"note", row.note}});
  }
  nlohmann::ordered_json summary;
  for (Verdict v : {Verdict::kRegressed, Verdict::kFailed, Verdict::kImproved, Verdict::kNoChange,
                    Verdict::kNotComparable, Verdict::kMissing}) {
    summary[std::string(VerdictName(v))] = c.Count(v);
  }
  nlohmann::ordered_json doc = {
      {"base", RunJson(c.base)},
      {"new", RunJson(c.next)},
      {"alpha", c.options.alpha},
      {"threshold_pct", c.options.threshold_pct},
      {"correction", CorrectionName(c.options.correction)},
      {"correction_rows", c.family_size},
      {"regression", c.AnyRegression()},
      {"summary", summary},
      {"fingerprints_differ", c.fingerprints_differ},
      {"machine_differs", c.machine_differs},
      {"method_differences", DifferencesJson(c.method_differences, "key")},
      {"code_changes", DifferencesJson(c.code_changes, "server")},
      {"rows", rows},
  };
  return doc.dump(2) + "\n";
}

}  // namespace harness
