#include "sim/far_ties.h"

#include <algorithm>

namespace fourp {

FarTies::FarTies(const Network& network, const Layout& layout,
                 std::span<const uint32_t> range_starts)
    : network_(network), nodes_(network.nodes()) {
  const uint32_t* base = network.neighbours(0).data();
  for (size_t r = 0; r + 1 < range_starts.size(); ++r) {
    range_slots_.push_back(source_.size());
    for (uint32_t v = range_starts[r]; v < range_starts[r + 1]; ++v) {
      const uint32_t c = layout.community[v];
      const uint32_t lo = layout.community_start[c], hi = layout.community_start[c + 1];
      const std::span<const uint32_t> ties = network.neighbours(v);
      for (size_t e = 0; e < ties.size(); ++e)
        if (ties[e] < lo || ties[e] >= hi) {
          position_.push_back(static_cast<uint64_t>(ties.data() + e - base));
          source_.push_back(ties[e]);
        }
    }
  }
  range_slots_.push_back(source_.size());
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
