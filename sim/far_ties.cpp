#include "sim/far_ties.h"

#include <algorithm>

namespace fourp {

FarTies::FarTies(const Network& network, const Layout& layout,
                 std::span<const uint32_t> range_starts, double max_share)
    : network_(network), nodes_(network.nodes()) {
  range_slots_.assign(range_starts.size(), 0);
  if (nodes_ == 0) return;
  const uint32_t* base = network.neighbours(0).data();
  auto leaves = [&](uint32_t v, uint32_t j) {
    const uint32_t c = layout.community[v];
    return j < layout.community_start[c] || j >= layout.community_start[c + 1];
  };
  uint64_t ends = 0, far = 0;
  for (uint32_t v = 0; v < nodes_; ++v)
    for (uint32_t j : network.neighbours(v)) ++ends, far += leaves(v, j);
  if (static_cast<double>(far) > max_share * static_cast<double>(ends)) return;
  for (size_t r = 0; r + 1 < range_starts.size(); ++r) {
    range_slots_[r] = source_.size();
    for (uint32_t v = range_starts[r]; v < range_starts[r + 1]; ++v) {
      const std::span<const uint32_t> ties = network.neighbours(v);
      for (size_t e = 0; e < ties.size(); ++e)
        if (leaves(v, ties[e])) {
          position_.push_back(static_cast<uint64_t>(ties.data() + e - base));
          source_.push_back(ties[e]);
        }
    }
  }
  range_slots_.back() = source_.size();
}

void FarTies::columns(uint32_t first, uint32_t count, std::vector<uint32_t>& columns) const {
  const uint32_t* base = network_.neighbours(0).data();
  const uint32_t* begin = network_.neighbours(first).data();
  const std::span<const uint32_t> last = network_.neighbours(first + count - 1);
  columns.assign(begin, last.data() + last.size());
  const uint64_t from = static_cast<uint64_t>(begin - base), to = from + columns.size();
  auto slot = std::lower_bound(position_.begin(), position_.end(), from);
  for (; slot != position_.end() && *slot < to; ++slot)
    columns[*slot - from] = nodes_ + static_cast<uint32_t>(slot - position_.begin());
}

}  // namespace fourp
