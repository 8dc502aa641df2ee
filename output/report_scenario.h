// The scenario of a results file in plain words for the report's first section: each arm's
// interventions (schedule, targets, reach, message, power sharing, cost, with the arm's own
// settings applied), the population and the network in one paragraph; and the facts the other
// sections need from the scenario (which communities each arm targets, the expected number of
// people in the model's declared subgroup). Read from the parsed scenario (the normalised YAML a
// results file stores, parsed again by the program) and the model kind's declarations: its roles,
// traits and the words of each intervention kind.
//
//   const ScenarioSummary s = summarise_scenario(results, &scenario);
//   for (const ArmPlan& arm : s.arms) fmt::print("{}: {}\n", arm.name, fmt::join(arm.interventions,
//   "; "));
//
// Without a scenario (a results file whose stored scenario does not parse): the arms' names and
// interventions only, and the report says less.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/results.h"
#include "sim/scenario.h"

namespace fourp::report {

struct ArmPlan {
  std::string name;
  std::vector<std::string> interventions;  // one sentence fragment each, in the arm's order
  std::vector<std::string> settings;       // the arm's `set` that is not about an intervention
  std::vector<bool> targeted;  // per community: reached by at least one of its interventions
};

struct ScenarioSummary {
  std::string description;
  std::vector<ArmPlan> arms;  // in the order of Results::arms
  std::string population;     // population and network, one paragraph
  // Σ over communities of size × the subgroup role's probability (population.groups applied):
  // the expected number of people in the declared subgroup, when the scenario says.
  std::optional<double> expected_subgroup;
};

ScenarioSummary summarise_scenario(const Results& r, const Scenario* scenario);

}  // namespace fourp::report
