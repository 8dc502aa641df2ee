// Bad scenario files, one per class of error (tests/data/bad/): each error is reported at its
// line and column with a message that says what is wrong and, where it can, what was meant.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "sim/scenario_parse.h"
#include "tests/support/test_support.h"

using namespace fourp;

namespace {

std::string bad(const std::string& name) {
  return std::string(FOURP_TEST_DATA) + "/bad/" + name;
}

struct Expected {
  int line, column;
  std::string message;
};

std::vector<Diagnostic> errors_of(const Diagnostics& d) {
  std::vector<Diagnostic> out;
  for (const auto& x : d.all())
    if (x.severity == Diagnostic::Severity::error) out.push_back(x);
  return out;
}

// Parses tests/data/bad/<name> and checks that exactly these errors are reported, in this order.
void check_errors(const std::string& name, const std::vector<Expected>& expected) {
  Diagnostics diag;
  parse_scenario_file(bad(name), test::catalog(), {}, diag);
  INFO(diag.format());
  auto errors = errors_of(diag);
  REQUIRE(errors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(errors[i].loc.file == bad(name));
    CHECK(errors[i].loc.line == expected[i].line);
    CHECK(errors[i].loc.column == expected[i].column);
    CHECK(errors[i].message == expected[i].message);
  }
}

}  // namespace

// --- Keys ------------------------------------------------------------------------------------

TEST_CASE("an unknown key is reported with a did-you-mean", "[unit]") {
  check_errors("unknown-key.yaml",
               {{6, 5, "unknown key 'reech' in interventions.media (did you mean 'reach'?)"}});
  Diagnostics diag;
  parse_scenario_file(bad("unknown-key.yaml"), test::catalog(), {}, diag);
  CHECK(diag.format() == bad("unknown-key.yaml") +
                             ":6:5: error: unknown key 'reech' in interventions.media (did you "
                             "mean 'reach'?)\n");
}

TEST_CASE("an unknown top-level key is reported with a did-you-mean", "[unit]") {
  check_errors("unknown-top-level-key.yaml", {{2, 1, "unknown key 'sead' (did you mean 'seed'?)"}});
}

TEST_CASE("a key given twice in one map is an error", "[unit]") {
  check_errors("duplicate-key.yaml",
               {{6, 3, "duplicate key 'denial' in model (first given at 4:3)"}});
}

TEST_CASE("a model parameter in the wrong section says where it belongs", "[unit]") {
  check_errors("wrong-section.yaml",
               {{3, 3, "'approach_rate' is a parameter of section 'trafficking', not 'model'"}});
}

// --- Types and ranges ------------------------------------------------------------------------

TEST_CASE("a value of the wrong type names the key path", "[unit]") {
  check_errors("wrong-type.yaml", {{2, 8, "steps: expected a whole number, got 'many'"}});
}

TEST_CASE("a flag that is not true or false is an error", "[unit]") {
  check_errors("wrong-type-bool.yaml",
               {{3, 17, "outputs.by_community: expected true or false, got 'yes'"}});
}

TEST_CASE("a quoted number is text, not a number", "[unit]") {
  check_errors("quoted-number.yaml",
               {{3, 18, "trafficking.approach_rate: expected a number, got the text \"0.01\""}});
}

TEST_CASE("a fraction where a whole number belongs is an error", "[unit]") {
  check_errors("not-whole.yaml", {{2, 13, "replicates: expected a whole number, got '2.5'"}});
}

TEST_CASE("an out-of-range value names the allowed range", "[unit]") {
  check_errors("out-of-range.yaml",
               {{3, 11, "model.denial = 1.5 is out of range (a number in [0, 1])"}});
}

TEST_CASE("a seed beyond 32 bits is out of range", "[unit]") {
  check_errors("seed-too-large.yaml",
               {{2, 7, "seed = 4294967296 is out of range (a whole number in [0, 4294967295])"}});
}

// --- Model and interventions -----------------------------------------------------------------

TEST_CASE("an unknown model kind lists the known ones", "[unit]") {
  // The known kinds are the catalog's, in its order (not a list written here: a new kind
  // changes the message, not this test).
  std::string known;
  for (const std::string& name : test::catalog().names())
    known += (known.empty() ? "" : ", ") + name;
  CHECK(known.find("prevention") == 0);
  check_errors("unknown-model-kind.yaml",
               {{3, 9,
                 "unknown model kind 'prevension' (did you mean 'prevention'? known kinds: " +
                     known + ")"}});
}

