// Uncertain parameters (`uncertainty:`, sim/uncertainty.h): every distribution against its theory
// (moments and a Kolmogorov–Smirnov statistic against its CDF, computed here from the file's
// numbers), truncation respected, draws a pure function of (seed, replicate, path), θ_r shared
// by every arm of replicate r and independent of threads, the values in /parameters the ones
// used, `--set` fixing a path, and the section surviving the normalised YAML.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "output/results_file.h"
#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "sim/uncertainty.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;

namespace {

constexpr uint32_t kDraws = 20000;
// Kolmogorov's critical value at α = 0.001 (1.949 / √n): a correct sampler exceeds it once in
// a thousand seeds; a wrong parameterisation by a shift of a few per cent exceeds it always.
const double kKsCritical = 1.949 / std::sqrt(double(kDraws));

double Phi(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}
double phi(double z) {
  return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI);
}

struct Theory {
  std::string path, yaml;  // the distribution as a file gives it
  double mean, sd;
  std::function<double(double)> cdf;
  double lo = -HUGE_VAL, hi = HUGE_VAL;  // the support: every draw must lie in it
};

// A scenario whose one uncertain parameter is t's.
Scenario scenario_of(const Theory& t, uint64_t seed = 7) {
  Scenario s = scenario_from_yaml(fmt::format(
      "name: u\nseed: {}\ninterventions:\n  media: {{kind: outsider_campaign}}\nuncertainty:\n  "
      "{}: {}\n",
      seed, t.path, t.yaml));
  REQUIRE(s.uncertainty.size() == 1);
  return s;
}

// Replicates 0 … n − 1 of one uncertain parameter, drawn as the runner draws them.
std::vector<double> draws_of(const Theory& t, uint64_t seed = 7) {
  const Scenario s = scenario_of(t, seed);
  std::vector<double> x(kDraws);
  for (uint32_t r = 0; r < kDraws; ++r) x[r] = draw_parameters(s, r)[0];
  return x;
}

double ks_statistic(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const double n = double(x.size());
  double d = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, (double(i) + 1) / n - f, f - double(i) / n});
  }
  return d;
}

// Truncated normal N(μ, σ) on [a, b]: moments by the standard formulas (Johnson, Kotz &
// Balakrishnan 1994, ch. 13).
Theory truncated_normal(std::string path, double mu, double sigma, double a, double b) {
  const double al = (a - mu) / sigma, be = (b - mu) / sigma;
  const double z = Phi(be) - Phi(al);
  const double m = (phi(al) - phi(be)) / z;
  const double var = sigma * sigma * (1 + (al * phi(al) - be * phi(be)) / z - m * m);
  return {path,
          fmt::format("{{normal: {{mean: {}, sd: {}, min: {}, max: {}}}}}", mu, sigma, a, b),
          mu + sigma * m,
          std::sqrt(var),
          [=](double x) { return (Phi((x - mu) / sigma) - Phi(al)) / z; },
          a,
          b};
}

