// A GitHub Markdown table whose columns line up in plain text too, since
// `harness run` prints the same tables to the terminal.
#pragma once

#include <string>
#include <vector>

namespace harness {

enum class Align { kLeft, kRight };

struct Column {
  std::string header;  // Markdown, already escaped
  Align align = Align::kRight;
};

// Cells are Markdown, already escaped; a short row is padded with empty cells.
// Widths count UTF-8 code points, so "–" takes one column.
std::string RenderTable(const std::vector<Column>& columns,
                        const std::vector<std::vector<std::string>>& rows);

}  // namespace harness
