// Reading optimisation files (sim/optimisation_file.h): a complete file's choices, constraints,
// curve and evaluation, and every kind of bad input at its file:line:col.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/optimisation_file.h"
#include "tests/support/test_support.h"

using namespace fourp;
namespace fs = std::filesystem;

namespace {

fs::path data(const std::string& name) {
  return fs::path(FOURP_TEST_DATA) / "optimisation" / name;
}

struct Expected {
  int line, column;
  std::string message;
};

void check_errors(const std::string& name, const std::vector<Expected>& expected) {
  Diagnostics diag;
  parse_optimisation_file(data(name), test::catalog(), diag);
  INFO(name << "\n" << diag.format());
  std::vector<Diagnostic> errors;
  for (const Diagnostic& d : diag.all())
    if (d.severity == Diagnostic::Severity::error) errors.push_back(d);
  REQUIRE(errors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(errors[i].loc.file == data(name).string());
    CHECK(errors[i].loc.line == expected[i].line);
    CHECK(errors[i].loc.column == expected[i].column);
    CHECK(errors[i].message == expected[i].message);
  }
}

}  // namespace

TEST_CASE("optimisation file: choices, constraints, curve and evaluation", "[unit]") {
  Diagnostics diag;
  const OptimisationPlan p = parse_optimisation_file(data("good.yaml"), test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(p.current == "both");
  CHECK(p.budget == 60000);
  CHECK(p.objective.sign == 1);
  CHECK(p.objective.describe() == "minimise exploited");
  REQUIRE(p.choices.size() == 3);
  const OptimisationChoice& s = p.choices[0];
  CHECK(s.kind == OptimisationChoice::Kind::communities);
  CHECK(s.intervention == "partnership");
  CHECK(s.pool == std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(s.min_count == 1);
  CHECK(s.max_count == 8);
  CHECK(p.choices[1].kind == OptimisationChoice::Kind::number);
  CHECK(p.choices[1].path == "interventions.partnership.recruit_per_step");
  CHECK(p.choices[1].integer);
  CHECK(p.choices[1].min == 1);
  CHECK(p.choices[1].max == 6);
  CHECK(p.choices[2].intervention == "media");
  CHECK_FALSE(p.choices[2].integer);
  CHECK(p.choices[2].max == 0.6);
  REQUIRE(p.constraints.size() == 1);
  CHECK(p.constraints[0].at_least_one_of == std::vector<uint32_t>{0, 1, 2});
  CHECK(p.curve == std::vector<double>{20000, 40000, 60000});  // ascending
  CHECK(p.replicates == 4);
  CHECK(p.confirm_replicates == 6);
  CHECK(p.scenario.seed == 3);  // the file's seed replaces the scenario's
  CHECK(p.scenario.outputs.snapshots.empty());
}

TEST_CASE("optimisation file: bad budgets, paths, ranges and communities", "[unit]") {
  check_errors("bad-negative-budget.yaml", {{3, 9, "budget = -5 is out of range (a number >= 0)"}});
  check_errors(
      "bad-unknown-path.yaml",
      {{6, 3,
        "choices: 'interventions.media.reech' is not a path of the current arm's "
        "interventions (partnership, media) (did you mean 'interventions.media.reach'?)"}});
  check_errors("bad-not-in-arm.yaml",
               {{6, 3,
                 "choices: 'interventions.media.reach' is not a path of the current arm's "
                 "interventions (partnership)"}});
  check_errors(
      "bad-outside-range.yaml",
      {{6, 46, "interventions.media.reach.max = 1.5 is out of range (a number in [0, 1])"}});
  check_errors("bad-unknown-community-choice.yaml",
               {{6, 68,
                 "choices.interventions.partnership.target.communities.subset_of[2]: unknown "
                 "community 9 (the scenario has 8, numbered 0 to 7)"}});
  check_errors("bad-unknown-community-constraint.yaml",
               {{8, 41,
                 "constraints[0].at_least_one_of.communities[1]: unknown community 8 (the "
                 "scenario has 8, numbered 0 to 7)"}});
  check_errors("bad-min-above-max.yaml",
               {{6, 71,
                 "choices.interventions.partnership.recruit_per_step.integer: max (2) must "
                 "be above min (4)"}});
}

TEST_CASE("optimisation file: unknown outcomes, keys, arms and modes", "[unit]") {
  check_errors("bad-unknown-outcome.yaml",
               {{4, 23,
                 "objective.minimise: unknown outcome 'exploitd' (did you mean 'exploited'? the "
                 "model's outcomes: exploited, prevented, approaches, protection_rate, "
                 "engaged_final, engaged_peak, cost_total)"}});
  check_errors("bad-unknown-key.yaml",
               {{7, 14, "unknown key 'replicats' in evaluation (did you mean 'replicates'?)"}});
  check_errors("bad-unknown-arm.yaml",
               {{2, 10,
                 "current: unknown arm 'bothh' of the scenario (did you mean 'both'? its arms: "
                 "baseline, partnership, both)"}});
}

TEST_CASE("optimisation file: least_cost and its target", "[unit]") {
  Diagnostics diag;
  const OptimisationPlan p =
      parse_optimisation_file(data("least-cost.yaml"), test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(p.mode == OptimisationMode::least_cost);
  REQUIRE(p.target);
  CHECK(p.target->outcome == "exploited");
  CHECK(p.target->reduction == 0.2);
  CHECK(p.target->baseline == "baseline");  // the scenario's baseline arm
  CHECK(p.target->loc.line == 12);
  CHECK(p.target->describe() == "exploited_reduction 0.2");
  // The default mode has no target.
  const OptimisationPlan g = parse_optimisation_file(data("good.yaml"), test::catalog(), diag);
  CHECK(g.mode == OptimisationMode::best_outcome);
  CHECK_FALSE(g.target);
}

TEST_CASE("optimisation file: a target on an unknown outcome, out of range, or without its mode",
          "[unit]") {
  check_errors("bad-least-cost.yaml",
               {{7, 7,
                 "mode: least_cost needs a target, the reduction to reach against the baseline "
                 "arm, e.g. target: {exploited_reduction: 0.2}"}});
  // Read against the model's declared outcomes: the names below are its, not the code's.
  check_errors("bad-target-unknown-outcome.yaml",
               {{8, 10,
                 "unknown key 'exploitd_reduction' in target (did you mean "
                 "'exploited_reduction'?)"}});
  check_errors("bad-target-range.yaml",
               {{8, 31,
                 "target.exploited_reduction = 1 is out of range (a share between 0 and 1, both "
                 "excluded: 0.2 is 20% less than the baseline arm)"}});
  check_errors("bad-target-without-mode.yaml",
               {{7, 1,
                 "target: only with mode: least_cost (the cheapest allocation that reaches it): "
                 "add mode: least_cost, or leave the target out"}});
  check_errors("bad-target-not-the-objective.yaml",
               {{8, 10,
                 "target: 'approaches_reduction' reduces approaches, but the objective is to "
                 "minimise exploited: the target reduces the objective's outcome "
                 "(exploited_reduction)"}});
  // A maximised objective has no reduction to reach.
  Diagnostics diag;
  parse_optimisation_text(
      "scenario: tiny-scenario.yaml\ncurrent: both\nbudget: 1\nobjective: {maximise: "
      "prevented}\nchoices:\n  interventions.media.reach: {min: 0, max: 0.5}\nmode: "
      "least_cost\ntarget: {prevented_reduction: 0.2}\n",
      data("x.yaml"), test::catalog(), diag);
  INFO(diag.format());
  CHECK(diag.format().find("x.yaml:7:7: error: mode: least_cost reduces one outcome: give "
                           "objective: {minimise: <outcome>} (not maximise prevented)") !=
        std::string::npos);
}

TEST_CASE("optimisation file: empty, not a map, a missing scenario: errors, not a crash",
          "[unit]") {
  for (const std::string text :
       {std::string(""), std::string("[1, 2]"), std::string("\xff\xfe"),
        std::string("scenario: no-such-file.yaml\ncurrent: a\nbudget: 1\nobjective: "
                    "{minimise: exploited}\nchoices: {}\n"),
        std::string("scenario: tiny-scenario.yaml\ncurrent: baseline\nbudget: 1\n")}) {
    Diagnostics diag;
    parse_optimisation_text(text, data("x.yaml"), test::catalog(), diag);
    INFO(text << "\n" << diag.format());
    CHECK(diag.has_errors());
  }
}