std::vector<Theory> continuous_cases() {
  std::vector<Theory> out;
  {  // beta by mean and sd: α = m·k, β = (1 − m)·k, k = m(1 − m)/sd² − 1 = 23
    const double a = 0.6 * 23, b = 0.4 * 23;
    out.push_back({"model.denial", "{beta: {mean: 0.6, sd: 0.1}}", 0.6, 0.1,
                   [=](double x) { return boost::math::ibeta(a, b, x); }, 0, 1});
  }
  {  // beta by its shapes
    const double a = 2, b = 5;
    out.push_back({"model.denial", "{beta: {alpha: 2, beta: 5}}", a / (a + b),
                   std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1))),
                   [=](double x) { return boost::math::ibeta(a, b, x); }, 0, 1});
  }
  {  // lognormal: ln X ~ N(ln median, ln gsd)
    const double mu = std::log(2.0), s = std::log(1.5);
    out.push_back({"model.social_weight", "{lognormal: {median: 2, gsd: 1.5}}",
                   std::exp(mu + s * s / 2),
                   std::sqrt((std::exp(s * s) - 1) * std::exp(2 * mu + s * s)),
                   [=](double x) { return Phi((std::log(x) - mu) / s); }, 0, HUGE_VAL});
  }
  {  // gamma: shape (mean/sd)² = 25, scale sd²/mean = 40
    out.push_back({"interventions.media.cost.fixed_per_step", "{gamma: {mean: 1000, sd: 200}}",
                   1000, 200, [](double x) { return boost::math::gamma_p(25.0, x / 40.0); }, 0,
                   HUGE_VAL});
  }
  out.push_back({"model.social_weight", "{uniform: {min: 0.1, max: 0.3}}", 0.2,
                 0.2 / std::sqrt(12.0),
                 [](double x) { return std::clamp((x - 0.1) / 0.2, 0.0, 1.0); }, 0.1, 0.3});
  out.push_back(truncated_normal("model.denial", 0.6, 0.1, 0.5, 0.9));
  // Far in the upper tail: the sampler mirrors it into the lower one.
  out.push_back(truncated_normal("model.social_weight", 0, 1, 3, 4));
  {  // triangular (Evans, Hastings & Peacock 2000)
    const double a = 0.1, c = 0.15, b = 0.3;
    out.push_back({"model.social_weight", "{triangular: {min: 0.1, mode: 0.15, max: 0.3}}",
                   (a + b + c) / 3, std::sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18),
                   [=](double x) {
                     if (x <= a) return 0.0;
                     if (x >= b) return 1.0;
                     return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a))
                                   : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
                   },
                   a, b});
  }
  return out;
}

void mean_sd(const std::vector<double>& x, double& mean, double& sd) {
  mean = std::accumulate(x.begin(), x.end(), 0.0) / double(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  sd = std::sqrt(ss / double(x.size() - 1));
}

// A small world with four arms: two that run the same campaign (so they differ only if their
// parameters do), one that sets an uncertain path itself, and the baseline.
const char* kScenario = R"(name: psa
seed: 11
replicates: 4
steps: 10
population: {size: 300, communities: 3, roles: {at_risk: 0.3}}
network: {kind: villages, within_degree: 4}
trafficking: {approach_rate: 0.03}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, message: {blame: 0.5}, cost: {fixed_per_step: 10}}
arms:
  baseline: []
  media: [media]
  same: [media]
  fixed: {interventions: [media], set: {model.denial: 0.5}}
uncertainty:
  model.denial: {beta: {mean: 0.6, sd: 0.15}}
  trafficking.approach_rate: {uniform: {min: 0.01, max: 0.05}}
  interventions.media.reach: {triangular: {min: 0.2, mode: 0.5, max: 0.9}}
  population.roles.at_risk: {normal: {mean: 0.3, sd: 0.1, min: 0.1, max: 0.5}}
)";

std::vector<std::vector<double>> totals_of(const Results& r) {
  std::vector<std::vector<double>> out;
  for (const ArmResult& a : r.arms)
    for (const RunResult& run : a.replicates) out.push_back(run.totals);
  return out;
}

}  // namespace

TEST_CASE("every distribution has its theoretical mean, sd and CDF", "[stat]") {
  // 20,000 draws (one per replicate, as runs draw them). Tolerance: the mean within 4 standard
  // errors (sd/√n), the sd within 3%, the KS distance below its 0.1% critical value.
  for (const Theory& t : continuous_cases()) {
    INFO(t.path << ": " << t.yaml);
    const std::vector<double> x = draws_of(t);
    double mean = 0, sd = 0;
    mean_sd(x, mean, sd);
    CHECK(std::abs(mean - t.mean) < 4 * t.sd / std::sqrt(double(kDraws)));
    CHECK(sd == Approx(t.sd).epsilon(0.03));
    CHECK(ks_statistic(x, t.cdf) < kKsCritical);
    // Support (truncation) respected.
    CHECK(*std::min_element(x.begin(), x.end()) >= t.lo);
    CHECK(*std::max_element(x.begin(), x.end()) <= t.hi);
    // The quantiles validate prints are those of the distribution: F(q(p)) = p.
    const Scenario s = scenario_of(t);  // kept: the distribution is a member of it
    const ParameterDistribution& d = s.uncertainty[0].dist;
    for (double p : {0.05, 0.5, 0.95}) CHECK(t.cdf(quantile(d, p)) == Approx(p).epsilon(1e-6));
  }
}

