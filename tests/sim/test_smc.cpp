// The calibration sampler (sim/smc.h) against exact posteriors: a binomial survey with a uniform
// prior (Beta posterior), two independent normal means (conjugate normal posterior), a discrete
// prior (posterior by Bayes' rule over its values), the survey again with a noisy unbiased
// likelihood estimate (pseudo-marginal), and simulation-based calibration (Talts et al. 2018).
// Then the machinery: 1 and 2 threads agree bit for bit, a generation resumes bit for bit,
// failed evaluations are counted and rejected, supports hold, evaluation keys are as documented,
// and bad arguments throw.
//
// Tolerances. A posterior mean estimated from N SMC particles has a Monte Carlo sd of about
// σ_post / √N_eff; resampling and correlated moves make N_eff smaller than N, and we take
// N_eff = N / 4 (the ESS target keeps at least N / 2 before resampling; moves halve it again at
// worst). Means must lie within 4 σ_post / √N_eff of the truth, sds within a relative
// 4 / √(2 N_eff) (the sd of a sample sd is σ / √(2 n)). Seeds are fixed, so each test is
// deterministic; at 4 standard errors a correct sampler fails a check for one seed in ~15,000.
#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <atomic>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <mutex>
#include <numeric>
#include <set>

#include "sim/distributions.h"
#include "sim/rng.h"
#include "sim/smc.h"

using namespace fourp;

namespace {

ParameterDistribution uniform_prior(double lo, double hi) {
  ParameterDistribution d;
  d.kind = ParameterDistribution::Kind::uniform;
  d.lo = lo, d.hi = hi;
  return d;
}
ParameterDistribution beta_prior(double a, double b) {
  ParameterDistribution d;
  d.kind = ParameterDistribution::Kind::beta;
  d.a = a, d.b = b;
  return d;
}
ParameterDistribution normal_prior(double mean, double sd) {
  ParameterDistribution d;
  d.kind = ParameterDistribution::Kind::normal;
  d.a = mean, d.b = sd, d.lo = -HUGE_VAL, d.hi = HUGE_VAL;
  return d;
}

// The survey: `yes` of `n` respondents say yes, yes ~ Binomial(n, μ).
//   log L(μ) = yes ln μ + (n − yes) ln(1 − μ)   (the binomial coefficient is a constant)
double binomial_loglik(double mu, int n, int yes) {
  return yes * std::log(mu) + (n - yes) * std::log1p(-mu);
}
LogLikelihood survey(int n, int yes) {
  return [=](std::span<const double> theta, uint64_t) { return binomial_loglik(theta[0], n, yes); };
}

struct Moments {
  double mean, sd;
};
// Weighted mean and sd of parameter j in a generation.
Moments moments(const SmcGeneration& g, uint32_t j) {
  const auto w = smc_weights(g);
  double m = 0, s = 0;
  for (size_t i = 0; i < w.size(); ++i) m += w[i] * g.theta[i * g.dimension + j];
  for (size_t i = 0; i < w.size(); ++i) {
    const double d = g.theta[i * g.dimension + j] - m;
    s += w[i] * d * d;
  }
  return {m, std::sqrt(s)};
}

SmcGeneration posterior(std::vector<ParameterDistribution> priors, const SmcSettings& settings,
                        LogLikelihood f) {
  return SmcSampler(std::move(priors), settings, std::move(f)).run().back();
}

// The tolerances of the header comment, for N particles.
double mean_tolerance(double sd, uint32_t n) {
  return 4 * sd / std::sqrt(n / 4.0);
}
double sd_tolerance(uint32_t n) {
  return 4 / std::sqrt(2 * (n / 4.0));
}

// Posterior Beta(1 + yes, 1 + n − yes) of the survey under the uniform prior.
Moments beta_moments(double a, double b) {
  return {a / (a + b), std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))};
}

void require_moments(const Moments& got, const Moments& want, uint32_t n) {
  INFO("mean " << got.mean << " (exact " << want.mean << "), sd " << got.sd << " (exact " << want.sd
               << ")");
  CHECK(std::abs(got.mean - want.mean) < mean_tolerance(want.sd, n));
  CHECK(std::abs(got.sd / want.sd - 1) < sd_tolerance(n));
}

