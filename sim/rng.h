// Counter-based random numbers (Random123 Philox4x32-10), so that every draw is a pure function
// of (seed, replicate, step, agent, purpose, index) — MODEL.md "Randomness and reproducibility".
// No generator state is carried between draws: results do not depend on the number of threads,
// on scheduling, or on which other draws were made (common random numbers across arms).
//
//   Rng rng(seed, replicate);
//   double u = rng.uniform(step, agent, Purpose::exposure, campaign_index);  // in (0, 1)
//
// Key = (seed, replicate), 2 × 32 bits. Counter = (step, agent, purpose << 24 | index bits 32..55,
// index bits 0..31), 4 × 32 bits; an index has 56 bits.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace fourp {

// What a draw is for: the third counter word's top 8 bits. The engine names its own purposes
// here; every other value belongs to a model kind, which declares the range it uses
// (ModelKind::purposes) and names its purposes in its own files, e.g.
// `constexpr Purpose kExposure{4};`. Values are part of the results: never renumber one.
enum class Purpose : uint32_t {
  initial_state = 1,  // roles and initial traits (world.h)
  network = 2,        // network generators
  household = 3,      // household sizes (layout.h)
  sweep = 16,         // designs and bootstrap resamples: keyed apart from any run's draws
  parameters = 18,    // uncertain parameters (sim/uncertainty.h): replicate r's θ_r, drawn once
  calibration = 19,   // the SMC sampler of `fourp calibrate` (sim/smc.h); 17 was once voter's
};
// The engine's purposes, which no model may declare.
inline constexpr Purpose kEnginePurposes[] = {Purpose::initial_state, Purpose::network,
                                              Purpose::household,     Purpose::sweep,
                                              Purpose::parameters,    Purpose::calibration};

// The step value used for draws made while building a replicate's world (network, households,
// initial state), which happen before transition 0.
inline constexpr uint32_t kSetupStep = 0xFFFFFFFFu;

class Rng {
 public:
  using Philox = r123::Philox4x32;

  Rng(uint64_t seed, uint32_t replicate) : key_{{static_cast<uint32_t>(seed), replicate}} {}

  // Four independent 32-bit words for this counter.
  std::array<uint32_t, 4> bits(uint32_t step, uint32_t agent, Purpose purpose,
                               uint64_t index) const {
    Philox::ctr_type ctr = {
        {step, agent, purpose_word(purpose, index), static_cast<uint32_t>(index)}};
    Philox::ctr_type r = Philox{}(ctr, key_);
    return {r[0], r[1], r[2], r[3]};
  }

  // A uniform number in the open interval (0, 1) with 32-bit resolution.
  double uniform(uint32_t step, uint32_t agent, Purpose purpose, uint64_t index) const {
    return to_unit(bits(step, agent, purpose, index)[0]);
  }

  // Four uniforms in (0, 1) from one Philox call.
  std::array<double, 4> uniform4(uint32_t step, uint32_t agent, Purpose purpose,
                                 uint64_t index) const {
    auto b = bits(step, agent, purpose, index);
    return {to_unit(b[0]), to_unit(b[1]), to_unit(b[2]), to_unit(b[3])};
  }

  // The words behind uniform(step, a, purpose, index) for the agents a = first_agent … first_agent
  // + count − 1, computed several counters at a time: to_unit(out[k]) == uniform(step, first_agent
  // + k, purpose, index). For rules that draw once per agent of a block. `vector_paths` false
  // forces Random123's scalar code (tests compare the two).
  void uniform_bits(uint32_t step, uint32_t first_agent, uint32_t count, Purpose purpose,
                    uint64_t index, uint32_t* out, bool vector_paths = true) const;
  // The same for a list of agents: to_unit(out[k]) == uniform(step, agents[k], purpose, index).
  void uniform_bits_of(uint32_t step, const uint32_t* agents, uint32_t count, Purpose purpose,
                       uint64_t index, uint32_t* out, bool vector_paths = true) const;

  static double to_unit(uint32_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }

  // The number of words x with to_unit(x) < p: a draw is below p exactly when its word is below
  // this count, so loops over agents can compare integers.
  static uint64_t words_below(double p) {
    if (!(p > to_unit(0))) return 0;
    if (p > to_unit(0xFFFFFFFFu)) return 0x100000000ull;
    // to_unit(x) < p ⇔ x + 0.5 < p·2^32, exact in double; start near the answer, then settle.
    uint64_t x = static_cast<uint64_t>(p * 0x1p32);
    while (x > 0 && !(to_unit(static_cast<uint32_t>(x - 1)) < p)) --x;
    while (x < 0xFFFFFFFFull && to_unit(static_cast<uint32_t>(x)) < p) ++x;
    return x;
  }

 private:
  static uint32_t purpose_word(Purpose purpose, uint64_t index) {
    return (static_cast<uint32_t>(purpose) << 24) |
           static_cast<uint32_t>((index >> 32) & 0xFFFFFFu);
  }
  Philox::key_type key_;
};

// A stable 56-bit hash of a name (FNV-1a, folded): the draw index of a campaign or programme, so
// that the same intervention draws the same numbers in every arm that runs it.
constexpr uint64_t name_index(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return (h ^ (h >> 56)) & 0xFFFFFFFFFFFFFFull;
}

// A sequential stream on one counter prefix, for algorithms that consume an unknown number of
// draws in a fixed order (network generators, rejection samplers). Satisfies
// UniformRandomBitGenerator so Boost and <random> algorithms can use it; still a pure function
// of (key, step, agent, purpose) and the position in the stream.
class RngStream {
 public:
  using result_type = uint32_t;
  // Draws use indices first_index, first_index + 1, …; separate streams of one (step, agent,
  // purpose) by giving them disjoint index ranges.
  RngStream(const Rng& rng, uint32_t step, uint32_t agent, Purpose purpose,
            uint64_t first_index = 0)
      : rng_(rng), step_(step), agent_(agent), purpose_(purpose), next_(first_index) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return 0xFFFFFFFFu; }
  result_type operator()() {
    if (used_ == 4) {
      buf_ = rng_.bits(step_, agent_, purpose_, next_++);
      used_ = 0;
    }
    return buf_[used_++];
  }
  double uniform() { return Rng::to_unit((*this)()); }

 private:
  Rng rng_;
  uint32_t step_, agent_;
  Purpose purpose_;
  uint64_t next_;
  std::array<uint32_t, 4> buf_{};
  int used_ = 4;
};

}  // namespace fourp
