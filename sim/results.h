// What a run produces, in memory, independent of any file format: per-step series, per-replicate
// totals, snapshots of agents, and comparisons of arms. output/ writes these to HDF5 and CSV;
// the names of series and totals come from the model, so the engine and the writers know none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/decision.h"
#include "sim/declarations.h"
#include "sim/network.h"

namespace fourp {

// A table of per-agent values at one step (replicate 0): one column a variable.
struct Column {
  enum class Type { u8, u32, f32, f64 };  // storage type in files; values held as double
  std::string name;
  Type type = Type::f64;
  std::vector<double> values;
};
struct Snapshot {
  int64_t step = 0;
  std::vector<Column> columns;
};

// One (arm, replicate) run. Series are [metric][row] with rows 0..steps (row 0 the initial
// state); community series [metric][row][community]; totals in the order of total names.
struct RunResult {
  std::vector<double> series;
  std::vector<double> subgroup;    // like series, over the declared subgroup; empty when none
  std::vector<float> communities;  // empty when outputs.by_community is false
  std::vector<double> totals;
  std::vector<Snapshot> snapshots;  // replicate 0 only, one per outputs.snapshots step
};

struct ArmResult {
  std::string name;
  std::vector<std::string> interventions;  // in the arm's order
  std::vector<RunResult> replicates;
};

// One arm against the baseline over paired replicates (same replicate, same draws).
struct Difference {
  std::string quantity;  // a total's name, or the declared improvement and its cost per unit
  double mean = 0;       // arm − baseline (an improvement: baseline − arm when fewer is better)
  double low = 0;        // 95% interval
  double high = 0;
};
struct Comparison {
  std::string arm;
  std::string baseline;
  std::vector<Difference> differences;
};

struct Results {
  std::string fourp_version;
  std::string scenario_name;
  std::string scenario_yaml;  // normalised (every default filled in)
  uint64_t seed = 0;
  uint32_t replicates = 0;
  int64_t steps = 0;
  std::string step_unit;
  std::string currency;
  uint32_t communities = 0;
  std::vector<uint32_t> community_sizes;
  std::vector<std::string> series_names;  // the declared series, in order
  std::vector<std::string> total_names;   // the declared outcomes, in order
  // The model kind's declarations: how to read the series and totals (labels, units, which
  // way is better, the headline and the cost), and the subgroup's name.
  OutputDeclarations outputs;
  std::vector<ArmResult> arms;
  std::string baseline_arm;
  std::vector<Comparison> comparisons;  // one per arm other than the baseline
  NetworkStats network;                 // of replicate 0
  // The scenario's uncertain parameters (`uncertainty:`), and each replicate's drawn values:
  // parameters[r][k] is replicate r's value of parameter_names[k]. Empty without uncertainty.
  std::vector<std::string> parameter_names;
  std::vector<std::vector<double>> parameters;
  // Which arm to choose at what price (sim/decision_analysis.h); none with one arm, without a
  // baseline, or for a model that declares no improvement or no cost.
  std::optional<DecisionAnalysis> decision;

  size_t rows() const { return static_cast<size_t>(steps) + 1; }
  size_t metric_index(std::string_view name) const;  // throws std::out_of_range
  size_t total_index(std::string_view name) const;
};

}  // namespace fourp
