#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <functional>

#include "sim/network.h"

namespace fourp {

namespace {

// Triangles {v, u, w} with v < u < w seen from v: for each neighbour u > v, the common
// neighbours w > u. Each triangle is counted once, from its smallest member. The lists are
// sorted, so each intersection is one merge.
uint64_t triangles_at(const Network& net, uint32_t v) {
  const auto nv = net.neighbours(v);
  uint64_t count = 0;
  for (auto ui = std::upper_bound(nv.begin(), nv.end(), v); ui != nv.end(); ++ui) {
    const uint32_t u = *ui;
    const auto nu = net.neighbours(u);
    auto a = ui + 1;                                     // neighbours of v above u
    auto b = std::upper_bound(nu.begin(), nu.end(), u);  // neighbours of u above u
    while (a != nv.end() && b != nu.end()) {
      if (*a < *b) {
        ++a;
      } else if (*b < *a) {
        ++b;
      } else {
        ++count, ++a, ++b;
      }
    }
  }
  return count;
}

// Integer sums over agents, in parallel: exact, so the result does not depend on the split.
template <typename PerAgent>
uint64_t sum_over_agents(uint32_t n, PerAgent per_agent) {
  return tbb::parallel_reduce(
      tbb::blocked_range<uint32_t>(0, n), uint64_t{0},
      [&](const tbb::blocked_range<uint32_t>& r, uint64_t acc) {
        for (uint32_t v = r.begin(); v < r.end(); ++v) acc += per_agent(v);
        return acc;
      },
      std::plus<uint64_t>());
}

}  // namespace

NetworkStats network_stats(const Network& net) {
  NetworkStats s;
  s.nodes = net.nodes();
  s.edges = net.ties();
  s.mean_degree = s.nodes ? 2.0 * s.edges / s.nodes : 0.0;

  uint32_t max_degree = 0;
  for (uint32_t v = 0; v < s.nodes; ++v) max_degree = std::max(max_degree, net.degree(v));
  s.degree_histogram.assign(s.nodes ? max_degree + 1 : 0, 0);
  for (uint32_t v = 0; v < s.nodes; ++v) ++s.degree_histogram[net.degree(v)];

  // Global clustering = 3 × triangles / connected triples; a node of degree d centres
  // d(d − 1)/2 triples.
  const uint64_t triangles =
      sum_over_agents(s.nodes, [&](uint32_t v) { return triangles_at(net, v); });
  uint64_t triples = 0;
  for (uint32_t d = 2; d < s.degree_histogram.size(); ++d)
    triples += s.degree_histogram[d] * (uint64_t{d} * (d - 1) / 2);
  s.clustering = triples ? 3.0 * static_cast<double>(triangles) / static_cast<double>(triples) : 0;
  return s;
}

}  // namespace fourp
