// The decision analysis of a run (issue 11): each replicate is one draw — of the uncertain
// parameters when the scenario has `uncertainty:`, and of chance — in which every arm's cost and
// effect are taken against the baseline's in the same replicate (common random numbers). The
// effect is the model's declared improvement (e.g. cases averted), the cost its declared cost
// outcome; the engine knows neither by name.
//
//   results.decision = analyse_decision(results, scenario.willingness_to_pay);
#pragma once

#include <optional>
#include <vector>

#include "sim/decision.h"
#include "sim/results.h"

namespace fourp {

// The analysis, or nothing when it has no meaning: fewer than two arms, no baseline among them,
// or a model that declares no headline improvement or no cost. With uncertain parameters
// (results.parameters) also EVPPI per parameter at every λ and the PRCC of each arm's effect.
std::optional<DecisionAnalysis> analyse_decision(const Results& results,
                                                 const WillingnessToPay& wtp);

// The λ grid: `points` values from wtp.min to wtp.max; without wtp.max, up to a round number
// (1, 2, 2.5 or 5 × 10^k) at least 1.5 × the largest ICER on the frontier — or, with no ICER,
// twice the largest |mean cost / mean effect| of any arm, or 1 when nothing has a ratio.
std::vector<double> willingness_to_pay_grid(const WillingnessToPay& wtp,
                                            const std::vector<double>& mean_cost,
                                            const std::vector<double>& mean_effect,
                                            const std::vector<FrontierArm>& frontier);

// The draws of cost and effect against the baseline, [replicate · arms + arm]; nullopt as for
// analyse_decision.
std::optional<Draws> decision_draws(const Results& results);

}  // namespace fourp