void require_identical(const SmcGeneration& a, const SmcGeneration& b) {
  REQUIRE(a.generation == b.generation);
  REQUIRE(a.temperature == b.temperature);
  REQUIRE(a.z == b.z);
  REQUIRE(a.theta == b.theta);
  REQUIRE(a.log_likelihood == b.log_likelihood);
  REQUIRE(a.log_weight == b.log_weight);
  REQUIRE(a.ess == b.ess);
  REQUIRE(a.acceptance_rate == b.acceptance_rate);
  REQUIRE(a.move_rounds == b.move_rounds);
  REQUIRE(a.evaluations == b.evaluations);
  REQUIRE(a.failed_evaluations == b.failed_evaluations);
}

// A standard normal from an evaluation key, as a stochastic simulation would seed itself.
double noise_of(uint64_t key) {
  RngStream s(Rng(static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)), 0, 0,
              Purpose::calibration);
  return standard_normal(s);
}

}  // namespace

TEST_CASE("smc: a survey of 400 with 96 yes under a uniform prior gives Beta(97, 305)", "[stat]") {
  SmcSettings settings;
  settings.particles = 2000;
  settings.seed = 1;
  SECTION("default moves") {}
  SECTION("one move round a generation: the weights, not the moves, carry the tempering") {
    settings.max_moves = 1;
  }
  const auto gens = SmcSampler({uniform_prior(0, 1)}, settings, survey(400, 96)).run();
  const SmcGeneration& g = gens.back();
  REQUIRE(g.temperature == 1);
  // mean 97/402 = 0.24129, sd √(97·305 / (402²·403)) = 0.021314; tolerances 0.0038 and 12.6%
  require_moments(moments(g, 0), beta_moments(97, 305), settings.particles);
  // Every generation targets its tempered posterior, prior × L^φ = Beta(1 + 96 φ, 1 + 304 φ).
  REQUIRE(gens.size() >= 3);
  for (const auto& t : gens) {
    INFO("generation " << t.generation << ", temperature " << t.temperature);
    require_moments(moments(t, 0), beta_moments(1 + 96 * t.temperature, 1 + 304 * t.temperature),
                    settings.particles);
  }
}

TEST_CASE("smc: two independent normal means give the conjugate normal posterior", "[stat]") {
  // μ1 ~ N(0, 2²), 10 observations of sd 1 with mean 1.3 (the data dominate); μ2 ~ N(1, 1²),
  // 5 observations of sd 2 with mean −0.5 (prior and data of about equal weight, so a sampler
  // that lost the prior would be far off). Posterior precision 1/τ² + n/σ², mean
  // (μ0/τ² + n x̄/σ²) / precision:
  //   μ1: precision 0.25 + 10 = 10.25, mean 13 / 10.25 = 1.26829, sd 0.31235
  //   μ2: precision 1 + 1.25 = 2.25, mean (1 − 0.625) / 2.25 = 0.16667, sd 0.66667
  //   log L = −n (μ − x̄)² / (2σ²) per mean (the rest of the sum of squares is a constant).
  auto f = [](std::span<const double> m, uint64_t) {
    return -10 * (m[0] - 1.3) * (m[0] - 1.3) / 2 - 5 * (m[1] + 0.5) * (m[1] + 0.5) / 8;
  };
  SmcSettings settings;
  settings.particles = 2000;
  settings.seed = 2;
  const SmcGeneration g = posterior({normal_prior(0, 2), normal_prior(1, 1)}, settings, f);
  require_moments(moments(g, 0), {13 / 10.25, std::sqrt(1 / 10.25)}, settings.particles);
  require_moments(moments(g, 1), {0.375 / 2.25, std::sqrt(1 / 2.25)}, settings.particles);
  // Independent a posteriori: the sample correlation within 4 / √N_eff of 0.
  const Moments a = moments(g, 0), b = moments(g, 1);
  const auto w = smc_weights(g);
  double c = 0;
  for (size_t i = 0; i < w.size(); ++i)
    c += w[i] * (g.theta[2 * i] - a.mean) * (g.theta[2 * i + 1] - b.mean);
  CHECK(std::abs(c / (a.sd * b.sd)) < 4 / std::sqrt(settings.particles / 4.0));
}

