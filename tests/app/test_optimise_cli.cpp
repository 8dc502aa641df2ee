// `fourp optimise` as a user meets it: a small optimisation writes its results file, its
// optimum as a scenario that `fourp run` runs as it is, and its report; gives the same file for
// any thread count; refuses bad input and a budget below the cheapest allocation with exit 2 and
// writes nothing; never replaces a file silently.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "output/optimisation_results.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

// The tiny scenario of tests/data/optimisation, 3 replicates a candidate: seconds.
void write_small(const TempDir& d, const std::string& budget = "40000") {
  fs::copy_file(fs::path(FOURP_TEST_DATA) / "optimisation/tiny-scenario.yaml",
                d / "tiny-scenario.yaml", fs::copy_options::overwrite_existing);
  write_file(d / "o.yaml", "scenario: tiny-scenario.yaml\ncurrent: both\nbudget: " + budget + R"(
objective: {minimise: exploited}
choices:
  interventions.partnership.target.communities: {subset_of: [0, 1, 2, 3, 4, 5], min: 1, max: 4}
  interventions.media.reach: {min: 0.1, max: 0.6}
constraints:
  - {at_least_one_of: {communities: [0, 1]}}
curve: {budgets: [20000, 40000]}
evaluation: {replicates: 3, confirm_replicates: 4}
)");
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("optimise: a small optimisation, its optimum as a scenario, its report", "[cli]") {
  TempDir d;
  write_small(d);
  auto r = run_fourp(
      {"optimise", (d / "o.yaml").string(), "-o", (d / "one.h5").string(), "--threads", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("wrote " + (d / "one.h5").string()) != std::string::npos);
  const OptimisationResults one = read_optimisation_results(d / "one.h5");
  REQUIRE(one.optimum >= 0);
  REQUIRE(one.current_candidate >= 0);
  const OptimisationRow& best = one.candidates[one.optimum];
  CHECK(best.cost <= 40000);
  CHECK(one.curve.size() == 2);
  const Confirmation& k = one.confirmation;
  REQUIRE(k.current_objective.size() == 4);
  // The improvement is today's cases less the optimum's (fewer is better), on average.
  double sum = 0;
  for (size_t i = 0; i < 4; ++i) sum += k.current_objective[i] - k.optimum_objective[i];
  CHECK(k.improvement == Approx(sum / 4));
  CHECK(k.improvement_low <= k.improvement);
  // Each candidate says whether it meets the constraint (community 0 or 1 served) and whether
  // the choices allow it; the search without the constraints (which constraint binds) evaluated
  // some that the choices allow and the constraint does not.
  CHECK(one.constraints == std::vector<std::string>{"0 1"});
  bool free_ones = false;
  for (const OptimisationRow& c : one.candidates) {
    const std::string s = " " + c.values[0] + " ";
    CHECK(c.meets_constraints ==
          (s.find(" 0 ") != std::string::npos || s.find(" 1 ") != std::string::npos));
    free_ones = free_ones || (c.within_choices && !c.meets_constraints);
  }
  CHECK(free_ones);
  CHECK(best.within_choices);
  CHECK(best.meets_constraints);
  // The search's start serves no community, below the subset's min: 1.
  CHECK(std::any_of(one.candidates.begin(), one.candidates.end(), [](const OptimisationRow& c) {
    return !c.within_choices && c.values[0].empty();
  }));
  // The curve is the best candidate fitting each budget: a larger budget does no worse.
  REQUIRE(one.curve[1].candidate >= 0);
  if (one.curve[0].candidate >= 0)
    CHECK(one.candidates[one.curve[1].candidate].objective <=
          one.candidates[one.curve[0].candidate].objective);

  // The same file for 2 threads (but for the time it was made).
  auto two = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "two.h5").string(),
                        "--threads", "2", "--quiet"});
  REQUIRE(two.exit_code == 0);
  const OptimisationResults t = read_optimisation_results(d / "two.h5");
  REQUIRE(t.candidates.size() == one.candidates.size());
  for (size_t i = 0; i < t.candidates.size(); ++i) {
    CHECK(t.candidates[i].description == one.candidates[i].description);
    CHECK(t.candidates[i].objective == one.candidates[i].objective);
    CHECK(t.candidates[i].cost == one.candidates[i].cost);
  }
  CHECK(t.optimum == one.optimum);
  CHECK(t.confirmation.optimum_objective == one.confirmation.optimum_objective);

  // The optimum's scenario runs as it is, and its arm `optimum` is the optimum.
  REQUIRE(fs::exists(d / "one.best.yaml"));
  auto run = run_fourp({"run", (d / "one.best.yaml").string(), "-o", (d / "best-run.h5").string(),
                        "--arms", "optimum", "--quiet"});
  INFO(run.err);
  CHECK(run.exit_code == 0);

  auto rep = run_fourp({"report", (d / "one.h5").string(), "-o", (d / "one.html").string()});
  INFO(rep.err);
  REQUIRE(rep.exit_code == 0);
  std::ifstream in(d / "one.html");
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(html.find("Findings") != std::string::npos);
  CHECK(html.find("budget\u2013outcome curve") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);

  // validate prints the plan.
  auto v = run_fourp({"validate", (d / "o.yaml").string()});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("optimisation of arm 'both'") != std::string::npos);

  // An existing file is not replaced without --overwrite.
  auto again = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "one.h5").string()});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("--overwrite") != std::string::npos);
}

