// Bad sweep files, one per class of error (tests/data/bad-sweeps/, all on the valid
// scenario.yaml there): every error is reported at its file, line and column, before any run,
// with what is wrong and, where it can, what was meant.
#include <catch2/catch.hpp>

#include "sim/sweep.h"
#include "tests/support/test_support.h"

using namespace fourp;

namespace {

std::string bad(const std::string& name) {
  return std::string(FOURP_TEST_DATA) + "/bad-sweeps/" + name;
}

struct Expected {
  std::string file;  // "" for the sweep file itself
  int line, column;
  std::string message;
};

std::vector<Diagnostic> errors_of(const Diagnostics& d) {
  std::vector<Diagnostic> out;
  for (const auto& x : d.all())
    if (x.severity == Diagnostic::Severity::error) out.push_back(x);
  return out;
}

// Parses tests/data/bad-sweeps/<name> and checks that exactly these errors are reported.
void check_errors(const std::string& name, const std::vector<Expected>& expected,
                  SweepOptions options = {}) {
  Diagnostics diag;
  parse_sweep_file(bad(name), test::catalog(), options, diag);
  INFO(diag.format());
  auto errors = errors_of(diag);
  REQUIRE(errors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(errors[i].loc.file == (expected[i].file.empty() ? bad(name) : bad(expected[i].file)));
    CHECK(errors[i].loc.line == expected[i].line);
    CHECK(errors[i].loc.column == expected[i].column);
    CHECK(errors[i].message == expected[i].message);
  }
}

}  // namespace

TEST_CASE("sweep: an unknown key is reported with a did-you-mean", "[unit]") {
  // ... and the key it resembles is not also reported missing.
  check_errors("unknown-key.yaml",
               {{"", 3, 1, "unknown key 'paramters' (did you mean 'parameters'?)"}});
}

TEST_CASE("sweep: an unknown parameter path is reported with a did-you-mean", "[unit]") {
  check_errors(
      "unknown-path.yaml",
      {{"", 4, 3, "unknown parameter path 'model.denail' (did you mean 'model.denial'?)"}});
}

TEST_CASE("sweep: min greater than max", "[unit]") {
  check_errors("min-greater-than-max.yaml",
               {{"", 4, 33, "model.denial: min = 0.9 is greater than max = 0.2"}});
}

TEST_CASE("sweep: a value outside the parameter's allowed range names the range", "[unit]") {
  check_errors("value-out-of-range.yaml",
               {{"", 4, 32, "model.denial = 1.5 is out of range (a number in [0, 1])"}});
  check_errors(
      "range-out-of-range.yaml",
      {{"", 4, 23, "model.denial.min = -0.5 is out of range (a number in [0, 1])"},
       {"", 5, 54, "interventions.prog.recruit_per_step.max: expected a whole number, got '2.5'"}});
}

TEST_CASE("sweep: a grid over the limit needs --force", "[unit]") {
  check_errors("grid-too-large.yaml",
               {{"", 2, 9,
                 "the grid has 12 samples (4 x 3), more than the limit of 10 "
                 "(design.max_samples); pass --force to run it anyway, or raise "
                 "design.max_samples"}});
  check_errors("grid-too-large.yaml", {}, SweepOptions{true});
}

TEST_CASE("sweep: an unknown design kind lists the kinds", "[unit]") {
  check_errors("unknown-design.yaml",
               {{"", 2, 16,
                 "design.kind: unknown design 'latin_hypercub' (did you mean 'latin_hypercube'? "
                 "known designs: grid, list, latin_hypercube, sobol, morris)"}});
}

TEST_CASE("sweep: an unknown metric lists the known ones", "[unit]") {
  check_errors("unknown-metric.yaml",
               {{"", 5, 28,
                 "metrics: unknown metric 'engaged_fnal' (did you mean 'engaged_final'? known "
                 "metrics: exploited, prevented, approaches, protection_rate, engaged_final, "
                 "engaged_peak, cost_total, exploited_total, prevented_total, approaches_total, "
                 "cases_averted, cost_per_case_averted)"}});
}

TEST_CASE("sweep: an unknown arm lists the scenario's arms", "[unit]") {
  check_errors("unknown-arm.yaml",
               {{"", 2, 15,
                 "arms: unknown arm 'partnership' (the scenario's arms: baseline, media, prog)"}});
}

TEST_CASE("sweep: a design key the kind does not use", "[unit]") {
  check_errors("design-key-of-other-kind.yaml",
               {{"", 2, 22,
                 "design.samples is not used by grid designs (grid and list designs take their "
                 "samples from the parameters' values)"}});
}

TEST_CASE("sweep: a required design key is missing", "[unit]") {
  check_errors("missing-samples.yaml",
               {{"", 2, 9, "design: latin_hypercube designs need 'samples' (how many points)"}});
}

TEST_CASE("sweep: values where the design samples ranges", "[unit]") {
  check_errors("values-in-range-design.yaml",
               {{"", 4, 18,
                 "model.denial: latin_hypercube designs sample a range: give min and max (values "
                 "are for grid and list designs)"}});
}

TEST_CASE("sweep: list rows of unequal length", "[unit]") {
  check_errors("list-unequal.yaml",
               {{"", 5, 3,
                 "list designs take one value per parameter per row: model.denial has 3 values, "
                 "model.social_weight has 2"}});
}

