#include "sim/results.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/find_name.h"

namespace fourp {

namespace {

size_t index_of(const std::vector<std::string>& names, std::string_view name, const char* what) {
  const std::optional<size_t> k = find_name(names, name);
  if (!k) throw std::out_of_range(fmt::format("no {} named '{}'", what, name));
  return *k;
}

}  // namespace

size_t Results::metric_index(std::string_view name) const {
  return index_of(series_names, name, "metric");
}

size_t Results::total_index(std::string_view name) const {
  return index_of(total_names, name, "total");
}

}  // namespace fourp
