#include "app/serve/guard.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <stdexcept>

namespace fourp::serve {

namespace {

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string random_token() {
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::array<unsigned char, 32> bytes{};
  if (!random.read(reinterpret_cast<char*>(bytes.data()), bytes.size()))
    throw std::runtime_error("cannot read /dev/urandom for the access token");
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

Guard::Guard(std::string token, const std::string& host, int port)
    : token_(std::move(token)), cookie_(fmt::format("fourp_token_{}", port)) {
  std::vector<std::string> names{host};
  if (host == "127.0.0.1" || host == "localhost" || host == "::1")
    names = {"127.0.0.1", "localhost", "[::1]"};
  for (const auto& n : names) {
    hosts_.push_back(fmt::format("{}:{}", n, port));
    origins_.push_back(fmt::format("http://{}:{}", n, port));
  }
}

bool Guard::host_allowed(std::string_view host_header) const {
  for (const auto& h : hosts_)
    if (host_header == h) return true;
  return false;
}

bool Guard::origin_allowed(std::string_view origin_header) const {
  if (origin_header.empty()) return true;
  for (const auto& o : origins_)
    if (origin_header == o) return true;
  return false;
}

bool Guard::token_in_query(std::string_view query_token) const {
  return equal_in_constant_time(query_token, token_);
}

bool Guard::token_in_cookie(std::string_view cookie_header) const {
  // "a=1; fourp_token_8765=…; b=2"
  size_t start = 0;
  while (start < cookie_header.size()) {
    size_t end = cookie_header.find(';', start);
    if (end == std::string_view::npos) end = cookie_header.size();
    std::string_view pair = cookie_header.substr(start, end - start);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == cookie_ &&
        equal_in_constant_time(pair.substr(eq + 1), token_))
      return true;
    start = end + 1;
  }
  return false;
}

std::string Guard::set_cookie() const {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", cookie_, token_);
}

}  // namespace fourp::serve