TEST_CASE("smc: a discrete prior gives Bayes' rule over its values", "[stat]") {
  // Values 0.2, 0.3, 0.5 equally likely a priori; 5 yes of 20: P(v) ∝ v⁵ (1 − v)¹⁵.
  ParameterDistribution d;
  d.kind = ParameterDistribution::Kind::discrete;
  d.values = {0.2, 0.3, 0.5};
  d.cumulative = {1.0 / 3, 2.0 / 3, 1.0};
  SmcSettings settings;
  settings.particles = 2000;
  settings.seed = 3;
  const SmcGeneration g = posterior({d}, settings, survey(20, 5));
  std::vector<double> exact(3), got(3, 0.0);
  for (int v = 0; v < 3; ++v) exact[v] = std::exp(binomial_loglik(d.values[v], 20, 5));
  const double total = exact[0] + exact[1] + exact[2];
  const auto w = smc_weights(g);
  for (size_t i = 0; i < w.size(); ++i) {
    const auto v = std::find(d.values.begin(), d.values.end(), g.theta[i]) - d.values.begin();
    REQUIRE(v < 3);  // θ takes the prior's values only
    got[v] += w[i];
  }
  for (int v = 0; v < 3; ++v) {
    const double p = exact[v] / total;  // 0.4741, 0.4858, 0.0402
    INFO("value " << d.values[v] << ": " << got[v] << " (exact " << p << ")");
    CHECK(std::abs(got[v] - p) < 4 * std::sqrt(p * (1 - p) / (settings.particles / 4.0)));
  }
}

TEST_CASE("smc: a noisy unbiased likelihood (pseudo-marginal) still gives Beta(97, 305)",
          "[stat]") {
  // The estimate is L · exp(σ ε − σ²/2), ε ~ N(0, 1) seeded by the evaluation key: mean L.
  constexpr double sigma = 1.0;
  auto f = [](std::span<const double> theta, uint64_t key) {
    return binomial_loglik(theta[0], 400, 96) + sigma * noise_of(key) - sigma * sigma / 2;
  };
  SmcSettings settings;
  settings.particles = 2000;
  settings.seed = 4;
  const SmcGeneration g = posterior({uniform_prior(0, 1)}, settings, f);
  require_moments(moments(g, 0), beta_moments(97, 305), settings.particles);
}

TEST_CASE("smc: temperatures rise to 1, each step keeping the conditional ESS at alpha N",
          "[unit]") {
  SmcSettings settings;
  settings.particles = 500;
  settings.seed = 5;
  settings.ess_fraction = 0.6;
  const auto gens = SmcSampler({uniform_prior(0, 1)}, settings, survey(400, 96)).run();
  REQUIRE(gens.size() >= 3);
  CHECK(gens.front().temperature == 0);
  CHECK(gens.back().temperature == 1);
  for (size_t t = 1; t < gens.size(); ++t) {
    CHECK(gens[t].temperature > gens[t - 1].temperature);
    CHECK(gens[t].generation == t);
    // Weights equal before each step, so CESS = ESS of the reweighted particles: α N but for
    // the bisection's last halving (the final step may keep more).
    if (t + 1 < gens.size())
      CHECK(gens[t].ess == Approx(0.6 * 500).epsilon(1e-6));
    else
      CHECK(gens[t].ess >= 0.6 * 500 - 1e-6);
    CHECK(gens[t].evaluations == uint64_t{gens[t].move_rounds} * 500);
    // The move rule: rounds until the accepted moves per particle reach accepted_moves (the
    // acceptance rate is over all rounds), at least min_moves, at most max_moves.
    const double accepted = gens[t].acceptance_rate * gens[t].move_rounds;
    CHECK(gens[t].move_rounds >= settings.min_moves);
    CHECK(gens[t].move_rounds <= settings.max_moves);
    if (gens[t].move_rounds < settings.max_moves) CHECK(accepted >= settings.accepted_moves - 1e-9);
    if (gens[t].move_rounds > settings.min_moves) {
      // the round before the last had not reached it: at most one round's worth (≤ 1) short
      CHECK(accepted < settings.accepted_moves + 1);
    }
    CHECK(gens[t].acceptance_rate > 0.1);
  }
}

