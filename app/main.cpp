// fourp: agent-based simulation of community human-trafficking prevention.
// Wires the command line (CLI11) to the engine (sim/), the models (models/) and the file
// writers (output/). Exit status: 0 done, 2 bad input, 1 any other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/commands.h"
#include "sim/diagnostics.h"

namespace {

const char* kDescription = R"(fourp simulates how a community responds to human-trafficking prevention:
awareness campaigns led by outsiders, partnership programmes led with survivors, families and
community members, and their mixes. Agents in a social network carry awareness, otherness ("it
is other communities' problem"), trust in outsiders and efficacy; they act when these allow it.

A scenario file (YAML) names the population, the network, the interventions and the arms to
compare; `fourp run` runs every arm over many replicates with common random numbers and writes
an HDF5 results file and a summary table.)";

const char* kExamples = R"(
Examples:
  fourp run scenarios/rural-district.yaml -o rural.h5          run the flagship comparison
  fourp run rural.yaml --replicates 4 --set model.denial=0.5    fewer replicates, another denial
  fourp run rural.yaml --arms outsider,partnership --threads 2  two arms (and the baseline)
  fourp validate rural.yaml > full.yaml                          see every default filled in

Documentation: README.md, docs/model.md (the model in ODD form, every parameter).)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "fourp"};
  app.footer(kExamples);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("fourp ") + FOURP_VERSION);

  fourp::app::RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run every arm of a scenario and write results");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (YAML)")->required();
  run_cmd->add_option("-o,--output", run.output,
                      "Results file (HDF5); default: <scenario name>.h5 here");
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--replicates", run.replicates, "Override the scenario's replicates");
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed (0 to 4294967295)");
  run_cmd->add_option("--arms", run.arms, "Run only these arms (comma separated; the baseline "
                                          "is always kept)")
      ->delimiter(',');
  run_cmd->add_option("--set", run.sets,
                      "Override a scenario value by its dotted path, e.g. model.denial=0.5 "
                      "(repeatable)");
  run_cmd->add_flag("--overwrite", run.overwrite, "Replace an existing results file");
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress bar, warnings or summary");

  std::string validate_file;
  std::vector<std::string> validate_sets;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate", "Check a scenario; print it with every default filled in");
  validate_cmd->add_option("scenario", validate_file, "Scenario file (YAML)")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a value, as for run");

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
  } catch (const fourp::InputError& e) {
    fmt::print(stderr, "{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fourp: error: {}\n", e.what());
    return 1;
  }
  return 1;
}
