// Decision analysis (decision.h): frontier, acceptability, EVPI, EVPPI, PRCC.
#include "sim/decision.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace fourp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> column_means(const std::vector<double>& v, size_t arms, size_t draws) {
  std::vector<double> m(arms, 0.0);
  if (draws == 0) return std::vector<double>(arms, kNaN);
  for (size_t r = 0; r < draws; ++r)
    for (size_t a = 0; a < arms; ++a) m[a] += v[r * arms + a];
  for (double& x : m) x /= static_cast<double>(draws);
  return m;
}

void check(const Draws& d) {
  if (d.cost.size() != d.arms * d.draws || d.effect.size() != d.arms * d.draws)
    throw std::invalid_argument("decision: cost and effect must hold draws x arms values");
}

// Least squares residuals of y on the columns of X (with an intercept), by the normal equations
// solved with partial pivoting; X is [column][row]. Columns that are linear combinations of
// others (a singular system) are dropped.
std::vector<double> residuals(const std::vector<const std::vector<double>*>& X,
                              const std::vector<double>& y) {
  const size_t n = y.size(), k = X.size() + 1;
  auto col = [&](size_t j, size_t i) { return j == 0 ? 1.0 : (*X[j - 1])[i]; };
  std::vector<double> A(k * k, 0.0), b(k, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (size_t p = 0; p < k; ++p) {
      const double xp = col(p, i);
      b[p] += xp * y[i];
      for (size_t q = 0; q < k; ++q) A[p * k + q] += xp * col(q, i);
    }
  // Gaussian elimination with partial pivoting; a pivot near 0 zeroes its coefficient.
  std::vector<size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> beta(k, 0.0);
  std::vector<bool> used(k, true);
  for (size_t c = 0; c < k; ++c) {
    size_t best = c;
    for (size_t r = c + 1; r < k; ++r)
      if (std::fabs(A[r * k + c]) > std::fabs(A[best * k + c])) best = r;
    if (std::fabs(A[best * k + c]) < 1e-12 * (1 + std::fabs(A[c * k + c]))) {
      used[c] = false;
      continue;
    }
    if (best != c) {
      for (size_t q = 0; q < k; ++q) std::swap(A[c * k + q], A[best * k + q]);
      std::swap(b[c], b[best]);
    }
    for (size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const double f = A[r * k + c] / A[c * k + c];
      if (f == 0) continue;
      for (size_t q = c; q < k; ++q) A[r * k + q] -= f * A[c * k + q];
      b[r] -= f * b[c];
    }
  }
  for (size_t c = 0; c < k; ++c) beta[c] = used[c] ? b[c] / A[c * k + c] : 0.0;
  std::vector<double> e(n);
  for (size_t i = 0; i < n; ++i) {
    double fit = 0;
    for (size_t p = 0; p < k; ++p) fit += beta[p] * col(p, i);
    e[i] = y[i] - fit;
  }
  return e;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n,
               my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : kNaN;
}

}  // namespace

std::vector<double> Draws::mean_costs() const {
  return column_means(cost, arms, draws);
}
std::vector<double> Draws::mean_effects() const {
  return column_means(effect, arms, draws);
}

std::vector<FrontierArm> efficiency_frontier(std::span<const double> cost,
                                             std::span<const double> effect) {
  const size_t n = cost.size();
  if (effect.size() != n) throw std::invalid_argument("efficiency_frontier: sizes differ");
  std::vector<FrontierArm> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i].previous = i;
    out[i].icer = kNaN;
    for (size_t j = 0; j < n && out[i].status == FrontierArm::Status::frontier; ++j) {
      if (j == i) continue;
      const bool no_worse = cost[j] <= cost[i] && effect[j] >= effect[i];
      const bool better = cost[j] < cost[i] || effect[j] > effect[i];
      // An identical arm is dominated by the first of its twins.
      if (no_worse && (better || j < i)) out[i].status = FrontierArm::Status::dominated;
    }
  }
  std::vector<size_t> f;
  for (size_t i = 0; i < n; ++i)
    if (out[i].status == FrontierArm::Status::frontier) f.push_back(i);
  std::sort(f.begin(), f.end(), [&](size_t a, size_t b) { return cost[a] < cost[b]; });
  auto icer = [&](size_t from, size_t to) {
    return (cost[to] - cost[from]) / (effect[to] - effect[from]);
  };
  // Extended dominance: an ICER above the next one's; removed one at a time (the first such),
  // since removing an arm changes its successor's ICER.
  for (bool removed = true; removed;) {
    removed = false;
    for (size_t k = 1; k + 1 < f.size(); ++k)
      if (icer(f[k - 1], f[k]) > icer(f[k], f[k + 1])) {
        out[f[k]].status = FrontierArm::Status::extendedly_dominated;
        f.erase(f.begin() + static_cast<std::ptrdiff_t>(k));
        removed = true;
        break;
      }
  }
  for (size_t k = 1; k < f.size(); ++k) {
    out[f[k]].previous = f[k - 1];
    out[f[k]].icer = icer(f[k - 1], f[k]);
  }
  return out;
}

