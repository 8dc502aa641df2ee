// Sampling the scenario's initial distributions, truncated (not clipped) to [0, 1] (MODEL.md):
// a draw outside [0, 1] is impossible, the density inside keeps its shape.
//
//   RngStream s(rng, kSetupStep, agent, Purpose::initial_state, attribute << 32);
//   double x = sample_unit(dist, s);
#pragma once

#include "sim/diagnostics.h"
#include "sim/rng.h"

namespace fourp {

// An initial distribution; samples are truncated (not clipped) to [0, 1] (MODEL.md).
struct Distribution {
  enum class Kind { beta, uniform, normal, constant };
  Kind kind = Kind::constant;
  double p1 = 0, p2 = 0;  // beta: alpha, beta; uniform: lo, hi; normal: mean, sd; constant: x
  SourceLoc loc;
};

// beta: ratio of gammas (Marsaglia–Tsang), already in [0, 1]; uniform: on [lo, hi] ∩ [0, 1];
// normal: inverse CDF on the [0, 1] slice, one uniform; constant: the value.
double sample_unit(const Distribution& dist, RngStream& stream);

// A standard normal by Box–Muller (cosine branch) from the stream's next two uniforms.
double standard_normal(RngStream& stream);

// Gamma(shape, 1) by Marsaglia & Tsang (2000), shape > 0.
double sample_gamma(double shape, RngStream& stream);

// Poisson(mean) by inversion (for small means: household sizes).
uint32_t sample_poisson(double mean, double u);

}  // namespace fourp
