// Request targets and routes, free of I/O: which resource a request names (RFC 9112 §3.2,
// RFC 3986), and whether its method applies to it.
#ifndef SERVERS_CPP_BEAST_ROUTE_H_
#define SERVERS_CPP_BEAST_ROUTE_H_

#include <string>
#include <string_view>

namespace cpp_beast {

enum class Route {
  kUsers,             // GET or HEAD /
  kUserByName,        // GET or HEAD /users/{username}
  kNotFound,          // another path, or a username no row can hold
  kMethodNotAllowed,  // one of the paths above, another method Beast knows
  kNotImplemented,    // a method this server does not implement (RFC 9110 §9.1: 501)
  kBadTarget,         // neither origin-form nor absolute-form, or bytes RFC 3986 forbids: 400
};

enum class Method {
  kGetOrHead,       // served
  kOther,           // a method with a meaning for these resources (POST, DELETE, ...): 405
  kNotImplemented,  // one Beast does not know, or CONNECT (no tunnels here): 501
};

// Routes `target`, the request-target as received. Accepted: the origin form (`/path?query`),
// the absolute form (`http://host/path?query`, which RFC 9112 §3.2.2 says a server MUST accept;
// the host is not checked) and `*` (a target no resource has). A query is ignored. For
// kUserByName, `*username` gets the last segment percent-decoded. A method not implemented is
// 501 whatever the target, which is then not looked at (CONNECT's is an authority).
Route RouteRequest(Method method, std::string_view target, std::string* username);

// Whether `value` is a valid Host field value (RFC 9110 §7.2: uri-host [":" port], which may be
// empty); the bytes are checked, not the structure.
bool ValidHost(std::string_view value);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_ROUTE_H_
