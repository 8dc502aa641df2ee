// The network generators of SCENARIO.md `network:` (villages, erdos_renyi, watts_strogatz,
// barabasi_albert; complete and tree, which have no randomness, for reference models with known
// answers) and the constructor for `file` networks.
//
// Every draw comes from RngStreams on (kSetupStep, <stream>, Purpose::network): the stream of a
// community is its id (villages), of an Erdős–Rényi row the row's agent id, and kGlobalStream for
// draws that belong to no community or agent. Each stream is consumed in a fixed order, so the
// network is a pure function of (spec, layout, seed, replicate), whatever the number of threads.
//
// Boost.Graph's generators are not used: small_world_iterator rewires to any vertex of the whole
// graph and may create duplicate ties, sorted_erdos_renyi_iterator is one sequential stream whose
// draws depend on Boost.Random's distribution internals, and Boost has no preferential
// attachment generator (plod_generator draws a power-law degree sequence, a different model).
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>

#include "sim/network.h"
#include "sim/scenario.h"

namespace fourp {

namespace {

using Ties = std::vector<std::pair<uint32_t, uint32_t>>;

// The stream for draws that belong to no community or agent (agent field of the counter).
constexpr uint32_t kGlobalStream = 0xFFFFFFFFu;

// A rewired far end that would be a self-loop or a duplicate tie is drawn again, at most this
// many times; if every draw fails (a community almost complete already) the tie keeps its
// original far end. With d ties per member of a community of n, a draw fails with probability
// about d / n, so in realistic communities the original is kept practically never.
constexpr int kMaxRedraws = 16;

// Uniform integer in [0, n), n > 0, without modulo bias (Lemire 2019, "Fast random integer
// generation in an interval"). Written out because std::uniform_int_distribution's algorithm is
// unspecified and differs between standard libraries; networks must not.
uint32_t below(RngStream& stream, uint32_t n) {
  uint64_t m = static_cast<uint64_t>(stream()) * n;
  if (static_cast<uint32_t>(m) < n) {
    const uint32_t threshold = (0u - n) % n;  // 2^32 mod n
    while (static_cast<uint32_t>(m) < threshold) m = static_cast<uint64_t>(stream()) * n;
  }
  return static_cast<uint32_t>(m >> 32);
}

// Fisher–Yates, written out for the same reason as `below` (std::shuffle is unspecified).
void shuffle(std::vector<uint32_t>& v, RngStream& stream) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(stream, i)]);
}

// An undirected pair as one key, smaller id first.
uint64_t pair_key(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return static_cast<uint64_t>(a) << 32 | b;
}

// Writes ties into slots allocated beforehand, where the number of ties is known in advance: no
// vector growth, whose doubling can leave up to half of a vector unused, and no copy to join
// the parts of parallel generators.
struct TieWriter {
  std::pair<uint32_t, uint32_t>* next;
  void emplace_back(uint32_t a, uint32_t b) { *next++ = {a, b}; }
};

Ties concatenate(std::vector<Ties>& parts) {
  size_t total = 0;
  for (const Ties& p : parts) total += p.size();
  Ties all;
  all.reserve(total);
  for (Ties& p : parts) {
    all.insert(all.end(), p.begin(), p.end());
    Ties().swap(p);  // not `p = {}`: that assigns an empty list and keeps the memory
  }
  return all;
}

// Runs fill(begin, end, ties) over fixed blocks of [0, n) in parallel and joins the blocks in
// order: the result does not depend on the number of threads. Each block is trimmed to its size
// when done, so that joining needs at most twice the ties' memory, not up to four times.
template <typename Fill>
Ties generate_in_blocks(uint32_t n, Fill fill) {
  constexpr uint32_t kBlock = 1u << 14;
  std::vector<Ties> parts((n + kBlock - 1) / kBlock);
  tbb::parallel_for(size_t{0}, parts.size(), [&](size_t b) {
    const uint32_t begin = static_cast<uint32_t>(b * kBlock);
    fill(begin, std::min(n, begin + kBlock), parts[b]);
    parts[b].shrink_to_fit();
  });
  return concatenate(parts);
}

