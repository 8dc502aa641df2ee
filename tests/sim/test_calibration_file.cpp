// Reading calibration files (sim/calibration_file.h): a complete file's parameters, priors and
// targets, and every kind of bad input at its file:line:col.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/calibration_file.h"
#include "tests/support/test_support.h"

using namespace fourp;
namespace fs = std::filesystem;

namespace {

fs::path data(const std::string& name) {
  return fs::path(FOURP_TEST_DATA) / "calibration" / name;
}

struct Expected {
  int line, column;
  std::string message;
};

// The errors of calibration file `name`, each in `in` (the file itself unless given: a CSV of
// targets it reads).
void check_errors(const std::string& name, const std::vector<Expected>& expected,
                  const std::string& in = "") {
  Diagnostics diag;
  parse_calibration_file(data(name), test::catalog(), diag);
  INFO(diag.format());
  std::vector<Diagnostic> errors;
  for (const Diagnostic& d : diag.all())
    if (d.severity == Diagnostic::Severity::error) errors.push_back(d);
  REQUIRE(errors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(errors[i].loc.file == data(in.empty() ? name : in).string());
    CHECK(errors[i].loc.line == expected[i].line);
    CHECK(errors[i].loc.column == expected[i].column);
    CHECK(errors[i].message == expected[i].message);
  }
}

}  // namespace

