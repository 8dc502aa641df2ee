#include "sim/smc.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/distributions.h"
#include "sim/rng.h"

namespace fourp {

namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
constexpr uint32_t kResamplingAgent = 0xFFFFFFFFu;
constexpr uint32_t kMaxRounds = 255;            // 8 bits of evaluation_key
constexpr uint32_t kMaxGenerations = 1u << 24;  // 24 bits of evaluation_key
constexpr int kBisections = 60;

// generation << 40 | round << 32 | particle (smc.h "Reproducibility").
uint64_t evaluation_key(uint32_t generation, uint32_t round, uint32_t particle) {
  return uint64_t{generation} << 40 | uint64_t{round} << 32 | particle;
}

// A particle's draws in one round: a stream of its own, apart from every other round's.
RngStream particle_stream(const Rng& rng, uint32_t generation, uint32_t particle, uint32_t round) {
  return RngStream(rng, generation, particle, Purpose::calibration, uint64_t{round} << 24);
}

// One call of the callback; NaN, +∞ and exceptions are failures (reported as NaN).
double evaluate(const LogLikelihood& f, std::span<const double> theta, uint64_t key) {
  try {
    const double v = f(theta, key);
    return v < std::numeric_limits<double>::infinity() ? v : std::nan("");
  } catch (...) {
    return std::nan("");
  }
}

// log N(z; 0, I) up to its constant.
double log_prior(std::span<const double> z) {
  double s = 0;
  for (double x : z) s += x * x;
  return -0.5 * s;
}

// Log weights normalised so that Σ exp = 1, summed in particle order.
void normalise(std::vector<double>& log_w) {
  double top = kMinusInf;
  for (double v : log_w) top = std::max(top, v);
  double sum = 0;
  for (double v : log_w) sum += std::exp(v - top);
  const double log_sum = top + std::log(sum);
  for (double& v : log_w) v = v == kMinusInf ? kMinusInf : v - log_sum;
}

// δ ℓ with 0 · (−∞) read as −∞: a particle of likelihood 0 has weight 0 at any φ > 0.
double increment(double delta, double ll) {
  return ll == kMinusInf ? kMinusInf : delta * ll;
}

// The conditional ESS of the step δ, divided by N:  (Σ W_i w_i)² / Σ W_i w_i².
double cess_share(const std::vector<double>& weights, const std::vector<double>& ll, double delta) {
  double top = kMinusInf;
  for (size_t i = 0; i < ll.size(); ++i)
    if (weights[i] > 0) top = std::max(top, increment(delta, ll[i]));
  if (top == kMinusInf) return 0;
  double a = 0, b = 0;
  for (size_t i = 0; i < ll.size(); ++i) {
    if (!(weights[i] > 0)) continue;
    const double w = std::exp(increment(delta, ll[i]) - top);
    a += weights[i] * w;
    b += weights[i] * w * w;
  }
  return a * a / b;
}

// φ_t: 1 if the whole step keeps CESS ≥ α N₀, else the bisection point just past the root of
// CESS(φ) = α N₀. N₀ = lim CESS as φ → φ_{t−1}+ is N times the weight of the particles whose
// likelihood is positive (N but for particles of likelihood 0), so the target is reachable.
double next_temperature(const std::vector<double>& weights, const std::vector<double>& ll,
                        double phi, double alpha) {
  double positive = 0;
  for (size_t i = 0; i < ll.size(); ++i)
    if (ll[i] != kMinusInf) positive += weights[i];
  if (!(positive > 0))
    throw std::runtime_error("calibration: no particle has a positive likelihood");
  const double target = alpha * positive;
  if (cess_share(weights, ll, 1 - phi) >= target) return 1;
  double lo = phi, hi = 1;
  for (int b = 0; b < kBisections; ++b) {
    const double mid = lo + 0.5 * (hi - lo);
    (cess_share(weights, ll, mid - phi) >= target ? lo : hi) = mid;
  }
  return hi;  // > φ_{t−1}: every generation makes progress
}

// Systematic resampling: particle i is taken once for every point (u + n) / N, n = 0 … N − 1,
// in [C_{i−1}, C_i), C the cumulative weights; weight 0 is never taken.
std::vector<uint32_t> systematic_resample(const std::vector<double>& weights, double u) {
  const size_t n = weights.size();
  size_t last = 0;  // the last particle of positive weight takes what rounding leaves over
  for (size_t i = 0; i < n; ++i)
    if (weights[i] > 0) last = i;
  std::vector<uint32_t> out(n);
  double cumulative = weights[0];
  size_t i = 0;
  for (size_t m = 0; m < n; ++m) {
    const double point = (u + static_cast<double>(m)) / static_cast<double>(n);
    while (i < last && point >= cumulative) cumulative += weights[++i];
    out[m] = static_cast<uint32_t>(i);
  }
  return out;
}

// L with L Lᵀ = (2.38² / k) Σ + jitter I, Σ the weighted covariance of the particles' z. The
// jitter keeps the factorisation defined when particles have collapsed onto few points.
std::vector<double> proposal_factor(const std::vector<double>& z,
                                    const std::vector<double>& weights, uint32_t k) {
  const size_t n = weights.size();
  std::vector<double> mean(k, 0.0), cov(size_t{k} * k, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (uint32_t a = 0; a < k; ++a) mean[a] += weights[i] * z[i * k + a];
  for (size_t i = 0; i < n; ++i) {
    if (!(weights[i] > 0)) continue;
    for (uint32_t a = 0; a < k; ++a)
      for (uint32_t b = 0; b <= a; ++b)
        cov[a * k + b] += weights[i] * (z[i * k + a] - mean[a]) * (z[i * k + b] - mean[b]);
  }
  double largest = 0;
  for (uint32_t a = 0; a < k; ++a) largest = std::max(largest, cov[a * k + a]);
  const double scale = 2.38 * 2.38 / k, jitter = 1e-12 + 1e-9 * largest;
  for (auto& c : cov) c *= scale;
  for (uint32_t a = 0; a < k; ++a) cov[a * k + a] += jitter;
  // Cholesky, lower triangle; a non-positive pivot (a correlation of ±1 within rounding)
  // falls back to the diagonal, which still proposes in every direction.
  std::vector<double> l(size_t{k} * k, 0.0);
  for (uint32_t a = 0; a < k; ++a) {
    for (uint32_t b = 0; b <= a; ++b) {
      double s = cov[a * k + b];
      for (uint32_t c = 0; c < b; ++c) s -= l[a * k + c] * l[b * k + c];
      if (a == b) {
        if (!(s > 0)) {
          std::fill(l.begin(), l.end(), 0.0);
          for (uint32_t d = 0; d < k; ++d) l[d * k + d] = std::sqrt(cov[d * k + d]);
          return l;
        }
        l[a * k + a] = std::sqrt(s);
      } else {
        l[a * k + b] = s / l[b * k + b];
      }
    }
  }
  return l;
}

// θ kept off the ends of an open support where the inverse CDF rounds onto them (beta at
// Φ(z) near 1 gives 1 − O(2⁻¹⁰⁶), which is 1.0; gamma near 0 underflows): a model may divide by
// θ or 1 − θ. The shift is at most one spacing of doubles, on prior mass below 1e-16.
double inside_support(const ParameterDistribution& d, double theta) {
  constexpr double tiny = std::numeric_limits<double>::min(), below_one = 1 - 0x1p-53;
  switch (d.kind) {
    case ParameterDistribution::Kind::beta:
      return std::clamp(theta, tiny, below_one);
    case ParameterDistribution::Kind::lognormal:
    case ParameterDistribution::Kind::gamma:
      return std::max(theta, tiny);
    default:
      return theta;  // closed supports, or values as given
  }
}

void check_settings(const SmcSettings& s) {
  auto fail = [](const char* what) { throw std::invalid_argument(std::string("smc: ") + what); };
  if (s.particles < 2) fail("particles must be at least 2");
  if (s.particles == 0xFFFFFFFFu) fail("particles must be below 2^32 - 1");
  if (s.seed > 0xFFFFFFFFull) fail("seed must be below 2^32");
  if (!(s.ess_fraction > 0 && s.ess_fraction < 1)) fail("ess_fraction must lie in (0, 1)");
  if (!(s.accepted_moves > 0) || !std::isfinite(s.accepted_moves))
    fail("accepted_moves must be positive");
  if (s.min_moves < 1 || s.min_moves > s.max_moves) fail("need 1 <= min_moves <= max_moves");
  if (s.max_moves > kMaxRounds) fail("max_moves must be at most 255");
  if (s.max_generations < 1 || s.max_generations >= kMaxGenerations)
    fail("max_generations must lie in [1, 2^24)");
}

}  // namespace

void evaluate_batch(const LogLikelihood& f, std::span<const double> thetas,
                    std::span<const uint64_t> keys, std::span<double> out, uint32_t offset,
                    uint32_t stride) {
  const size_t n = keys.size(), k = n ? thetas.size() / n : 0;
  if (out.size() != n || thetas.size() != n * k || stride == 0)
    throw std::invalid_argument("evaluate_batch: one key, one value and k parameters a particle");
  const size_t share = n > offset ? (n - offset + stride - 1) / stride : 0;
  tbb::parallel_for(size_t{0}, share, [&](size_t m) {
    const size_t i = offset + m * stride;
    out[i] = evaluate(f, thetas.subspan(i * k, k), keys[i]);
  });
}

std::vector<double> SmcSampler::evaluate_all(std::span<const double> thetas,
                                             std::span<const uint64_t> keys) const {
  std::vector<double> out(keys.size(), 0.0);
  if (evaluator_)
    evaluator_(thetas, keys, out);
  else
    evaluate_batch(log_likelihood_, thetas, keys, out);
  return out;
}

SmcSampler::SmcSampler(std::vector<ParameterDistribution> priors, SmcSettings settings,
                       LogLikelihood log_likelihood)
    : priors_(std::move(priors)), settings_(settings), log_likelihood_(std::move(log_likelihood)) {
  if (priors_.empty()) throw std::invalid_argument("smc: no parameters (priors is empty)");
  if (!log_likelihood_) throw std::invalid_argument("smc: no log-likelihood callback");
  check_settings(settings_);
}

std::vector<double> SmcSampler::theta_of(std::span<const double> z) const {
  std::vector<double> theta(z.size());
  for (size_t j = 0; j < z.size(); ++j) {
    // Φ(z), kept off 0 and 1 so that no quantile is asked for its support's end.
    const double p = std::clamp(0.5 * std::erfc(-z[j] / std::sqrt(2.0)), 1e-300, 1 - 0x1p-53);
    theta[j] = inside_support(priors_[j], quantile(priors_[j], p));
  }
  return theta;
}

SmcGeneration SmcSampler::first() const {
  const uint32_t n = settings_.particles, k = static_cast<uint32_t>(priors_.size());
  const Rng rng(settings_.seed, 0);
  SmcGeneration g;
  g.dimension = k;
  g.z.resize(size_t{n} * k);
  g.theta.resize(size_t{n} * k);
  g.log_likelihood.resize(n);
  std::vector<uint64_t> keys(n);
  tbb::parallel_for(uint32_t{0}, n, [&](uint32_t i) {
    RngStream stream = particle_stream(rng, 0, i, 0);
    std::span<double> z(g.z.data() + size_t{i} * k, k);
    for (double& x : z) x = standard_normal(stream);
    const std::vector<double> theta = theta_of(z);
    std::copy(theta.begin(), theta.end(), g.theta.begin() + size_t{i} * k);
    keys[i] = evaluation_key(0, 0, i);
  });
  g.log_likelihood = evaluate_all(g.theta, keys);
  // A failed particle has weight 0: the others are an exact (smaller) sample of the prior.
  g.evaluations = n;
  g.log_weight.assign(n, 0.0);
  for (uint32_t i = 0; i < n; ++i) {
    if (!std::isnan(g.log_likelihood[i])) continue;
    ++g.failed_evaluations;
    g.log_likelihood[i] = kMinusInf;
    g.log_weight[i] = kMinusInf;
  }
  if (g.failed_evaluations == n)
    throw std::runtime_error("calibration: every evaluation of the prior sample failed");
  normalise(g.log_weight);
  g.ess = static_cast<double>(n - g.failed_evaluations);
  return g;
}

SmcGeneration SmcSampler::next(const SmcGeneration& previous) const {
  const uint32_t n = settings_.particles, k = static_cast<uint32_t>(priors_.size());
  if (previous.dimension != k || previous.z.size() != size_t{n} * k ||
      previous.log_likelihood.size() != n || previous.log_weight.size() != n)
    throw std::invalid_argument("smc: the generation does not match the sampler's particles");
  if (done(previous)) throw std::invalid_argument("smc: the generation is already the last");
  if (previous.generation + 1 >= kMaxGenerations)
    throw std::invalid_argument("smc: too many generations");

  SmcGeneration g;
  g.generation = previous.generation + 1;
  g.dimension = k;
  const Rng rng(settings_.seed, 0);

  // 1. Temperature.
  const std::vector<double> before = smc_weights(previous);
  g.temperature = next_temperature(before, previous.log_likelihood, previous.temperature,
                                   settings_.ess_fraction);
  const double delta = g.temperature - previous.temperature;

  // 2. Reweight: W_i ∝ W_i exp(δ ℓ_i).
  std::vector<double> log_w(n);
  for (uint32_t i = 0; i < n; ++i)
    log_w[i] = previous.log_weight[i] + increment(delta, previous.log_likelihood[i]);
  normalise(log_w);
  std::vector<double> w(n);
  double sum_sq = 0;
  for (uint32_t i = 0; i < n; ++i) {
    w[i] = std::exp(log_w[i]);
    sum_sq += w[i] * w[i];
  }
  g.ess = 1 / sum_sq;
  const std::vector<double> factor = proposal_factor(previous.z, w, k);

  // 3. Resample.
  const auto taken =
      systematic_resample(w, rng.uniform(g.generation, kResamplingAgent, Purpose::calibration, 0));
  g.z.resize(size_t{n} * k);
  g.theta.resize(size_t{n} * k);
  g.log_likelihood.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    const size_t from = taken[i];
    std::copy_n(previous.z.begin() + from * k, k, g.z.begin() + size_t{i} * k);
    std::copy_n(previous.theta.begin() + from * k, k, g.theta.begin() + size_t{i} * k);
    g.log_likelihood[i] = previous.log_likelihood[from];
  }
  g.log_weight.assign(n, -std::log(static_cast<double>(n)));

