// `fourp report results.h5 [-o report.html] [--csv DIR] [--overwrite]`: the HTML report of a
// results file and, on request, its data as tidy CSV files. Every output is checked before
// anything is written (an existing file is never replaced without --overwrite) and written
// atomically; a bad results file is an InputError (exit 2) before anything is written.
#include <fmt/format.h>

#include <filesystem>

#include "app/commands.h"
#include "app/scenario_input.h"
#include "app/signals.h"
#include "output/calibration_report.h"
#include "output/calibration_results.h"
#include "output/csv_export.h"
#include "output/optimisation_report.h"
#include "output/optimisation_results.h"
#include "output/report_html.h"
#include "output/report_input.h"
#include "output/results_file.h"
#include "output/sweep_report.h"
#include "sim/diagnostics.h"

namespace fourp::app {

namespace fs = std::filesystem;

namespace {

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec) && !ec;
}

}  // namespace

Results read_run_results(const fs::path& results, std::string* warnings) {
  Results r = read_results_for_report(results);
  // The model's declarations, from the catalog entry of the kind the stored scenario names; a
  // scenario that does not parse cannot be described: refused.
  std::string problem;
  const std::optional<Scenario> scenario = stored_scenario(r.scenario_yaml, &problem);
  if (!scenario)
    throw InputError(
        fmt::format("{}: error: attribute 'scenario' of / is damaged ({}); the "
                    "report describes the scenario from it",
                    results.string(), problem));
  const std::string subgroup = r.outputs.subgroup;  // the group the file holds
  r.outputs = scenario->kind->outputs;
  if (r.outputs.subgroup.empty()) r.outputs.subgroup = subgroup;
  Diagnostics found;  // a missing /comparison is recomputed (output/report_input.h)
  complete_comparisons(r, results, found);
  if (warnings != nullptr)
    for (const Diagnostic& d : found.all()) *warnings += d.str() + "\n";
  return r;
}

int report_command(const ReportArgs& args) {
  const fs::path results(args.results);
  const fs::path out =
      args.output.empty() ? fs::path(results).replace_extension(".html") : fs::path(args.output);
  if (same_file(out, results))
    throw InputError(
        fmt::format("{}: error: the report would replace the results file it reads "
                    "(choose another name with -o)",
                    out.string()));
  check_output_path(out, args.overwrite);
  if (is_sweep_file(results)) return sweep_report_command(args, out);  // app/sweep_command.cpp
  if (is_optimisation_file(results)) {
    if (!args.csv.empty())
      throw InputError(
          fmt::format("{}: error: --csv is for results files; an optimisation's tables "
                      "(/candidates, /curve, /confirmation) read directly in pandas or R\n",
                      args.results));
    report::write_optimisation_report(read_optimisation_results(results), out, args.overwrite);
    if (!args.quiet) fmt::print("wrote {}\n", out.string());
    return 0;
  }
  if (is_calibration_file(results)) {
    if (!args.csv.empty())
      throw InputError(
          fmt::format("{}: error: --csv is for results files; a calibration's "
                      "tables (/posterior, /generations, /targets) read directly "
                      "in pandas or R\n",
                      args.results));
    const CalibrationResults calibration = read_calibration_results(results);
    report::write_calibration_report(calibration, out, args.overwrite);
    if (!args.quiet) fmt::print("wrote {}\n", out.string());
    return 0;
  }
  std::string warnings;
  Results r = read_run_results(results, &warnings);
  if (!args.quiet) fmt::print(stderr, "{}", warnings);
  const std::optional<Scenario> scenario = stored_scenario(r.scenario_yaml);
  if (!args.csv.empty()) check_csv_targets(args.csv, r.outputs.subgroup, args.overwrite);

  // Ctrl-C or kill while a file is written: remove its temporary file and leave at once.
  catch_signals(OnSignal::leave);
  if (!args.csv.empty()) write_csv(r, args.csv, args.overwrite);
  report::write_report(r, &*scenario, out, args.overwrite);
  if (!args.quiet) {
    if (!args.csv.empty())
      fmt::print("wrote {} ({})\n", args.csv, fmt::join(csv_file_names(r.outputs.subgroup), ", "));
    fmt::print("wrote {}\n", out.string());
  }
  return 0;
}

}  // namespace fourp::app
