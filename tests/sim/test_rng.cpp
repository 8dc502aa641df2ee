#include <catch2/catch.hpp>

#include <Random123/philox.h>

#include <vector>

#include "sim/rng.h"

using namespace fourp;

TEST_CASE("a draw is Random123's Philox4x32-10 on the counter (step, agent, purpose and index)",
          "[unit]") {
  // The layout of MODEL.md's reproducibility rules, written out: key (seed, replicate), counter
  // (step, agent, purpose << 24 | index bits 32..55, index bits 0..31).
  const Rng rng(42, 3);
  const uint64_t index = 0x00ABCDEF12345678ull;
  const r123::Philox4x32::ctr_type ctr = {{7, 1001, (4u << 24) | 0xABCDEFu, 0x12345678u}};
  const r123::Philox4x32::key_type key = {{42, 3}};
  const auto expected = r123::Philox4x32{}(ctr, key);
  const auto got = rng.bits(7, 1001, Purpose{4}, index);
  for (int k = 0; k < 4; ++k) CHECK(got[k] == expected[k]);
  CHECK(rng.uniform(7, 1001, Purpose{4}, index) == Rng::to_unit(expected[0]));
}

TEST_CASE("to_unit maps 32-bit words into the open interval (0, 1)", "[unit]") {
  CHECK(Rng::to_unit(0) == 0.5 * 0x1p-32);
  CHECK(Rng::to_unit(0xFFFFFFFFu) == 1.0 - 0.5 * 0x1p-32);
  CHECK(Rng::to_unit(0xFFFFFFFFu) < 1.0);
}

TEST_CASE("uniform_bits gives word for word the draws of uniform, on every path", "[unit]") {
  const Rng rng(20261129, 5);
  // Counts that exercise the 16- and 8-lane loops and their scalar tails; an index with high
  // bits; agents near the top of the 32-bit range.
  for (uint32_t count : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 33u, 1000u}) {
    for (uint32_t first : {0u, 123457u, 0xFFFFFFFFu - 1100u}) {
      for (bool vector_paths : {true, false}) {
        std::vector<uint32_t> words(count + 1, 0xDEADBEEFu);
        rng.uniform_bits(11, first, count, Purpose{5}, 0x00FEDCBA98765432ull, words.data(),
                         vector_paths);
        for (uint32_t k = 0; k < count; ++k)
          REQUIRE(Rng::to_unit(words[k]) ==
                  rng.uniform(11, first + k, Purpose{5}, 0x00FEDCBA98765432ull));
        CHECK(words[count] == 0xDEADBEEFu);  // nothing written past the end
      }
    }
  }
}

TEST_CASE("uniform_bits_of gives the draws of uniform for a list of agents, on every path",
          "[unit]") {
  const Rng rng(20261129, 5);
  std::vector<uint32_t> agents;  // unordered, repeated, and near the top of the range
  for (uint32_t k = 0; k < 1000; ++k) agents.push_back((k * 2654435761u) ^ (k % 3 ? 0 : ~0u));
  agents[5] = agents[4];
  for (uint32_t count : {0u, 1u, 7u, 8u, 13u, 15u, 16u, 17u, 33u, 1000u}) {
    for (bool vector_paths : {true, false}) {
      std::vector<uint32_t> words(count + 1, 0xDEADBEEFu);
      rng.uniform_bits_of(11, agents.data(), count, Purpose{7}, 0x00FEDCBA98765432ull, words.data(),
                          vector_paths);
      for (uint32_t k = 0; k < count; ++k)
        REQUIRE(Rng::to_unit(words[k]) ==
                rng.uniform(11, agents[k], Purpose{7}, 0x00FEDCBA98765432ull));
      CHECK(words[count] == 0xDEADBEEFu);  // nothing written past the end
    }
  }
}

TEST_CASE("words_below counts the words whose uniform is below p", "[unit]") {
  // Compared word by word around the boundary for probabilities that fall on, between and at
  // the ends of the grid of uniforms.
  for (double p :
       {0.0, 1e-12, 0.5 * 0x1p-32, 0x1p-32, 0.3, 0.5, 1.0 / 3.0, 0.999999999, 1.0, 2.0}) {
    const uint64_t n = Rng::words_below(p);
    INFO("p = " << p);
    REQUIRE(n <= 0x100000000ull);
    if (n > 0) CHECK(Rng::to_unit(static_cast<uint32_t>(n - 1)) < p);
    if (n < 0x100000000ull) CHECK_FALSE(Rng::to_unit(static_cast<uint32_t>(n)) < p);
  }
  CHECK(Rng::words_below(0.0) == 0);
  CHECK(Rng::words_below(1.0) == 0x100000000ull);
}