TEST_CASE("an unknown intervention kind is reported with a did-you-mean", "[unit]") {
  check_errors("unknown-intervention-kind.yaml",
               {{4, 11,
                 "unknown intervention kind 'outsider_campain' (did you mean 'outsider_campaign'? "
                 "known kinds: outsider_campaign, partnership)"}});
}

TEST_CASE("an intervention without a kind is an error", "[unit]") {
  check_errors(
      "missing-intervention-kind.yaml",
      {{3, 3, "interventions.media: missing 'kind' (one of outsider_campaign, partnership)"}});
}

TEST_CASE("an intervention name may not contain a dot", "[unit]") {
  check_errors("intervention-name-with-dot.yaml",
               {{3, 3,
                 "intervention name 'media.radio' may not contain '.' (it separates the parts of "
                 "paths such as interventions.<name>.start)"}});
}

TEST_CASE("a community id beyond the communities says the range", "[unit]") {
  check_errors("community-out-of-range.yaml",
               {{8, 34,
                 "interventions.partnership.target.communities: community 4 does not exist "
                 "(community ids are in [0, 3])"}});
}

TEST_CASE("a group's community id beyond the communities says the range", "[unit]") {
  check_errors("group-community-out-of-range.yaml",
               {{5, 21,
                 "population.groups[0].communities: community 3 does not exist (community ids are "
                 "in [0, 2])"}});
}

TEST_CASE("a target that is neither all nor a list is an error", "[unit]") {
  check_errors("target-not-a-list.yaml",
               {{5, 27,
                 "interventions.media.target.communities: expected 'all' or a list of community "
                 "ids, got 'some'"}});
}

TEST_CASE("an unknown role in a target is reported with a did-you-mean", "[unit]") {
  check_errors("unknown-role.yaml",
               {{5, 22,
                 "interventions.media.target.roles: unknown role 'at_rsik' (did you mean "
                 "'at_risk'? roles: at_risk, leader, survivor)"}});
}

// --- Arms ------------------------------------------------------------------------------------

TEST_CASE("an arm naming an unknown intervention suggests the nearest", "[unit]") {
  check_errors("arm-unknown-intervention.yaml",
               {{7, 14, "unknown intervention 'medai' in arms.outsider (did you mean 'media'?)"}});
}

TEST_CASE("an arm listing an intervention twice is an error", "[unit]") {
  check_errors("arm-intervention-twice.yaml",
               {{6, 21, "intervention 'media' is listed twice in arms.outsider"}});
}

TEST_CASE("an empty arms section is an error", "[unit]") {
  check_errors("arms-empty.yaml", {{2, 7, "arms: expected at least one arm"}});
}

TEST_CASE("an arm setting a path that does not exist suggests the nearest", "[unit]") {
  check_errors("set-unknown-path.yaml",
               {{8, 11,
                 "unknown path 'interventions.partnership.power_shairng' in arms.tokenistic.set "
                 "(did you mean 'interventions.partnership.power_sharing'?)"}});
}

TEST_CASE("an arm may not set the population or the network", "[unit]") {
  check_errors("set-world-path.yaml",
               {{9, 7,
                 "'population.size': an arm may set only model.*, trafficking.* and "
                 "interventions.* (arms share the world so that they share random numbers)"}});
}

TEST_CASE("an arm setting a value out of range names the range", "[unit]") {
  check_errors("set-out-of-range.yaml",
               {{9, 48,
                 "interventions.partnership.power_sharing = 2 is out of range (a number in "
                 "[0, 1])"}});
}

TEST_CASE("an unknown baseline_arm suggests the nearest arm", "[unit]") {
  check_errors("baseline-arm-unknown.yaml",
               {{8, 15, "baseline_arm: unknown arm 'baseline2' (did you mean 'baseline'?)"}});
}

// --- Population ------------------------------------------------------------------------------

TEST_CASE("a beta distribution with a non-positive parameter is an error", "[unit]") {
  check_errors("bad-distribution.yaml",
               {{4, 23,
                 "population.initial.awareness.beta: both parameters of a beta distribution must "
                 "be > 0, got [0, 8]"}});
}

TEST_CASE("a distribution given two ways is an error", "[unit]") {
  check_errors("distribution-two-kinds.yaml",
               {{4, 27,
                 "population.initial.trust: give one distribution, not both 'beta' and "
                 "'uniform'"}});
}

TEST_CASE("a normal distribution with no mass in [0, 1] is an error", "[unit]") {
  check_errors("distribution-no-mass.yaml",
               {{4, 25,
                 "population.initial.threshold.normal: normal [5, 0.1] has almost no probability "
                 "in [0, 1] (values are truncated to [0, 1])"}});
}

