// The prevention model's dynamic agent state, indexed by agent id. The model keeps two of these
// (state at t, state at t + 1) and swaps them each step: everything an agent reads of others
// comes from the state at t (MODEL.md).
#pragma once

#include <cstdint>
#include <vector>

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

// An agent's record: what its neighbours read of it at t, one 32-byte record (sim/neighbour_sums.h)
// so that the gather over ties is one vector addition a tie. Rules 1, 4 and 5 read sums over N(i),
// the present neighbours: a present agent's record holds its attitudes and 1 in the `present`
// lane; an absent (away or lost) agent's record is all zeros, so it adds nothing to any sum, and
// its own frozen attitudes are kept aside (PreventionSimulation::frozen_).
namespace lane {
enum : int { a = 0, o = 1, t = 2, f = 3, present = 4, engaged = 5, partner = 6 };
}

struct AgentState {
  std::vector<NeighbourRecord> x;
  std::vector<uint8_t> programme;  // 0: not a partner; k: partner of the arm's k-th programme
  std::vector<Status> status;

  explicit AgentState(size_t n = 0) : x(n), programme(n), status(n) {}
  void swap(AgentState& other) noexcept {
    x.swap(other.x), programme.swap(other.programme), status.swap(other.status);
  }
  bool engaged(size_t i) const { return x[i].lane[lane::engaged] != 0; }
  // A present agent's attitudes (an absent agent's are kept aside).
  Attitudes present_attitudes(size_t i) const {
    const float* v = x[i].lane;
    return {v[lane::a], v[lane::o], v[lane::t], v[lane::f]};
  }
  // Agent i's state; the record shows its attitudes only when it is present.
  void set(size_t i, const Attitudes& v, bool e, uint8_t prog, Status st) {
    if (st == Status::present)
      x[i] = {{v.a, v.o, v.t, v.f, 1.0f, e ? 1.0f : 0.0f, prog != 0 ? 1.0f : 0.0f, 0.0f}};
    else
      x[i] = {};
    programme[i] = prog, status[i] = st;
  }
};

}  // namespace fourp::models
