// Small file helpers shared by the stages.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "util/result.h"

namespace harness {

// Writes to a temporary file beside `path`, then renames it over: readers see the old file or
// the whole new one, never a torn one. Creates the parent directory.
Status WriteFileAtomic(const std::filesystem::path& path, const std::string& content);

Result<std::string> ReadFile(const std::filesystem::path& path);

// Reads a whole /proc file through an open descriptor, from its start, so a kept descriptor
// can be read again: /proc generates such a file whole on each read, so one read that does not
// fill the buffer has all of it. `out` keeps its capacity across calls. False when the process
// is gone, including when it was reaped after the file was opened (read fails with ESRCH). These
// never throw, unlike an ifstream, because the processes we watch may exit at any moment; /proc
// files of a live process are never empty.
bool ReadProcFd(int fd, std::string& out);

// Opens /proc/<pid>/<name> and reads it as ReadProcFd does.
bool ReadProcFile(pid_t pid, const char* name, std::string& out);

// The last `lines` non-empty lines of a text file, joined with " | " (for one-line errors).
std::string TailLines(const std::filesystem::path& path, int lines);

}  // namespace harness
