// Where a name stands in a list of names — a model's totals or series, a sweep's arms: tens at
// most, so a linear search is as fast as a map and keeps the structs that hold them plain data.
//
//   if (std::optional<size_t> k = find_name(results.total_names, name)) use(totals[*k]);
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fourp {

// The position of the first `name` in `names`, or nullopt.
inline std::optional<size_t> find_name(const std::vector<std::string>& names,
                                       std::string_view name) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<size_t>(it - names.begin());
}

}  // namespace fourp
