#include "sim/number_words.h"

#include <cmath>

#include <fmt/format.h>

namespace fourp {

std::string group_thousands(std::string_view digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string thousands(double x) {
  return (x < 0 ? "-" : "") + group_thousands(fmt::format("{:.0f}", std::fabs(x)));
}

std::string plain_value(double x) {
  if (std::isnan(x)) return "?";
  if (std::fabs(x) < 1e15 && x == std::round(x)) return thousands(x);
  return fmt::format("{}", x);
}

std::string money(const std::string& currency, double x) {
  std::string v;
  if (x == std::round(x) && std::fabs(x) < 1e15)
    v = thousands(x);
  else if (std::fabs(x) >= 1)
    v = thousands(std::trunc(x)) + fmt::format("{:.2f}", std::fabs(x - std::trunc(x))).substr(1);
  else
    v = fmt::format("{}", x);
  return currency.empty() ? v : currency + " " + v;
}

std::string plain_percent(double p) {
  return std::isnan(p) ? "?" : fmt::format("{}%", plain_value(std::round(p * 1e4) / 100));
}

}  // namespace fourp