template <typename Out>
void complete_graph(std::span<const uint32_t> members, Out& out) {
  for (size_t i = 0; i < members.size(); ++i)
    for (size_t j = i + 1; j < members.size(); ++j) out.emplace_back(members[i], members[j]);
}

// The ties of a ring lattice (n positions, k ties each side) while far ends are being rewired:
// the lattice ties, known from positions and never stored, minus those rewired away, plus those
// rewired in. Positions, not agent ids. Requires 2k < n, so that no lattice tie is listed twice.
class RingTies {
 public:
  RingTies(uint32_t n, uint32_t k) : n_(n), k_(k) {}

  bool contains(uint32_t p, uint32_t q) const {
    const uint64_t key = pair_key(p, q);
    return (in_lattice(p, q) && !removed_.contains(key)) || added_.contains(key);
  }
  void move_far_end(uint32_t p, uint32_t from, uint32_t to) {
    removed_.insert(pair_key(p, from));
    added_.insert(pair_key(p, to));
  }

 private:
  bool in_lattice(uint32_t p, uint32_t q) const {
    const uint32_t d = p > q ? p - q : q - p;
    const uint32_t around = std::min(d, n_ - d);  // distance around the ring
    return around >= 1 && around <= k_;
  }
  uint32_t n_, k_;
  std::unordered_set<uint64_t> removed_, added_;
};

// A new far end for the tie (p, q): uniform over the other positions, redrawn while it would be
// a duplicate; q itself when kMaxRedraws draws all fail.
uint32_t rewired_far_end(uint32_t n, uint32_t p, uint32_t q, RingTies& ties, RngStream& stream) {
  for (int attempt = 0; attempt < kMaxRedraws; ++attempt) {
    uint32_t w = below(stream, n - 1);  // uniform over the n − 1 positions other than p
    if (w >= p) ++w;
    if (!ties.contains(p, w)) {
      ties.move_far_end(p, q, w);
      return w;
    }
  }
  return q;
}

// MODEL.md: "a ring lattice over the members […] with within_degree/2 ties each side, each far
// end rewired with probability rewire to a uniform member of the same community" (Watts &
// Strogatz 1998). `ring` lists the members in ring order. Ties are visited position by position,
// offsets 1…k, each drawing one uniform for the rewiring decision. When 2k ≥ n every member is
// within k of every other: the lattice is the complete graph, and no rewiring could succeed.
template <typename Out>
void small_world_ring(std::span<const uint32_t> ring, uint32_t k, double rewire, RngStream& stream,
                      Out& out) {
  const uint32_t n = static_cast<uint32_t>(ring.size());
  if (2ull * k >= n) return complete_graph(ring, out);
  RingTies ties(n, k);
  for (uint32_t p = 0; p < n; ++p)
    for (uint32_t j = 1; j <= k; ++j) {
      uint32_t q = (p + j) % n;
      if (stream.uniform() < rewire) q = rewired_far_end(n, p, q, ties, stream);
      out.emplace_back(ring[p], ring[q]);
    }
}

// The number of ties small_world_ring emits for n positions and k ties each side.
uint64_t small_world_ring_ties(uint64_t n, uint32_t k) {
  if (2ull * k >= n) return n < 2 ? 0 : n * (n - 1) / 2;  // the complete graph
  return n * k;
}

// MODEL.md: "each household a clique".
template <typename Out>
void household_cliques(const Layout& layout, uint32_t c, Out& out) {
  const uint32_t begin = layout.community_start[c], end = layout.community_start[c + 1];
  if (begin == end) return;
  for (uint32_t h = layout.household[begin]; h <= layout.household[end - 1]; ++h)
    for (uint32_t a = layout.household_start[h]; a < layout.household_start[h + 1]; ++a)
      for (uint32_t b = a + 1; b < layout.household_start[h + 1]; ++b) out.emplace_back(a, b);
}

