// Who may use the web app (app/serve/): the three checks every request passes before it reaches
// a handler, kept apart from the server so that tests can exercise each rule directly.
//   - the token: a random secret printed in the URL (as Jupyter does); the first page that
//     carries it sets a cookie, so links and scripts need not repeat it;
//   - the Host header: one of the names the server answers to, so that a page of another site
//     whose name a DNS rebinding points at 127.0.0.1 is refused;
//   - the Origin header of every request that changes something: the app's own, so that another
//     site's page cannot post to it from the analyst's browser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fourp::serve {

// 32 random bytes (the system's random source) as 64 hexadecimal digits.
std::string random_token();

class Guard {
 public:
  // `host`: the address served ("127.0.0.1"); `port` the port. Requests may name it, localhost
  // or 127.0.0.1 (with the port) when it is the loopback address.
  Guard(std::string token, const std::string& host, int port);

  const std::string& token() const { return token_; }
  const std::string& cookie_name() const { return cookie_; }

  bool host_allowed(std::string_view host_header) const;
  // An Origin that is missing is allowed (curl, scripts: no browser page sends the request);
  // one that is present must be the app's own.
  bool origin_allowed(std::string_view origin_header) const;
  // The token in the query (`?token=`) or in the Cookie header; compared in constant time.
  bool token_in_query(std::string_view query_token) const;
  bool token_in_cookie(std::string_view cookie_header) const;
  // The Set-Cookie value after a page was opened with the token.
  std::string set_cookie() const;

 private:
  std::string token_;
  std::string cookie_;  // per port: two servers on one machine keep their own
  std::vector<std::string> hosts_, origins_;
};

}  // namespace fourp::serve
