// The report's ceilings section: what the machine allowed in the same run (pgbench alone; oha
// against a body served from memory), the bound their measured CPU puts on a request that needs
// both, and each server's closed-loop throughput as a share of them, so a figure near a ceiling
// reads as "the machine", not "the server".
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// Empty when the run measured no ceilings.
std::string RenderCeilings(const RunResults& results);

// Median rps of the ceilings of `kind` for `scenario` ("" for the
// database's, which has none), over repetitions that measured it; NaN when none did.
double CeilingRps(const RunResults& results, CeilingKind kind, const std::string& scenario);

// Medians over repetitions of the CPU-seconds 1,000 requests cost every process of a ceiling run:
// a query (pgbench + Postgres), an HTTP exchange of `scenario`'s load (body server + oha). NaN when
// not measured (no samples of Postgres on an external server).
double QueryCpuPerThousand(const RunResults& results);
double HttpCpuPerThousand(const RunResults& results, const std::string& scenario);
// What the machine's cores allow a request that needs both: cores / (query + exchange), in
// requests per second; NaN when an input is missing or the scenario runs another query.
double CombinedBound(const RunResults& results, const std::string& scenario);
// Whether `scenario`'s requests run the query the database ceiling measured (Ceiling's
// database_query); the database ceiling and the bound apply only then.
bool RunsTheDatabaseQuery(const RunResults& results, const std::string& scenario);

}  // namespace harness
