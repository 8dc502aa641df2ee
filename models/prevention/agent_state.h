// The prevention model's dynamic agent state as structure of arrays indexed by agent id (the
// four attitudes grouped, see below). The model keeps two of these (state at t, state at t + 1) and
// swaps them each step: everything an agent reads of others comes from the state at t (MODEL.md).
#pragma once

#include <cstdint>
#include <vector>

namespace fourp::models {

enum class Status : uint8_t { present = 0, away = 1, lost = 2 };

// What an agent's neighbours read of it at t, packed in one byte so that the gather over ties
// touches one flag array instead of three (status, e, programme).
struct Visible {
  static constexpr uint8_t present = 1, engaged = 2, partner = 4;
};

// The four continuous variables of an agent. They are what neighbours read most (rule 1's
// neighbour means), so they are stored together: one tie costs one cache line, not four
// (docs/performance.md has the measurement). Every other variable is an array of its own.
struct Attitudes {
  float a;  // awareness
  float o;  // otherness
  float t;  // trust in outside organisations
  float f;  // efficacy
};

struct AgentState {
  std::vector<Attitudes> x;
  std::vector<uint8_t> e;          // engaged
  std::vector<uint8_t> programme;  // 0: not a partner; k: partner of the arm's k-th programme
  std::vector<Status> status;
  std::vector<uint8_t> visible;  // Visible bits, derived from status, e and programme

  explicit AgentState(size_t n = 0) : x(n), e(n), programme(n), status(n), visible(n) {}
  size_t size() const { return x.size(); }
  void swap(AgentState& other) noexcept {
    x.swap(other.x), e.swap(other.e);
    programme.swap(other.programme), status.swap(other.status), visible.swap(other.visible);
  }
  void set_visible(size_t i) {
    visible[i] = (status[i] == Status::present ? Visible::present : 0) |
                 (e[i] ? Visible::engaged : 0) | (programme[i] ? Visible::partner : 0);
  }
};

}  // namespace fourp::models
