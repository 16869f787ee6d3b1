#include "results/level.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace harness {

Level Level::Fraction(double fraction) {
  return Level(Kind::kFraction, static_cast<int>(std::lround(fraction * 100)));
}

std::optional<Level> Level::Parse(std::string_view name) {
  if (name.empty()) return Level();
  if (name == "saturation") return Saturation();
  double fraction = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), fraction);
  if (ec != std::errc() || end != name.data() + name.size() || !(fraction > 0)) {
    return std::nullopt;
  }
  return Fraction(fraction);
}

std::optional<double> Level::fraction() const {
  if (kind_ != Kind::kFraction) return std::nullopt;
  return hundredths_ / 100.0;
}

std::string Level::Name() const {
  switch (kind_) {
    case Kind::kFixed:
      return "";
    case Kind::kSaturation:
      return "saturation";
    case Kind::kFraction:
      return fmt::format("{}.{:02}", hundredths_ / 100, hundredths_ % 100);
  }
  return "";
}

std::string Level::Label() const {
  return kind_ == Kind::kFraction ? fmt::format("{}%", hundredths_) : Name();
}

}  // namespace harness
