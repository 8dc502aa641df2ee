#include "sim/results.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace fourp {

namespace {

// Names are few (tens), so a linear search is as fast as a map and keeps the struct plain data.
size_t index_of(const std::vector<std::string>& names, std::string_view name, const char* what) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::out_of_range(fmt::format("no {} named '{}'", what, name));
  return static_cast<size_t>(it - names.begin());
}

}  // namespace

size_t Results::metric_index(std::string_view name) const {
  return index_of(series_names, name, "metric");
}

size_t Results::total_index(std::string_view name) const {
  return index_of(total_names, name, "total");
}

}  // namespace fourp
