#include <algorithm>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/optimise_command.h"
#include "app/scenario_input.h"
#include "models/builtin_catalog.h"
#include "sim/calibration_file.h"
#include "sim/input_files.h"
#include "sim/number_words.h"
#include "sim/scenario_parse.h"
#include "sim/sweep.h"
#include "sim/uncertainty.h"
#include "sim/yaml_document.h"

namespace fourp::app {

namespace {

// What a calibration will fit, to what, and how.
void print_calibration_plan(const CalibrationPlan& plan) {
  fmt::print(
      "calibration of arm '{}' of scenario '{}': {} parameter(s), {} target(s), {} "
      "particles, {} run(s) per evaluation, seed {}\n\npriors:\n{}",
      plan.arm, plan.scenario.name, plan.parameters.size(), plan.targets.size(),
      plan.method.particles, plan.method.replicates, plan.method.seed,
      uncertainty_table(plan.parameters, "  "));
  fmt::print("\ntargets:\n");
  for (const CalibrationTarget& t : plan.targets) {
    std::string group = t.communities.empty()
                            ? "everyone"
                            : fmt::format("communities {}", fmt::join(t.communities, ", "));
    if (!t.arm.empty()) group += fmt::format(" in arm {}", t.arm);
    if (t.kind == CalibrationTarget::Kind::survey)
      fmt::print("  survey  {} of {}, step {}: {} of {} said yes\n", t.metric, group, t.step, t.yes,
                 t.respondents);
    else
      fmt::print(
          "  count   {}{} of {}, steps {}-{}: {}{}\n", t.metric,
          t.detection.empty() ? "" : " x observation." + t.detection, group, t.first + 1, t.last,
          t.count,
          t.dispersion ? fmt::format(" (negative binomial, k = {})", *t.dispersion) : " (Poisson)");
  }
  if (!plan.scenario.uncertainty.empty())
    fmt::print("\nuncertain in the scenario, not fitted: drawn in every run:\n{}",
               uncertainty_table(plan.scenario.uncertainty, "  "));
}

// The scenario's uncertain parameters in a sweep: which each run draws (and how), which the
// sweep fixes. Nothing without `uncertainty:`.
void print_drawn(const SweepPlan& plan) {
  const SweepLayout& L = plan.layout;
  if (!L.drawn.empty())
    fmt::print("\ndrawn per replicate, the same for every arm ({}):\n{}",
               L.independent_seeds ? "each sample draws its own (independent_seeds)"
                                   : "replicate r of every sample draws the same values",
               uncertainty_table(L.drawn, "  "));
  if (!plan.fixed_uncertain.empty())
    fmt::print("\nuncertain in the scenario but fixed by the sweep, not drawn: {}\n",
               fmt::join(plan.fixed_uncertain, ", "));
}

// What a sweep will do, before it runs: its size, its seeds, and which arm reads which
// parameter — what a researcher checks before sending it to a cluster.
void print_sweep_plan(const SweepPlan& plan) {
  const SweepLayout& L = plan.layout;
  std::string size;
  if (L.sobol_base > 0)
    size =
        fmt::format("{} base points x ({} parameters + 2) = ", L.sobol_base, L.parameters.size());
  else if (L.morris_trajectories > 0)
    size = fmt::format("{} trajectories x ({} parameters + 1) = ", L.morris_trajectories,
                       L.parameters.size());
  fmt::print("sweep {}: {} design, {}{} samples x {} arms x {} replicates = {} runs\n", L.name,
             L.design, size, thousands(L.sample_count()), L.arms.size(), L.replicates,
             thousands(static_cast<double>(L.runs())));
  fmt::print("seeds: {} (design seed {})\n",
             L.independent_seeds ? "each sample its own (independent_seeds)"
                                 : "common random numbers: replicate r of every sample shares them",
             L.design_seed);
  if (L.morris_trajectories > 0) fmt::print("levels: {}\n", L.morris_levels);
  fmt::print("metrics: {}\n\n", fmt::join(L.metrics, ", "));
  size_t width = std::string_view("parameter").size();
  for (const auto& p : L.parameters) width = std::max(width, p.size());
  fmt::print("{:<{}}  {:>10}  {:>10}", "parameter", width, "from", "to");
  for (const auto& a : L.arms) fmt::print("  {}", a);
  fmt::print("\n");
  for (size_t i = 0; i < L.parameters.size(); ++i) {
    double lo = L.value(0, i), hi = lo;  // a range as given, else the values' span
    for (uint32_t j = 0; j < L.sample_count(); ++j)
      lo = std::min(lo, L.value(j, i)), hi = std::max(hi, L.value(j, i));
    if (plan.parameters[i].min && plan.parameters[i].max)
      lo = *plan.parameters[i].min, hi = *plan.parameters[i].max;
    fmt::print("{:<{}}  {:>10}  {:>10}", L.parameters[i], width, plain_value(lo), plain_value(hi));
    std::string row;
    for (size_t a = 0; a < L.arms.size(); ++a)
      row += fmt::format("  {:<{}}", L.arm_reads(a, i) ? "reads" : "-", L.arms[a].size());
    fmt::print("{}\n", row.substr(0, row.find_last_not_of(' ') + 1));
  }
  fmt::print("\n(-: the arm never reads the parameter; its indices are not estimated)\n");
  print_drawn(plan);
}

}  // namespace

int validate_command(const std::string& file, const std::vector<std::string>& sets) {
  const InputKind kind = input_kind_of_file(file);
  if (kind == InputKind::optimisation) {
    if (!sets.empty()) throw InputError(fmt::format("{}: error: --set is for scenarios\n", file));
    return validate_optimisation(file);
  }
  if (kind == InputKind::calibration) {
    if (!sets.empty()) throw InputError(fmt::format("{}: error: --set is for scenarios\n", file));
    Diagnostics diag;
    const CalibrationPlan plan = parse_calibration_file(file, models::builtin_catalog(), diag);
    if (diag.has_errors()) throw InputError(diag.format());
    for (const auto& d : diag.all())
      if (d.severity == Diagnostic::Severity::warning) fmt::print(stderr, "{}\n", d.str());
    print_calibration_plan(plan);
    return 0;
  }
  if (kind == InputKind::sweep) {
    if (!sets.empty())
      throw InputError(
          fmt::format("{}: error: --set is for scenarios; a sweep file fixes values "
                      "with its own `set:`\n",
                      file));
    Diagnostics diag;
    const SweepPlan plan = parse_sweep_file(file, models::builtin_catalog(), {}, diag);
    if (diag.has_errors()) throw InputError(diag.format());
    for (const auto& d : diag.all())
      if (d.severity == Diagnostic::Severity::warning) fmt::print(stderr, "{}\n", d.str());
    print_sweep_plan(plan);
    return 0;
  }
  ScenarioInput in = load_scenario(file, sets, false);
  fmt::print("{}", to_yaml(in.scenario));
  // As YAML comments, so that `fourp validate x.yaml > full.yaml` still gives a scenario file.
  fmt::print("{}", uncertainty_summary(in.scenario));
  return 0;
}

}  // namespace fourp::app
