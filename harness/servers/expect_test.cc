#include "servers/expect.h"

#include <gtest/gtest.h>

#include <regex>

namespace harness {
namespace {

using Json = nlohmann::ordered_json;

// JSON objects are unordered (RFC 8259): a server answering the same rows with its keys in
// another order is right. The old check rejected it ("row 0 is not an object with keys user_id,
// username, email in order").
TEST(ExpectTest, KeysInAnotherOrderAreTheSameObject) {
  Json want = Json::parse(R"([{"user_id": "a", "username": "u1", "email": "e"}])");
  Json got = Json::parse(R"([{"email": "e", "user_id": "a", "username": "u1"}])");
  EXPECT_EQ(JsonDifference(got, want, false), std::nullopt);
  EXPECT_EQ(*JsonDifference(got, want, true),
            "$[0]: keys email, user_id, username, want user_id, username, email in that order");
}

TEST(ExpectTest, TheFirstDifferenceIsNamedByItsPath) {
  Json want = Json::parse(R"([{"id": 1, "tags": ["a", "b"]}, {"id": 2}])");
  EXPECT_EQ(
      *JsonDifference(Json::parse(R"([{"id": 1, "tags": ["a", "c"]}, {"id": 2}])"), want, false),
      R"($[0].tags[1]: got "c", want "b")");
  EXPECT_EQ(*JsonDifference(Json::parse(R"([{"id": 1, "tags": ["a", "b"]}])"), want, false),
            "$: 1 items, want 2");
  EXPECT_EQ(*JsonDifference(Json::parse(R"([{"id": 1}, {"id": 2}])"), want, false),
            R"($[0]: no key "tags")");
  EXPECT_EQ(*JsonDifference(Json::parse(R"([{"id": 1, "tags": ["a", "b"], "x": 0}, {"id": 2}])"),
                            want, false),
            R"($[0]: unexpected key "x")");
  // 1 and 1.0 are the same number.
  EXPECT_EQ(JsonDifference(Json::parse("[1.0]"), Json::parse("[1]"), false), std::nullopt);
}

HttpResponse Answer(int status, const std::string& type, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.headers["content-type"] = type;
  r.headers["content-length"] = std::to_string(body.size());
  r.headers["date"] = "Thu, 26 Nov 2026 15:00:00 GMT";
  r.body = body;
  return r;
}

TEST(ExpectTest, EachPartOfAnExpectationIsCheckedAndNamed) {
  Expectation expect;
  expect.content_type = "application/json";
  expect.body.kind = BodyKind::kJson;
  Sample sample{"/health", {"GET", "/health", true, "", {}}};
  Json want = Json::parse(R"({"status": "ok"})");
  EXPECT_TRUE(CheckAnswer(Answer(200, "application/json; charset=utf-8", R"({"status":"ok"})"),
                          expect, sample, want));
  Status wrong_status = CheckAnswer(Answer(500, "text/plain", "boom"), expect, sample, want);
  EXPECT_EQ(wrong_status.error().message,
            "expect.status: GET /health answered HTTP 500, want 200: boom");
  EXPECT_EQ(CheckAnswer(Answer(200, "text/html", "{}"), expect, sample, want).error().message,
            "expect.content_type: GET /health answered 'text/html', want application/json");
  EXPECT_EQ(
      CheckAnswer(Answer(200, "application/json", R"({"status":"down"})"), expect, sample, want)
          .error()
          .message,
      R"(expect.body: GET /health: $.status: got "down", want "ok")");
  HttpResponse no_date = Answer(200, "application/json", R"({"status":"ok"})");
  no_date.headers.erase("date");
  EXPECT_EQ(CheckAnswer(no_date, expect, sample, want).error().message,
            "headers: GET /health: no Date header");
}

TEST(ExpectTest, AShapeIsArrayLengthAndKeys) {
  Expectation expect;
  expect.body.kind = BodyKind::kShape;
  expect.body.items = 2;
  expect.body.keys = {"id", "name"};
  Sample sample{"/", {}};
  EXPECT_TRUE(
      CheckAnswer(Answer(200, "application/json", R"([{"name":"a","id":1},{"id":2,"name":"b"}])"),
                  expect, sample, std::nullopt));
  EXPECT_EQ(CheckAnswer(Answer(200, "application/json", R"([{"id":1,"name":"a"}])"), expect, sample,
                        std::nullopt)
                .error()
                .message,
            "expect.body.shape: GET /: $: 1 items, want 2");
  EXPECT_EQ(CheckAnswer(Answer(200, "application/json", R"([{"id":1,"name":"a"},{"id":2}])"),
                        expect, sample, std::nullopt)
                .error()
                .message,
            "expect.body.shape: GET /: $[1]: keys id, want id, name");
}

TEST(ExpectTest, SamplesSpreadOverAFileOfPathsOrComeFromOha) {
  RequestSpec file;
  for (int i = 1; i <= 100; ++i) file.paths.push_back("/users/user" + std::to_string(i));
  file.method = "POST";
  file.body = "{}";
  auto samples = SampleRequests(file, 4);
  ASSERT_TRUE(samples);
  ASSERT_EQ(samples->size(), 4u);
  EXPECT_EQ((*samples)[1].path, "/users/user26");
  EXPECT_EQ((*samples)[1].request.method, "POST");
  EXPECT_EQ((*samples)[1].request.body, "{}");

  RequestSpec pattern;
  pattern.path_pattern = "/users/user([1-9][0-9]{0,2}|1[0-9]{3}|2000)";
  samples = SampleRequests(pattern, 8);
  ASSERT_TRUE(samples) << samples.error().message;
  EXPECT_EQ(samples->size(), 8u);
  for (const Sample& s : *samples) {
    EXPECT_TRUE(std::regex_match(s.path, std::regex(pattern.path_pattern))) << s.path;
  }
}

}  // namespace
}  // namespace harness