std::vector<Acceptability> acceptability(const Draws& d, std::span<const double> lambdas) {
  check(d);
  std::vector<Acceptability> out;
  std::vector<double> sum(d.arms);
  for (double lambda : lambdas) {
    Acceptability x;
    x.lambda = lambda;
    x.probability_best.assign(d.arms, 0.0);
    x.expected_nmb.assign(d.arms, 0.0);
    std::fill(sum.begin(), sum.end(), 0.0);
    double sum_max = 0;
    for (size_t r = 0; r < d.draws; ++r) {
      size_t best = 0;
      double top = -std::numeric_limits<double>::infinity();
      for (size_t a = 0; a < d.arms; ++a) {
        const double v = d.nmb(r, a, lambda);
        sum[a] += v;
        if (v > top) top = v, best = a;
      }
      x.probability_best[best] += 1;
      sum_max += top;
    }
    const double n = static_cast<double>(d.draws);
    for (double& p : x.probability_best) p /= n;
    for (size_t a = 0; a < d.arms; ++a) x.expected_nmb[a] = sum[a] / n;
    x.best_expected = static_cast<size_t>(std::max_element(sum.begin(), sum.end()) - sum.begin());
    x.evpi = std::max(0.0, sum_max / n - sum[x.best_expected] / n);
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<double> probability_most_effective(const Draws& d) {
  check(d);
  std::vector<double> p(d.arms, 0.0);
  for (size_t r = 0; r < d.draws; ++r) {
    const double* e = &d.effect[r * d.arms];
    p[static_cast<size_t>(std::max_element(e, e + d.arms) - e)] += 1;
  }
  for (double& x : p) x /= static_cast<double>(d.draws);
  return p;
}

std::vector<double> evppi(const Draws& d, std::span<const double> theta,
                          std::span<const double> lambdas, size_t bins) {
  check(d);
  if (theta.size() != d.draws) throw std::invalid_argument("evppi: one θ a draw");
  if (d.draws == 0) return std::vector<double>(lambdas.size(), kNaN);
  if (bins == 0) bins = std::max<size_t>(1, static_cast<size_t>(std::sqrt(double(d.draws))));
  bins = std::min(bins, d.draws);
  std::vector<size_t> order(d.draws);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return theta[a] < theta[b]; });
  // NMB is linear in λ: a bin's sums of cost and effect per arm give its NMB at every λ.
  std::vector<double> bin_cost(bins * d.arms, 0.0), bin_effect(bins * d.arms, 0.0);
  for (size_t b = 0; b < bins; ++b) {
    const size_t lo = b * d.draws / bins, hi = (b + 1) * d.draws / bins;
    for (size_t k = lo; k < hi; ++k)
      for (size_t a = 0; a < d.arms; ++a) {
        bin_cost[b * d.arms + a] += d.cost[order[k] * d.arms + a];
        bin_effect[b * d.arms + a] += d.effect[order[k] * d.arms + a];
      }
  }
  const double n = static_cast<double>(d.draws);
  std::vector<double> out;
  std::vector<double> total(d.arms);
  for (double lambda : lambdas) {
    std::fill(total.begin(), total.end(), 0.0);
    double sum_of_max = 0;
    for (size_t b = 0; b < bins; ++b) {
      double top = -std::numeric_limits<double>::infinity();
      for (size_t a = 0; a < d.arms; ++a) {
        const double v = lambda * bin_effect[b * d.arms + a] - bin_cost[b * d.arms + a];
        total[a] += v;
        top = std::max(top, v);  // = size · max mean
      }
      sum_of_max += top;
    }
    out.push_back(
        std::max(0.0, sum_of_max / n - *std::max_element(total.begin(), total.end()) / n));
  }
  return out;
}

double evppi(const Draws& d, std::span<const double> theta, double lambda, size_t bins) {
  return evppi(d, theta, std::span<const double>(&lambda, 1), bins)[0];
}

std::vector<double> ranks(std::span<const double> x) {
  const size_t n = x.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && x[order[j + 1]] == x[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

Prcc prcc(const std::vector<std::vector<double>>& parameters, std::span<const double> outcome) {
  const size_t p = parameters.size(), n = outcome.size();
  for (const auto& x : parameters)
    if (x.size() != n) throw std::invalid_argument("prcc: one value a draw for every parameter");
  Prcc out;
  out.r.assign(p, kNaN);
  out.low.assign(p, kNaN);
  out.high.assign(p, kNaN);
  std::vector<std::vector<double>> rx;
  for (const auto& x : parameters) rx.push_back(ranks(x));
  const std::vector<double> ry = ranks(outcome);
  const double dof = static_cast<double>(n) - 2.0 - static_cast<double>(p);
  for (size_t j = 0; j < p; ++j) {
    std::vector<const std::vector<double>*> others;
    for (size_t k = 0; k < p; ++k)
      if (k != j) others.push_back(&rx[k]);
    const double r = pearson(residuals(others, rx[j]), residuals(others, ry));
    out.r[j] = r;
    if (std::isnan(r) || dof < 1) continue;
    const double z = std::atanh(std::clamp(r, -1 + 1e-15, 1 - 1e-15)), se = 1 / std::sqrt(dof);
    out.low[j] = std::tanh(z - 1.959963984540054 * se);
    out.high[j] = std::tanh(z + 1.959963984540054 * se);
  }
  return out;
}

}  // namespace fourp
