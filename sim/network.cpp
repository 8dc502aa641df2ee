#include "sim/network.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace fourp {

// The CSR arrays are built by counting, in place, so that at no time more than the tie list, the
// row offsets and one copy of the targets are alive (at a million agents: 52 + 8 + 52 MB for
// the default villages network, whose CSR keeps 60 MB):
//   1. degree of every node, both ends of every tie that is not a self-loop (MODEL.md: the
//      network is simple), into the row offsets; then prefix sums: row starts;
//   2. both directions of every tie scattered into its rows (each row's slots filled in any
//      order, by an atomic cursor per row); the tie list is released;
//   3. each row sorted and its duplicates (a tie given twice, or as a-b and b-a) dropped, in
//      parallel; then the rows moved left over the dropped slots.
// The result does not depend on the order of the ties or the number of threads: every row is
// sorted in the end. The Boost graph takes the two arrays by move; its per-vertex and per-edge
// property vectors (of no_property) stay empty, as no property is ever read or written.
Network::Network(uint32_t nodes, std::vector<std::pair<uint32_t, uint32_t>> ties) : nodes_(nodes) {
  using Range = tbb::blocked_range<size_t>;
  std::vector<uint64_t> rowstart(static_cast<size_t>(nodes) + 1, 0);
  auto atomic = [&](uint32_t v) { return std::atomic_ref<uint64_t>(rowstart[v]); };

  // 1. Degrees (with duplicates), in rowstart[v], then exclusive prefix sums.
  tbb::parallel_for(Range(0, ties.size()), [&](const Range& range) {
    for (size_t i = range.begin(); i < range.end(); ++i) {
      auto [a, b] = ties[i];
      if (a >= nodes || b >= nodes)
        throw std::out_of_range("Network: tie " + std::to_string(a) + "-" + std::to_string(b) +
                                " names a node >= " + std::to_string(nodes));
      if (a == b) continue;
      atomic(a).fetch_add(1, std::memory_order_relaxed);
      atomic(b).fetch_add(1, std::memory_order_relaxed);
    }
  });
  uint64_t arcs = 0;
  for (uint32_t v = 0; v < nodes; ++v) arcs += std::exchange(rowstart[v], arcs);
  rowstart[nodes] = arcs;

  // 2. Scatter: rowstart[v] is row v's cursor, so it ends at the start of row v + 1.
  std::vector<uint32_t> column(arcs);
  tbb::parallel_for(Range(0, ties.size()), [&](const Range& range) {
    for (size_t i = range.begin(); i < range.end(); ++i) {
      auto [a, b] = ties[i];
      if (a == b) continue;
      column[atomic(a).fetch_add(1, std::memory_order_relaxed)] = b;
      column[atomic(b).fetch_add(1, std::memory_order_relaxed)] = a;
    }
  });
  // Release the input, tens of megabytes (`ties = {}` would keep them: it assigns an empty list).
  std::vector<std::pair<uint32_t, uint32_t>>().swap(ties);
  for (uint32_t v = nodes; v > 0; --v) rowstart[v] = rowstart[v - 1];
  rowstart[0] = 0;

  // 3. Sort each row and drop its duplicates; `kept[v]` slots of row v stay.
  std::vector<uint32_t> kept(nodes);
  tbb::parallel_for(Range(0, nodes), [&](const Range& range) {
    for (size_t v = range.begin(); v < range.end(); ++v) {
      uint32_t* begin = column.data() + rowstart[v];
      uint32_t* end = column.data() + rowstart[v + 1];
      std::sort(begin, end);
      kept[v] = static_cast<uint32_t>(std::unique(begin, end) - begin);
    }
  });
  uint64_t kept_arcs = 0;
  for (uint32_t v = 0; v < nodes; ++v) kept_arcs += kept[v];
  if (kept_arcs < arcs) {
    // Rows only move left (a row's new start is at most its old start), so in order of v no
    // row overwrites one that has not been moved yet.
    uint64_t to = 0;
    for (uint32_t v = 0; v < nodes; ++v) {
      const uint64_t from = rowstart[v];
      rowstart[v] = to;
      if (from != to)
        std::memmove(column.data() + to, column.data() + from, kept[v] * sizeof(uint32_t));
      to += kept[v];
    }
    rowstart[nodes] = to;
    column.resize(to);
    // A few dropped duplicates leave a little unused capacity; many (an edge list giving each
    // tie in both directions) are worth a copy, now that the tie list is gone.
    if (column.capacity() - column.size() > column.size() / 32) column.shrink_to_fit();
  }

  graph_.m_forward.m_rowstart = std::move(rowstart);
  graph_.m_forward.m_column = std::move(column);
}

}  // namespace fourp
