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
  using Graph =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, uint32_t, uint64_t>;
  Network() = default;
  // `ties`: each undirected tie once or twice, in any order, possibly with self-loops and
  // duplicates, which are dropped. Move the list in: it is released as soon as the CSR arrays
  // are filled, so that the peak is the list (8 bytes a tie) plus the arrays (8 bytes a node
  // and 4 bytes a tie end), with no sorted or two-way copy of the ties.
  Network(uint32_t nodes, std::vector<std::pair<uint32_t, uint32_t>> ties);

  uint32_t nodes() const { return nodes_; }
  uint64_t ties() const { return targets_size() / 2; }  // undirected ties
  std::span<const uint32_t> neighbours(uint32_t v) const {
    const uint64_t* row = graph_.m_forward.m_rowstart.data();
    return {graph_.m_forward.m_column.data() + row[v], row[v + 1] - row[v]};
  }
  uint32_t degree(uint32_t v) const { return static_cast<uint32_t>(neighbours(v).size()); }
  // Only the CSR arrays (m_forward.m_rowstart, m_forward.m_column) are filled: Boost's vectors
  // of vertex and edge properties, of no_property, are left empty (they would take a byte a node
  // and a byte a tie end), so Boost functions and algorithms work but bundles must not be used.
  const Graph& graph() const { return graph_; }

 private:
  uint64_t targets_size() const { return graph_.m_forward.m_column.size(); }
  uint32_t nodes_ = 0;
  Graph graph_;
};

// Builds the network of one replicate. Draws: (kSetupStep, <component>, Purpose::network, k),
// where <component> is a community id (villages: its permutation and rewiring), an agent id
// (erdos_renyi: that agent's row) or 0xFFFFFFFF (ties between communities, watts_strogatz,
// barabasi_albert); `complete` and `tree` draw nothing. Identical for any number of threads.
// Throws std::invalid_argument for a `file` spec (those are built by
// build_network(const NetworkFile&) below), and for a tree whose node count is not the layout's
// number of agents.
Network build_network(const NetworkSpec& spec, const Layout& layout, const Rng& rng);

// A network read from an edge list (and optional node → community table). Node ids in the file
// are mapped to agent ids so that communities are contiguous (sorted by community, then by id).
struct NetworkFile {
  std::vector<uint64_t> node_ids;                   // original id of each agent
  std::vector<uint32_t> community_sizes;            // from the community table, else one community
  std::vector<std::pair<uint32_t, uint32_t>> ties;  // in agent ids
};
// Bad lines go to diag as "edges.txt:17: error: …" (all of them, not only the first; after 20
// in one file the rest are counted in one last message). A missing file is an error at spec.loc.
// Format of both files: one record a line, fields separated by spaces, tabs or commas; `#`
// starts a comment; blank lines are skipped; a first non-comment line whose fields are all
// non-numeric is a header ("source,target", "FromNodeId ToNodeId") and is skipped.
// - Edge list: two node ids (integers >= 0) a line; a trailing networkx attribute dict
//   ("0 1 {}", "0 1 {'weight': 2}") is ignored, any other third field is an error (weights are
//   not supported). Self-loops and repeated ties (also b-a after a-b) are dropped, with one
//   warning that counts them.
// - Communities table (optional): node id, community id. Community ids must be exactly
//   0…C−1, each used (interventions target them by number). Every node of the edge list must be
//   listed; listed nodes without ties are isolated agents. Without a table: one community of
//   the nodes of the edge list.
// Agents are the nodes sorted by (community, original id). On errors the result is empty.
NetworkFile read_network_file(const NetworkSpec& spec, Diagnostics& diag);

// The network of a `file` network: the file's ties over its node_ids.size() agents. It has no
// randomness, so every replicate has the same network; build the layout with
// make_layout(file.community_sizes, household_mean, rng).
Network build_network(const NetworkFile& file);

struct NetworkStats {
  uint32_t nodes = 0;
  uint64_t edges = 0;  // undirected ties
  double mean_degree = 0;
  double clustering = 0;  // global clustering coefficient: 3 × triangles / connected triples
  std::vector<uint64_t> degree_histogram;  // [d] = agents with degree d
};
NetworkStats network_stats(const Network& net);

}  // namespace fourp
