#include "servers/contract.h"

#include "postgres/database.h"
#include "postgres/sql_text.h"

namespace harness {

Status CheckHeaders(const HttpResponse& response) {
  if (!response.body.empty() && !response.has("content-type")) {
    return MakeError("no Content-Type header");
  }
  bool bodiless = response.status == 204 || response.status == 304;
  if (!bodiless && !response.has("content-length") && !response.chunked) {
    return MakeError("neither Content-Length nor chunked encoding");
  }
  if (!response.has("date")) return MakeError("no Date header");
  return OkStatus();
}

Expectation ContractExpectation() {
  Expectation e;
  e.status = 200;
  e.content_type = "application/json";
  e.body.kind = BodyKind::kSql;
  e.body.sql = kBenchmarkQuery;
  e.queries.count = 1;
  e.queries.matching = kBenchmarkQueryPattern;
  e.queries.rows = 100;
  e.samples = 1;
  return e;
}

}  // namespace harness