// The number of ties household_cliques emits.
uint64_t household_ties(const Layout& layout, uint32_t c) {
  const uint32_t begin = layout.community_start[c], end = layout.community_start[c + 1];
  if (begin == end) return 0;
  uint64_t ties = 0;
  for (uint32_t h = layout.household[begin]; h <= layout.household[end - 1]; ++h) {
    const uint64_t size = layout.household_start[h + 1] - layout.household_start[h];
    ties += size * (size - 1) / 2;
  }
  return ties;
}

uint32_t ring_k(const NetworkSpec& spec) {
  return static_cast<uint32_t>(spec.within_degree / 2);  // an odd degree rounds down
}

// The number of ties village_community emits.
uint64_t village_community_ties(const NetworkSpec& spec, const Layout& layout, uint32_t c) {
  return household_ties(layout, c) + small_world_ring_ties(layout.community_size(c), ring_k(spec));
}

// The ties inside community c: household cliques, then the small-world ring over the members
// "in random order" (a uniform permutation from the community's own stream).
void village_community(const NetworkSpec& spec, const Layout& layout, uint32_t c, const Rng& rng,
                       TieWriter& out) {
  household_cliques(layout, c, out);
  RngStream stream(rng, kSetupStep, c, Purpose::network);
  std::vector<uint32_t> ring(layout.community_size(c));
  std::iota(ring.begin(), ring.end(), layout.community_start[c]);
  shuffle(ring, stream);
  small_world_ring(ring, ring_k(spec), spec.rewire, stream, out);
}

// A set of at most `capacity` pair keys, in one flat array (open addressing, linear probing, load
// at most 1/2): a node-based hash set would leave its many small nodes resident in the heap
// after use, several megabytes at a million agents, just before the network's peak.
class PairSet {
 public:
  explicit PairSet(uint64_t capacity)
      : slots_(std::bit_ceil(std::max<uint64_t>(2 * capacity, 16)), kEmpty),
        mask_(slots_.size() - 1) {}
  // False if the key was there already.
  bool insert(uint64_t key) {
    for (uint64_t i = hash(key) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == key) return false;
      if (slots_[i] == kEmpty) {
        slots_[i] = key;
        ++size_;
        return true;
      }
    }
  }
  uint64_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = ~0ull;  // no pair's key: its smaller id would be 2^32 − 1
  static uint64_t hash(uint64_t k) {         // MurmurHash3's 64-bit finaliser
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    return k ^ k >> 33;
  }
  std::vector<uint64_t> slots_;
  uint64_t mask_;
  uint64_t size_ = 0;
};

// Unordered pairs of agents in different communities.
double cross_community_pairs(const Layout& layout) {
  double same = 0;
  for (uint32_t c = 0; c < layout.communities(); ++c)
    same += 0.5 * layout.community_size(c) * (layout.community_size(c) - 1.0);
  const double n = layout.agents;
  return 0.5 * n * (n - 1) - same;
}

// MODEL.md: "ties between communities with between_degree tie ends per agent on average, each
// joining uniform agents of two different communities". The number of ties is
// round(N · between_degree / 2), so the mean is as asked without extra variance; each tie is a
// uniform pair of agents, redrawn while both are in one community (so it is uniform over the
// cross-community pairs) or while it repeats an earlier one (so the count is exact).
uint64_t between_ties(double between_degree, const Layout& layout) {
  const double wanted = std::round(layout.agents * between_degree / 2);
  return static_cast<uint64_t>(std::min(wanted, cross_community_pairs(layout)));
}

void between_communities(double between_degree, const Layout& layout, const Rng& rng,
                         TieWriter& out) {
  const uint64_t ties = between_ties(between_degree, layout);
  RngStream stream(rng, kSetupStep, kGlobalStream, Purpose::network);
  PairSet drawn(ties);
  while (drawn.size() < ties) {
    const uint32_t a = below(stream, layout.agents), b = below(stream, layout.agents);
    if (layout.community[a] == layout.community[b]) continue;
    if (drawn.insert(pair_key(a, b))) out.emplace_back(a, b);
  }
}

