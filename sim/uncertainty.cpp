#include "sim/uncertainty.h"

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/rng.h"
#include "sim/scenario.h"

namespace fourp {

namespace {

// Standard normal CDF and quantile.
double phi_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}
double phi_quantile(double p) {
  static const boost::math::normal_distribution<double> n01(0.0, 1.0);
  return boost::math::quantile(n01, p);
}

// Normal(μ, σ) truncated to [lo, hi] by inverse CDF on the slice [Φ(a), Φ(b)]; when the slice
// lies in the upper tail it is drawn mirrored in the lower one, where Φ keeps its precision.
double truncated_normal_quantile(double mean, double sd, double lo, double hi, double p) {
  double a = (lo - mean) / sd, b = (hi - mean) / sd;
  double sign = 1;
  if (a > 0) {  // mirror: X = μ − σ·Z', Z' on [−b, −a]
    std::swap(a, b);
    a = -a, b = -b;
    sign = -1;
    p = 1 - p;
  }
  const double fa = phi_cdf(a), fb = phi_cdf(b);
  double z = phi_quantile(std::clamp(fa + p * (fb - fa), 1e-300, 1.0 - 1e-16));
  z = std::clamp(z, a, b);
  return mean + sign * sd * z;
}

JointSampleReader& reader_slot() {
  static JointSampleReader reader;
  return reader;
}

}  // namespace

std::shared_ptr<const JointSample> make_joint_sample(std::string source,
                                                     std::vector<std::string> paths,
                                                     std::vector<double> theta,
                                                     std::vector<double> weights) {
  const size_t k = paths.size(), n = weights.size();
  if (k == 0 || n == 0)
    throw std::invalid_argument("a joint sample needs parameters and particles");
  if (theta.size() != n * k)
    throw std::invalid_argument(
        fmt::format("a joint sample of {} parameters and {} particles needs {} values, not {}", k,
                    n, n * k, theta.size()));
  double total = 0;
  for (double w : weights) {
    if (!std::isfinite(w) || w < 0)
      throw std::invalid_argument(
          fmt::format("a particle's weight must be a finite number >= 0, "
                      "not {}",
                      w));
    total += w;
  }
  if (!(total > 0) || !std::isfinite(total))
    throw std::invalid_argument("the particles' weights must add up to a positive number");
  auto s = std::make_shared<JointSample>();
  s->source = std::move(source);
  s->paths = std::move(paths);
  s->theta = std::move(theta);
  s->weights = std::move(weights);
  double running = 0;
  for (double w : s->weights) {
    running += w;
    s->cumulative.push_back(running / total);
  }
  s->cumulative.back() = 1;
  return s;
}

void set_joint_sample_reader(JointSampleReader reader) {
  reader_slot() = std::move(reader);
}
const JointSampleReader& joint_sample_reader() {
  return reader_slot();
}

ParameterDistribution joint_marginal(std::shared_ptr<const JointSample> sample, uint32_t column) {
  const size_t k = sample->paths.size();
  std::vector<std::pair<double, double>> vw;
  for (size_t i = 0; i < sample->particles(); ++i)
    vw.emplace_back(sample->theta[i * k + column],
                    sample->cumulative[i] - (i ? sample->cumulative[i - 1] : 0.0));
  std::sort(vw.begin(), vw.end());
  ParameterDistribution d;
  d.kind = ParameterDistribution::Kind::discrete;
  double running = 0;
  for (const auto& [v, w] : vw) {
    d.values.push_back(v);
    d.weights.push_back(w);
    running += w;
    d.cumulative.push_back(running);
  }
  d.cumulative.back() = 1;
  d.joint = std::move(sample);
  d.joint_column = column;
  return d;
}

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> names = {"beta",   "lognormal",  "gamma",   "uniform",
                                                 "normal", "triangular", "discrete"};
  return names;
}

double quantile(const ParameterDistribution& d, double p) {
  using K = ParameterDistribution::Kind;
  switch (d.kind) {
    case K::beta:
      return boost::math::ibeta_inv(d.a, d.b, p);
    case K::lognormal:
      return std::exp(d.a + d.b * phi_quantile(p));
    case K::gamma:
      return d.b * boost::math::gamma_p_inv(d.a, p);
    case K::uniform:
      return d.lo + p * (d.hi - d.lo);
    case K::normal:
      return truncated_normal_quantile(d.a, d.b, d.lo, d.hi, p);
    case K::triangular: {
      const double w = d.hi - d.lo, fc = (d.mode - d.lo) / w;
      return p < fc ? d.lo + std::sqrt(p * w * (d.mode - d.lo))
                    : d.hi - std::sqrt((1 - p) * w * (d.hi - d.mode));
    }
    case K::discrete: {
      const auto it = std::upper_bound(d.cumulative.begin(), d.cumulative.end(), p);
      const size_t i = std::min<size_t>(it - d.cumulative.begin(), d.values.size() - 1);
      return d.values[i];
    }
  }
  throw std::logic_error("quantile: unknown distribution kind");
}

