// Sweeps (SCENARIO.md "Sweep file"): many independent runs of one scenario over a design of
// parameter values, read once from YAML into a typed, validated plan — plain data, like FLAME
// GPU's RunPlanVector — before any run starts.
//
//   Diagnostics diag;
//   SweepPlan plan = parse_sweep_file("sweeps/blame.yaml", catalog, {}, diag);
//   if (diag.has_errors()) throw InputError(diag.format());
//   for (uint64_t k = 0; k < plan.layout.runs(); ++k) { RunPlan r = plan.layout.run(k); ... }
//
// A sweep is one run per (sample, arm, replicate). Runs are numbered
//   run = task · arms + arm,   task = sample · replicates + replicate
// so the arms of one (sample, replicate) — which share a world and every random number (common
// random numbers) — are consecutive and form one task. Each run is seeded from (design seed,
// sample, replicate) alone (designs.h run_seed), so any subset of runs recomputes alone, on any
// machine, rank or thread count, to the same numbers. By default replicate r of *every* sample
// draws the same random numbers too (common random numbers across design points): the output is
// then a smooth function of the parameters for each r, and an arm that does not read a parameter
// gives bit-identical results whatever its value. `design: {independent_seeds: true}` gives each
// sample seeds of its own instead.
//
// A scenario with `uncertainty:` (sim/uncertainty.h): the swept paths (and those of the sweep's
// `set`) are fixed, as by `--set`; every other uncertain parameter is drawn per run from its seed
// and replicate exactly as `fourp run --seed <its seed>` draws it, shared by the arms of a task.
// Under common random numbers replicate r of every sample therefore runs with the same drawn
// values, and the swept parameters' effects are not confounded with fresh draws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/catalog.h"
#include "sim/designs.h"
#include "sim/diagnostics.h"
#include "sim/network.h"
#include "sim/params.h"
#include "sim/scenario.h"
#include "sim/uncertainty.h"

namespace fourp {

enum class DesignKind { grid, list, latin_hypercube, sobol, morris };
std::string_view design_kind_name(DesignKind kind);

// One swept value: a dotted scenario path (the paths of `--set`) and where its values come from.
struct SweepParameter {
  std::string path;
  ParamSpec spec;      // the path's allowed range, from settable_paths
  bool world = false;  // changes the population or the network (checked sample by sample)
  std::optional<double> min, max;  // latin_hypercube, sobol, morris; grid with `levels`
  std::optional<uint32_t> levels;  // grid: that many evenly spaced values from min to max
  std::vector<double> values;      // grid, list
  SourceLoc loc;                   // of its key in the sweep file (or its CSV column)
};

struct SweepDesign {
  DesignKind kind = DesignKind::grid;
  uint32_t samples = 0;            // latin_hypercube: points; sobol: base points N
  uint64_t seed = 0;               // default: the scenario's seed
  bool independent_seeds = false;  // each sample its own seeds (default: common random numbers)
  uint32_t trajectories = 0;       // morris: one-at-a-time paths r
  uint32_t levels = 0;             // morris: grid levels p (even)
  uint32_t bootstrap = 1000;       // sobol, morris: bootstrap resamples for the intervals
  uint64_t max_samples = 10000;    // grid: more samples than this need --force
  std::filesystem::path file;      // list: rows from a CSV file (absolute after parsing)
  SourceLoc loc;
};

// Which run a run number is (see the numbering above).
struct RunPlan {
  uint64_t index = 0;
  uint64_t task = 0;
  uint32_t sample = 0;
  uint32_t arm = 0;  // position in SweepLayout::arms
  uint32_t replicate = 0;
  uint32_t seed =
      0;  // the sample's seed (SweepLayout::seed_of): fourp::Rng key is (seed, replicate)
};

// The plain-data shape of a sweep: its runs and what each column of the results means. Stored in
// every sweep and shard file, it is all that assembling results needs (so `fourp merge` needs
// neither the sweep file nor the scenario), and its hash identifies the sweep.
struct SweepLayout {
  std::string name;
  std::string sweep_text;     // the sweep file as read
  std::string sweep_file;     // its file name, without directories
  std::string scenario_yaml;  // the base scenario (sweep `set` applied), normalised (to_yaml)
  std::string design;         // design_kind_name
  uint64_t design_seed = 0;
  bool independent_seeds = false;  // else common random numbers across samples
  uint32_t sobol_base = 0;         // sobol: N base points (samples = N (d + 2)); else 0
  uint32_t morris_trajectories = 0, morris_levels = 0;  // morris: r, p; else 0
  uint32_t bootstrap = 0;  // sobol, morris: bootstrap resamples; else 0
  uint32_t replicates = 1;
  std::vector<std::string> arms;  // the arms run, in the scenario's order
  std::string baseline_arm;       // the scenario's baseline arm when it is run, else ""
  std::vector<std::string> parameters;
  std::vector<double> samples;      // [sample][parameter], row-major
  std::vector<std::string> totals;  // the model's totals: what every run records
  std::vector<std::string> metrics;
  // [arm · parameters + parameter]: 1 when the arm reads the parameter (arm_reads), else 0.
  std::vector<uint8_t> reads;
  uint64_t hash = 0;  // compute_hash() of everything above
  // The model kind's declarations (headline, cost, labels): how metrics are derived from the
  // totals. Not part of the hash: the totals' names are.
  OutputDeclarations outputs;
  // The scenario's uncertain parameters that the sweep neither varies nor sets, in the scenario's
  // order: each task draws them (draws). Not part of the hash: scenario_yaml holds them. A layout
  // read from a file lacks them; the program parses them from scenario_yaml when it needs them.
  std::vector<UncertainParameter> drawn;

