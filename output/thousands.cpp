// Thousands separators (thousands.h).
#include "output/thousands.h"

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

std::string whole_with_thousands(double x) {
  std::string out = x < 0 ? "-" : "";
  out += group_thousands(fmt::format("{:.0f}", std::fabs(x)));
  return out;
}

}  // namespace fourp