TEST_CASE("a uniform distribution outside [0, 1] is an error", "[unit]") {
  check_errors("distribution-uniform-outside.yaml",
               {{4, 26,
                 "population.initial.otherness.uniform: [1.5, 2] does not overlap [0, 1] (values "
                 "are truncated to [0, 1])"}});
}

TEST_CASE("community sizes that do not add up to the size are an error", "[unit]") {
  check_errors(
      "community-sizes-mismatch.yaml",
      {{4, 20, "population.community_sizes add up to 900 agents but population.size is 1000"}});
}

TEST_CASE("more communities than agents is an error", "[unit]") {
  check_errors("more-communities-than-agents.yaml",
               {{4, 16,
                 "population.communities = 8 is more than population.size = 5 (every community "
                 "needs at least one agent)"}});
}

TEST_CASE("a group without communities is an error", "[unit]") {
  check_errors("group-without-communities.yaml",
               {{4, 7, "population.groups[0]: a group needs 'communities'"}});
}

// --- Network ---------------------------------------------------------------------------------

TEST_CASE("a missing network file is reported at its key", "[unit]") {
  check_errors("missing-network-file.yaml",
               {{4, 3,
                 "network.path: cannot find the file 'no-such-edges.txt' (looked for " +
                     bad("no-such-edges.txt") + ")"}});
}

TEST_CASE("a key of another network kind is an error", "[unit]") {
  check_errors("network-key-of-other-kind.yaml",
               {{5, 3, "'rewire' is not a key of network kind 'erdos_renyi'"}});
}

TEST_CASE("an unknown network kind lists the known ones", "[unit]") {
  check_errors("unknown-network-kind.yaml",
               {{3, 9,
                 "unknown network kind 'small_world' (known kinds: villages, erdos_renyi, "
                 "watts_strogatz, barabasi_albert, complete, tree, file)"}});
}

TEST_CASE("an odd ring-lattice degree is an error", "[unit]") {
  check_errors("odd-within-degree.yaml",
               {{3, 18,
                 "network.within_degree = 7 must be even (a ring lattice has within_degree / 2 "
                 "ties on each side)"}});
}

// --- Outputs ---------------------------------------------------------------------------------

TEST_CASE("a snapshot beyond the last step is an error", "[unit]") {
  check_errors("snapshot-beyond-steps.yaml",
               {{4, 22,
                 "outputs.snapshots[2] = 104 is out of range (a whole number in [0, 52]; steps is "
                 "52)"}});
}

// --- The file as a whole ---------------------------------------------------------------------

TEST_CASE("a YAML syntax error is reported where the parser found it", "[unit]") {
  check_errors("yaml-syntax.yaml", {{4, 6, "end of map flow not found"}});
}

TEST_CASE("an empty file is an error", "[unit]") {
  Diagnostics diag;
  parse_scenario_file(bad("empty.yaml"), test::catalog(), {}, diag);
  CHECK(diag.format() == bad("empty.yaml") +
                             ": error: the file is empty: expected a map of scenario keys (name, "
                             "population, network, model, interventions, ...)\n");
}

TEST_CASE("a top level that is not a map is an error", "[unit]") {
  check_errors("top-level-list.yaml",
               {{1, 1,
                 "expected a map of scenario keys (name, population, network, ...) at the top "
                 "level, got a list"}});
}

TEST_CASE("a file that does not exist cannot be read", "[unit]") {
  Diagnostics diag;
  parse_scenario_file(bad("no-such-scenario.yaml"), test::catalog(), {}, diag);
  CHECK(diag.format() == bad("no-such-scenario.yaml") + ": error: cannot read file\n");
}

TEST_CASE("every error of a file is reported, in file order", "[unit]") {
  check_errors(
      "many-errors.yaml",
      {
          {3, 7, "seed = -1 is out of range (a whole number in [0, 4294967295])"},
          {7, 20, "population.roles.at_risk = 1.2 is out of range (a number in [0, 1])"},
          {11, 3, "'mean_degree' is not a key of network kind 'villages'"},
          {13, 3, "unknown key 'denail' in model (did you mean 'denial'?)"},
          {18, 27, "duplicate key 'blame' in interventions.media.message (first given at 18:15)"},
          {19, 28,
           "interventions.media.target.communities: community 7 does not exist "
           "(community ids are in [0, 3])"},
          {21, 21, "unknown intervention 'radio' in arms.outsider"},
          {22, 15, "baseline_arm: unknown arm 'nobody'"},
      });
}

