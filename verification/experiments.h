// The verification experiments of docs/verification.md: known results, derived by others, that
// fourp's reference models (models/reference) must reproduce on the engine the prevention model
// uses (scenario parsing, world building, network generators, RNG, runner). Each experiment runs
// its scenarios and returns one row per claim — theory, simulation, the tolerance it is judged by
// and the replicates — so that the test suite (tests/verification, CTest label `verification`)
// and the table (`fourp_verify`, scripts/verify.sh) can never disagree.
//
//   Experiment e = run_experiment("sir");
//   for (const Check& c : e.checks) if (c.checked && !c.pass) ...
//   std::cout << markdown({e}, e.seconds);
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fourp::verification {

struct Check {
  std::string quantity;    // what is compared
  std::string theory;      // the known result
  std::string simulation;  // what fourp gives
  std::string tolerance;   // how they are judged ("±0.01", "4 SE = 0.55", "equal")
  std::string replicates;  // independent runs behind the number
  bool checked = true;     // false: reported only (no pass or fail)
  bool pass = true;
};

struct Experiment {
  std::string id;      // for `fourp_verify ID…` and the tests
  std::string title;   // what is verified
  std::string source;  // where the known result comes from
  std::string setup;   // the scenario, in words
  std::vector<Check> checks;
  std::string notes;   // markdown paragraph under the table (may be empty)
  double seconds = 0;  // wall time of the experiment
  bool pass() const;
};

// Identifiers in the order of the table: degroot, sir, watts, ic_tree, deffuant, voter,
// prevention.
std::vector<std::string> experiment_ids();
// Runs one experiment; throws std::invalid_argument for an unknown id.
Experiment run_experiment(std::string_view id);

// docs/verification.md: a summary table (theory against simulation), the detailed rows and the
// notes of each experiment, and how long it took (`extra` is appended verbatim).
std::string markdown(const std::vector<Experiment>& experiments, double total_seconds,
                     const std::string& extra = "");

// --- Theory, exposed for tests ---------------------------------------------------------------

// Size S of the giant cluster of bond percolation with transmissibility T on an Erdős–Rényi
// graph of mean degree z: S = 1 − exp(−z T S) (Newman 2002); 0 when z T ≤ 1.
double er_percolation_size(double z, double T);
// Watts (2002) cascade condition on Erdős–Rényi graphs with one threshold phi:
// Σ_k k(k − 1) p_k [k ≤ 1/phi] > z; returns the window (z_low, z_high) where it holds.
std::pair<double, double> watts_window(double phi);
// Mean and variance of the number of agents an independent cascade with probability p activates
// from the root of the complete `branching`-ary tree of `depth` levels (a Galton–Watson process
// with Binomial(branching, p) offspring, stopped at that depth).
std::pair<double, double> tree_cascade_moments(unsigned branching, unsigned depth, double p);
// Opinion clusters: sorted opinions split where neighbouring values differ by more than `gap`;
// returns the sizes of the clusters, largest first.
std::vector<size_t> opinion_clusters(std::vector<double> opinions, double gap);

}  // namespace fourp::verification
