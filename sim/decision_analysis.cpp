#include "sim/decision_analysis.h"

#include <algorithm>
#include <cmath>

#include "sim/find_name.h"

namespace fourp {

namespace {

// The smallest of 1, 2, 2.5, 5 × 10^k that is at least x (x > 0).
double round_up(double x) {
  const double p = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

}  // namespace

std::optional<Draws> decision_draws(const Results& results) {
  const OutputDeclarations& decl = results.outputs;
  const int sign = decl.improvement_sign();
  if (results.arms.size() < 2 || sign == 0 || decl.cost_outcome.empty()) return std::nullopt;
  const auto headline = find_name(results.total_names, decl.headline);
  const auto cost = find_name(results.total_names, decl.cost_outcome);
  const auto base = std::find_if(results.arms.begin(), results.arms.end(), [&](const ArmResult& a) {
    return a.name == results.baseline_arm;
  });
  if (!headline || !cost || base == results.arms.end()) return std::nullopt;
  Draws d;
  d.arms = results.arms.size();
  d.draws = base->replicates.size();
  d.cost.resize(d.arms * d.draws);
  d.effect.resize(d.arms * d.draws);
  for (size_t a = 0; a < d.arms; ++a) {
    const ArmResult& arm = results.arms[a];
    if (arm.replicates.size() != d.draws) return std::nullopt;
    for (size_t r = 0; r < d.draws; ++r) {
      const auto& mine = arm.replicates[r].totals;
      const auto& theirs = base->replicates[r].totals;
      d.cost[r * d.arms + a] = mine[*cost] - theirs[*cost];
      d.effect[r * d.arms + a] = sign * (theirs[*headline] - mine[*headline]);
    }
  }
  return d;
}

std::vector<double> willingness_to_pay_grid(const WillingnessToPay& wtp,
                                            const std::vector<double>& mean_cost,
                                            const std::vector<double>& mean_effect,
                                            const std::vector<FrontierArm>& frontier) {
  double max = 0;
  if (wtp.max) {
    max = *wtp.max;
  } else {
    double top = 0;
    for (const FrontierArm& f : frontier)
      if (f.status == FrontierArm::Status::frontier && std::isfinite(f.icer) && f.icer > 0)
        top = std::max(top, 1.5 * f.icer);
    if (top == 0)
      for (size_t a = 0; a < mean_cost.size(); ++a)
        if (mean_effect[a] != 0 && std::isfinite(mean_cost[a] / mean_effect[a]))
          top = std::max(top, 2 * std::fabs(mean_cost[a] / mean_effect[a]));
    if (top == 0) top = 1;
    max = round_up(top > wtp.min ? top : 2 * wtp.min);
  }
  std::vector<double> grid(wtp.points);
  for (uint32_t i = 0; i < wtp.points; ++i)
    grid[i] = wtp.points == 1 ? wtp.min
                              : wtp.min + (max - wtp.min) * i / static_cast<double>(wtp.points - 1);
  return grid;
}

std::optional<DecisionAnalysis> analyse_decision(const Results& results,
                                                 const WillingnessToPay& wtp) {
  const std::optional<Draws> draws = decision_draws(results);
  if (!draws) return std::nullopt;
  const Draws& d = *draws;
  DecisionAnalysis out;
  out.effect = results.outputs.improvement.name;
  out.baseline = results.baseline_arm;
  for (const ArmResult& a : results.arms) out.arms.push_back(a.name);
  out.mean_cost = d.mean_costs();
  out.mean_effect = d.mean_effects();
  out.frontier = efficiency_frontier(out.mean_cost, out.mean_effect);
  out.probability_most_effective = probability_most_effective(d);
  out.lambdas = willingness_to_pay_grid(wtp, out.mean_cost, out.mean_effect, out.frontier);
  out.acceptability = acceptability(d, out.lambdas);

  out.parameters = results.parameter_names;
  out.parameters_drawn = !out.parameters.empty();
  if (!out.parameters_drawn) return out;
  // decision.h takes [parameter][draw]; Results::parameters is [replicate][parameter].
  std::vector<std::vector<double>> theta(out.parameters.size(), std::vector<double>(d.draws));
  for (size_t r = 0; r < d.draws; ++r)
    for (size_t k = 0; k < theta.size(); ++k) theta[k][r] = results.parameters[r][k];
  for (const auto& t : theta) out.evppi.push_back(evppi(d, t, out.lambdas));
  std::vector<double> effect(d.draws);
  for (size_t a = 0; a < d.arms; ++a) {
    if (out.arms[a] == out.baseline) continue;
    for (size_t r = 0; r < d.draws; ++r) effect[r] = d.effect[r * d.arms + a];
    out.prcc_arms.push_back(out.arms[a]);
    out.prcc.push_back(prcc(theta, effect));
  }
  return out;
}

}  // namespace fourp