// Communities in parallel, each from its own stream, then the ties between communities. The
// number of ties of each part is known beforehand, so all are written straight into one vector
// of the exact size, at fixed offsets (community order, between ties last).
Network villages(const NetworkSpec& spec, const Layout& layout, const Rng& rng) {
  const uint32_t communities = layout.communities();
  std::vector<uint64_t> offset(communities + 2, 0);  // part p at [offset[p], offset[p + 1])
  for (uint32_t c = 0; c < communities; ++c)
    offset[c + 1] = offset[c] + village_community_ties(spec, layout, c);
  offset[communities + 1] = offset[communities] + between_ties(spec.between_degree, layout);
  Ties ties(offset.back());
  auto written = [&](uint32_t part, const TieWriter& out) {
    if (out.next != ties.data() + offset[part + 1])
      throw std::logic_error("build_network: villages part " + std::to_string(part) +
                             " wrote a different number of ties than counted");
  };
  tbb::parallel_for(uint32_t{0}, communities, [&](uint32_t c) {
    TieWriter out{ties.data() + offset[c]};
    village_community(spec, layout, c, rng, out);
    written(c, out);
  });
  TieWriter out{ties.data() + offset[communities]};
  between_communities(spec.between_degree, layout, rng, out);
  written(communities, out);
  return Network(layout.agents, std::move(ties));
}

// G(n, p) with p = mean_degree / (n − 1): every pair independently. Row v holds the pairs
// (u, v), u < v; the gap to the next tie of a row is geometric (Batagelj & Brandes 2005,
// "Efficient generation of large random networks"), so the cost is O(n + ties). Each row has its
// own stream (agent field = v), so rows are generated in parallel with the same result.
Network erdos_renyi(const NetworkSpec& spec, uint32_t n, const Rng& rng) {
  if (n < 2) return Network(n, {});
  const double p = std::min(1.0, spec.mean_degree / (n - 1.0));
  if (p <= 0) return Network(n, {});
  const double log_miss = std::log1p(-p);  // -inf when p = 1: every gap is 0
  auto rows = [&](uint32_t begin, uint32_t end, Ties& out) {
    for (uint32_t v = begin; v < end; ++v) {
      RngStream stream(rng, kSetupStep, v, Purpose::network);
      // P(gap = g) = (1 − p)^g p: g pairs skipped before the next tie.
      for (double u = -1;;) {
        u += 1 + std::floor(std::log(stream.uniform()) / log_miss);
        if (u >= v) break;
        out.emplace_back(static_cast<uint32_t>(u), v);
      }
    }
  };
  return Network(n, generate_in_blocks(n, rows));
}

// A ring lattice over all agents in id order (degree/2 ties each side), far ends rewired as in
// villages, from one stream.
Network watts_strogatz(const NetworkSpec& spec, uint32_t n, const Rng& rng) {
  std::vector<uint32_t> ring(n);
  std::iota(ring.begin(), ring.end(), 0u);
  RngStream stream(rng, kSetupStep, kGlobalStream, Purpose::network);
  Ties ties;
  ties.reserve(static_cast<size_t>(n) * (spec.degree / 2));
  small_world_ring(ring, spec.degree / 2, spec.rewire, stream, ties);
  return Network(n, std::move(ties));
}

