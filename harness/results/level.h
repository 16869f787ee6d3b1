// Which point of a scenario a measurement is: a fixed scenario's one point, a sweep's
// closed-loop saturation run, or a sweep level, a fraction of the saturation throughput.
// results.json spells them "", "saturation" and the fraction with two decimals ("0.50"), and a
// level is that fraction to the hundredth.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace harness {

class Level {
 public:
  Level() = default;  // a fixed scenario's
  static Level Saturation() { return Level(Kind::kSaturation, 0); }
  static Level Fraction(double fraction);
  // results.json's spelling; empty for anything else.
  static std::optional<Level> Parse(std::string_view name);

  bool fixed() const { return kind_ == Kind::kFixed; }
  bool saturation() const { return kind_ == Kind::kSaturation; }
  std::optional<double> fraction() const;

  std::string Name() const;   // "", "saturation", "0.50"
  std::string Label() const;  // for people: "", "saturation", "50%"

  // In load order: fixed, saturation, then the fractions ascending.
  auto operator<=>(const Level&) const = default;

 private:
  enum class Kind { kFixed, kSaturation, kFraction };
  Level(Kind kind, int hundredths) : kind_(kind), hundredths_(hundredths) {}
  Kind kind_ = Kind::kFixed;
  int hundredths_ = 0;
};

}  // namespace harness