  uint32_t sample_count() const;
  uint64_t tasks() const { return uint64_t{sample_count()} * replicates; }
  uint64_t runs() const { return tasks() * arms.size(); }
  double value(uint32_t sample, size_t parameter) const {
    return samples[size_t{sample} * parameters.size() + parameter];
  }
  bool arm_reads(size_t arm, size_t parameter) const {
    return reads.empty() || reads[arm * parameters.size() + parameter] != 0;
  }
  uint32_t seed_of(uint32_t sample) const {  // the seed of the sample's runs
    return run_seed(design_seed, sample, independent_seeds);
  }
  // The values of `drawn` in the runs of (sample, replicate): draw_parameters keyed by the
  // sample's seed and the replicate, as `fourp run --seed seed_of(sample)` draws replicate r.
  std::vector<double> draws(uint32_t sample, uint32_t replicate) const;
  RunPlan run(uint64_t index) const;
  // FNV-1a (64 bit) of a canonical text of every field above and of the fourp version: runs of
  // another sweep file, scenario or program version never mix.
  uint64_t compute_hash() const;
  std::string hash_hex() const;  // 16 hexadecimal digits
};

// Whether an arm reads a scenario path, from what the scenario declares: an intervention's
// parameters (`interventions.<name>.…`) are read only by the arms that run that intervention,
// and a path the arm sets itself (its `set`) is not read from the sweep; everything else (model,
// trafficking, population, network, steps) is read by every arm.
bool arm_reads(const Arm& arm, std::string_view path);

// Metrics a sweep can summarise, besides the model's totals by name:
//   <total>_total   alias of a total whose name has no '_' (SCENARIO.md: exploited_total, …)
//   the declared improvement (e.g. cases_averted): the headline outcome, baseline − arm when
//                   fewer is better (arm − baseline when more is), per replicate (paired)
//   its cost per unit (e.g. cost_per_case_averted): mean extra cost over the baseline / mean
//                   improvement, over the replicates of a sample (a ratio of means: no sd)
// The paired metrics need a declared headline (and cost total) and the baseline arm, which is
// then run even when `arms` does not list it.
struct MetricSpec {
  enum class Kind { total, improvement, cost_per_improvement };
  std::string name;
  Kind kind = Kind::total;
  size_t total = 0;  // Kind::total: index into the totals; paired kinds: the headline's
  size_t cost = 0;   // Kind::cost_per_improvement: index of the cost total
  int sign = 1;      // paired kinds: improvement = sign · (baseline − arm)
  bool paired() const { return kind != Kind::total; }
};
std::optional<MetricSpec> resolve_metric(std::string_view name, const OutputDeclarations& outputs);
std::vector<std::string> known_metric_names(const OutputDeclarations& outputs);
// The declared improvement and its cost per unit, where the declarations allow them.
std::vector<std::string> paired_metric_names(const OutputDeclarations& outputs);

// A validated sweep, ready to run.
struct SweepPlan {
  std::filesystem::path file;
  // The base scenario: the sweep's `set` applied, replicates from the sweep, without snapshots
  // or community series (sweeps keep totals only).
  Scenario scenario;
  std::shared_ptr<const NetworkFile> network_file;  // when network.kind is `file`
  std::vector<size_t> arm_index;                    // layout.arms[k] is scenario.arms[arm_index[k]]
  SweepDesign design;
  std::vector<SweepParameter> parameters;
  std::vector<MetricSpec> metrics;  // resolved layout.metrics
  // Paths of the scenario's `uncertainty:` that the sweep fixes (its parameters, its `set`): not
  // drawn. The others are layout.drawn.
  std::vector<std::string> fixed_uncertain;
  SweepLayout layout;
};

struct SweepOptions {
  bool force = false;  // run grids larger than design.max_samples
};

// Reads and validates a sweep file: every problem is collected into `diag` as
// `file:line:col: error: …` (unknown keys and paths with a did-you-mean, wrong types, min > max,
// values outside a parameter's allowed range, a grid over the limit, unknown arms and metrics,
// list rows of unequal length, CSV errors, samples the scenario's cross-checks refuse), along
// with the scenario file's own errors. The plan is meaningful only without errors.
SweepPlan parse_sweep_file(const std::filesystem::path& file, const Catalog& catalog,
                           const SweepOptions& options, Diagnostics& diag);
// The same from text; `name` stands for the file (messages, relative paths).
SweepPlan parse_sweep_text(const std::string& yaml, const std::filesystem::path& name,
                           const Catalog& catalog, const SweepOptions& options, Diagnostics& diag);

// The scenario of one sample: the base scenario with the sample's values applied and its seed
// set to the sample's seed — what `fourp run --set <path>=<value> … --seed <seed>` reads, its
// uncertainty (layout.drawn) still to be drawn. Throws std::logic_error if a value does not apply
// (the plan was not validated).
Scenario sample_scenario(const SweepPlan& plan, uint32_t sample);

// The scenario the runs of (sample, replicate) run: the sample's, with layout.draws(sample,
// replicate) applied as `fourp run` applies replicate r's draws (an arm's own `set` still wins).
Scenario task_scenario(const SweepPlan& plan, uint32_t sample, uint32_t replicate);

}  // namespace fourp
