// FarTies: the records of ties that leave their community, read by the gather from a halo.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "sim/far_ties.h"
#include "sim/neighbour_sums.h"

using namespace fourp;

namespace {
// Communities [0, 4), [4, 9), [9, 12): agents numbered community by community.
Layout three_communities() {
  Layout L;
  L.agents = 12;
  L.community_start = {0, 4, 9, 12};
  L.community = {0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2};
  return L;
}
}  // namespace

TEST_CASE("FarTies gives each tie between communities a halo slot, filled range by range",
          "[unit]") {
  const Layout L = three_communities();
  // Ties leaving a community: 1-5, 3-10, 6-11 (each seen from both ends: 6 slots); 0-2, 4-8
  // stay inside.
  const Network net(12, {{1, 5}, {3, 10}, {6, 11}, {0, 2}, {4, 8}});
  const std::vector<uint32_t> ranges = {0, 4, 9, 12};  // a range per community
  const FarTies far(net, L, ranges, 1.0);  // 6 of 10 tie ends leave: more than the default share
  REQUIRE(far.halo_size() == 6);

  // Agents 0-3: ties of 0 (2), 1 (5), 2 (0), 3 (10): 1's and 3's are slots 0 and 1.
  std::vector<uint32_t> columns;
  far.columns(0, 4, columns);
  CHECK(columns == std::vector<uint32_t>{2, 12 + 0, 0, 12 + 1});
  // Agents 4-8: ties of 4 (8), 5 (1), 6 (11), 8 (4): slots 2 and 3; agent 7 has none.
  far.columns(4, 5, columns);
  CHECK(columns == std::vector<uint32_t>{8, 12 + 2, 12 + 3, 4});
  far.columns(5, 2, columns);  // part of a range
  CHECK(columns == std::vector<uint32_t>{12 + 2, 12 + 3});

  std::vector<NeighbourRecord> records(12 + far.halo_size());
  for (uint32_t i = 0; i < 12; ++i) records[i] = {{float(i), 1, 2, 3}};
  far.fill(1, records.data());  // range 1 only: slots 2 (agent 1) and 3 (agent 11)
  CHECK(records[12 + 2].lane[0] == 1.0f);
  CHECK(records[12 + 3].lane[0] == 11.0f);
  CHECK(records[12 + 0].lane[0] == 0.0f);  // range 0's slots untouched
  CHECK(records[12 + 5].lane[0] == 0.0f);
}

TEST_CASE("FarTies makes no halo where most ties leave their community", "[unit]") {
  const Layout L = three_communities();
  // 4 of 5 ties (8 of 10 ends) leave their community.
  const Network net(12, {{1, 5}, {3, 10}, {6, 11}, {0, 9}, {4, 8}});
  const std::vector<uint32_t> ranges = {0, 4, 9, 12};
  CHECK(FarTies(net, L, ranges).halo_size() == 0);
  CHECK(FarTies(net, L, ranges, 0.8).halo_size() == 8);
  std::vector<NeighbourRecord> records(12);
  FarTies(net, L, ranges).fill(1, records.data());  // nothing to copy, nothing written past
}

TEST_CASE("sum_over_neighbours reading far ties from the halo gives the same sums, bit for bit",
          "[unit]") {
  // Random ties, many between communities (agents with several, and with nothing but); values
  // of very different sizes and signs, and −0, so that any change of order or term shows.
  std::mt19937 gen(11);
  const uint32_t n = 60;
  Layout L;
  L.agents = n;
  L.community_start = {0, 10, 35, 36, 60};  // a community of one agent too
  for (uint32_t c = 0; c + 1 < L.community_start.size(); ++c)
    for (uint32_t i = L.community_start[c]; i < L.community_start[c + 1]; ++i)
      L.community.push_back(c);
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t d = 0; d < i % 9; ++d) ties.push_back({i, static_cast<uint32_t>(gen() % n)});
  const Network net(n, ties);
  std::vector<uint32_t> ranges;  // ranges inside communities, of 7 agents at most
  for (uint32_t c = 0; c + 1 < L.community_start.size(); ++c)
    for (uint32_t i = L.community_start[c]; i < L.community_start[c + 1]; i += 7)
      ranges.push_back(i);
  ranges.push_back(n);
  const FarTies far(net, L, ranges, 1.0);  // however many leave
  REQUIRE(far.halo_size() > 50);

  std::vector<NeighbourRecord> records(n + far.halo_size());
  std::uniform_real_distribution<float> u(-1, 1);
  for (uint32_t i = 0; i < n; ++i)
    for (float& v : records[i].lane) v = u(gen) * std::pow(10.0f, static_cast<float>(gen() % 8));
  records[3].lane[1] = -0.0f;
  int compared = 0;
  for (size_t r = 0; r + 1 < ranges.size(); ++r) {
    far.fill(r, records.data());
    const uint32_t first = ranges[r], count = ranges[r + 1] - first;
    std::vector<NeighbourRecord> plain(count), halo(count);
    sum_over_neighbours(net, records.data(), first, count, plain.data());
    std::vector<uint32_t> columns;
    far.columns(first, count, columns);
    std::vector<uint8_t> order(count);
    gather_order(net, first, count, order.data());
    sum_over_neighbours(net, records.data(), first, count, halo.data(), order.data(),
                        columns.data());
    for (uint32_t k = 0; k < count; ++k)
      for (int l = 0; l < 4; ++l, ++compared) {
        INFO("agent " << first + k << " lane " << l);
        REQUIRE(std::memcmp(&plain[k].lane[l], &halo[k].lane[l], sizeof(float)) == 0);
      }
  }
  CHECK(compared == 4 * static_cast<int>(n));
}
