// The gather at the heart of a network model's step: for each agent of a range, the sum over its
// ties of a per-agent record of four floats. Models put in the record what neighbours read of
// an agent and average (a model that excludes some agents from neighbour means gives them a
// record of zeros). A record is 16 bytes, four to a cache line, and is added as one vector: a tie
// costs one load and one addition. Counts over ties that change rarely (how many neighbours are
// present, or engaged) are cheaper kept up to date where they change than gathered every step.
//
//   std::vector<NeighbourRecord> records(n);   // filled by the model
//   sum_over_neighbours(network, records.data(), first, count, sums);  // sums[k]: agent first + k
//
// A range gathered every step may first be put in order of degree once (gather_order) and
// gathered in that order: same sums, bit for bit, in less time.
#pragma once

#include <cstdint>

#include "sim/network.h"

namespace fourp {

struct alignas(16) NeighbourRecord {
  float lane[4];
};

// sums[k] = Σ over the ties of agent first + k of records[tie end], lane by lane, added in the
// order of the agent's ties (ascending ids), so the result is the same on every processor and
// for any number of threads.
// With `order` (count entries, offsets from first), agents are gathered in that order; with
// `columns` (the range's ties as FarTies::columns gives them, sim/far_ties.h), the ends of ties
// are read from there. Each agent's sum is the same.
void sum_over_neighbours(const Network& network, const NeighbourRecord* records, uint32_t first,
                         uint32_t count, NeighbourRecord* sums, const uint8_t* order = nullptr,
                         const uint32_t* columns = nullptr);

// The agents first … first + count − 1 (count ≤ 256) in ascending degree, ties by position, as
// offsets from first. Agents are gathered four side by side (sum_over_neighbours): four of
// nearly equal degree finish together, and the loops that end at an unpredictable point (a
// mispredicted branch each) are fewer.
void gather_order(const Network& network, uint32_t first, uint32_t count, uint8_t* order);

}  // namespace fourp
