// What a model kind declares about itself besides its parameters, so that the engine and the
// writers can serve any model without knowing one by name: the roles and initial traits its
// agents need drawn, the series and per-replicate outcomes it reports and how each reads (label,
// unit, which way is better, which one is the headline, which one is the cost), and the
// random-number purposes it owns.
//
//   OutputDeclarations out;
//   out.outcomes = {{"infected", "people ever infected", Scale::count, Better::fewer}};
//   out.headline = "infected";       // comparisons add baseline − arm as out.improvement.name
//   kind.outputs = out;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/distributions.h"

namespace fourp {

// A role an agent has or not, drawn independently at the start with the probability that
// `population.roles.<name>` gives (and `population.groups` override per community).
struct RoleSpec {
  std::string name;        // YAML key
  double probability = 0;  // default
  std::string label;       // plural noun for reports: "community leaders"
  std::string meaning;     // one line, for docs and `validate`
};

// A per-agent number drawn at the start from `population.initial.<name>`, truncated to [0, 1].
struct TraitSpec {
  std::string name;      // YAML key
  Distribution initial;  // default
  std::string label;     // words for reports: "trust in outsiders"
};

// How a number reads in tables and sentences.
enum class Scale {
  number,  // plain
  count,   // of people or events: thousands separators
  share,   // a proportion in [0, 1], printed as a percentage
  money,   // in the scenario's currency
};

// Which way an outcome is better.
enum class Better { neither, fewer, more };

// One per-step series: /arms/<arm>/series/<name>.
struct SeriesSpec {
  std::string name;
  std::string title;  // chart title: "Engaged share"
  std::string axis;   // what the values are: "engaged (% of people present)"
  Scale scale = Scale::number;
  bool flow = false;   // a per-step flow: charts show it cumulated from the start
  bool chart = false;  // drawn in the report's time-series section
  // Its values lie in [0, 1] (a mean state or a share): a survey can measure it, the answer
  // being yes with that probability (calibration targets, sim/calibration_file.h).
  bool unit_interval = false;
};

// One per-replicate total: a column of /arms/<arm>/totals.
struct OutcomeSpec {
  std::string name;
  std::string label;  // "cases of exploitation"
  Scale scale = Scale::count;
  Better better = Better::neither;
  bool summary = false;  // a column of the summary table `fourp run` prints
  std::string column;    // that column's header when it is not the name
};

// The headline outcome against the baseline arm, over paired replicates: the improvement
// (baseline − arm when fewer is better, arm − baseline when more is) and, with a cost total,
// the extra cost per unit of improvement.
struct Improvement {
  std::string name;        // a comparison quantity, e.g. "cases_averted"
  std::string label;       // "cases averted"
  std::string cost_name;   // e.g. "cost_per_case_averted"
  std::string cost_label;  // "cost per case averted"
  // Words for sentences: "<arm> <verb> 12 <noun> …, at USD 900 per <unit>"; "led to 3 more <noun>".
  std::string verb = "averted";
  std::string noun = "cases";
  std::string unit = "case averted";
};

struct OutputDeclarations {
  std::vector<SeriesSpec> series;
  std::vector<OutcomeSpec> outcomes;  // in the order of the totals
  std::string headline;               // an outcome's name; empty: no improvement is computed
  Improvement improvement;
  std::string cost_outcome;  // the outcome that holds an arm's total cost; empty: no costs
  // A role whose agents get series of their own (/arms/<arm>/<role>/<metric>); empty: none.
  std::string subgroup;

  std::vector<std::string> series_names() const;
  std::vector<std::string> outcome_names() const;
  const SeriesSpec* find_series(std::string_view name) const;
  const OutcomeSpec* find_outcome(std::string_view name) const;
  std::optional<size_t> outcome_index(std::string_view name) const;
  std::optional<size_t> series_index(std::string_view name) const;
  const OutcomeSpec* headline_outcome() const { return find_outcome(headline); }
  // The improvement's direction: +1 when it is baseline − arm, −1 when arm − baseline, 0 when
  // there is no headline (or it is neither).
  int improvement_sign() const;
};

// The Philox purposes (rng.h) a model's draws use: first … last, none of the engine's own.
struct PurposeRange {
  uint32_t first = 0, last = 0;
  bool contains(uint32_t p) const { return p >= first && p <= last; }
};

}  // namespace fourp
