// Ports on 127.0.0.1, where everything the harness starts listens.
#pragma once

#include "util/result.h"

namespace harness {

// A port that was free a moment ago (the kernel's choice); callers retry if it is taken first.
Result<int> FreePort();

// Whether something accepts TCP connections on 127.0.0.1:port.
bool PortInUse(int port);

}  // namespace harness
