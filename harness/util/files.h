// Small file helpers shared by the stages.
#pragma once

#include <filesystem>
#include <string>

#include "util/result.h"

namespace harness {

// Writes to a temporary file beside `path`, then renames it over: readers see the old file or
// the whole new one, never a torn one. Creates the parent directory.
Status WriteFileAtomic(const std::filesystem::path& path, const std::string& content);

Result<std::string> ReadFile(const std::filesystem::path& path);

// The last `lines` non-empty lines of a text file, joined with " | " (for one-line errors).
std::string TailLines(const std::filesystem::path& path, int lines);

}  // namespace harness