double parameter_uniform(uint64_t seed, uint32_t replicate, const std::string& path) {
  const Rng rng(seed, replicate);
  const auto w = rng.bits(kSetupStep, 0, Purpose::parameters, name_index(path));
  const uint64_t bits53 = ((static_cast<uint64_t>(w[0]) << 32) | w[1]) >> 11;
  return (static_cast<double>(bits53) + 0.5) * 0x1p-53;
}

std::vector<double> draw_parameters(const Scenario& s, uint32_t replicate) {
  return draw_parameters(s.uncertainty, s.seed, replicate);
}

std::vector<double> draw_parameters(const std::vector<UncertainParameter>& parameters,
                                    uint64_t seed, uint32_t replicate) {
  std::vector<double> theta;
  theta.reserve(parameters.size());
  for (const UncertainParameter& u : parameters) {
    if (const JointSample* j = u.dist.joint.get()) {
      const double p = parameter_uniform(seed, replicate, "uncertainty.from");
      const auto it = std::upper_bound(j->cumulative.begin(), j->cumulative.end(), p);
      const size_t i = std::min<size_t>(it - j->cumulative.begin(), j->particles() - 1);
      theta.push_back(j->theta[i * j->paths.size() + u.dist.joint_column]);
    } else {
      theta.push_back(quantile(u.dist, parameter_uniform(seed, replicate, u.path)));
    }
  }
  return theta;
}

Scenario with_parameters(const Scenario& s, const std::vector<double>& theta) {
  if (theta.size() != s.uncertainty.size())
    throw std::logic_error("with_parameters: one value per uncertain parameter");
  Scenario out = s;
  out.uncertainty.clear();
  Diagnostics diag;
  for (size_t i = 0; i < theta.size(); ++i)
    apply_setting(out, Setting{s.uncertainty[i].path, theta[i], s.uncertainty[i].loc}, diag);
  if (diag.has_errors())  // the parser checked every path and the support of every distribution
    throw std::logic_error("with_parameters: " + diag.format());
  return out;
}

std::string describe(const ParameterDistribution& d) {
  if (d.joint)
    return fmt::format("posterior of {} ({} particles)", d.joint->source, d.joint->particles());
  const std::string& name = distribution_names()[static_cast<size_t>(d.kind)];
  if (d.kind == ParameterDistribution::Kind::discrete) {
    std::string s = fmt::format("discrete(values [{}]", fmt::join(d.values, ", "));
    if (!d.weights.empty()) s += fmt::format(", weights [{}]", fmt::join(d.weights, ", "));
    return s + ")";
  }
  std::vector<std::string> parts;
  for (const auto& [k, v] : d.given) parts.push_back(fmt::format("{} {}", k, v));
  return fmt::format("{}({})", name, fmt::join(parts, ", "));
}

std::string uncertainty_summary(const Scenario& s) {
  if (s.uncertainty.empty()) return "";
  return "# uncertainty: each replicate draws these once, shared by all its arms\n" +
         uncertainty_table(s.uncertainty, "# ");
}

std::string uncertainty_table(const std::vector<UncertainParameter>& parameters,
                              std::string_view prefix) {
  size_t wp = std::string_view("parameter").size(), wd = std::string_view("distribution").size();
  for (const auto& u : parameters) {
    wp = std::max(wp, u.path.size());
    wd = std::max(wd, describe(u.dist).size());
  }
  std::string out = fmt::format("{}{:<{}}  {:<{}}  {:>11}  {:>11}  {:>11}\n", prefix, "parameter",
                                wp, "distribution", wd, "5%", "50%", "95%");
  for (const auto& u : parameters)
    out += fmt::format("{}{:<{}}  {:<{}}  {:>11.5g}  {:>11.5g}  {:>11.5g}\n", prefix, u.path, wp,
                       describe(u.dist), wd, quantile(u.dist, 0.05), quantile(u.dist, 0.5),
                       quantile(u.dist, 0.95));
  return out;
}

}  // namespace fourp