TEST_CASE("sweep: seed and replicates cannot be swept", "[unit]") {
  check_errors("not-sweepable.yaml",
               {{"", 4, 3,
                 "'seed' cannot be a sweep parameter: every run is seeded from design.seed, its "
                 "sample and its replicate"}});
}

TEST_CASE("sweep: wrong types", "[unit]") {
  check_errors("wrong-type.yaml",
               {{"", 2, 13, "replicates: expected a whole number, got 'two'"},
                {"", 3, 42, "design.samples: expected a whole number, got the text \"4\""}});
}

TEST_CASE("sweep: CSV rows are checked cell by cell", "[unit]") {
  check_errors(
      "csv-errors.yaml",
      {{"csv-errors.csv", 1, 15,
        "unknown parameter path 'model.socal_weight' (did you mean 'model.social_weight'?)"},
       {"csv-errors.csv", 3, 1, "model.denial: expected a number, got 'abc'"},
       {"csv-errors.csv", 4, 0, "1 values, expected 2 (one per column of the header)"}});
}

TEST_CASE("sweep: a sample the scenario's own checks refuse", "[unit]") {
  check_errors("world-sample.yaml",
               {{"", 4, 3,
                 "sample 1 (network.within_degree = 5): network.within_degree = 5 must be even "
                 "(a ring lattice has within_degree / 2 ties on each side)"}});
}

TEST_CASE("sweep: the scenario cannot be read or has errors of its own", "[unit]") {
  check_errors("missing-scenario.yaml",
               {{"", 1, 11,
                 "scenario 'no-such-scenario.yaml' has errors; the sweep cannot be checked "
                 "further"},
                {"no-such-scenario.yaml", 0, 0, "cannot read file"}});
  Diagnostics diag;
  parse_sweep_file(bad("scenario-with-errors.yaml"), test::catalog(), {}, diag);
  // The scenario's error, at its own place, as `fourp run` would report it.
  CHECK_THAT(diag.format(), Catch::Contains("bad/unknown-key.yaml:6:5: error: unknown key "
                                            "'reech' in interventions.media"));
}

TEST_CASE("sweep: YAML syntax errors and duplicate keys", "[unit]") {
  check_errors("yaml-syntax.yaml", {{"", 3, 11, "end of map flow not found"}});
  check_errors("duplicate-key.yaml",
               {{"", 5, 3, "duplicate key 'model.denial' in parameters (first given at 4:3)"}});
}

TEST_CASE("sweep: a bad fixed setting", "[unit]") {
  check_errors("set-unknown-path.yaml",
               {{"", 2, 17, "unknown path 'model.denail' (did you mean 'model.denial'?)"}});
}

TEST_CASE("sweep: several errors are reported at once in file order", "[unit]") {
  check_errors(
      "many-errors.yaml",
      {{"", 2, 8, "arms: unknown arm 'medai' (did you mean 'media'?)"},
       {"", 3, 45,
        "design.bootstrap is not used by latin_hypercube designs (only Sobol' indices "
        "and Morris effects have bootstrap intervals)"},
       {"", 5, 33, "model.denial: min = 0.9 is greater than max = 0.2"},
       {"", 6, 3, "unknown parameter path 'model.denail' (did you mean 'model.denial'?)"}});
}

TEST_CASE("sweep: Morris levels must be even", "[unit]") {
  check_errors("morris-odd-levels.yaml",
               {{"", 2, 50,
                 "design.levels: 3 is odd; Morris's levels must be even (a step of levels/2 "
                 "grid points then reaches every level equally often), e.g. 4, 6 or 8"}});
}

TEST_CASE("sweep: Morris needs 2 trajectories and 2 levels at least", "[unit]") {
  check_errors(
      "morris-too-few.yaml",
      {{"", 2, 38, "design.trajectories = 1 is out of range (a whole number in [2, 10000000])"},
       {"", 2, 49, "design.levels = 0 is out of range (a whole number in [2, 1000000])"}});
  check_errors("morris-missing-keys.yaml",
               {{"", 2, 9,
                 "design: morris designs need 'trajectories' (how many one-at-a-time paths, at "
                 "least 2; 10 to 50 is usual)"},
                {"", 2, 9,
                 "design: morris designs need 'levels' (grid levels per parameter, even; 4 is "
                 "usual)"}});
}

TEST_CASE("sweep: a whole-number parameter with fewer values than Morris levels", "[unit]") {
  check_errors("morris-whole-number-levels.yaml",
               {{"", 6, 3,
                 "interventions.prog.recruit_per_step takes whole numbers, and 1 to 3 holds 3 of "
                 "them, fewer than the design's 4 levels (lower design.levels or widen the "
                 "range)"}});
}

TEST_CASE("sweep: a sensitivity design over a parameter that does not vary", "[unit]") {
  // ... and a Morris key in a Sobol' design.
  check_errors("sensitivity-nothing-varies.yaml",
               {{"", 2, 35,
                 "design.trajectories is not used by sobol designs (they shape Morris "
                 "trajectories)"},
                {"", 4, 33,
                 "model.denial: min = max = 0.5: nothing varies, so it has no Sobol' index (fix "
                 "it with the sweep's set instead)"}});
}

TEST_CASE("sweep: independent_seeds takes true or false", "[unit]") {
  check_errors("independent-seeds-not-boolean.yaml",
               {{"", 2, 64, "design.independent_seeds: expected true or false, got 'yes please'"}});
}