  // 4. Move: rounds of random-walk Metropolis–Hastings targeting N(z; 0, I) L(θ(z))^φ_t.
  const double phi = g.temperature;
  std::vector<uint8_t> accepted(n), failed(n);
  std::vector<double> proposals(size_t{n} * k), thetas(size_t{n} * k), uniforms(n);
  std::vector<uint64_t> keys(n);
  uint64_t total_accepted = 0;
  double accepted_per_particle = 0;
  for (uint32_t round = 1; round <= settings_.max_moves; ++round) {
    // The proposals and their acceptance uniforms, then their evaluations in one batch, then
    // the Metropolis–Hastings decisions.
    tbb::parallel_for(uint32_t{0}, n, [&](uint32_t i) {
      RngStream stream = particle_stream(rng, g.generation, i, round);
      std::span<const double> z(g.z.data() + size_t{i} * k, k);
      std::span<double> proposal(proposals.data() + size_t{i} * k, k);
      std::vector<double> eps(k);
      for (double& e : eps) e = standard_normal(stream);
      // z' = z + L ε
      for (uint32_t a = 0; a < k; ++a) {
        double step = 0;
        for (uint32_t b = 0; b <= a; ++b) step += factor[a * k + b] * eps[b];
        proposal[a] = z[a] + step;
      }
      const std::vector<double> theta = theta_of(proposal);
      std::copy(theta.begin(), theta.end(), thetas.begin() + size_t{i} * k);
      keys[i] = evaluation_key(g.generation, round, i);
      uniforms[i] = stream.uniform();
    });
    const std::vector<double> values = evaluate_all(thetas, keys);
    tbb::parallel_for(uint32_t{0}, n, [&](uint32_t i) {
      std::span<double> z(g.z.data() + size_t{i} * k, k);
      std::span<const double> proposal(proposals.data() + size_t{i} * k, k);
      std::span<const double> theta(thetas.data() + size_t{i} * k, k);
      const double ll = values[i], u = uniforms[i];
      failed[i] = std::isnan(ll);
      accepted[i] = 0;
      if (failed[i] || ll == kMinusInf) return;
      // log α = log N(z') − log N(z) + φ (ℓ' − ℓ); ℓ, the particle's kept estimate, is never
      // re-estimated (pseudo-marginal).
      const double log_alpha =
          log_prior(proposal) - log_prior(z) + phi * (ll - g.log_likelihood[i]);
      if (!(std::log(u) < log_alpha)) return;
      accepted[i] = 1;
      std::copy(proposal.begin(), proposal.end(), z.begin());
      std::copy(theta.begin(), theta.end(), g.theta.begin() + size_t{i} * k);
      g.log_likelihood[i] = ll;
    });
    uint64_t round_accepted = 0;
    for (uint32_t i = 0; i < n; ++i) {
      round_accepted += accepted[i];
      g.failed_evaluations += failed[i];
    }
    total_accepted += round_accepted;
    g.evaluations += n;
    g.move_rounds = round;
    accepted_per_particle += static_cast<double>(round_accepted) / n;
    if (round >= settings_.min_moves && accepted_per_particle >= settings_.accepted_moves) break;
  }
  g.acceptance_rate = static_cast<double>(total_accepted) / static_cast<double>(g.evaluations);
  return g;
}

std::vector<SmcGeneration> SmcSampler::run(
    const std::function<void(const SmcGeneration&)>& on_generation) const {
  std::vector<SmcGeneration> out;
  out.push_back(first());
  if (on_generation) on_generation(out.back());
  while (!done(out.back())) {
    if (out.back().generation >= settings_.max_generations)
      throw std::runtime_error("calibration: temperature 1 not reached within max_generations");
    out.push_back(next(out.back()));
    if (on_generation) on_generation(out.back());
  }
  return out;
}

std::vector<double> smc_weights(const SmcGeneration& g) {
  std::vector<double> w(g.log_weight.size());
  for (size_t i = 0; i < w.size(); ++i) w[i] = std::exp(g.log_weight[i]);
  return w;
}

}  // namespace fourp
