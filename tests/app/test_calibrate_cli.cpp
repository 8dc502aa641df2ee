// `fourp calibrate` as a user meets it: a small calibration runs to the posterior, writes its
// results file and report, gives the same posterior for any thread count, refuses bad input
// with exit 2 and writes nothing, and never replaces a file silently.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "output/calibration_results.h"
#include "output/results_file.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {

// The tiny scenario of tests/data/calibration, 40 particles and one run per evaluation: seconds.
void write_small(const TempDir& d) {
  fs::copy_file(fs::path(FOURP_TEST_DATA) / "calibration/tiny-scenario.yaml",
                d / "tiny-scenario.yaml");
  write_file(d / "c.yaml", R"(scenario: tiny-scenario.yaml
parameters: [trafficking.approach_rate, observation.detection]
observation:
  detection: {beta: {mean: 0.3, sd: 0.08}}
targets:
  - {metric: awareness, group: all, step: 26, respondents: 300, yes: 90}
  - {metric: recorded_cases, group: all, steps: [0, 52], count: 12}
method: {kind: smc, particles: 40, seed: 3, replicates: 1}
)");
}

bool is_empty_but(const fs::path& dir, const std::vector<std::string>& names) {
  for (const auto& e : fs::directory_iterator(dir))
    if (std::find(names.begin(), names.end(), e.path().filename().string()) == names.end())
      return false;
  return true;
}

}  // namespace