TEST_CASE("calibration file: parameters with their priors, targets and method", "[unit]") {
  Diagnostics diag;
  const CalibrationPlan p = parse_calibration_file(data("good.yaml"), test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(p.arm == "baseline");  // the scenario's baseline by default
  REQUIRE(p.parameters.size() == 3);
  CHECK(p.parameters[0].path == "model.denial");
  CHECK(p.parameters[0].dist.kind == ParameterDistribution::Kind::beta);
  CHECK(p.parameters[1].path == "trafficking.approach_rate");
  CHECK(p.parameters[1].dist.kind == ParameterDistribution::Kind::uniform);
  CHECK(p.parameters[2].path == "observation.detection");
  CHECK(p.parameters[2].dist.kind == ParameterDistribution::Kind::beta);
  // The calibrated parameters leave the scenario's uncertainty; the other stays drawn.
  REQUIRE(p.scenario.uncertainty.size() == 1);
  CHECK(p.scenario.uncertainty[0].path == "model.social_weight");
  CHECK(p.scenario.outputs.by_community);  // groups of communities need the community series

  REQUIRE(p.targets.size() == 4);
  const CalibrationTarget& a = p.targets[0];
  CHECK(a.kind == CalibrationTarget::Kind::survey);
  CHECK(a.metric == "awareness");
  CHECK(a.communities.empty());
  CHECK(a.step == 0);
  CHECK(a.respondents == 400);
  CHECK(a.yes == 96);
  CHECK(p.targets[1].communities == std::vector<uint32_t>{0, 2});
  CHECK(p.targets[1].step == 26);
  const CalibrationTarget& r = p.targets[2];
  CHECK(r.kind == CalibrationTarget::Kind::count);
  CHECK(r.metric == "exploited");  // recorded_cases: the headline flow, thinned by detection
  CHECK(r.detection == "detection");
  CHECK(r.first == 0);
  CHECK(r.last == 52);
  CHECK(r.count == 41);
  CHECK(r.dispersion == 10);
  const CalibrationTarget& e = p.targets[3];
  CHECK(e.metric == "exploited");
  CHECK(e.detection.empty());
  CHECK_FALSE(e.dispersion.has_value());  // Poisson
  CHECK(e.communities == std::vector<uint32_t>{1});
  CHECK(p.method.particles == 200);
  CHECK(p.method.seed == 7);
  CHECK(p.method.replicates == 2);
}

TEST_CASE("calibration file: bad targets are reported where they are", "[unit]") {
  check_errors("bad-unknown-metric.yaml",
               {{4, 14,
                 "targets[0].metric: unknown metric 'awarenes' (did you mean 'awareness'? survey "
                 "shares and counts: awareness, otherness, trust, efficacy, engaged, exposures, "
                 "approaches, prevented, exploited, reports, recorded_cases)"}});
  check_errors("bad-unknown-community.yaml",
               {{4, 50,
                 "targets[0].group.communities[1] = 3 is out of range (a whole number in [0, "
                 "2])"}});
  check_errors("bad-unknown-group.yaml",
               {{4, 32, "targets[0].group: expected all or {communities: [ids]}, got 'everyone'"}});
  check_errors("bad-step-past-horizon.yaml",
               {{4, 43, "targets[0].step = 53 is out of range (a whole number in [0, 52])"}});
  check_errors("bad-yes-above-respondents.yaml",
               {{4, 68, "targets[0].yes: yes (96) exceeds respondents (40)"}});
  check_errors("bad-negative-count.yaml",
               {{4, 60, "targets[0].count = -1 is out of range (a number >= 0)"}});
  check_errors("bad-window-backwards.yaml",
               {{4, 49,
                 "targets[0].steps: the window (first, last] must end after it starts: 10 is not "
                 "after 30"}});
  check_errors("bad-unknown-key.yaml",
               {{4, 73,
                 "unknown key 'no' in targets[0] (expected one of: metric, group, step, "
                 "respondents, yes, arm)"}});
  check_errors(
      "bad-target-unknown-arm.yaml",
      {{4, 78, "targets[0].arm: unknown arm 'hybird' of the scenario (its arms: baseline)"}});
  check_errors("bad-missing-targets.yaml",
               {{0, 0,
                 "missing key 'targets': the data, e.g. targets: [{metric: awareness, group: "
                 "all, step: 0, respondents: 400, yes: 96}]"}});
}

TEST_CASE("calibration file: parameters without a prior, priors outside the range", "[unit]") {
  check_errors("bad-no-prior.yaml",
               {{2, 28,
                 "parameters: 'model.gain_a' has no prior: give it a distribution in the "
                 "scenario's uncertainty: section"}});
  check_errors("bad-observation-no-prior.yaml",
               {{2, 14,
                 "parameters: 'observation.detection' has no prior: give it one in this file's "
                 "observation: section, e.g. observation: {detection: {beta: {mean: 0.25, sd: "
                 "0.08}}}"},
                {4, 14,
                 "targets[0]: the count is thinned by observation.detection, which has no prior: "
                 "give it one in observation:"}});
  check_errors("bad-prior-outside-range.yaml",
               {{4, 15,
                 "observation.detection: a normal distribution takes values in (−∞, ∞), but the "
                 "parameter is a number in [0, 1]; give the normal min and max to truncate it"}});
  check_errors("bad-unknown-arm.yaml",
               {{2, 6,
                 "arm: unknown arm 'basline' of the scenario (did you mean 'baseline'? its arms: "
                 "baseline)"}});
  check_errors("bad-abc-method.yaml",
               {{5, 16,
                 "method.kind: 'mcmc' is not supported: fourp calibrates with smc (a sequential "
                 "Monte Carlo sampler on the likelihood of the targets; abc_smc is read as "
                 "smc)"}});
}

TEST_CASE("calibration file: targets from a CSV file are the targets listed inline", "[unit]") {
  Diagnostics diag;
  const CalibrationPlan inline_plan =
      parse_calibration_file(data("good.yaml"), test::catalog(), diag);
  const CalibrationPlan csv_plan =
      parse_calibration_file(data("good-csv.yaml"), test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(csv_plan.targets.size() == inline_plan.targets.size());
  for (size_t i = 0; i < csv_plan.targets.size(); ++i) {
    const CalibrationTarget &a = csv_plan.targets[i], &b = inline_plan.targets[i];
    INFO("target " << i);
    CHECK(a.kind == b.kind);
    CHECK(a.metric == b.metric);
    CHECK(a.communities == b.communities);
    CHECK(a.step == b.step);
    CHECK(a.respondents == b.respondents);
    CHECK(a.yes == b.yes);
    CHECK(a.first == b.first);
    CHECK(a.last == b.last);
    CHECK(a.count == b.count);
    CHECK(a.dispersion == b.dispersion);
    CHECK(a.detection == b.detection);
  }
}

TEST_CASE("calibration file: a bad CSV of targets is reported at its line and column", "[unit]") {
  check_errors(
      "bad-csv-targets.yaml",
      {{3, 21, "targets[1].yes: yes (120) exceeds respondents (100)"},
       {4, 13, "targets[2].group.communities[1] = 7 is out of range (a whole number in [0, 2])"},
       {5, 1,
        "targets[3].metric: unknown metric 'awarenes' (did you mean 'awareness'? survey "
        "shares and counts: awareness, otherness, trust, efficacy, engaged, exposures, "
        "approaches, prevented, exploited, reports, recorded_cases)"}},
      "bad-csv-targets.csv");
  check_errors("bad-csv-header.yaml",
               {{1, 8,
                 "unknown column 'groop' (did you mean 'group'? columns: metric, group, step, "
                 "respondents, yes, first, last, count, dispersion, detection, arm)"}},
               "bad-csv-header.csv");
  check_errors("bad-csv-row.yaml", {{2, 24, "this row has 6 fields, the header 5"}},
               "bad-csv-row.csv");
  Diagnostics diag;
  parse_calibration_file(data("bad-csv-missing.yaml"), test::catalog(), diag);
  REQUIRE(diag.has_errors());
  CHECK(diag.all()[0].loc.line == 5);
  CHECK(diag.all()[0].message.find("targets.file: 'no-such.csv': ") == 0);
}

TEST_CASE("calibration file: the issue's method line reads, abc_smc as smc with a warning",
          "[unit]") {
  Diagnostics diag;
  const CalibrationPlan plan = parse_calibration_text(R"(scenario: tiny-scenario.yaml
parameters: [model.denial]
targets:
  - {metric: awareness, group: all, step: 0, respondents: 400, yes: 96}
method: {kind: abc_smc, particles: 1000, generations: 12, seed: 7}
)",
                                                      data("issue.yaml"), test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(diag.all().size() == 1);
  CHECK(diag.all()[0].loc.line == 5);
  CHECK(diag.all()[0].message.rfind("method.kind: abc_smc is read as smc", 0) == 0);
  CHECK(plan.method.particles == 1000);
  CHECK(plan.method.max_generations == 12);
  CHECK(plan.method.seed == 7);
}