TEST_CASE("a discrete distribution draws its values with their weights", "[stat]") {
  const Theory t{"model.denial", "{discrete: {values: [0.5, 0.7, 0.9], weights: [1, 2, 1]}}", 0.7,
                 std::sqrt(0.02), nullptr};
  const std::vector<double> x = draws_of(t);
  const std::vector<double> values = {0.5, 0.7, 0.9}, p = {0.25, 0.5, 0.25};
  for (size_t i = 0; i < values.size(); ++i) {
    const double share = double(std::count(x.begin(), x.end(), values[i])) / kDraws;
    INFO("value " << values[i]);
    CHECK(std::abs(share - p[i]) < 4 * std::sqrt(p[i] * (1 - p[i]) / kDraws));
  }
  CHECK(std::count(x.begin(), x.end(), 0.5) + std::count(x.begin(), x.end(), 0.7) +
            std::count(x.begin(), x.end(), 0.9) ==
        kDraws);
  double mean = 0, sd = 0;
  mean_sd(x, mean, sd);
  CHECK(std::abs(mean - t.mean) < 4 * t.sd / std::sqrt(double(kDraws)));
  CHECK(sd == Approx(t.sd).epsilon(0.03));
  // Equal weights when none are given.
  const Scenario s = scenario_from_yaml(
      "name: u\nuncertainty:\n  model.denial: {discrete: {values: [0.2, 0.4]}}\n");
  int low = 0;
  for (uint32_t r = 0; r < 2000; ++r) low += draw_parameters(s, r)[0] == 0.2;
  CHECK(std::abs(low - 1000) < 4 * std::sqrt(500.0));
}

TEST_CASE("a beta's sd may approach its limit sqrt(mean (1 - mean)) but not reach it", "[unit]") {
  for (const char* sd : {"0.3", "0.45", "0.499"}) {
    Diagnostics diag;
    parse_scenario_text(
        fmt::format("name: b\nuncertainty:\n  model.denial: {{beta: {{mean: 0.5, sd: {}}}}}\n", sd),
        "b.yaml", catalog(), {}, diag);
    INFO("sd " << sd << ": " << diag.format());
    CHECK_FALSE(diag.has_errors());
  }
  Diagnostics diag;
  parse_scenario_text("name: b\nuncertainty:\n  model.denial: {beta: {mean: 0.5, sd: 0.5}}\n",
                      "b.yaml", catalog(), {}, diag);
  CHECK(diag.has_errors());
}

TEST_CASE("quantiles are the inverse CDF: 5%, 50%, 95% points", "[unit]") {
  const Scenario s = scenario_from_yaml(R"(name: q
uncertainty:
  model.social_weight: {uniform: {min: 0.1, max: 0.3}}
  model.denial: {normal: {mean: 0.5, sd: 0.1, min: 0, max: 1}}
  trafficking.approach_rate: {beta: {alpha: 1, beta: 1}}
)");
  CHECK(quantile(s.uncertainty[0].dist, 0.05) == Approx(0.11));
  CHECK(quantile(s.uncertainty[0].dist, 0.95) == Approx(0.29));
  CHECK(quantile(s.uncertainty[1].dist, 0.5) == Approx(0.5));
  CHECK(quantile(s.uncertainty[1].dist, 0.95) == Approx(0.5 + 0.1 * 1.6448536).epsilon(1e-6));
  CHECK(quantile(s.uncertainty[2].dist, 0.3) == Approx(0.3));
  const std::string summary = uncertainty_summary(s);
  CHECK(summary.find("model.social_weight") != std::string::npos);
  CHECK(summary.find("0.11") != std::string::npos);
  CHECK(summary.find("0.29") != std::string::npos);
  // Every line a YAML comment, so validate's output stays a scenario file.
  for (size_t at = 0; at < summary.size(); at = summary.find('\n', at) + 1)
    CHECK(summary[at] == '#');
}

