// The inference of `fourp calibrate` (issue 12): a sequential Monte Carlo sampler with adaptive
// likelihood tempering (Del Moral, Doucet & Jasra 2006; Jasra, Stephens, Doucet & Tsagaris 2011)
// that turns priors and a log-likelihood into a weighted sample from the posterior. It knows no
// model and no file: the caller gives the priors and a callback, and journals the generations.
//
//   SmcSampler sampler(priors, settings, [&](std::span<const double> theta, uint64_t key) {
//     return log_likelihood_of(theta, key);   // may be a noisy estimate; may throw
//   });
//   SmcGeneration g = sampler.first();        // the prior
//   while (!SmcSampler::done(g)) { g = sampler.next(g); journal(g); }
//   // g.theta, exp(g.log_weight): the posterior (or sampler.run(journal) for the same loop)
//
// Space. Each parameter j lives in an unconstrained coordinate z_j ∈ R with
//   θ_j = quantile(prior_j, Φ(z_j)),
// so z ~ N(0, I) exactly when θ ~ prior, and a random walk on z never leaves a parameter's
// support (transformed proposals). Φ(z) is kept in [1e-300, 1 − 2⁻⁵³], and where the inverse
// CDF still rounds onto an open support's end θ is moved inside by one spacing of doubles: a
// beta's θ lies in (0, 1), a lognormal's or gamma's is > 0, a uniform's, triangular's or
// truncated normal's in [min, max]. A discrete prior makes θ_j a step function of z_j: still
// exact, but a random walk mixes more slowly over its plateaus.
//
// Targets. π_φ(z) ∝ N(z; 0, I) · L(θ(z))^φ for temperatures 0 = φ_0 < φ_1 < … < φ_T = 1.
//
// Generation 0 (first): N particles z_i ~ N(0, I), each evaluated once; equal weights, and a
// particle whose evaluation failed gets weight 0 (log weight −∞).
// Generation t ≥ 1 (next), from generation t − 1's particles and normalised weights W_i:
//   1. Temperature: with ℓ_i the particle's log-likelihood and w_i(φ) = exp((φ − φ_{t−1}) ℓ_i),
//      the conditional ESS (Zhou, Johansen & Aston 2016)
//        CESS(φ) = N (Σ W_i w_i)² / Σ W_i w_i²
//      falls from N₀ just above φ_{t−1} (N₀ = N times the weight of particles with ℓ_i > −∞,
//      so N but for particles of likelihood 0); φ_t = 1 if CESS(1) ≥ α N₀, else the root of
//      CESS(φ) = α N₀ by bisection (60 halvings of [φ_{t−1}, 1], the upper end kept).
//   2. Reweight: W_i ∝ W_i w_i(φ_t); `ess` records 1 / Σ W_i² of these weights.
//   3. Resample: systematic, one uniform; every weight becomes 1/N.
//   4. Move: rounds of one random-walk Metropolis–Hastings proposal per particle,
//        z' = z + L ε, ε ~ N(0, I), L Lᵀ = (2.38² / k) Σ + ε_jitter I,
//      Σ the weighted covariance of the reweighted particles' z (step 2), accepted with
//      probability min(1, N(z'; 0, I) exp(φ_t ℓ') / (N(z; 0, I) exp(φ_t ℓ))).
//      Rounds continue until the acceptance rates of the rounds so far add up to
//      `accepted_moves` (the mean number of accepted moves per particle), at least `min_moves`
//      and at most `max_moves` rounds.
// Stopping rule: the generation that reaches φ_t = 1 is the last; its particles and weights are
// the posterior sample (after its moves the weights are equal).
//
// Noisy likelihoods (pseudo-marginal; Andrieu & Roberts 2009). When the callback returns the log
// of an unbiased, non-negative estimate of the likelihood (a stochastic simulation's), each
// particle keeps its current estimate ℓ_i: reweighting and the acceptance ratio use it, and it
// is never re-estimated; a proposal's estimate replaces it only when the proposal is accepted.
// The final generation then targets the exact posterior, as for an exact likelihood.
//
// Failures. A callback that throws or returns NaN is a failed evaluation: at generation 0 the
// particle gets weight 0, in a move the proposal is rejected. Failures are counted
// (`failed_evaluations`), never fatal; only a generation 0 where every evaluation failed throws
// (std::runtime_error: nothing to learn from). A callback returning −∞ (likelihood 0) is a valid
// answer, not a failure.
//
// Reproducibility. Every random number is Philox (sim/rng.h) keyed Rng(seed, 0), Purpose::
// calibration (19), counter (step = generation, agent = particle, index = round << 24, a stream):
//   round 0: generation 0's draws of z_i (k normals by Box–Muller, cosine branch);
//   round m ≥ 1: move m's ε (k normals), then the acceptance uniform;
//   agent 0xFFFFFFFF, round 0: the generation's systematic-resampling uniform.
// Evaluations run in batches, a generation's (or a move round's) at once, by the evaluator:
// by default in parallel (oneTBB parallel_for over particles, in the caller's task arena);
// reductions are sequential in particle order. A generation is therefore a pure function of
// (priors, settings, previous generation, callback) for any number of threads, and a journal of
// generations restarts bit for bit: next(g) from a reloaded g equals next(g) in the first run.
// The callback's evaluation_key = generation << 40 | round << 32 | particle (round 0 at
// generation 0, else the move round, 1 … 255) is a pure function of (generation, particle,
// round), distinct for every evaluation of a calibration: a stochastic simulation may seed its
// draws with it (e.g. Rng(key & 0xFFFFFFFF, key >> 32)), mixing in its own seed if two
// calibrations should not share simulation noise.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/uncertainty.h"

