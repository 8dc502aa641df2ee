// Ties that leave their community, for the gather (sim/neighbour_sums.h). While a range of agents
// inside one community is gathered, the community's records stay in the cache; a tie to another
// community reads a record no cache holds, and in the middle of the gather those waits slowed the
// passes after it too (benchmark: 0.3 such ties an agent cost a fifth of the step; with the halo,
// 2.43-2.67 -> 2.16-2.28 s on one core, same results). FarTies gives
// each such tie a slot in a halo appended to the records: fill() copies the records of a range's
// far ties into their slots, all reads independent and many in flight, before the range is
// gathered; columns() gives the range's ties with each far tie replaced by its slot, so the
// gather reads its records, in the same order, from the halo.
//
//   FarTies far(network, layout, range_starts);        // once; records get far.halo_size() more
//   far.fill(r, records);                               // each step, before range r's gather
//   far.columns(first, count, scratch);                 // then, for a chunk of range r
//   sum_over_neighbours(network, records, first, count, sums, order, scratch.data());
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/layout.h"
#include "sim/neighbour_sums.h"
#include "sim/network.h"

namespace fourp {

class FarTies {
 public:
  // Ranges [range_starts[r], range_starts[r + 1]) of consecutive agents, each inside one
  // community of `layout`; the last start is the number of agents. Where more than `max_share`
  // of the tie ends leave their community (communities that are not neighbourhoods, such as a
  // random network split in parts), almost every read is far anyway and a halo would cost 20
  // bytes a tie end: none is made (halo_size() is 0), and the gather reads the network.
  FarTies(const Network& network, const Layout& layout, std::span<const uint32_t> range_starts,
          double max_share = 0.1);

  // Records the gather's array needs after the agents' own: slots nodes … nodes + halo_size − 1.
  size_t halo_size() const { return source_.size(); }

  // Copies range r's far records into their slots. Ranges have their own slots: different
  // ranges may be filled at once.
  void fill(size_t r, NeighbourRecord* records) const {
    for (size_t s = range_slots_[r]; s < range_slots_[r + 1]; ++s)
      records[nodes_ + s] = records[source_[s]];
  }

  // The ties of agents first … first + count − 1, in network order, into `columns` (resized;
  // ties of `first` first), each far tie replaced by its slot: the `columns` argument of
  // sum_over_neighbours. Made again at every gather: a kept copy of every tie list would cost 4
  // bytes a tie end (52 an agent on the benchmark), the copy of a chunk's list a few
  // nanoseconds an agent from the L2 cache.
  void columns(uint32_t first, uint32_t count, std::vector<uint32_t>& columns) const;

 private:
  const Network& network_;
  uint32_t nodes_;
  std::vector<uint64_t> position_;   // [slot]: the far tie's index in the network's tie ends
  std::vector<uint32_t> source_;     // [slot]: the agent at its end
  std::vector<size_t> range_slots_;  // [range]: its first slot
};

}  // namespace fourp
