// The prevention model's dynamic agent state as structure of arrays, one array a variable,
// indexed by agent id. The model keeps two of these (state at t, state at t + 1) and swaps them
// each step: everything an agent reads of others comes from the state at t (MODEL.md).
#pragma once

#include <cstdint>
#include <vector>

namespace fourp::models {

enum class Status : uint8_t { present = 0, away = 1, lost = 2 };

inline constexpr int32_t kNoCase = -(1 << 30);  // "no case yet" for last_case

struct AgentState {
  std::vector<float> a;  // awareness
  std::vector<float> o;  // otherness
  std::vector<float> t;  // trust in outside organisations
  std::vector<float> f;  // efficacy
  std::vector<uint8_t> e;          // engaged
  std::vector<uint8_t> programme;  // 0: not a partner; k: partner of the arm's k-th programme
  std::vector<Status> status;
  // Transition of the agent's last exploitation or return as a survivor (kNoCase: none). An away
  // agent's last_case is when it was exploited, which times its return.
  std::vector<int32_t> last_case;

  explicit AgentState(size_t n = 0)
      : a(n), o(n), t(n), f(n), e(n), programme(n), status(n), last_case(n, kNoCase) {}
  size_t size() const { return a.size(); }
  void swap(AgentState& other) noexcept {
    a.swap(other.a), o.swap(other.o), t.swap(other.t), f.swap(other.f), e.swap(other.e);
    programme.swap(other.programme), status.swap(other.status), last_case.swap(other.last_case);
  }
};

}  // namespace fourp::models