// --- Uncertainty -------------------------------------------------------------------------------

TEST_CASE("uncertainty: an unknown path is reported with a did-you-mean", "[unit]") {
  check_errors(
      "uncertainty-unknown-path.yaml",
      {{3, 3, "unknown path 'model.denail' in uncertainty (did you mean 'model.denial'?)"}});
}

TEST_CASE("uncertainty: an unknown distribution is reported with a did-you-mean", "[unit]") {
  check_errors("uncertainty-unknown-distribution.yaml",
               {{3, 18,
                 "unknown distribution 'betta' in uncertainty.model.denial (did you mean 'beta'? "
                 "known distributions: beta, lognormal, gamma, uniform, normal, triangular, "
                 "discrete)"}});
}

TEST_CASE("uncertainty: one distribution per parameter", "[unit]") {
  check_errors("uncertainty-two-distributions.yaml",
               {{3, 49,
                 "uncertainty.model.denial: give one distribution, not both 'uniform' and "
                 "'beta'"}});
}

TEST_CASE("uncertainty: a beta's mean must be in (0, 1)", "[unit]") {
  check_errors("uncertainty-beta-mean.yaml",
               {{3, 31,
                 "uncertainty.model.denial.beta: the mean of a beta must be in (0, 1), got "
                 "1.2"}});
}

TEST_CASE("uncertainty: a beta's sd must be below sqrt(mean (1 - mean))", "[unit]") {
  check_errors("uncertainty-beta-sd-too-large.yaml",
               {{3, 40,
                 "uncertainty.model.denial.beta: sd = 0.5 is too large for a beta with mean 0.6 "
                 "(sd² must be below mean·(1 − mean) = 0.24, so sd < 0.4899)"}});
}

TEST_CASE("uncertainty: a beta by moments or by shapes, not both", "[unit]") {
  check_errors("uncertainty-beta-both-forms.yaml",
               {{3, 52,
                 "uncertainty.model.denial.beta: give a beta either {mean, sd} or {alpha, "
                 "beta}, not both"}});
}

TEST_CASE("uncertainty: a lognormal's gsd must exceed 1", "[unit]") {
  check_errors("uncertainty-lognormal-gsd.yaml",
               {{3, 63,
                 "uncertainty.trafficking.approach_rate.lognormal: the geometric sd (gsd) "
                 "must be > 1, got 0.9"}});
}

TEST_CASE("uncertainty: a uniform's min must be below its max", "[unit]") {
  check_errors("uncertainty-uniform-min-max.yaml",
               {{3, 40,
                 "uncertainty.model.social_weight.uniform: min must be below max, got min "
                 "0.3 and max 0.3"}});
}

TEST_CASE("uncertainty: a triangular's mode lies between min and max", "[unit]") {
  check_errors("uncertainty-triangular-mode.yaml",
               {{3, 54,
                 "uncertainty.model.social_weight.triangular: the mode must be in [min, "
                 "max] = [0.1, 0.3], got 0.5"}});
}

TEST_CASE("uncertainty: a discrete distribution has one weight per value", "[unit]") {
  check_errors("uncertainty-discrete-weights-length.yaml",
               {{3, 58,
                 "uncertainty.model.denial.discrete.weights: 3 weights for 2 values (give "
                 "one weight per value)"}});
}

TEST_CASE("uncertainty: discrete weights are positive", "[unit]") {
  check_errors("uncertainty-discrete-weight-zero.yaml",
               {{3, 62,
                 "uncertainty.model.denial.discrete.weights[1]: a weight must be positive, "
                 "got 0"}});
}

TEST_CASE("uncertainty: an untruncated normal on a probability is refused", "[unit]") {
  check_errors("uncertainty-normal-untruncated.yaml",
               {{3, 18,
                 "uncertainty.model.denial: a normal distribution takes values in (−∞, ∞), "
                 "but the parameter is a number in [0, 1]; give the normal min and max to "
                 "truncate it"}});
}

TEST_CASE("uncertainty: a gamma on a bounded parameter is refused", "[unit]") {
  check_errors("uncertainty-gamma-bounded.yaml",
               {{3, 31,
                 "uncertainty.trafficking.approach_rate: a gamma distribution takes values "
                 "in (0, ∞), but the parameter is a number in [0, 1]; a beta, uniform, "
                 "triangular or truncated normal fits a bounded parameter"}});
}

TEST_CASE("uncertainty: a whole-number parameter takes a discrete distribution only", "[unit]") {
  check_errors("uncertainty-whole-number.yaml",
               {{3, 36,
                 "uncertainty.trafficking.exploitation_steps: the parameter is a whole "
                 "number in [1, 100000]: only a discrete distribution of whole numbers "
                 "fits it"}});
}

