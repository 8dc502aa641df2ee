// Decision analysis of a probabilistic sensitivity analysis (issue 11): which arm to choose, at
// what price, and which evidence is worth collecting — from each draw's cost and effect of every
// arm. Plain functions of numbers; the model's words (what the effect is, the currency) are the
// caller's.
//
//   Draws d{arms, draws, cost, effect};              // [draw · arms + arm], effect vs baseline
//   auto f = efficiency_frontier(d.mean_costs(), d.mean_effects());
//   auto c = acceptability(d, {0, 1000, 2000});      // P(best), EVPI at each λ
//   double v = evppi(d, theta, 5000);                // value of perfect information on θ
//   Prcc p = prcc(parameters, outcome);              // which parameter drives the outcome
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fourp {

// Cost and effect of every arm in every draw: [draw · arms + arm]. The effect is what the
// decision maker values (e.g. cases averted against the baseline; the baseline's is 0); net
// monetary benefit at willingness to pay λ is NMB = λ · effect − cost.
struct Draws {
  size_t arms = 0, draws = 0;
  std::vector<double> cost, effect;
  double nmb(size_t draw, size_t arm, double lambda) const {
    return lambda * effect[draw * arms + arm] - cost[draw * arms + arm];
  }
  std::vector<double> mean_costs() const;
  std::vector<double> mean_effects() const;
};

// The efficiency frontier of cost-effectiveness analysis (e.g. Drummond et al., Methods for the
// Economic Evaluation of Health Care Programmes, 4th ed., 2015, ch. 4): arms ordered by cost;
// an arm is *dominated* when another costs no more and is at least as effective (one strictly);
// of the rest, an arm is *extendedly dominated* when its ICER against the previous arm on the
// frontier exceeds the next arm's (a mix of its neighbours does better), removed one at a time
// until the ICERs rise. ICERs are between successive arms on the frontier.
struct FrontierArm {
  enum class Status { frontier, dominated, extendedly_dominated };
  Status status = Status::frontier;
  double icer = 0;      // frontier arms after the first: Δcost / Δeffect against `previous`
  size_t previous = 0;  // the frontier arm before it (itself for the first)
};
std::vector<FrontierArm> efficiency_frontier(std::span<const double> cost,
                                             std::span<const double> effect);

// At each willingness to pay λ: the probability that each arm has the highest NMB over the
// draws (the cost-effectiveness acceptability curves), the arm of highest expected NMB (the
// acceptability frontier follows it), and the expected value of perfect information,
// EVPI = E[max_a NMB_a] − max_a E[NMB_a]. Ties in a draw go to the lowest arm index.
struct Acceptability {
  double lambda = 0;
  std::vector<double> probability_best;  // per arm
  std::vector<double> expected_nmb;      // per arm, E[NMB]
  size_t best_expected = 0;              // argmax of E[NMB]
  double evpi = 0;
};
std::vector<Acceptability> acceptability(const Draws& d, std::span<const double> lambdas);

// The probability that each arm has the largest effect over the draws (ties: lowest index).
std::vector<double> probability_most_effective(const Draws& d);

// The expected value of partial perfect information on one parameter θ (its value in each
// draw), at willingness to pay λ, by Strong & Oakley's sort-and-bin estimator (Med Decis Making
// 2013;33:755-766): draws sorted by θ, cut into `bins` of (nearly) equal size, EVPPI =
// mean over bins of max_a (mean NMB_a in the bin) − max_a E[NMB_a]. Default bins: ⌊√draws⌋.
// Never below 0 (the estimator's small-sample bias is positive).
double evppi(const Draws& d, std::span<const double> theta, double lambda, size_t bins = 0);
// The same at every λ of a grid, sorting once.
std::vector<double> evppi(const Draws& d, std::span<const double> theta,
                          std::span<const double> lambdas, size_t bins = 0);

// Partial rank correlation coefficients of an outcome with each of p parameters (Marino et al.
// 2008, J Theor Biol 254:178-196): ranks (average ranks for ties), each parameter's and the
// outcome's residuals after linear regression on the other parameters' ranks, then their
// Pearson correlation; 95% intervals by Fisher's z with n − 3 − (p − 1) degrees of freedom.
struct Prcc {
  std::vector<double> r, low, high;  // per parameter; NaN when undefined
};
// parameters[j][draw]; outcome[draw].
Prcc prcc(const std::vector<std::vector<double>>& parameters, std::span<const double> outcome);

// Average ranks 1 … n of x (ties share their mean rank).
std::vector<double> ranks(std::span<const double> x);

// The willingness-to-pay grid of a scenario's `decision: {willingness_to_pay: {min, max,
// points}}`: `points` values evenly from min to max. Without max, max is chosen from the
// results (decision_analysis.h: a round number above the frontier's ICERs).
struct WillingnessToPay {
  double min = 0;
  std::optional<double> max;
  uint32_t points = 51;
};

// The decision analysis of one run, as the results file stores it (/decision): every arm
// against the baseline (whose cost and effect are 0), the frontier, acceptability over λ, and
// with uncertain parameters the value of information on each and what drives each arm's effect.
struct DecisionAnalysis {
  std::string effect;             // the declared improvement, e.g. "cases_averted"
  bool parameters_drawn = false;  // false: the draws vary by chance alone
  std::vector<std::string> arms;  // in the run's order; the baseline among them
  std::string baseline;
  std::vector<double> mean_cost, mean_effect;  // per arm, incremental against the baseline
  std::vector<FrontierArm> frontier;           // per arm
  std::vector<double> probability_most_effective;
  std::vector<double> lambdas;
  std::vector<Acceptability> acceptability;  // per λ
  std::vector<std::string> parameters;       // the uncertain parameters' paths
  std::vector<std::vector<double>> evppi;    // [parameter][λ]
  std::vector<std::string> prcc_arms;        // the arms other than the baseline
  std::vector<Prcc> prcc;                    // per prcc_arms: its effect against each parameter
};

}  // namespace fourp