TEST_CASE("draws are a pure function of seed, replicate and path", "[unit]") {
  const Scenario s = scenario_from_yaml(kScenario);
  CHECK(draw_parameters(s, 3) == draw_parameters(s, 3));
  CHECK(draw_parameters(s, 3) != draw_parameters(s, 2));
  Scenario other_seed = s;
  other_seed.seed = 12;
  CHECK(draw_parameters(other_seed, 3) != draw_parameters(s, 3));
  // Fixing one path with --set leaves the others' draws as they were.
  Diagnostics diag;
  const Scenario fixed =
      parse_scenario_text(kScenario, "psa.yaml", catalog(), {"model.denial=0.5"}, diag);
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(fixed.uncertainty.size() == 3);
  const auto all = draw_parameters(s, 1), rest = draw_parameters(fixed, 1);
  CHECK(std::vector<double>(all.begin() + 1, all.end()) == rest);
  // The parameters draw apart from every other purpose: not the uniform of initial states.
  CHECK(parameter_uniform(11, 1, "model.denial") !=
        parameter_uniform(11, 1, "model.social_weight"));
}

TEST_CASE("a --set on an uncertain path fixes it and says so", "[unit]") {
  Diagnostics diag;
  const Scenario s =
      parse_scenario_text(kScenario, "psa.yaml", catalog(), {"model.denial=0.5"}, diag);
  REQUIRE_FALSE(diag.has_errors());
  CHECK(s.sections[0].get("denial") == 0.5);
  for (const auto& u : s.uncertainty) CHECK(u.path != "model.denial");
  bool noted = false;
  for (const Diagnostic& d : diag.all())
    noted = noted || (d.severity == Diagnostic::Severity::warning &&
                      d.message == "model.denial is fixed by --set; its uncertainty is not drawn");
  CHECK(noted);
}

TEST_CASE("the uncertainty section survives the normalised YAML", "[unit]") {
  const Scenario s =
      scenario_from_yaml(std::string(kScenario) +
                         R"(  model.social_weight: {discrete: {values: [0.1, 0.2], weights: [3, 1]}}
  interventions.media.cost.fixed_per_step: {gamma: {mean: 10, sd: 2}}
  model.hysteresis: {beta: {alpha: 2, beta: 30}}
  interventions.media.cost.per_contact: {lognormal: {median: 0.1, gsd: 1.2}}
)");
  const std::string yaml = to_yaml(s);
  CHECK(yaml.find("uncertainty:") != std::string::npos);
  Diagnostics diag;
  const Scenario back = parse_stored_scenario(yaml, catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(back.uncertainty.size() == s.uncertainty.size());
  for (size_t i = 0; i < s.uncertainty.size(); ++i) {
    CHECK(back.uncertainty[i].path == s.uncertainty[i].path);
    CHECK(back.uncertainty[i].dist.kind == s.uncertainty[i].dist.kind);
    CHECK(back.uncertainty[i].dist.given == s.uncertainty[i].dist.given);
    CHECK(back.uncertainty[i].dist.values == s.uncertainty[i].dist.values);
    CHECK(back.uncertainty[i].dist.weights == s.uncertainty[i].dist.weights);
  }
  CHECK(to_yaml(back) == yaml);
  for (uint32_t r = 0; r < 5; ++r) CHECK(draw_parameters(back, r) == draw_parameters(s, r));
  // Without uncertainty nothing is added (stored scenarios of earlier runs are unchanged).
  CHECK(to_yaml(scenario_from_yaml("name: plain\n")).find("uncertainty") == std::string::npos);
}

TEST_CASE("every arm of a replicate runs with the same drawn parameters", "[scenario]") {
  const Scenario s = scenario_from_yaml(kScenario);
  const Results res = run_scenario(s, {});
  REQUIRE(res.parameter_names ==
          std::vector<std::string>{"model.denial", "trafficking.approach_rate",
                                   "interventions.media.reach", "population.roles.at_risk"});
  REQUIRE(res.parameters.size() == s.replicates);
  for (uint32_t r = 0; r < s.replicates; ++r) CHECK(res.parameters[r] == draw_parameters(s, r));
  CHECK(res.parameters[0] != res.parameters[1]);
  const size_t media = 1, same = 2;
  for (uint32_t r = 0; r < s.replicates; ++r)
    CHECK(res.arms[media].replicates[r].totals == res.arms[same].replicates[r].totals);
  // ... and replicates differ (so the equality above could fail).
  CHECK(res.arms[media].replicates[0].totals != res.arms[media].replicates[1].totals);
}

TEST_CASE("an arm that sets an uncertain path keeps its own value", "[scenario]") {
  const std::string only_denial = R"(name: psa
seed: 11
replicates: 3
steps: 10
population: {size: 300, communities: 3, roles: {at_risk: 0.3}}
network: {kind: villages, within_degree: 4}
trafficking: {approach_rate: 0.03}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, message: {blame: 0.5}}
arms:
  baseline: []
  fixed: {interventions: [media], set: {model.denial: 0.5}}
)";
  const Results certain = run_scenario(scenario_from_yaml(only_denial), {});
  const Results uncertain = run_scenario(
      scenario_from_yaml(only_denial +
                         "uncertainty:\n  model.denial: {uniform: {min: 0.1, max: 0.9}}\n"),
      {});
  for (uint32_t r = 0; r < 3; ++r) {
    CHECK(uncertain.arms[1].replicates[r].totals == certain.arms[1].replicates[r].totals);
    CHECK(uncertain.parameters[r][0] != 0.5);
  }
  // The baseline does read the drawn denial (so the check above could fail).
  CHECK(uncertain.arms[0].replicates[0].totals != certain.arms[0].replicates[0].totals);
}

