// `harness agent`: the harness on a host of its own, run by the controller over SSH (README,
// "More than one machine"). It serves the protocol of remote/protocol.h on its stdin and stdout,
// the SSH connection's, and listens on no socket: the controller reaches it only through sshd.
//
// Nothing it starts outlives it: when its stdin closes (the controller is done, or the connection
// is gone), on SIGTERM, SIGINT or SIGHUP, or when the controller falls silent for longer than its
// lease, it stops every process group, sampler and cluster it started, says bye and exits; and
// were it killed outright, the supervisors of its processes (util/supervisor.h) stop them as
// they do for a killed harness.
#pragma once

namespace harness {

// Serves requests read from `in` with answers written to `out` until the session ends; returns
// the exit code. The caller keeps anything else off `out`.
int RunAgent(int in, int out);

}  // namespace harness
