// `fourp optimise OPTIMISATION.yaml [-o opt.h5] [--threads N] [--resume] [--overwrite] [--quiet]`
// (issue 13): the best allocation of the current arm's interventions within the budget
// (sim/optimiser.h), the optimum at each budget of the curve, and the optimum against the
// current plan on fresh replicates. Writes the results file (output/optimisation_results.h) and
// `<output stem>.best.yaml`, a scenario with the optimum as the arm `optimum` that `fourp run`
// runs as it is. Every candidate evaluated goes to `<output>.journal` (output/
// optimisation_journal.h), synced; interrupted in any way it writes no results, and `--resume`
// continues from the journal to the files an uninterrupted optimisation writes. Exit status: 0
// done, 2 bad input (also a budget below the cheapest allocation found), 1 any other failure, 128 +
// signal when interrupted.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace fourp::app {

struct OptimiseArgs {
  std::string optimisation;
  std::string output;  // empty: <optimisation file stem>.h5 in the current directory
  int threads = 0;
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
};
int optimise_command(const OptimiseArgs& args);

// Adds the `optimise` subcommand; the returned function runs it when it was chosen.
std::function<std::optional<int>()> add_optimise_command(CLI::App& app);

// `fourp validate OPTIMISATION.yaml`: what the optimisation will choose, within what, and how.
int validate_optimisation(const std::string& file);

}  // namespace fourp::app