TEST_CASE("smc: 1 and 2 threads give the same generations, bit for bit", "[unit]") {
  // A noisy likelihood that sometimes fails, so that every path of a generation is taken.
  auto f = [](std::span<const double> theta, uint64_t key) {
    if (key % 13 == 5) throw std::runtime_error("simulation failed");
    return binomial_loglik(theta[0], 40, 9) + binomial_loglik(theta[1], 30, 20) +
           0.5 * noise_of(key) - 0.125;
  };
  SmcSettings settings;
  settings.particles = 300;
  settings.seed = 6;
  const SmcSampler sampler({beta_prior(2, 5), uniform_prior(0, 1)}, settings, f);
  std::vector<SmcGeneration> one, two;
  tbb::task_arena(1).execute([&] { one = sampler.run(); });
  tbb::task_arena(2).execute([&] { two = sampler.run(); });
  REQUIRE(one.size() == two.size());
  REQUIRE(one.size() >= 3);
  for (size_t t = 0; t < one.size(); ++t) require_identical(one[t], two[t]);
}

TEST_CASE("smc: a generation resumed from its record continues bit for bit", "[unit]") {
  SmcSettings settings;
  settings.particles = 300;
  settings.seed = 7;
  const SmcSampler sampler({uniform_prior(0, 1)}, settings, survey(400, 96));
  const auto gens = sampler.run();
  REQUIRE(gens.size() >= 4);
  // As if the journal held generation 2 and the process was killed: a copy (a reloaded record)
  // with a fresh sampler.
  SmcGeneration g = gens[2];
  const SmcSampler again({uniform_prior(0, 1)}, settings, survey(400, 96));
  for (size_t t = 3; t < gens.size(); ++t) {
    g = again.next(g);
    require_identical(g, gens[t]);
  }
  CHECK(SmcSampler::done(g));
}

TEST_CASE("smc: failed evaluations are counted and rejected, and the posterior is unchanged",
          "[stat]") {
  // About one evaluation in five fails (throws or returns NaN), independently of θ: at
  // generation 0 a failed particle gets weight 0, in a move the proposal is rejected, so the
  // posterior is still Beta(97, 305).
  std::atomic<uint64_t> calls{0}, failures{0};
  auto f = [&](std::span<const double> theta, uint64_t key) {
    ++calls;
    const uint32_t h = Rng(static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32))
                           .bits(0, 0, Purpose::sweep, 0)[0] %
                       10;
    if (h == 0 || h == 1) ++failures;
    if (h == 0) throw std::runtime_error("simulation failed");
    if (h == 1) return std::nan("");
    return binomial_loglik(theta[0], 400, 96);
  };
  SmcSettings settings;
  settings.particles = 2000;
  settings.seed = 8;
  const auto gens = SmcSampler({uniform_prior(0, 1)}, settings, f).run();
  uint64_t evaluations = 0, failed = 0;
  for (const auto& g : gens) evaluations += g.evaluations, failed += g.failed_evaluations;
  CHECK(evaluations == calls);
  CHECK(failed == failures);
  CHECK(failed > evaluations / 10);
  // Generation 0: the failed particles have weight 0 and log-likelihood −∞, the others 1 / m.
  const SmcGeneration& g0 = gens.front();
  const uint64_t m = settings.particles - g0.failed_evaluations;
  CHECK(g0.failed_evaluations > 0);
  for (uint32_t i = 0; i < settings.particles; ++i) {
    if (std::isinf(g0.log_likelihood[i]))
      CHECK(g0.log_weight[i] == -HUGE_VAL);
    else
      CHECK(g0.log_weight[i] == Approx(-std::log(double(m))));
  }
  CHECK(g0.ess == Approx(double(m)));
  require_moments(moments(gens.back(), 0), beta_moments(97, 305), settings.particles);
}

