#include "route.h"

#include <gtest/gtest.h>

#include <string>

namespace cpp_beast {
namespace {

Route Get(std::string_view target, std::string* username = nullptr) {
  std::string ignored;
  return RouteRequest(Method::kGetOrHead, target, username ? username : &ignored);
}

TEST(RouteRequestTest, OriginForm) {
  EXPECT_EQ(Get("/"), Route::kUsers);
  EXPECT_EQ(Get("/?page=2&x=/a?b"), Route::kUsers);
  EXPECT_EQ(Get("/nope"), Route::kNotFound);
  EXPECT_EQ(Get("//"), Route::kNotFound);
  EXPECT_EQ(Get("/./"), Route::kNotFound);
  EXPECT_EQ(Get("/users"), Route::kNotFound);
  EXPECT_EQ(Get("/users/"), Route::kNotFound);
  EXPECT_EQ(Get("/users/user1/"), Route::kNotFound);
  EXPECT_EQ(Get("/users/a/b"), Route::kNotFound);
  EXPECT_EQ(Get("/%75sers/user1"), Route::kNotFound);  // Routes match the path as sent.
}

TEST(RouteRequestTest, AbsoluteFormRoutesOnItsPath) {
  EXPECT_EQ(Get("http://127.0.0.1:8003/"), Route::kUsers);
  EXPECT_EQ(Get("http://x"), Route::kUsers);  // An empty path is "/".
  EXPECT_EQ(Get("http://x?a=1"), Route::kUsers);
  EXPECT_EQ(Get("HTTPS://user@[::1]:443/?q"), Route::kUsers);
  EXPECT_EQ(Get("http://x/nope"), Route::kNotFound);
  std::string username;
  EXPECT_EQ(Get("http://x/users/user7", &username), Route::kUserByName);
  EXPECT_EQ(username, "user7");
}

TEST(RouteRequestTest, InvalidTargetsAreBadRequests) {
  for (const char* target :
       {"", "x:80", "nope", "/#fragment", "/a b", "/a\"b", "/{}", "/a|b", "/\\", "/%", "/%2",
        "/%zz", "/caf\xc3\xa9", "http:/x/", "://x/", "1http://x/", "http://x y/", "http://x/#"}) {
    EXPECT_EQ(Get(target), Route::kBadTarget) << target;
  }
}

TEST(RouteRequestTest, Asterisk) { EXPECT_EQ(Get("*"), Route::kNotFound); }

TEST(RouteRequestTest, Methods) {
  std::string ignored;
  EXPECT_EQ(RouteRequest(Method::kOther, "/", &ignored), Route::kMethodNotAllowed);
  EXPECT_EQ(RouteRequest(Method::kOther, "/users/u", &ignored), Route::kMethodNotAllowed);
  EXPECT_EQ(RouteRequest(Method::kOther, "/nope", &ignored), Route::kNotFound);
  // RFC 9110 §9.1: a method the server does not implement is 501, whatever the target.
  for (const char* target : {"/", "/nope", "*", "127.0.0.1:443", "/{"}) {
    EXPECT_EQ(RouteRequest(Method::kNotImplemented, target, &ignored), Route::kNotImplemented)
        << target;
  }
}

TEST(RouteRequestTest, UsernameIsPercentDecoded) {
  std::string username;
  EXPECT_EQ(Get("/users/user1", &username), Route::kUserByName);
  EXPECT_EQ(username, "user1");
  EXPECT_EQ(Get("/users/user%31?x=1", &username), Route::kUserByName);
  EXPECT_EQ(username, "user1");
  EXPECT_EQ(Get("/users/a%2Fb%20c", &username), Route::kUserByName);
  EXPECT_EQ(username, "a/b c");
  EXPECT_EQ(Get("/users/caf%C3%A9", &username), Route::kUserByName);
  EXPECT_EQ(username, "caf\xc3\xa9");
}

TEST(RouteRequestTest, UsernamesNoRowCanHoldAreNotFound) {
  // A text parameter cannot carry NUL, and a UTF8 database holds no invalid UTF-8: such a
  // username is not found without asking the database.
  for (const char* target : {"/users/user1%00", "/users/%FF", "/users/%C0%AF", "/users/%ED%A0%80",
                             "/users/%F4%90%80%80", "/users/%E2%82"}) {
    EXPECT_EQ(Get(target), Route::kNotFound) << target;
  }
}

TEST(ValidHostTest, Values) {
  for (const char* host : {"", "x", "127.0.0.1:8003", "[::1]:80", "a-b.example.com", "%41"}) {
    EXPECT_TRUE(ValidHost(host)) << host;
  }
  for (const char* host : {"a b", "a/b", "a@b", "a\"b", "%4", "a\\b"}) {
    EXPECT_FALSE(ValidHost(host)) << host;
  }
}

}  // namespace
}  // namespace cpp_beast
