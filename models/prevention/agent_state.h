// The prevention model's dynamic agent state, indexed by agent id. The model keeps two of these
// (state at t, state at t + 1) and swaps them each step: everything an agent reads of others
// comes from the state at t (MODEL.md).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/neighbour_sums.h"

namespace fourp::models {

enum class Status : uint8_t { present = 0, away = 1, lost = 2 };

// The four continuous variables of an agent.
struct Attitudes {
  float a;  // awareness
  float o;  // otherness
  float t;  // trust in outside organisations
  float f;  // efficacy
};

// An agent's record: what its neighbours average of it at t, one 16-byte record
// (sim/neighbour_sums.h) so that the gather over ties is one vector addition a tie. Rules 1, 4
// and 5 read sums over N(i), the present neighbours: a present agent's record holds its
// attitudes; an absent (away or lost) agent's record is all zeros, so it adds nothing to any sum,
// and its own frozen attitudes are kept aside (PreventionSimulation::frozen_). How many of N(i)
// there are, and how many are engaged, change rarely: the simulation keeps those
// counts up to date where they change rather than gathering them every step.
namespace lane {
enum : int { a = 0, o = 1, t = 2, f = 3 };
}

struct AgentState {
  std::vector<NeighbourRecord, HugePageAllocator<NeighbourRecord>> x;  // read at random: huge pages
  std::vector<uint8_t> programme;  // 0: not a partner; k: partner of the arm's k-th programme
  std::vector<Status> status;
  std::vector<uint8_t> engaged_flag;  // e, 0 while absent (away agents do not act)

  // `halo` records after the agents' own, for the gather (sim/far_ties.h).
  explicit AgentState(size_t n = 0, size_t halo = 0)
      : x(n + halo), programme(n), status(n), engaged_flag(n) {}
  void swap(AgentState& other) noexcept {
    x.swap(other.x), programme.swap(other.programme), status.swap(other.status);
    engaged_flag.swap(other.engaged_flag);
  }
  bool present(size_t i) const { return status[i] == Status::present; }
  bool engaged(size_t i) const { return engaged_flag[i] != 0; }
  // A present agent's attitudes (an absent agent's are kept aside).
  Attitudes present_attitudes(size_t i) const {
    const float* v = x[i].lane;
    return {v[lane::a], v[lane::o], v[lane::t], v[lane::f]};
  }
  // The arrays from agent `first` on, as plain pointers: a loop that writes many agents through
  // them keeps its other values in registers (after a byte stored through the vectors
  // themselves, anything reachable from them may have changed and is read again).
  struct Slice {
    NeighbourRecord* x;
    uint8_t* engaged_flag;
    uint8_t* programme;
    Status* status;
    // Agent first + k's state, and its record: the record shows its attitudes only when it is
    // present, and an absent agent does not act.
    NeighbourRecord set(size_t k, const Attitudes& v, bool e, uint8_t prog, Status st) const {
      const bool here = st == Status::present;
      const NeighbourRecord r = here ? NeighbourRecord{{v.a, v.o, v.t, v.f}} : NeighbourRecord{};
      x[k] = r, engaged_flag[k] = here && e, programme[k] = prog, status[k] = st;
      return r;
    }
  };
  Slice from(size_t first) {
    return {x.data() + first, engaged_flag.data() + first, programme.data() + first,
            status.data() + first};
  }
};

}  // namespace fourp::models