namespace fourp {

// The log of the likelihood (or of an unbiased estimate of it) of the data at θ, one value per
// prior, in their order. Called concurrently from several threads: it must be thread-safe.
using LogLikelihood = std::function<double(std::span<const double> theta, uint64_t evaluation_key)>;

// Evaluates a batch: out[i] = the callback at θ_i = thetas[i k … i k + k − 1] with key keys[i],
// NaN when it failed (threw, returned NaN or +∞). The default runs them with oneTBB on this
// process; a program running on several processes (MPI ranks) gives one that shares them out and
// gathers the values — any evaluator that returns the callback's values gives the same
// generations.
using BatchEvaluator = std::function<void(std::span<const double> thetas,
                                          std::span<const uint64_t> keys, std::span<double> out)>;

// The default: parallel_for over the batch. `index` limits it to the i with i mod stride =
// offset (a rank's share; the others are left as they are).
void evaluate_batch(const LogLikelihood& f, std::span<const double> thetas,
                    std::span<const uint64_t> keys, std::span<double> out, uint32_t offset = 0,
                    uint32_t stride = 1);

struct SmcSettings {
  uint32_t particles = 1000;       // N ≥ 2
  uint64_t seed = 0;               // < 2³² (the first word of the Philox key)
  double ess_fraction = 0.5;       // α in (0, 1): each temperature step keeps CESS = α N
  double accepted_moves = 2;       // > 0: move rounds until their acceptance rates sum to this
  uint32_t min_moves = 1;          // rounds of moves per generation: at least …
  uint32_t max_moves = 30;         // … and at most (≤ 255, the round's bits in evaluation_key)
  uint32_t max_generations = 200;  // run() throws std::runtime_error past this (< 2²⁴)
};

// One generation: the particles after its moves, and what it cost. Particle i's coordinates are
// z[i k … i k + k − 1] and theta[i k … i k + k − 1] (k = dimension).
struct SmcGeneration {
  uint32_t generation = 0;
  double temperature = 0;  // φ_t
  uint32_t dimension = 0;  // k, the number of parameters
  std::vector<double> z, theta;
  std::vector<double> log_likelihood;  // the particle's current (estimated) ℓ; −∞ if failed
  // Normalised (Σ exp = 1); −∞ for weight 0 (a failed particle of generation 0). Later
  // generations end resampled and moved, so every weight is −ln N.
  std::vector<double> log_weight;
  double ess = 0;                   // 1 / Σ W_i² after reweighting (generation 0: of its weights)
  double acceptance_rate = 0;       // accepted / proposed moves (0 at generation 0)
  uint32_t move_rounds = 0;         // rounds of moves made
  uint64_t evaluations = 0;         // callback calls in this generation
  uint64_t failed_evaluations = 0;  // of which failed (threw or returned NaN)
};

class SmcSampler {
 public:
  // Throws std::invalid_argument for no priors, an empty callback, or settings out of range.
  SmcSampler(std::vector<ParameterDistribution> priors, SmcSettings settings,
             LogLikelihood log_likelihood);

  // Replaces how batches of evaluations run (default: evaluate_batch on this process).
  void set_evaluator(BatchEvaluator evaluator) { evaluator_ = std::move(evaluator); }

  // Generation 0: N draws from the prior, each evaluated.
  SmcGeneration first() const;
  // Generation t + 1 from generation t (temperature < 1, this sampler's dimension and
  // particle count, else std::invalid_argument).
  SmcGeneration next(const SmcGeneration& previous) const;
  // Whether g is the last generation (its temperature reached 1).
  static bool done(const SmcGeneration& g) { return g.temperature >= 1; }
  // first(), then next() until done; each generation is handed to on_generation (if given) as
  // it is made. Returns every generation, the posterior last.
  std::vector<SmcGeneration> run(
      const std::function<void(const SmcGeneration&)>& on_generation = {}) const;

  // θ(z) for one particle's coordinates.
  std::vector<double> theta_of(std::span<const double> z) const;

 private:
  std::vector<ParameterDistribution> priors_;
  SmcSettings settings_;
  LogLikelihood log_likelihood_;
  BatchEvaluator evaluator_;

  // Every particle's value at once: thetas particle-major, one key a particle.
  std::vector<double> evaluate_all(std::span<const double> thetas,
                                   std::span<const uint64_t> keys) const;
};

// The normalised weights exp(log_weight) of a generation.
std::vector<double> smc_weights(const SmcGeneration& g);

}  // namespace fourp