TEST_CASE("uncertainty: from a file that is not there, or not a calibration's results", "[unit]") {
  check_errors("uncertainty-from.yaml",
               {{3, 9, "uncertainty.from: cannot draw from 'posterior.h5': no such file"}});
  check_errors("uncertainty-from-not-calibration.yaml",
               {{3, 9,
                 "uncertainty.from: cannot draw from 'uncertainty-from.yaml': not the results "
                 "of fourp calibrate (kind \"fourp calibration\")"}});
}

TEST_CASE("uncertainty: a joint sample's particles, weights and parameters are checked", "[unit]") {
  check_errors("uncertainty-from-out-of-range.yaml",
               {{5, 30,
                 "uncertainty.from: particle 1 has model.denial = 1.5, out of its range (a "
                 "number in [0, 1])"}});
  check_errors(
      "uncertainty-from-row-length.yaml",
      {{5, 29, "uncertainty.from.particles[1]: a particle has 1 values for 2 parameters"}});
  check_errors("uncertainty-from-weights.yaml",
               {{6, 14,
                 "uncertainty.from.weights: 1 weights for 2 particles (give one weight per "
                 "particle)"}});
  check_errors("uncertainty-from-unknown-path.yaml",
               {{3, 9,
                 "uncertainty.from: the sample's parameter 'model.denail' is not one this "
                 "scenario may draw (did you mean 'model.denial'?)"}});
  check_errors("uncertainty-from-twice.yaml",
               {{4, 3,
                 "uncertainty: model.denial is drawn from the joint sample of 'from' and given a "
                 "distribution here: give it one or the other"}});
  check_errors("uncertainty-from-in-parameter.yaml",
               {{3, 18,
                 "uncertainty: 'from' names a joint sample for the whole section (uncertainty: "
                 "{from: calib.h5}), not one parameter's distribution"}});
}

TEST_CASE("uncertainty: a structural path is not supported yet", "[unit]") {
  check_errors("uncertainty-structural.yaml",
               {{3, 3,
                 "uncertainty on 'population.size' is not supported yet (it would change the "
                 "run's shape or layout; uncertain may be the parameters of the model and the "
                 "interventions, population.roles.*, population.initial.*.mean, "
                 "population.household_size and the network's rewire, between_degree and "
                 "mean_degree)"}});
}

TEST_CASE("uncertainty: a parameter is named by its dotted path, not a nested map", "[unit]") {
  check_errors("uncertainty-not-dotted.yaml",
               {{3, 3,
                 "uncertainty: 'model' is not a parameter; name each parameter by its "
                 "dotted path, e.g. model.kappa_a"}});
}

TEST_CASE("uncertainty: a discrete value must be one the parameter may take", "[unit]") {
  check_errors("uncertainty-discrete-not-whole.yaml",
               {{3, 60,
                 "uncertainty.trafficking.exploitation_steps.discrete.values[1] = 26.5 is "
                 "out of range for the parameter (a whole number in [1, 100000])"}});
}

TEST_CASE("uncertainty: a distribution missing a key names it", "[unit]") {
  check_errors("uncertainty-missing-key.yaml",
               {{3, 34,
                 "uncertainty.model.social_weight.uniform: missing 'max' (a uniform needs "
                 "min, max)"}});
}

// --- decision: ---------------------------------------------------------------------------------

TEST_CASE("decision: a willingness-to-pay grid that does not run upwards is refused", "[unit]") {
  check_errors("decision-max-below-min.yaml",
               {{3, 40,
                 "decision.willingness_to_pay.max: the highest willingness to pay (1000) must "
                 "exceed the lowest (5000)"}});
}

TEST_CASE("decision: impossible willingness-to-pay numbers are refused where they are", "[unit]") {
  Diagnostics diag;
  for (const char* name :
       {"decision-negative-min.yaml", "decision-one-point.yaml", "decision-unknown-key.yaml",
        "decision-not-a-map.yaml", "decision-text.yaml"}) {
    INFO(name);
    Diagnostics d;
    parse_scenario_file(bad(name), test::catalog(), {}, d);
    INFO(d.format());
    const auto errors = errors_of(d);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].loc.line >= 2);
    CHECK(errors[0].loc.column >= 1);
  }
  check_errors("decision-unknown-key.yaml",
               {{3, 3,
                 "unknown key 'willingness_to_pey' in decision (did you mean "
                 "'willingness_to_pay'?)"}});
}
