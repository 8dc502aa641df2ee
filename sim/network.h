// The social network: undirected, simple (no self-loops, no duplicate ties), static, stored as
// a Boost compressed_sparse_row_graph holding both directions of every tie, neighbours of each
// agent sorted by id. Built once per replicate (MODEL.md, SCENARIO.md `network:`).
//
//   Network net = build_network(spec, layout, rng);
//   for (uint32_t j : net.neighbours(i)) ...
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/layout.h"
#include "sim/rng.h"

namespace fourp {

struct NetworkSpec;

class Network {
 public:
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                   boost::no_property, boost::no_property,
                                                   uint32_t, uint64_t>;
  Network() = default;
  // `ties`: each undirected tie once or twice, in any order, possibly with self-loops and
  // duplicates, which are dropped.
  Network(uint32_t nodes, std::vector<std::pair<uint32_t, uint32_t>> ties);

  uint32_t nodes() const { return nodes_; }
  uint64_t ties() const { return targets_size() / 2; }  // undirected ties
  std::span<const uint32_t> neighbours(uint32_t v) const {
    const uint64_t* row = graph_.m_forward.m_rowstart.data();
    return {graph_.m_forward.m_column.data() + row[v], row[v + 1] - row[v]};
  }
  uint32_t degree(uint32_t v) const { return static_cast<uint32_t>(neighbours(v).size()); }
  const Graph& graph() const { return graph_; }

 private:
  uint64_t targets_size() const { return graph_.m_forward.m_column.size(); }
  uint32_t nodes_ = 0;
  Graph graph_;
};

// Builds the network of one replicate. Draws: (kSetupStep, <component>, Purpose::network, k).
// For `file` networks the layout must come from read_network_file.
Network build_network(const NetworkSpec& spec, const Layout& layout, const Rng& rng);

// A network read from an edge list (and optional node → community table). Node ids in the file
// are mapped to agent ids so that communities are contiguous (sorted by community, then by id).
struct NetworkFile {
  std::vector<uint64_t> node_ids;          // original id of each agent
  std::vector<uint32_t> community_sizes;   // from the community table, else one community
  std::vector<std::pair<uint32_t, uint32_t>> ties;  // in agent ids
};
// Bad lines go to diag as "edges.txt:17: error: …" (all of them, not only the first).
NetworkFile read_network_file(const NetworkSpec& spec, Diagnostics& diag);

struct NetworkStats {
  uint32_t nodes = 0;
  uint64_t edges = 0;  // undirected ties
  double mean_degree = 0;
  double clustering = 0;  // global clustering coefficient: 3 × triangles / connected triples
  std::vector<uint64_t> degree_histogram;  // [d] = agents with degree d
};
NetworkStats network_stats(const Network& net);

}  // namespace fourp
