// An optimisation file (`fourp optimise OPTIMISATION.yaml`, issue 13): the scenario and the arm
// that is today's plan, the budget, the outcome to improve, and the choices an analyst may make
// on that arm's interventions — which communities each serves, and its numbers.
//
//   scenario: ../rural-district.yaml          # relative to this file
//   current: partnership                      # the arm whose interventions are chosen on
//   budget: 1200000                           # mean simulated cost must not exceed it
//   objective: {minimise: exploited}          # or {maximise: o}, or {minimise: {a: 1, b: 0.5}}
//   choices:
//     interventions.partnership.target.communities: {subset_of: all, min: 1}
//     interventions.partnership.recruit_per_step:   {integer: {min: 1, max: 6}}
//     interventions.partnership.power_sharing:      {min: 0.5, max: 1}
//   constraints:
//     - {at_least_one_of: {communities: [0, 1, 2]}}
//   curve: {budgets: [300000, 600000, 1200000]}
//   evaluation: {replicates: 20, confirm_replicates: 60}
//   seed: 7                                   # default: the scenario's
//   mode: best_outcome                        # or least_cost with a target:
//   target: {exploited_reduction: 0.2}        # least_cost: the objective's outcome 20% below
//                                             # the baseline arm's (budget: the most to spend)
//
// A choice names a dotted path of one of the current arm's interventions: its
// `target.communities` (a subset of `subset_of`, all communities or a list, with at least `min`
// and at most `max` of them; an empty subset leaves the intervention out), or a number the arm's
// `set` accepts, chosen in [min, max] (whole numbers with `integer:`), inside the range the model
// allows. Constraints: `at_least_one_of: {communities: [...]}`: at least one of them is served by
// some chosen subset. `mode: least_cost` asks instead for the cheapest allocation (mean cost)
// whose mean objective is at most (1 − r) × the scenario's baseline arm's mean on the same
// replicates, with `target: {<outcome>_reduction: r}`, r in (0, 1), <outcome> the objective's
// (one minimised outcome); `budget` is then the most that may be spent. Every problem is reported
// as file:line:col.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/catalog.h"
#include "sim/diagnostics.h"
#include "sim/scenario.h"

namespace fourp {

struct OptimisationChoice {
  enum class Kind { communities, number };
  Kind kind = Kind::number;
  std::string path;          // as written: "interventions.<name>.<key>"
  std::string intervention;  // its intervention's name
  // communities: those that may be chosen (ascending) and how many at least and at most.
  std::vector<uint32_t> pool;
  uint32_t min_count = 0, max_count = 0;
  // number: the interval searched, and whether only whole numbers are taken.
  double min = 0, max = 0;
  bool integer = false;
  SourceLoc loc;
};

struct OptimisationConstraint {
  std::vector<uint32_t> at_least_one_of;  // communities, ascending
  SourceLoc loc;
};

// The objective: the weighted sum of declared outcomes, minimised (sign +1) or maximised (−1).
struct OptimisationObjective {
  int sign = 1;
  std::vector<std::pair<std::string, double>> terms;  // (outcome, weight), file order
  std::string describe() const;                       // "minimise <outcome>"
};

enum class OptimisationMode { best_outcome, least_cost };

// least_cost's target: the objective's outcome at most (1 − reduction) × the baseline arm's.
struct OptimisationTarget {
  std::string outcome;           // the objective's outcome
  double reduction = 0;          // a share in (0, 1)
  std::string baseline;          // the scenario's baseline arm
  SourceLoc loc;                 // of the target (for "no allocation reaches it")
  std::string describe() const;  // "<outcome>_reduction 0.2"
};

struct OptimisationPlan {
  std::filesystem::path file;
  std::string text;   // the file as read (stored with the results)
  Scenario scenario;  // with `seed` applied; snapshots off
  std::string current;
  double budget = 0;
  SourceLoc budget_loc;      // for "the budget is below the cheapest allocation"
  Outputs scenario_outputs;  // the scenario's own outputs (the optimum's scenario file keeps them)
  OptimisationObjective objective;
  std::vector<OptimisationChoice> choices;  // communities choices first, then numbers, file order
  std::vector<OptimisationConstraint> constraints;
  std::vector<double> curve;  // budgets, ascending
  uint32_t replicates = 20, confirm_replicates = 60;
  OptimisationMode mode = OptimisationMode::best_outcome;
  std::optional<OptimisationTarget> target;  // with least_cost only
};

OptimisationPlan parse_optimisation_file(const std::filesystem::path& file, const Catalog& catalog,
                                         Diagnostics& diag);
OptimisationPlan parse_optimisation_text(const std::string& yaml, const std::filesystem::path& name,
                                         const Catalog& catalog, Diagnostics& diag);

}  // namespace fourp
