#include "sim/neighbour_sums.h"

#include <cstring>

namespace fourp {

namespace {
using Lanes = float __attribute__((vector_size(16)));  // SSE on every x86-64 processor
}

void sum_over_neighbours(const Network& network, const NeighbourRecord* records, uint32_t first,
                         uint32_t count, NeighbourRecord* sums) {
  const NeighbourRecord* __restrict x = records;
  for (uint32_t k = 0; k < count; ++k) {
    Lanes sum = {};
    for (uint32_t j : network.neighbours(first + k)) {
      Lanes r;
      std::memcpy(&r, &x[j], sizeof r);
      sum += r;
    }
    std::memcpy(&sums[k], &sum, sizeof sum);
  }
}

}  // namespace fourp
