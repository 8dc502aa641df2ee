// The scenario of a results file in plain words for the report's first section: each arm's
// interventions (schedule, targets, reach, message, power sharing, cost, with the arm's own
// settings applied), the population and the network in one paragraph; and the facts the other
// sections need from the scenario (which communities each arm targets, the expected number of
// at-risk people). Read from Results::scenario_yaml, the normalised YAML `fourp run` stores, so
// any results file can be described without the original scenario file.
//
//   const ScenarioSummary s = summarise_scenario(results);
//   for (const ArmPlan& arm : s.arms) fmt::print("{}: {}\n", arm.name, fmt::join(arm.interventions,
//   "; "));
//
// Never throws on odd or partial YAML (a file from another model, a hand-edited file): what
// cannot be read is left out, and the report says less.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/results.h"

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
  // Σ over communities of size × roles.at_risk (population.groups applied): the expected
  // number of at-risk people, when the scenario says.
  std::optional<double> expected_at_risk;
};

ScenarioSummary summarise_scenario(const Results& r);

}  // namespace fourp::report
