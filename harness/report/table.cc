#include "report/table.h"

#include <algorithm>

namespace harness {
namespace {

size_t Width(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

std::string Pad(const std::string& text, size_t width, Align align) {
  std::string fill(width - std::min(width, Width(text)), ' ');
  return align == Align::kLeft ? text + fill : fill + text;
}

}  // namespace

std::string RenderTable(const std::vector<Column>& columns,
                        const std::vector<std::vector<std::string>>& rows) {
  // At least 3 wide: the delimiter row needs room for ":--" or "--:".
  std::vector<size_t> widths;
  for (const Column& column : columns) {
    widths.push_back(std::max<size_t>(3, Width(column.header)));
  }
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }

  auto line = [&](auto cell) {
    std::string out = "|";
    for (size_t i = 0; i < columns.size(); ++i) out += " " + cell(i) + " |";
    return out + "\n";
  };
  std::string out =
      line([&](size_t i) { return Pad(columns[i].header, widths[i], columns[i].align); });
  out += line([&](size_t i) {
    std::string dashes(widths[i] - 1, '-');
    return columns[i].align == Align::kLeft ? ":" + dashes : dashes + ":";
  });
  for (const auto& row : rows) {
    out += line(
        [&](size_t i) { return Pad(i < row.size() ? row[i] : "", widths[i], columns[i].align); });
  }
  return out;
}

}  // namespace harness