TEST_CASE("smc: every evaluation fails at the prior: an error, not a posterior", "[unit]") {
  auto f = [](std::span<const double>, uint64_t) -> double { throw std::runtime_error("no"); };
  SmcSettings settings;
  settings.particles = 10;
  CHECK_THROWS_AS(SmcSampler({uniform_prior(0, 1)}, settings, f).run(), std::runtime_error);
}

TEST_CASE("smc: particles stay in their priors' supports, theta = quantile(prior, Phi(z))",
          "[unit]") {
  // Beta(0.5, 0.5) with 0 yes of 5,000: the posterior Beta(0.5, 5000.5) crowds against 0; a
  // lognormal must stay positive; a uniform on [2, 3] inside it.
  ParameterDistribution lognormal;
  lognormal.kind = ParameterDistribution::Kind::lognormal;
  lognormal.a = 0, lognormal.b = std::log(3.0);
  auto f = [](std::span<const double> theta, uint64_t) {
    return binomial_loglik(theta[0], 5000, 0) - 50 * std::log(theta[1]) * std::log(theta[1]) -
           20 * (theta[2] - 3) * (theta[2] - 3);
  };
  SmcSettings settings;
  settings.particles = 500;
  settings.seed = 9;
  const SmcSampler sampler({beta_prior(0.5, 0.5), lognormal, uniform_prior(2, 3)}, settings, f);
  const auto gens = sampler.run();
  for (const auto& g : gens) {
    for (uint32_t i = 0; i < settings.particles; ++i) {
      const double* th = &g.theta[3 * i];
      REQUIRE(th[0] > 0);
      REQUIRE(th[0] < 1);
      REQUIRE(th[1] > 0);
      REQUIRE(th[2] >= 2);
      REQUIRE(th[2] <= 3);
      const auto want = sampler.theta_of(std::span<const double>(&g.z[3 * i], 3));
      REQUIRE(std::vector<double>(th, th + 3) == want);
    }
  }
  // The data did reach the edges: μ's posterior mean is 0.5 / 5001 = 1.0e-4.
  CHECK(moments(gens.back(), 0).mean < 3e-4);
  // θ of z far in the tails is still inside the support.
  const std::vector<double> far = {40, -40, 40};
  const auto th = sampler.theta_of(far);
  CHECK(th[0] < 1);
  CHECK(th[1] > 0);
  CHECK(th[2] <= 3);
}

TEST_CASE("smc: the evaluation key is generation << 40 | round << 32 | particle", "[unit]") {
  std::mutex mutex;
  std::vector<std::pair<uint64_t, double>> seen;
  auto f = [&](std::span<const double> theta, uint64_t key) {
    std::lock_guard lock(mutex);
    seen.emplace_back(key, theta[0]);
    return binomial_loglik(theta[0], 400, 96);
  };
  SmcSettings settings;
  settings.particles = 100;
  settings.seed = 10;
  const auto gens = SmcSampler({uniform_prior(0, 1)}, settings, f).run();
  std::sort(seen.begin(), seen.end());
  std::set<uint64_t> keys;
  for (const auto& [key, theta] : seen) keys.insert(key);
  CHECK(keys.size() == seen.size());  // every evaluation its own key
  // Generation 0 evaluates particle i with key i, at θ_i.
  for (uint32_t i = 0; i < settings.particles; ++i) {
    REQUIRE(seen[i].first == i);
    CHECK(seen[i].second == gens[0].theta[i]);
  }
  // Later generations: rounds 1 … move_rounds of every particle.
  for (size_t t = 1; t < gens.size(); ++t)
    for (uint32_t r = 1; r <= gens[t].move_rounds; ++r)
      for (uint32_t i = 0; i < settings.particles; i += 37)
        CHECK(keys.count(uint64_t{t} << 40 | uint64_t{r} << 32 | i) == 1);
  // A second run calls with the same keys at the same θ.
  const auto before = seen;
  seen.clear();
  SmcSampler({uniform_prior(0, 1)}, settings, f).run();
  std::sort(seen.begin(), seen.end());
  CHECK(seen == before);
}