TEST_CASE("drawn parameters do not depend on threads or the order of replicates", "[scenario]") {
  const Scenario s = scenario_from_yaml(kScenario);
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  two.replicate_order = {3, 1, 0, 2};
  const Results a = run_scenario(s, one), b = run_scenario(s, two);
  CHECK(a.parameters == b.parameters);
  CHECK(totals_of(a) == totals_of(b));
}

TEST_CASE("the values in /parameters are those used: --set of them reproduces a replicate",
          "[scenario]") {
  TempDir d;
  const Scenario s = scenario_from_yaml(kScenario);
  const Results res = run_scenario(s, {});
  write_results(res, d / "psa.h5", false);
  const Results back = read_results(d / "psa.h5");
  REQUIRE(back.parameter_names == res.parameter_names);
  REQUIRE(back.parameters == res.parameters);
  for (uint32_t r : {0u, 3u}) {
    std::vector<std::string> sets;
    for (size_t k = 0; k < back.parameter_names.size(); ++k)
      sets.push_back(fmt::format("{}={}", back.parameter_names[k], back.parameters[r][k]));
    Diagnostics diag;
    const Scenario fixed = parse_scenario_text(kScenario, "psa.yaml", catalog(), sets, diag);
    REQUIRE_FALSE(diag.has_errors());
    CHECK(fixed.uncertainty.empty());
    for (size_t arm = 0; arm < s.arms.size(); ++arm) {
      INFO("replicate " << r << ", arm " << s.arms[arm].name);
      CHECK(run_replicate(fixed, arm, r, nullptr).totals == res.arms[arm].replicates[r].totals);
      // run_replicate draws replicate r's parameters itself, as run_scenario does.
      CHECK(run_replicate(s, arm, r, nullptr).totals == res.arms[arm].replicates[r].totals);
    }
  }
  // A scenario without uncertainty writes no /parameters.
  Scenario plain = s;
  plain.uncertainty.clear();
  plain.replicates = 1;
  write_results(run_scenario(plain, {}), d / "plain.h5", false);
  CHECK(read_results(d / "plain.h5").parameter_names.empty());
}

