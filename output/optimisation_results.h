// The results file of `fourp optimise` (issue 13): every candidate evaluated, the optimum at the
// budget and at each budget of the curve, and the confirmation of the optimum against the
// current plan on fresh replicates. Written atomically like every output (results_file.h
// write_atomically), read back by `fourp report`.
//
// Layout (format_version 2; version 1, without mode and target, is read as best_outcome):
//   /               attrs kind = "fourp optimisation", format_version (i64), fourp_version,
//                   optimisation (the file as given), scenario (normalised YAML), current (arm),
//                   objective ("minimise exploited"), objective_sign (i32), currency, seed (u64),
//                   replicates, confirm_replicates, communities (u32), budget (f64),
//                   choices, choice_kinds (string arrays: each choice's path, and
//                   "communities" or "number"), constraints (string array: each
//                   at_least_one_of's communities, "0 1 2"), optimum, current_candidate
//                   (i64: rows of /candidates; in least_cost mode `optimum` is the cheapest
//                   allocation reaching the target), runs (u64), created_utc, mode
//                   ("best_outcome" or "least_cost"); with least_cost also target_outcome,
//                   target_reduction (the share r), target_level ((1 − r) × the baseline's
//                   mean), baseline_arm, baseline_objective, baseline_objective_low,
//                   baseline_objective_high (the baseline arm on the search's replicates)
//   /candidates     table [candidate, in evaluation order]: description, then per choice its
//                   value — a string of community ids ("0 3 5") or an f64 — then ok (u8), error,
//                   objective, objective_low, objective_high, cost, cost_low, cost_high (means
//                   over the search's replicates and their 95% intervals), within_choices (u8:
//                   in the choices' pools, counts and ranges), meets_constraints (u8: every
//                   constraint; the optimum is one that does both)
//   /curve          table [budget]: budget, candidate (i64 row, −1: nothing fits), objective,
//                   objective_low, objective_high, cost
//   /confirmation   table [replicate]: replicate (u32), current_objective, optimum_objective,
//                   current_cost, optimum_cost (the fresh replicates)
//                   attrs improvement, improvement_low, improvement_high (sign·(current −
//                   optimum): > 0 when the optimum is better), extra_cost, extra_cost_low,
//                   extra_cost_high (optimum − current), probability_better; with least_cost
//                   also the column baseline_objective and attrs achieved_reduction (1 − the
//                   optimum's mean / the baseline's), target_margin, target_margin_low,
//                   target_margin_high ((1 − r)·baseline − optimum, paired: ≥ 0 reaches it)
//
//   pandas: pd.DataFrame(h5py.File("opt.h5")["candidates"][:])
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fourp {

inline constexpr int64_t kOptimisationFormatVersion = 2;

struct OptimisationRow {
  std::string description;
  std::vector<std::string> values;  // per choice, as text: "0 3 5" or "0.25"
  bool ok = true;
  std::string error;
  double objective = 0, objective_low = 0, objective_high = 0;
  double cost = 0, cost_low = 0, cost_high = 0;
  bool within_choices = true, meets_constraints = true;
};

struct CurvePoint {
  double budget = 0;
  int64_t candidate = -1;  // row of candidates; −1 when nothing evaluated fits the budget
};

struct Confirmation {
  std::vector<double> current_objective, optimum_objective, current_cost, optimum_cost;
  double improvement = 0, improvement_low = 0, improvement_high = 0;
  double extra_cost = 0, extra_cost_low = 0, extra_cost_high = 0;
  double probability_better = 0;
  // least_cost: the baseline arm on the fresh replicates, and the target's paired margin.
  std::vector<double> baseline_objective;
  double achieved_reduction = 0, target_margin = 0, target_margin_low = 0, target_margin_high = 0;
};

struct OptimisationResults {
  std::string fourp_version, optimisation_text, scenario_yaml, current, objective, currency;
  int32_t objective_sign = 1;
  uint64_t seed = 0, runs = 0;
  uint32_t replicates = 0, confirm_replicates = 0, communities = 0;
  double budget = 0;
  std::vector<std::string> choices;       // paths
  std::vector<std::string> choice_kinds;  // "communities" or "number", per choice
  std::vector<std::string> constraints;   // at_least_one_of's communities: "0 1 2"
  std::vector<OptimisationRow> candidates;
  int64_t optimum = -1, current_candidate = -1;
  std::vector<CurvePoint> curve;
  Confirmation confirmation;
  std::string mode = "best_outcome";  // or "least_cost"
  // least_cost: the target and the baseline arm's mean objective on the search's replicates.
  std::string target_outcome, baseline_arm;
  double target_reduction = 0, target_level = 0;
  double baseline_objective = 0, baseline_objective_low = 0, baseline_objective_high = 0;
  bool least_cost() const { return mode == "least_cost"; }
};

void write_optimisation_results(const OptimisationResults& r, const std::filesystem::path& path,
                                bool overwrite);

// Throws InputError naming what is missing or damaged.
OptimisationResults read_optimisation_results(const std::filesystem::path& path);

// Whether `path` is an HDF5 file with the attribute kind = "fourp optimisation".
bool is_optimisation_file(const std::filesystem::path& path);

}  // namespace fourp