TEST_CASE("smc: bad arguments are refused", "[unit]") {
  const auto f = survey(10, 3);
  const std::vector<ParameterDistribution> one = {uniform_prior(0, 1)};
  auto refused = [&](auto change) {
    SmcSettings s;
    change(s);
    return SmcSampler(one, s, f);
  };
  CHECK_THROWS_AS(SmcSampler({}, SmcSettings{}, f), std::invalid_argument);
  CHECK_THROWS_AS(SmcSampler(one, SmcSettings{}, LogLikelihood{}), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.particles = 0; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.particles = 1; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.seed = 1ull << 32; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.ess_fraction = 0; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.ess_fraction = 1; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.ess_fraction = NAN; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.accepted_moves = 0; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.min_moves = 0; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.min_moves = 5, s.max_moves = 4; }),
                  std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.max_moves = 256; }), std::invalid_argument);
  CHECK_THROWS_AS(refused([](SmcSettings& s) { s.max_generations = 0; }), std::invalid_argument);
  CHECK_NOTHROW(refused([](SmcSettings& s) { s.particles = 2, s.max_moves = 255; }));
  // next() of a finished generation, or of another sampler's particles.
  SmcSettings s;
  s.particles = 50;
  const SmcSampler sampler(one, s, f);
  const SmcGeneration last = sampler.run().back();
  CHECK_THROWS_AS(sampler.next(last), std::invalid_argument);
  SmcGeneration g0 = sampler.first();
  const SmcSampler two_d({uniform_prior(0, 1), uniform_prior(0, 1)}, s, f);
  CHECK_THROWS_AS(two_d.next(g0), std::invalid_argument);
  g0.log_weight.pop_back();
  CHECK_THROWS_AS(sampler.next(g0), std::invalid_argument);
}

TEST_CASE("smc: simulation-based calibration of the survey: ranks are uniform", "[stat][slow]") {
  // Talts et al. (2018): for d = 1 … D draw μ* from the prior Beta(2, 5), a survey of 20 with
  // yes ~ Binomial(20, μ*), calibrate, and rank μ* among L posterior draws (the number of draws
  // below it, 0 … L). A correct sampler makes the rank uniform on its L + 1 values; a too narrow
  // posterior piles ranks at the ends, a biased one at one end. χ² test of uniformity with
  // L + 1 = 20 bins of expected count D / 20 = 50: fail if p < 0.001 (χ²₁₉ > 43.82).
  constexpr uint32_t kDatasets = 1000, kDraws = 19, kRespondents = 20;
  const ParameterDistribution prior = beta_prior(2, 5);
  std::vector<uint32_t> histogram(kDraws + 1, 0);
  for (uint32_t d = 0; d < kDatasets; ++d) {
    // The test's own draws: Rng(0x5BC, d), purpose sweep, apart from the sampler's.
    const Rng rng(0x5BC, d);
    const double truth = quantile(prior, rng.uniform(0, 0, Purpose::sweep, 0));
    int yes = 0;
    for (uint32_t r = 0; r < kRespondents; ++r) yes += rng.uniform(1, r, Purpose::sweep, 0) < truth;
    SmcSettings settings;
    settings.particles = 500;
    settings.seed = 1000 + d;
    const SmcGeneration g = posterior({prior}, settings, survey(kRespondents, yes));
    uint32_t rank = 0;
    for (uint32_t l = 0; l < kDraws; ++l) {
      const auto i =
          static_cast<uint32_t>(rng.uniform(2, l, Purpose::sweep, 0) * settings.particles);
      rank += g.theta[i] < truth;  // the final weights are equal: any particle is a draw
    }
    ++histogram[rank];
  }
  const double expected = double(kDatasets) / (kDraws + 1);
  double chi2 = 0;
  std::string shown;
  for (uint32_t b = 0; b <= kDraws; ++b) {
    chi2 += (histogram[b] - expected) * (histogram[b] - expected) / expected;
    shown += std::to_string(histogram[b]) + " ";
  }
  const double p =
      boost::math::cdf(boost::math::complement(boost::math::chi_squared(kDraws), chi2));
  INFO("SBC rank histogram (ranks 0 … " << kDraws << "): " << shown << "χ² = " << chi2
                                        << ", p = " << p);
  CHECK(p >= 0.001);
}
