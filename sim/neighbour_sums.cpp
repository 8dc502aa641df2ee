#include "sim/neighbour_sums.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <span>

namespace fourp {

namespace {

using Lanes = float __attribute__((vector_size(16)));  // SSE on every x86-64 processor

inline void add(Lanes& sum, const NeighbourRecord& r) {
  Lanes v;
  std::memcpy(&v, &r, sizeof v);
  sum += v;
}

}  // namespace

// Each agent's sum is one chain of additions in tie order (so the bits are fixed), and a chain
// waits for each addition in turn. Four agents are therefore summed side by side over their first
// min-degree ties, four independent chains the processor overlaps, then each finishes its own.
void sum_over_neighbours(const Network& network, const NeighbourRecord* records, uint32_t first,
                         uint32_t count, NeighbourRecord* sums, const uint8_t* order,
                         const uint32_t* columns) {
  auto at = [order](uint32_t k) { return order ? order[k] : k; };
  const uint32_t* range_ties = count ? network.neighbours(first).data() : nullptr;
  auto ties_of = [&](uint32_t v) {
    const std::span<const uint32_t> ties = network.neighbours(v);
    return columns ? std::span<const uint32_t>(columns + (ties.data() - range_ties), ties.size())
                   : ties;
  };
  const NeighbourRecord* __restrict x = records;
  uint32_t k = 0;
  for (; k + 4 <= count; k += 4) {
    const uint32_t k0 = at(k), k1 = at(k + 1), k2 = at(k + 2), k3 = at(k + 3);
    const std::span<const uint32_t> t0 = ties_of(first + k0), t1 = ties_of(first + k1),
                                    t2 = ties_of(first + k2), t3 = ties_of(first + k3);
    const size_t common = std::min({t0.size(), t1.size(), t2.size(), t3.size()});
    Lanes s0 = {}, s1 = {}, s2 = {}, s3 = {};
    for (size_t e = 0; e < common; ++e) {
      add(s0, x[t0[e]]), add(s1, x[t1[e]]), add(s2, x[t2[e]]), add(s3, x[t3[e]]);
    }
    for (size_t e = common; e < t0.size(); ++e) add(s0, x[t0[e]]);
    for (size_t e = common; e < t1.size(); ++e) add(s1, x[t1[e]]);
    for (size_t e = common; e < t2.size(); ++e) add(s2, x[t2[e]]);
    for (size_t e = common; e < t3.size(); ++e) add(s3, x[t3[e]]);
    std::memcpy(&sums[k0], &s0, sizeof s0), std::memcpy(&sums[k1], &s1, sizeof s1);
    std::memcpy(&sums[k2], &s2, sizeof s2), std::memcpy(&sums[k3], &s3, sizeof s3);
  }
  for (; k < count; ++k) {
    Lanes sum = {};
    for (uint32_t j : ties_of(first + at(k))) add(sum, x[j]);
    std::memcpy(&sums[at(k)], &sum, sizeof sum);
  }
}

void gather_order(const Network& network, uint32_t first, uint32_t count, uint8_t* order) {
  std::iota(order, order + count, uint8_t{0});
  std::stable_sort(order, order + count, [&](uint8_t a, uint8_t b) {
    return network.degree(first + a) < network.degree(first + b);
  });
}

}  // namespace fourp
