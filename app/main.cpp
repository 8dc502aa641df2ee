// fourp: agent-based simulation of community human-trafficking prevention.
// Wires the command line (CLI11) to the engine (sim/), the models (models/) and the file
// writers (output/). Exit status: 0 done, 2 bad input, 1 any other failure.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/calibrate_command.h"
#include "app/commands.h"
#include "app/optimise_command.h"
#include "app/serve/serve_command.h"
#include "app/sweep_commands.h"
#include "output/calibration_results.h"
#include "sim/diagnostics.h"

namespace {

const char* kDescription =
    R"(fourp simulates how a community responds to human-trafficking prevention:
awareness campaigns led by outsiders, partnership programmes led with survivors, families and
community members, and their mixes. Agents in a social network carry awareness, otherness ("it
is other communities' problem"), trust in outsiders and efficacy; they act when these allow it.

A scenario file (YAML) names the population, the network, the interventions and the arms to
compare; `fourp run` runs every arm over many replicates with common random numbers and writes
an HDF5 results file and a summary table.
)";

const char* kExamples = R"(
Examples:
  fourp run scenarios/rural-district.yaml -o rural.h5          run the flagship comparison
  fourp run rural.yaml --replicates 4 --set model.denial=0.5    fewer replicates, another denial
  fourp run rural.yaml --arms outsider,partnership --threads 2  two arms (and the baseline)
  fourp validate rural.yaml > full.yaml                          see every default filled in
  fourp validate scenarios/sweeps/screening.yaml                check a sweep, see its size
  fourp sweep scenarios/sweeps/screening.yaml                   Morris screening of 20 parameters
  fourp sweep scenarios/sweeps/blame-and-power-sharing.yaml      a Sobol' sensitivity sweep
  fourp calibrate scenarios/calibration/rural-district.yaml     fit parameters to survey data
  fourp optimise scenarios/optimisation/rural-district.yaml     the best use of a budget
  fourp report rural.h5 -o rural.html --csv rural-csv           the report and tidy CSV files
  fourp serve --open                                            the web app, in the browser
  fourp run rural.yaml -o rural.h5 --report rural.html          run, then write the report

Documentation: README.md, docs/model.md (the model in ODD form, every parameter).)";

}  // namespace

int main(int argc, char** argv) {
  // A scenario may draw its parameters from a calibration's posterior (uncertainty: {from:
  // calib.h5}): the engine reads no HDF5, so the program lends it the reader.
  fourp::set_joint_sample_reader(fourp::read_posterior_sample);
  CLI::App app{kDescription, "fourp"};
  app.footer(kExamples);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("fourp ") + FOURP_VERSION);

  fourp::app::RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run every arm of a scenario and write results");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (YAML)")->required();
  run_cmd->add_option(
      "-o,--output", run.output,
      "Results file (HDF5); default: <scenario file name>.h5 in the current directory");
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--replicates", run.replicates, "Override the scenario's replicates");
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed (0 to 4294967295)");
  run_cmd
      ->add_option("--arms", run.arms,
                   "Run only these arms (comma separated; the baseline "
                   "is always kept)")
      ->delimiter(',');
  run_cmd->add_option("--set", run.sets,
                      "Override a scenario value by its dotted path, e.g. model.denial=0.5 "
                      "(repeatable)");
  run_cmd->add_flag("--overwrite", run.overwrite, "Replace an existing results file");
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress bar, warnings or summary");
  run_cmd->add_option("--report", run.report,
                      "Also write the HTML report (as `fourp report`) after the results file");

  std::string validate_file;
  std::vector<std::string> validate_sets;
  CLI::App* validate_cmd =
      app.add_subcommand("validate",
                         "Check a scenario and print it with every default filled in; or check a "
                         "sweep file and print its plan (size, seeds, which arm reads what), or "
                         "a calibration file (priors, targets, method)");
  validate_cmd->add_option("file", validate_file, "Scenario, sweep or calibration file (YAML)")
      ->required();
  validate_cmd->add_option("--set", validate_sets, "Override a value, as for run");

  fourp::app::ReportArgs report;
  CLI::App* report_cmd =
      app.add_subcommand("report", "Write the HTML report of a results file (and its data as CSV)");
  report_cmd->add_option("results", report.results, "Results file (HDF5) of `fourp run`")
      ->required();
  report_cmd->add_option("-o,--output", report.output,
                         "Report file (HTML); default: the results file with .html");
  report_cmd->add_option("--csv", report.csv,
                         "Also write tidy CSV files (series, at_risk, communities, totals, "
                         "comparison) into this directory");
  report_cmd->add_flag("--overwrite", report.overwrite, "Replace existing report and CSV files");
  report_cmd->add_flag("-q,--quiet", report.quiet, "Print nothing when done");

  const auto run_sweep_commands = fourp::app::add_sweep_commands(app);
  const auto run_calibrate_command = fourp::app::add_calibrate_command(app);
  const auto run_optimise_command = fourp::app::add_optimise_command(app);
  const auto run_serve_command = fourp::app::add_serve_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage errors are bad input
  }

  try {
    if (*run_cmd) return fourp::app::run_command(run);
    if (*validate_cmd) return fourp::app::validate_command(validate_file, validate_sets);
    if (auto status = run_sweep_commands()) return *status;
    if (auto status = run_calibrate_command()) return *status;
    if (auto status = run_optimise_command()) return *status;
    if (auto status = run_serve_command()) return *status;
    if (*report_cmd) return fourp::app::report_command(report);
  } catch (const fourp::InputError& e) {
    const std::string_view message = e.what();  // diagnostics end with a newline, others not
    fmt::print(stderr, "{}{}", message, message.ends_with('\n') ? "" : "\n");
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fourp: error: {}\n", e.what());
    return 1;
  }
  return 1;
}
