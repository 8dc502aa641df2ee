#include "sim/network.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <boost/iterator/transform_iterator.hpp>
#include <stdexcept>
#include <string>

namespace fourp {

namespace {

// A directed arc packed as source << 32 | target: sorting the keys sorts arcs by source, then
// target, which is exactly the order of a CSR row list with sorted neighbours.
uint64_t arc_key(uint32_t from, uint32_t to) {
  return static_cast<uint64_t>(from) << 32 | to;
}

std::pair<uint32_t, uint32_t> arc_of(uint64_t key) {
  return {static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key)};
}

// Both directions of every tie that is not a self-loop (MODEL.md: the network is simple).
std::vector<uint64_t> both_directions(uint32_t nodes,
                                      const std::vector<std::pair<uint32_t, uint32_t>>& ties) {
  // Count first, so that the arcs can be written in parallel at fixed offsets.
  std::vector<uint64_t> arcs(2 * ties.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, ties.size()), [&](const auto& range) {
    for (size_t i = range.begin(); i < range.end(); ++i) {
      auto [a, b] = ties[i];
      if (a >= nodes || b >= nodes)
        throw std::out_of_range("Network: tie " + std::to_string(a) + "-" + std::to_string(b) +
                                " names a node >= " + std::to_string(nodes));
      // A self-loop becomes two copies of an impossible key that sorts last and is cut below.
      arcs[2 * i] = a == b ? ~0ull : arc_key(a, b);
      arcs[2 * i + 1] = a == b ? ~0ull : arc_key(b, a);
    }
  });
  return arcs;
}

}  // namespace

Network::Network(uint32_t nodes, std::vector<std::pair<uint32_t, uint32_t>> ties) : nodes_(nodes) {
  std::vector<uint64_t> arcs = both_directions(nodes, ties);
  ties = {};  // release the input early: at a million agents it is tens of megabytes

  // Sorted, unique arcs: duplicates (a tie given twice, or as a-b and b-a) collapse to one.
  tbb::parallel_sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  if (!arcs.empty() && arcs.back() == ~0ull) arcs.pop_back();  // the self-loops' marker

  auto begin = boost::make_transform_iterator(arcs.cbegin(), arc_of);
  auto end = boost::make_transform_iterator(arcs.cend(), arc_of);
  graph_ = Graph(boost::edges_are_sorted, begin, end, nodes, arcs.size());
}

}  // namespace fourp