// Preferential attachment (Barabási & Albert 1999) with the repeated-nodes list: the list holds
// each node once per tie end, so a uniform entry is a node drawn with probability proportional
// to its degree. It starts from a clique of m + 1 nodes, so that every node has degree ≥ m; node
// v = m + 1, … then joins m distinct earlier nodes (a repeat is redrawn). One stream.
Network barabasi_albert(const NetworkSpec& spec, uint32_t n, const Rng& rng) {
  const uint32_t m = spec.edges_per_node;
  std::vector<uint32_t> seed(std::min<uint64_t>(n, m + 1ull));
  std::iota(seed.begin(), seed.end(), 0u);
  Ties ties;
  complete_graph(seed, ties);
  if (m == 0 || n <= m + 1) return Network(n, std::move(ties));

  const uint64_t total = ties.size() + static_cast<uint64_t>(n - m - 1) * m;
  std::vector<uint32_t> repeated;  // every tie end so far
  repeated.reserve(2 * total);
  for (auto [a, b] : ties) repeated.insert(repeated.end(), {a, b});
  ties.reserve(total);

  RngStream stream(rng, kSetupStep, kGlobalStream, Purpose::network);
  std::vector<uint32_t> targets;
  for (uint32_t v = m + 1; v < n; ++v) {
    const auto ends = static_cast<uint32_t>(repeated.size());  // v's own ends come after
    targets.clear();
    while (targets.size() < m) {
      const uint32_t t = repeated[below(stream, ends)];
      if (std::find(targets.begin(), targets.end(), t) == targets.end()) targets.push_back(t);
    }
    for (uint32_t t : targets) {
      ties.emplace_back(t, v);
      repeated.insert(repeated.end(), {t, v});
    }
  }
  return Network(n, std::move(ties));
}

// Every pair of agents: K_n, for mixing without structure (Deffuant et al. 2000).
Network complete(uint32_t n) {
  if (n > kMaxCompleteAgents)
    throw std::invalid_argument("build_network: a complete network may have at most " +
                                std::to_string(kMaxCompleteAgents) + " agents");
  std::vector<uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  Ties ties;
  ties.reserve(static_cast<size_t>(n) * (n - (n > 0)) / 2);
  complete_graph(all, ties);
  return Network(n, std::move(ties));
}

// The complete `branching`-ary tree of `depth` levels below the root, numbered breadth first:
// node v > 0 hangs from (v − 1) / branching. Its node count must be the number of agents (the
// parser derives population.size from it).
Network tree(const NetworkSpec& spec, uint32_t n) {
  const std::optional<uint32_t> nodes = tree_nodes(spec.branching, spec.depth);
  if (!nodes || *nodes != n)
    throw std::invalid_argument(
        "build_network: a tree with branching " + std::to_string(spec.branching) + " and depth " +
        std::to_string(spec.depth) + " does not have " + std::to_string(n) + " nodes");
  Ties ties;
  ties.reserve(n > 0 ? n - 1 : 0);
  for (uint32_t v = 1; v < n; ++v) ties.emplace_back((v - 1) / spec.branching, v);
  return Network(n, std::move(ties));
}

// Parameters the scenario parser should have rejected; checked here so that a bad call fails
// loudly instead of building a strange network.
void check(const NetworkSpec& spec) {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("build_network: ") + what);
  };
  require(spec.within_degree >= 0, "within_degree must be >= 0");
  require(spec.rewire >= 0 && spec.rewire <= 1, "rewire must be in [0, 1]");
  require(spec.between_degree >= 0, "between_degree must be >= 0");
  require(spec.mean_degree >= 0, "mean_degree must be >= 0");
}

}  // namespace

Network build_network(const NetworkSpec& spec, const Layout& layout, const Rng& rng) {
  check(spec);
  switch (spec.kind) {
    case NetworkSpec::Kind::villages:
      return villages(spec, layout, rng);
    case NetworkSpec::Kind::erdos_renyi:
      return erdos_renyi(spec, layout.agents, rng);
    case NetworkSpec::Kind::watts_strogatz:
      return watts_strogatz(spec, layout.agents, rng);
    case NetworkSpec::Kind::barabasi_albert:
      return barabasi_albert(spec, layout.agents, rng);
    case NetworkSpec::Kind::complete:
      return complete(layout.agents);
    case NetworkSpec::Kind::tree:
      return tree(spec, layout.agents);
    case NetworkSpec::Kind::file:
      break;
  }
  throw std::invalid_argument(
      "build_network: a `file` network is built with build_network(const NetworkFile&)");
}

Network build_network(const NetworkFile& file) {
  return Network(static_cast<uint32_t>(file.node_ids.size()), file.ties);
}

}  // namespace fourp