TEST_CASE("a joint sample draws whole particles with their weights, and survives the YAML",
          "[stat]") {
  // Two particles, weights 1 and 3: every replicate takes (0.2, 0.1) or (0.8, 0.3) — never a
  // mix — the second in 3/4 of 20,000 replicates (sd 0.0031; tolerance 4 sd).
  const Scenario s = scenario_from_yaml(R"(name: joint
uncertainty:
  from:
    parameters: [model.denial, model.social_weight]
    particles: [[0.2, 0.1], [0.8, 0.3]]
    weights: [1, 3]
  model.hysteresis: {uniform: {min: 0.01, max: 0.02}}
)");
  REQUIRE(s.uncertainty.size() == 3);
  CHECK(describe(s.uncertainty[0].dist) == "posterior of an inline sample (2 particles)");
  uint32_t second = 0;
  for (uint32_t r = 0; r < kDraws; ++r) {
    const std::vector<double> theta = draw_parameters(s, r);
    const bool a = theta[0] == 0.2 && theta[1] == 0.1, b = theta[0] == 0.8 && theta[1] == 0.3;
    REQUIRE((a || b));
    second += b;
    REQUIRE(theta[2] >= 0.01);
  }
  CHECK(std::abs(second / double(kDraws) - 0.75) < 4 * std::sqrt(0.75 * 0.25 / kDraws));
  // The marginal: the particles' values sorted, with their weights.
  CHECK(quantile(s.uncertainty[0].dist, 0.2) == 0.2);
  CHECK(quantile(s.uncertainty[0].dist, 0.3) == 0.8);

  // Stored inline, so a results file's scenario needs no other file, with the same draws.
  const std::string yaml = to_yaml(s);
  Diagnostics diag;
  const Scenario back = parse_stored_scenario(yaml, catalog(), diag);
  INFO(yaml << diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(to_yaml(back) == yaml);
  for (uint32_t r = 0; r < 50; ++r) CHECK(draw_parameters(back, r) == draw_parameters(s, r));

  // --set fixes one parameter of the sample; the other is still drawn from the particles.
  Diagnostics d2;
  const Scenario fixed = parse_scenario_text(
      "name: joint\nuncertainty:\n  from: {parameters: [model.denial, model.social_weight], "
      "particles: [[0.2, 0.1], [0.8, 0.3]]}\n",
      "joint.yaml", catalog(), {"model.denial=0.5"}, d2);
  REQUIRE_FALSE(d2.has_errors());
  REQUIRE(fixed.uncertainty.size() == 1);
  CHECK(fixed.uncertainty[0].path == "model.social_weight");
  CHECK(to_yaml(fixed).find("parameters: [model.social_weight]") != std::string::npos);
}

TEST_CASE("an initial trait's mean is a path: constant, beta (concentration kept), normal",
          "[unit]") {
  const Scenario s = scenario_from_yaml(R"(name: initial-means
population:
  initial: {awareness: {constant: 0.2}, otherness: {beta: [6, 2]}, trust: {normal: [0.5, 0.1]},
            efficacy: {uniform: [0.2, 0.6]}}
)");
  const auto at = [&](const std::string& path, double v) {
    Scenario out = s;
    Diagnostics diag;
    apply_setting(out, Setting{path, v, {}}, diag);
    INFO(diag.format());
    REQUIRE_FALSE(diag.has_errors());
    return out;
  };
  const auto& traits = s.kind->traits;
  const auto index = [&](const char* name) {
    return static_cast<size_t>(std::find_if(traits.begin(), traits.end(),
                                            [&](const TraitSpec& t) { return t.name == name; }) -
                               traits.begin());
  };
  const Distribution a =
      at("population.initial.awareness.mean", 0.35).population.initial[index("awareness")];
  CHECK(a.kind == Distribution::Kind::constant);
  CHECK(a.p1 == 0.35);
  const Distribution o =
      at("population.initial.otherness.mean", 0.5).population.initial[index("otherness")];
  CHECK(o.kind == Distribution::Kind::beta);
  CHECK(o.p1 == 4);  // α + β = 8 kept, mean 0.5
  CHECK(o.p2 == 4);
  const Distribution t =
      at("population.initial.trust.mean", 0.3).population.initial[index("trust")];
  CHECK(t.p1 == 0.3);
  CHECK(t.p2 == 0.1);
  // A uniform has no mean to move: its ends are its parameters.
  Scenario u = s;
  Diagnostics diag;
  apply_setting(u, Setting{"population.initial.efficacy.mean", 0.3, {}}, diag);
  CHECK(diag.has_errors());
}
