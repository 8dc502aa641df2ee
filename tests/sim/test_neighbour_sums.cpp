// sum_over_neighbours: the gather of the step, on graphs small enough to add by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "sim/neighbour_sums.h"

using namespace fourp;

TEST_CASE("sum_over_neighbours adds each neighbour's record once, lane by lane", "[unit]") {
  // A star with centre 0 and leaves 1, 2, 3, and an isolated node 4.
  const Network net(5, {{0, 1}, {0, 2}, {3, 0}});
  std::vector<NeighbourRecord> rec(5);
  for (uint32_t i = 0; i < 5; ++i)
    for (int l = 0; l < 4; ++l) rec[i].lane[l] = static_cast<float>(10 * i + l);
  NeighbourRecord sums[5];
  sum_over_neighbours(net, rec.data(), 0, 5, sums);
  for (int l = 0; l < 4; ++l) {
    CHECK(sums[0].lane[l] == (10 + l) + (20 + l) + (30 + l));  // the centre: all three leaves
    CHECK(sums[1].lane[l] == l);                               // a leaf: the centre only
    CHECK(sums[3].lane[l] == l);
    CHECK(sums[4].lane[l] == 0);  // no ties: nothing added
  }
  // A range in the middle writes only its own entries, from sums[0].
  NeighbourRecord part[2] = {};
  sum_over_neighbours(net, rec.data(), 2, 2, part);
  CHECK(part[0].lane[2] == 2);  // node 2: the centre
  CHECK(part[1].lane[3] == 3);  // node 3: the centre
}

TEST_CASE("sum_over_neighbours adds in the order of the ties", "[unit]") {
  // Float addition is not associative: 1e8 + 1 − 1e8 depends on the order. Node 0's ties are
  // 1, 2, 3 (ascending); adding in that order gives (1e8 + 1) + (−1e8) = 0 in float.
  const Network net(4, {{0, 3}, {0, 1}, {0, 2}});
  std::vector<NeighbourRecord> rec(4);
  rec[1].lane[0] = 1e8f, rec[2].lane[0] = 1.0f, rec[3].lane[0] = -1e8f;
  NeighbourRecord sum[1];
  sum_over_neighbours(net, rec.data(), 0, 1, sum);
  const float expected = (0.0f + 1e8f + 1.0f) + -1e8f;
  CHECK(sum[0].lane[0] == expected);
}

TEST_CASE("sum_over_neighbours: agents summed four at a time equal one at a time, bit for bit",
          "[unit]") {
  // Degrees 0 to 12 and values of very different sizes, so that any change in the order of the
  // additions would change the sums; every start and length of range.
  std::mt19937 gen(7);
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  const uint32_t n = 40;
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t d = 0; d < i % 13; ++d) ties.push_back({i, static_cast<uint32_t>(gen() % n)});
  const Network net(n, ties);
  std::vector<NeighbourRecord> rec(n);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& r : rec)
    for (float& v : r.lane) v = u(gen) * std::pow(10.0f, static_cast<float>(gen() % 8));
  std::vector<NeighbourRecord> expected(n);
  for (uint32_t i = 0; i < n; ++i)
    for (int l = 0; l < 4; ++l) {
      float s = 0;
      for (uint32_t j : net.neighbours(i)) s += rec[j].lane[l];
      expected[i].lane[l] = s;
    }
  int compared = 0;
  for (uint32_t first = 0; first < n; first += 3)
    for (uint32_t count = 1; first + count <= n; count += 2) {
      // In position order, in order of degree (gather_order), and in a random order.
      std::vector<uint8_t> by_degree(count), shuffled(count);
      gather_order(net, first, count, by_degree.data());
      std::iota(shuffled.begin(), shuffled.end(), uint8_t{0});
      std::shuffle(shuffled.begin(), shuffled.end(), gen);
      for (const uint8_t* order :
           {static_cast<const uint8_t*>(nullptr), static_cast<const uint8_t*>(by_degree.data()),
            static_cast<const uint8_t*>(shuffled.data())}) {
        std::vector<NeighbourRecord> sums(count);
        sum_over_neighbours(net, rec.data(), first, count, sums.data(), order);
        for (uint32_t k = 0; k < count; ++k)
          for (int l = 0; l < 4; ++l, ++compared) {
            INFO("first " << first << " count " << count << " agent " << first + k
                          << (order == nullptr ? "" : " (ordered)"));
            REQUIRE(std::memcmp(&sums[k].lane[l], &expected[first + k].lane[l], sizeof(float)) ==
                    0);
          }
      }
    }
  CHECK(compared > 3000);
}

TEST_CASE("gather_order lists a range's agents once each, in ascending degree, ties by position",
          "[unit]") {
  // Ties 0-1, 0-2, 0-3, 2-5: the degrees of agents 0..5 are 3, 1, 2, 1, 0, 1.
  const Network net(6, {{0, 1}, {0, 2}, {0, 3}, {2, 5}});
  uint8_t order[6];
  gather_order(net, 0, 6, order);
  const uint8_t expected[] = {4, 1, 3, 5, 2, 0};
  CHECK(std::equal(order, order + 6, expected));
  gather_order(net, 2, 3, order);  // agents 2, 3, 4: degrees 2, 1, 0
  const uint8_t expected_part[] = {2, 1, 0};
  CHECK(std::equal(order, order + 3, expected_part));
}