TEST_CASE("calibrate: a small calibration reaches the posterior, for any thread count",
          "[cli][many_runs]") {
  TempDir d;
  write_small(d);
  auto r = run_fourp(
      {"calibrate", (d / "c.yaml").string(), "-o", (d / "one.h5").string(), "--threads", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("trafficking.approach_rate") != std::string::npos);
  CHECK(r.out.find("wrote " + (d / "one.h5").string()) != std::string::npos);
  CHECK(r.err.find("generation  0: temperature 0.0000") != std::string::npos);
  const CalibrationResults one = read_calibration_results(d / "one.h5");
  REQUIRE(one.generations.size() >= 2);
  CHECK(one.generations.back().temperature == 1.0);
  CHECK(one.parameters ==
        std::vector<std::string>{"trafficking.approach_rate", "observation.detection"});
  CHECK(one.particles == 40);
  REQUIRE(one.targets.size() == 2);
  CHECK(one.targets[0].kind == "survey");
  CHECK(one.targets[0].observed == Approx(0.3));
  CHECK(one.targets[1].observed == 12);
  CHECK(one.targets[0].low <= one.targets[0].median);
  CHECK(one.targets[0].median <= one.targets[0].high);
  // Every particle stays in its prior's support.
  for (size_t i = 0; i < 40; ++i) {
    const double rate = one.generations.back().theta[2 * i],
                 det = one.generations.back().theta[2 * i + 1];
    CHECK(rate >= 0.002);
    CHECK(rate <= 0.02);
    CHECK(det > 0);
    CHECK(det < 1);
  }

  r = run_fourp({"calibrate", (d / "c.yaml").string(), "-o", (d / "two.h5").string(), "--threads",
                 "2", "-q"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const CalibrationResults two = read_calibration_results(d / "two.h5");
  REQUIRE(two.generations.size() == one.generations.size());
  CHECK(two.generations.back().theta == one.generations.back().theta);
  CHECK(two.generations.back().log_likelihood == one.generations.back().log_likelihood);
  CHECK(two.targets[1].median == one.targets[1].median);

  // The report says what the data said, and each target against its band.
  r = run_fourp({"report", (d / "one.h5").string(), "-o", (d / "one.html").string()});
  REQUIRE(r.exit_code == 0);
  std::ifstream in(d / "one.html");
  const std::string html{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  CHECK(html.find("<section id=\"findings\">") != std::string::npos);
  CHECK(html.find("trafficking.approach_rate from") != std::string::npos);
  CHECK(html.find("<figure id=\"parameter-observation.detection\">") != std::string::npos);
  CHECK(html.find("awareness, everyone, step 26 (90 of 300 said yes)") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);

  // No silent overwrite.
  r = run_fourp({"calibrate", (d / "c.yaml").string(), "-o", (d / "one.h5").string(), "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("file exists") != std::string::npos);
}

TEST_CASE("validate: a calibration file's priors, targets and method", "[cli]") {
  TempDir d;
  write_small(d);
  const auto r = run_fourp({"validate", (d / "c.yaml").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("calibration of arm 'baseline' of scenario 'tiny-calibration': 2 "
                   "parameter(s), 2 target(s), 40 particles") != std::string::npos);
  CHECK(r.out.find("observation.detection") != std::string::npos);
  CHECK(r.out.find("survey  awareness of everyone, step 26: 90 of 300 said yes") !=
        std::string::npos);
  CHECK(r.out.find("count   exploited x observation.detection of everyone, steps 1-52: 12 "
                   "(Poisson)") != std::string::npos);
  // Uncertain in the scenario and not fitted: drawn.
  CHECK(r.out.find("not fitted: drawn in every run") != std::string::npos);
  CHECK(r.out.find("model.social_weight") != std::string::npos);
}

TEST_CASE("calibrate: every bad calibration file - exit 2, file:line:col, nothing written",
          "[cli]") {
  const fs::path dir = fs::path(FOURP_TEST_DATA) / "calibration";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("bad-", 0) != 0 || entry.path().extension() != ".yaml") continue;
    ++files;
    INFO(name);
    TempDir out;
    const auto r = run_fourp({"calibrate", entry.path().string(), "-o", (out / "c.h5").string()});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    // At a line of the file, or of the CSV of targets it reads.
    const std::string stem = entry.path().stem().string();
    CHECK((r.err.find(stem + ".yaml:") != std::string::npos ||
           r.err.find(stem + ".csv:") != std::string::npos));
    CHECK(r.err.find("error: ") != std::string::npos);
    CHECK(r.out.empty());
    CHECK(is_empty_but(out.path(), {}));
    CHECK(run_fourp({"validate", entry.path().string()}).exit_code == 2);
  }
  CHECK(files >= 18);
}

TEST_CASE("calibrate: killed after a generation, --resume writes the uninterrupted file", "[cli]") {
  TempDir d;
  write_small(d);
  const std::string c = (d / "c.yaml").string();
  auto r = run_fourp({"calibrate", c, "-o", (d / "whole.h5").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(d / "whole.h5.journal"));  // removed once the results are written
  const CalibrationResults whole = read_calibration_results(d / "whole.h5");
  REQUIRE(whole.generations.size() >= 3);

  // SIGKILL right after generation 1 is journaled: no results file, the journal stays.
  r = run_fourp({"calibrate", c, "-o", (d / "c.h5").string(), "-q"},
                {"FOURP_CALIBRATE_KILL_AFTER=1"});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(fs::exists(d / "c.h5"));
  REQUIRE(fs::exists(d / "c.h5.journal"));
  // A torn record at its end, as a crash in mid-write leaves: ignored and cut off.
  {
    std::ofstream torn(d / "c.h5.journal", std::ios::binary | std::ios::app);
    torn << "\x40\x00\x00\x00\x00\x00\x00\x00partial";
  }
  // Without --resume the journal is not silently replaced.
  r = run_fourp({"calibrate", c, "-o", (d / "c.h5").string(), "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("journal exists (use --resume") != std::string::npos);

  r = run_fourp({"calibrate", c, "-o", (d / "c.h5").string(), "--resume"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("2 generation(s) done") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "c.h5.journal"));
  const CalibrationResults resumed = read_calibration_results(d / "c.h5");
  REQUIRE(resumed.generations.size() == whole.generations.size());
  for (size_t g = 0; g < whole.generations.size(); ++g) {
    CHECK(resumed.generations[g].theta == whole.generations[g].theta);
    CHECK(resumed.generations[g].log_likelihood == whole.generations[g].log_likelihood);
    CHECK(resumed.generations[g].evaluations == whole.generations[g].evaluations);
  }
  CHECK(resumed.targets[0].median == whole.targets[0].median);

  // A journal of another calibration is refused, not mixed in.
  r = run_fourp({"calibrate", c, "-o", (d / "other.h5").string(), "-q"},
                {"FOURP_CALIBRATE_KILL_AFTER=0"});
  REQUIRE(fs::exists(d / "other.h5.journal"));
  std::string text;
  {
    std::ifstream in(c);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  write_file(c, text + "# changed\n");
  r = run_fourp({"calibrate", c, "-o", (d / "other.h5").string(), "--resume", "-q"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("belongs to another calibration") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "other.h5"));
}

TEST_CASE("a scenario draws its parameters from a calibration's posterior", "[cli][many_runs]") {
  // calibrate → calib.h5 → `uncertainty: {from: calib.h5}` → fourp run: every replicate's
  // (approach rate) is a particle of the posterior, the detection share (the calibration's
  // observation parameter) is left out with a warning, and the results file's stored scenario
  // carries the sample inline.
  TempDir d;
  write_small(d);
  auto r = run_fourp({"calibrate", (d / "c.yaml").string(), "-o", (d / "calib.h5").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  const CalibrationResults calib = read_calibration_results(d / "calib.h5");
  const SmcGeneration& post = calib.generations.back();
  write_file(d / "s.yaml", R"(name: from-posterior
seed: 2
replicates: 6
steps: 12
population: {size: 300, communities: 2}
uncertainty:
  from: calib.h5
)");
  r = run_fourp({"validate", (d / "s.yaml").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("observation.detection is the calibration's observation parameter") !=
        std::string::npos);
  CHECK(r.out.find("posterior of calib.h5 (40 particles)") != std::string::npos);
  r = run_fourp({"run", (d / "s.yaml").string(), "-o", (d / "s.h5").string(), "-q"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Results res = read_results(d / "s.h5");
  REQUIRE(res.parameter_names == std::vector<std::string>{"trafficking.approach_rate"});
  REQUIRE(res.parameters.size() == 6);
  for (const auto& theta : res.parameters) {
    bool a_particle = false;
    for (size_t i = 0; i < post.theta.size() / 2; ++i) a_particle |= post.theta[2 * i] == theta[0];
    CHECK(a_particle);
  }
  CHECK(res.scenario_yaml.find("source: \"calib.h5\"") != std::string::npos);

  // A file that is not a calibration's results: exit 2 at the line of `from`, nothing written.
  write_file(d / "bad.yaml", "name: bad\nuncertainty:\n  from: s.h5\n");
  r = run_fourp({"run", (d / "bad.yaml").string(), "-o", (d / "bad.h5").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.yaml:3:9: error: uncertainty.from: cannot draw from 's.h5'") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(d / "bad.h5"));
}

TEST_CASE("calibrate: under `mpirun -np 2` the same posterior as one process", "[cli][mpi]") {
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0)
    return skip_or_fail("mpirun not found: the MPI test cannot run");
  TempDir d;
  write_small(d);
  auto r = run_fourp({"calibrate", (d / "c.yaml").string(), "-o", (d / "one.h5").string(), "-q"});
  REQUIRE(r.exit_code == 0);
  const CommandResult m = mpirun_fourp(
      2, {"calibrate", (d / "c.yaml").string(), "-o", (d / "mpi.h5").string(), "--threads", "1"});
  const std::string out = m.out + m.err;
  INFO(out);
  if (out.find("built without MPI") != std::string::npos)
    return skip_or_fail("fourp was built without MPI (OpenMPI missing at configure time)");
  REQUIRE(m.exit_code == 0);
  CHECK(out.find("2 MPI ranks") != std::string::npos);  // rank 0 alone prints
  CHECK(out.find("wrote ") != std::string::npos);
  const CalibrationResults one = read_calibration_results(d / "one.h5");
  const CalibrationResults two = read_calibration_results(d / "mpi.h5");
  REQUIRE(two.generations.size() == one.generations.size());
  for (size_t g = 0; g < one.generations.size(); ++g) {
    CHECK(two.generations[g].theta == one.generations[g].theta);
    CHECK(two.generations[g].log_likelihood == one.generations[g].log_likelihood);
    CHECK(two.generations[g].evaluations == one.generations[g].evaluations);
  }
  CHECK(two.targets[0].median == one.targets[0].median);
  CHECK_FALSE(fs::exists(d / "mpi.h5.journal"));
}