TEST_CASE("optimise: bad input and a budget below the cheapest allocation write nothing", "[cli]") {
  TempDir d;
  write_small(d, "-1");
  auto bad = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "x.h5").string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("o.yaml:3:9: error: budget = -1 is out of range") != std::string::npos);

  write_small(d, "500");  // a week of the programme costs more
  auto low = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "x.h5").string()});
  INFO(low.err);
  CHECK(low.exit_code == 2);
  CHECK(low.err.find("o.yaml:3:9: error: budget USD 500 is below the cheapest allocation: the "
                     "cheapest allocation found") != std::string::npos);
  CHECK(files_in(d.path()) == std::vector<std::string>{"o.yaml", "tiny-scenario.yaml"});
}

TEST_CASE("optimise: killed after some candidates, --resume writes the uninterrupted files",
          "[cli]") {
  TempDir d;
  write_small(d);
  const std::string o = (d / "o.yaml").string();
  auto r = run_fourp({"optimise", o, "-o", (d / "whole.h5").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(d / "whole.h5.journal"));  // removed once the results are written
  const OptimisationResults whole = read_optimisation_results(d / "whole.h5");
  REQUIRE(whole.candidates.size() > 12);

  // SIGKILL once 12 candidates are journaled: no results, the journal stays.
  r = run_fourp({"optimise", o, "-o", (d / "o.h5").string(), "-q"},
                {"FOURP_OPTIMISE_KILL_AFTER=12"});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(fs::exists(d / "o.h5"));
  CHECK_FALSE(fs::exists(d / "o.best.yaml"));
  REQUIRE(fs::exists(d / "o.h5.journal"));
  {  // a torn record at its end, as a crash in mid-write leaves: ignored and cut off
    std::ofstream torn(d / "o.h5.journal", std::ios::binary | std::ios::app);
    torn << "\x40\x00\x00\x00\x00\x00\x00\x00partial";
  }
  // Without --resume the journal is not silently replaced.
  r = run_fourp({"optimise", o, "-o", (d / "o.h5").string(), "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("journal exists (use --resume") != std::string::npos);

  r = run_fourp({"optimise", o, "-o", (d / "o.h5").string(), "--resume"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("12 candidate(s) evaluated") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "o.h5.journal"));
  const OptimisationResults resumed = read_optimisation_results(d / "o.h5");
  REQUIRE(resumed.candidates.size() == whole.candidates.size());
  for (size_t i = 0; i < whole.candidates.size(); ++i) {
    CHECK(resumed.candidates[i].description == whole.candidates[i].description);
    CHECK(resumed.candidates[i].objective == whole.candidates[i].objective);
    CHECK(resumed.candidates[i].cost_high == whole.candidates[i].cost_high);
  }
  CHECK(resumed.optimum == whole.optimum);
  CHECK(resumed.runs == whole.runs);
  CHECK(resumed.confirmation.optimum_cost == whole.confirmation.optimum_cost);
  const auto text = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  CHECK(text(d / "o.best.yaml") == text(d / "whole.best.yaml"));

  // A journal of another optimisation is refused, not mixed in.
  r = run_fourp({"optimise", o, "-o", (d / "other.h5").string(), "-q"},
                {"FOURP_OPTIMISE_KILL_AFTER=1"});
  REQUIRE(fs::exists(d / "other.h5.journal"));
  write_file(o, text(o) + "# changed\n");
  r = run_fourp({"optimise", o, "-o", (d / "other.h5").string(), "--resume", "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("belongs to another optimisation") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "other.h5"));
}

TEST_CASE("optimise: under `mpirun -np 2` the same search as one process", "[cli][mpi]") {
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0)
    return skip_or_fail("mpirun not found: the MPI test cannot run");
  TempDir d;
  write_small(d);
  auto r = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "one.h5").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  const CommandResult m = mpirun_fourp(
      2, {"optimise", (d / "o.yaml").string(), "-o", (d / "mpi.h5").string(), "--threads", "1"});
  const std::string out = m.out + m.err;
  INFO(out);
  if (out.find("built without MPI") != std::string::npos)
    return skip_or_fail("fourp was built without MPI (OpenMPI missing at configure time)");
  REQUIRE(m.exit_code == 0);
  CHECK(out.find("2 MPI ranks") != std::string::npos);  // rank 0 alone prints
  const OptimisationResults one = read_optimisation_results(d / "one.h5");
  const OptimisationResults two = read_optimisation_results(d / "mpi.h5");
  REQUIRE(two.candidates.size() == one.candidates.size());
  for (size_t i = 0; i < one.candidates.size(); ++i) {
    CHECK(two.candidates[i].description == one.candidates[i].description);
    CHECK(two.candidates[i].objective == one.candidates[i].objective);
    CHECK(two.candidates[i].cost_high == one.candidates[i].cost_high);
  }
  CHECK(two.optimum == one.optimum);
  CHECK(two.confirmation.optimum_cost == one.confirmation.optimum_cost);
  CHECK(fs::exists(d / "mpi.best.yaml"));
  CHECK_FALSE(fs::exists(d / "mpi.h5.journal"));
}

TEST_CASE(
    "optimise: least cost to a target, confirmed against the baseline arm, exit 2 when out of "
    "reach",
    "[cli]") {
  TempDir d;
  fs::copy_file(fs::path(FOURP_TEST_DATA) / "optimisation/tiny-scenario.yaml",
                d / "tiny-scenario.yaml");
  const auto write = [&](const std::string& reduction) {
    write_file(d / "o.yaml", R"(scenario: tiny-scenario.yaml
current: partnership
budget: 40000
objective: {minimise: exploited}
choices:
  interventions.partnership.target.communities: {subset_of: [0, 1, 2, 3, 4, 5]}
  interventions.partnership.recruit_per_step: {integer: {min: 1, max: 4}}
curve: {budgets: [20000]}
evaluation: {replicates: 3, confirm_replicates: 4}
mode: least_cost
target: {exploited_reduction: )" +
                                 reduction + "}\n");
  };
  write("0.1");
  auto r = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "lc.h5").string()});
  INFO(r.err << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("target: exploited at most") != std::string::npos);
  const OptimisationResults lc = read_optimisation_results(d / "lc.h5");
  CHECK(lc.least_cost());
  CHECK(lc.target_outcome == "exploited");
  CHECK(lc.baseline_arm == "baseline");
  CHECK(lc.target_reduction == 0.1);
  CHECK(lc.target_level == Approx(0.9 * lc.baseline_objective));
  REQUIRE(lc.optimum >= 0);
  const OptimisationRow& best = lc.candidates[lc.optimum];
  CHECK(best.objective <= lc.target_level);
  CHECK(best.cost <= 40000);
  // No candidate evaluated reaches the target for less.
  for (const OptimisationRow& c : lc.candidates)
    if (c.ok && c.objective <= lc.target_level && c.description != best.description)
      CHECK(c.cost >= best.cost);
  // On the fresh replicates: the margin (1 − r)·baseline − optimum, paired, worked here.
  const Confirmation& k = lc.confirmation;
  REQUIRE(k.baseline_objective.size() == 4);
  double margin = 0, base = 0, opt = 0;
  for (size_t i = 0; i < 4; ++i) {
    margin += 0.9 * k.baseline_objective[i] - k.optimum_objective[i];
    base += k.baseline_objective[i], opt += k.optimum_objective[i];
  }
  CHECK(k.target_margin == Approx(margin / 4));
  CHECK(k.target_margin_low <= k.target_margin);
  CHECK(k.achieved_reduction == Approx(1 - opt / base));

  auto rep = run_fourp({"report", (d / "lc.h5").string(), "-o", (d / "lc.html").string()});
  REQUIRE(rep.exit_code == 0);
  std::ifstream in(d / "lc.html");
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(html.find("The least cost of 10% fewer exploited") != std::string::npos);
  CHECK(html.find("The cheapest allocation found that lowers exploited by at least 10%") !=
        std::string::npos);

  // Out of reach: exit 2 at the target, with the best reduction found; nothing written.
  write("0.95");
  auto far = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "far.h5").string()});
  INFO(far.err);
  CHECK(far.exit_code == 2);
  CHECK(far.err.find("o.yaml:11:10: error: target exploited_reduction 0.95 is not reached "
                     "within the budget USD 40000: the best allocation found, partnership in "
                     "communities") != std::string::npos);
  CHECK(far.err.find("lowers exploited by ") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "far.h5"));
  CHECK_FALSE(fs::exists(d / "far.best.yaml"));
  CHECK_FALSE(fs::exists(d / "far.h5.journal"));
}

TEST_CASE("optimise: a progress bar on a terminal, none with --quiet or into a pipe", "[cli]") {
  // `script` (util-linux) gives the command a terminal. The bar's last drawing is whole (runs
  // done = total), whatever the speed: the test reads that one, not the throttled ones before.
  if (std::system("command -v script >/dev/null 2>&1") != 0)
    return skip_or_fail("script (util-linux) not found: no terminal to show the bar on");
  TempDir d;
  write_small(d);
  const auto on_terminal = [&](const std::string& out, const std::string& extra) {
    const fs::path log = d / (out + ".tty");
    const std::string command = "script -qfec \"'" + std::string(FOURP_EXE) + "' optimise '" +
                                (d / "o.yaml").string() + "' -o '" + (d / out).string() + "' " +
                                extra + "\" /dev/null > '" + log.string() + "' 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream in(log, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string tty = on_terminal("a.h5", "");
  INFO(tty);
  const OptimisationResults a = read_optimisation_results(d / "a.h5");
  // Every run counted: "[########################]  177.0/177 runs".
  CHECK(tty.find(fmt::format("[{}]  {}.0/{} runs", std::string(24, '#'), a.runs, a.runs)) !=
        std::string::npos);
  CHECK(tty.find("  budget USD 40000: ") != std::string::npos);  // the phases' lines stay

  const std::string quiet = on_terminal("b.h5", "--quiet");
  CHECK(quiet.find(" runs/s") == std::string::npos);
  CHECK(fs::exists(d / "b.h5"));

  auto piped = run_fourp({"optimise", (d / "o.yaml").string(), "-o", (d / "c.h5").string()});
  REQUIRE(piped.exit_code == 0);
  CHECK(piped.err.find(" runs/s") == std::string::npos);  // no bar in a log file
  CHECK(piped.err.find("  budget USD 40000: ") != std::string::npos);
}
