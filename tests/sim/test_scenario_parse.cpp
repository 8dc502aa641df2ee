// Reading valid scenarios: values, defaults, arms, `--set`, resolve_arm and to_yaml round trips.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

#include "sim/scenario_parse.h"
#include "tests/support/test_support.h"

using namespace fourp;
using fourp::test::catalog;
using fourp::test::scenario_from_yaml;

namespace {

const std::string kRural = std::string(FOURP_TEST_DATA) + "/good/rural-district.yaml";

Scenario parse_file(const std::string& path, const std::vector<std::string>& overrides,
                    Diagnostics& diag) {
  return parse_scenario_file(path, catalog(), overrides, diag);
}

// A role's probability and a trait's initial distribution, by the names the kind declares.
double role_of(const Scenario& s, const std::vector<double>& roles, const std::string& name) {
  const std::optional<size_t> i = s.kind->role_index(name);
  REQUIRE(i);
  return roles.at(*i);
}
double role_of(const Scenario& s, const std::string& name) {
  return role_of(s, s.population.roles, name);
}
size_t trait_index(const Scenario& s, const std::string& name) {
  for (size_t i = 0; i < s.kind->traits.size(); ++i)
    if (s.kind->traits[i].name == name) return i;
  FAIL("no trait " << name);
  throw;
}
const Distribution& initial_of(const Scenario& s, const std::string& name) {
  return s.population.initial.at(trait_index(s, name));
}
const Distribution& initial_of(const Scenario& s, const std::vector<Distribution>& initial,
                               const std::string& name) {
  return initial.at(trait_index(s, name));
}
// A group's override of a role or a trait, if it has one.
std::optional<double> group_role(const Scenario& s, const Group& g, const std::string& name) {
  const size_t i = *s.kind->role_index(name);
  return i < g.roles.size() ? g.roles[i] : std::nullopt;
}
std::optional<Distribution> group_initial(const Scenario& s, const Group& g,
                                          const std::string& name) {
  const size_t i = trait_index(s, name);
  return i < g.initial.size() ? g.initial[i] : std::nullopt;
}
bool targets_role(const Scenario& s, const Target& t, const std::string& name) {
  const std::optional<size_t> i = s.kind->role_index(name);
  REQUIRE(i);
  return t.requires_role(*i);
}

Scenario rural() {
  Diagnostics diag;
  Scenario s = parse_file(kRural, {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return s;
}

Scenario parse_text(const std::string& yaml, Diagnostics& diag,
                    const std::vector<std::string>& overrides = {}) {
  return parse_scenario_text(yaml, "test.yaml", catalog(), overrides, diag);
}

std::vector<std::string> arm_names(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& a : s.arms) out.push_back(a.name);
  return out;
}

std::vector<std::string> messages(const Diagnostics& d, Diagnostic::Severity severity) {
  std::vector<std::string> out;
  for (const auto& x : d.all())
    if (x.severity == severity) out.push_back(x.message);
  return out;
}

bool has_path(const std::vector<SettablePath>& paths, const std::string& p, bool arm_may_set) {
  return std::any_of(paths.begin(), paths.end(), [&](const SettablePath& s) {
    return s.path == p && s.arm_may_set == arm_may_set;
  });
}

}  // namespace

TEST_CASE("the flagship example of SCENARIO.md parses with its values", "[unit]") {
  Scenario s = rural();
  CHECK(s.name == "rural-district");
  CHECK(s.description ==
        "Twelve villages in a source district; three ways to spend a prevention budget.");
  CHECK(s.seed == 20261128);
  CHECK(s.replicates == 20);
  CHECK(s.steps == 156);
  CHECK(s.step_unit == "week");
  CHECK(s.currency == "USD");
  CHECK(s.file == kRural);

  CHECK(s.population.size == 24000);
  CHECK(s.population.communities == 12);
  CHECK(s.population.community_sizes.empty());
  CHECK(s.population.household_size == 5);
  CHECK(role_of(s, "at_risk") == 0.12);
  CHECK(role_of(s, "leader") == 0.02);
  CHECK(role_of(s, "survivor") == 0.005);
  CHECK(initial_of(s, "awareness").kind == Distribution::Kind::beta);
  CHECK(initial_of(s, "awareness").p1 == 2);
  CHECK(initial_of(s, "awareness").p2 == 8);
  CHECK(initial_of(s, "otherness").p1 == 6);
  CHECK(initial_of(s, "threshold").kind == Distribution::Kind::normal);
  CHECK(initial_of(s, "threshold").p1 == 0.35);
  CHECK(initial_of(s, "threshold").p2 == 0.1);
  REQUIRE(s.population.groups.size() == 1);
  CHECK(s.population.groups[0].communities == std::vector<uint32_t>{0, 1, 2});
  CHECK(group_role(s, s.population.groups[0], "at_risk") == 0.2);
  CHECK_FALSE(group_role(s, s.population.groups[0], "leader"));
  REQUIRE(group_initial(s, s.population.groups[0], "otherness"));
  CHECK(group_initial(s, s.population.groups[0], "otherness")->p1 == 8);
  CHECK_FALSE(group_initial(s, s.population.groups[0], "awareness"));

  CHECK(s.network.kind == NetworkSpec::Kind::villages);
  CHECK(s.network.within_degree == 8);
  CHECK(s.network.rewire == 0.1);
  CHECK(s.network.between_degree == 0.3);
}

TEST_CASE("the flagship example's model sections hold given values and defaults", "[unit]") {
  Scenario s = rural();
  REQUIRE(s.kind);
  CHECK(s.model_kind == "prevention");
  REQUIRE(s.sections.size() == 2);
  const ParamValues& model = *s.section("model");
  const ParamValues& trafficking = *s.section("trafficking");
  CHECK(model.get("denial") == 0.7);
  CHECK(model.get("social_weight") == 0.2);
  CHECK(model.is_set(*model.schema().find("denial")));
  // Not in the file: the default of MODEL.md, not marked as given.
  CHECK(model.get("kappa_a") == 0.05);
  CHECK(model.get("proximity_window") == 12);
  CHECK_FALSE(model.is_set(*model.schema().find("kappa_a")));
  CHECK(trafficking.get("approach_rate") == 0.002);
  CHECK(trafficking.get("guardian_protection") == 0.25);
  CHECK(trafficking.get("exploitation_steps") == 26);
  CHECK(trafficking.where(*trafficking.schema().find("guardian_protection")).line == 42);
  CHECK(s.section("nonesuch") == nullptr);
}

TEST_CASE("the flagship example's interventions hold their keys, nested and defaulted", "[unit]") {
  Scenario s = rural();
  REQUIRE(s.interventions.size() == 3);
  CHECK(s.interventions[0].name == "media");
  CHECK(s.interventions[1].name == "codesigned-media");
  CHECK(s.interventions[2].name == "partnership");

  const InterventionSpec& media = *s.intervention("media");
  CHECK(media.kind == "outsider_campaign");
  CHECK(media.start == 4);
  CHECK(media.duration == 26);
  CHECK(media.active(4));
  CHECK(media.active(29));
  CHECK_FALSE(media.active(30));
  CHECK(media.target.communities.empty());  // all
  CHECK_FALSE(targets_role(s, media.target, "at_risk"));
  CHECK(media.params.get("reach") == 0.3);
  CHECK(media.params.get("message.blame") == 0.6);
  CHECK(media.params.get("message.sensational") == 0.7);
  CHECK(media.params.get("message.local_relevance") == 0.2);
  CHECK(media.params.get("message.efficacy") == 0.2);
  CHECK(media.params.get("cost.fixed_per_step") == 2000);
  CHECK(media.params.get("cost.per_contact") == 0.05);
  CHECK(media.loc.line == 45);
  CHECK(media.loc.column == 3);

  const InterventionSpec& co = *s.intervention("codesigned-media");
  CHECK(co.target.communities.empty());  // no target: all communities
  CHECK(co.params.get("message.blame") == 0);
  CHECK(co.params.get("message.efficacy") == 0.8);

  const InterventionSpec& p = *s.intervention("partnership");
  CHECK(p.kind == "partnership");
  CHECK(p.target.communities == std::vector<uint32_t>{0, 1, 2, 3, 4, 5});
  CHECK(p.params.get("power_sharing") == 0.8);
  CHECK(p.params.get("recruit_per_step") == 2);
  CHECK(p.params.get("recruit_max_otherness") == 1.0);  // default
  CHECK(p.params.get("weights.survivor") == 5);
  CHECK(p.params.get("weights.family") == 2);
  CHECK(p.params.get("cost.per_partner_step") == 10);
  // No model parameter is overridden by any of them.
  for (const auto& iv : s.interventions)
    for (size_t i = 0; i < iv.model_overrides.size(); ++i)
      CHECK_FALSE(iv.model_overrides.is_set(i));
}

TEST_CASE("the flagship example's arms, baseline and outputs", "[unit]") {
  Scenario s = rural();
  CHECK(arm_names(s) ==
        std::vector<std::string>{"baseline", "outsider", "partnership", "hybrid", "tokenistic"});
  CHECK(s.arm("baseline")->interventions.empty());
  CHECK(s.arm("hybrid")->interventions ==
        std::vector<std::string>{"partnership", "codesigned-media"});
  const Arm& tok = *s.arm("tokenistic");
  REQUIRE(tok.set.size() == 1);
  CHECK(tok.set[0].path == "interventions.partnership.power_sharing");
  CHECK(tok.set[0].value == 0.1);
  CHECK(s.baseline_arm == "baseline");
  CHECK(s.outputs.by_community);
  CHECK(s.outputs.snapshots == std::vector<int64_t>{0, 52, 156});
}

TEST_CASE("resolve_arm applies an arm's set to its copy only", "[unit]") {
  Scenario s = rural();
  ArmConfig tok = resolve_arm(s, *s.arm("tokenistic"));
  ArmConfig part = resolve_arm(s, *s.arm("partnership"));
  REQUIRE(tok.interventions.size() == 1);
  REQUIRE(part.interventions.size() == 1);
  CHECK(tok.name == "tokenistic");
  CHECK(tok.interventions[0].params.get("power_sharing") == 0.1);
  CHECK(part.interventions[0].params.get("power_sharing") == 0.8);
  CHECK(s.intervention("partnership")->params.get("power_sharing") == 0.8);  // untouched

  ArmConfig hybrid = resolve_arm(s, *s.arm("hybrid"));
  REQUIRE(hybrid.interventions.size() == 2);
  CHECK(hybrid.interventions[0].name == "partnership");  // the arm's order, not the file's
  CHECK(hybrid.interventions[1].name == "codesigned-media");
  CHECK(hybrid.sections.size() == 2);
  CHECK(resolve_arm(s, *s.arm("baseline")).interventions.empty());
}

TEST_CASE("resolve_arm applies model, section and intervention settings", "[unit]") {
  Scenario s = scenario_from_yaml(R"(
interventions:
  media: {kind: outsider_campaign, start: 2}
arms:
  baseline: []
  harsh:
    interventions: [media]
    set:
      model.denial: 0.9
      trafficking.approach_rate: 0.01
      interventions.media.start: 10
      interventions.media.message.blame: 1
      interventions.media.gain_a: 0.4
)");
  ArmConfig harsh = resolve_arm(s, *s.arm("harsh"));
  CHECK(harsh.sections[0].get("denial") == 0.9);
  CHECK(harsh.sections[1].get("approach_rate") == 0.01);
  const InterventionSpec& media = harsh.interventions.at(0);
  CHECK(media.start == 10);
  CHECK(media.params.get("message.blame") == 1);
  auto gain = *media.model_overrides.schema().find("gain_a");
  CHECK(media.model_overrides.is_set(gain));
  CHECK(media.model_overrides[gain] == 0.4);
  // The scenario itself keeps the file's values.
  CHECK(s.sections[0].get("denial") == 0.7);
  CHECK(s.intervention("media")->start == 2);
  CHECK_FALSE(s.intervention("media")->model_overrides.is_set(gain));
}

TEST_CASE("a scenario of defaults only", "[unit]") {
  Scenario s = scenario_from_yaml("name: tiny\n");
  CHECK(s.name == "tiny");
  CHECK(s.seed == 1);
  CHECK(s.replicates == 10);
  CHECK(s.steps == 156);
  CHECK(s.population.size == 10000);
  CHECK(s.population.communities == 10);
  CHECK(s.network.kind == NetworkSpec::Kind::villages);
  CHECK(s.model_kind == "prevention");
  CHECK(s.sections.at(0).get("denial") == 0.7);
  CHECK(s.interventions.empty());
  CHECK(arm_names(s) == std::vector<std::string>{"baseline"});
  CHECK(s.baseline_arm == "baseline");
  CHECK(s.outputs.by_community);
  CHECK(s.outputs.snapshots.empty());
}

TEST_CASE("without arms: a baseline, then one arm per intervention in file order", "[unit]") {
  Scenario s = scenario_from_yaml(R"(
interventions:
  zeta: {kind: partnership}
  alpha: {kind: outsider_campaign, start: 3, duration: 10}
)");
  CHECK(arm_names(s) == std::vector<std::string>{"baseline", "zeta", "alpha"});
  CHECK(s.arm("alpha")->interventions == std::vector<std::string>{"alpha"});
  CHECK(s.baseline_arm == "baseline");
  // Defaults of an intervention: starts at 0, runs to the end, targets everyone.
  const InterventionSpec& z = *s.intervention("zeta");
  CHECK(z.start == 0);
  CHECK_FALSE(z.duration);
  CHECK(z.active(1000000));
  CHECK(z.params.get("power_sharing") == 0.5);
  CHECK(z.params.get("weights.leader") == 3);
}

TEST_CASE("baseline_arm defaults to the first arm when none is named baseline", "[unit]") {
  Scenario s = scenario_from_yaml(R"(
interventions:
  media: {kind: outsider_campaign}
arms:
  none: []
  campaign: [media]
)");
  CHECK(s.baseline_arm == "none");
  Scenario t = scenario_from_yaml(R"(
interventions:
  media: {kind: outsider_campaign}
arms:
  none: []
  campaign: [media]
baseline_arm: campaign
)");
  CHECK(t.baseline_arm == "campaign");
}

TEST_CASE("community_sizes alone define size and communities", "[unit]") {
  Scenario s = scenario_from_yaml(R"(
population:
  community_sizes: [100, 250, 50]
)");
  CHECK(s.population.size == 400);
  CHECK(s.population.communities == 3);
  CHECK(s.population.community_size(0) == 100);
  CHECK(s.population.community_size(1) == 250);
  CHECK(s.population.community_size(2) == 50);
  Scenario t = scenario_from_yaml(R"(
population: {size: 400, communities: 3, community_sizes: [100, 250, 50]}
)");
  CHECK(t.population.community_size(1) == 250);
}

TEST_CASE("equal community sizes give the remainder to the first communities", "[unit]") {
  Scenario s = scenario_from_yaml("population: {size: 10, communities: 4}\n");
  CHECK(s.population.community_size(0) == 3);
  CHECK(s.population.community_size(1) == 3);
  CHECK(s.population.community_size(2) == 2);
  CHECK(s.population.community_size(3) == 2);
}

TEST_CASE("groups override roles and initial distributions of their communities", "[unit]") {
  Scenario s = scenario_from_yaml(R"(
population:
  communities: 4
  roles: {at_risk: 0.1}
  initial:
    trust: {uniform: [0.2, 0.6]}
    efficacy: {constant: 0.4}
  groups:
    - communities: [1, 2]
      roles: {at_risk: 0.3, survivor: 0.05}
      initial: {trust: {normal: [0.5, 0.2]}}
    - communities: [2]
      roles: {at_risk: 0.5}
)");
  const PopulationSpec& p = s.population;
  CHECK(role_of(s, "at_risk") == 0.1);
  CHECK(role_of(s, "leader") == 0.02);  // default kept
  CHECK(role_of(s, p.roles_of(0), "at_risk") == 0.1);
  CHECK(role_of(s, p.roles_of(1), "at_risk") == 0.3);
  CHECK(role_of(s, p.roles_of(1), "survivor") == 0.05);
  CHECK(role_of(s, p.roles_of(1), "leader") == 0.02);
  CHECK(role_of(s, p.roles_of(2), "at_risk") == 0.5);  // later groups win
  CHECK(role_of(s, p.roles_of(2), "survivor") == 0.05);
  CHECK(initial_of(s, p.initial_of(0), "trust").kind == Distribution::Kind::uniform);
  CHECK(initial_of(s, p.initial_of(0), "trust").p2 == 0.6);
  CHECK(initial_of(s, p.initial_of(0), "efficacy").kind == Distribution::Kind::constant);
  CHECK(initial_of(s, p.initial_of(0), "efficacy").p1 == 0.4);
  CHECK(initial_of(s, p.initial_of(1), "trust").kind == Distribution::Kind::normal);
  CHECK(initial_of(s, p.initial_of(1), "trust").p1 == 0.5);
  CHECK(initial_of(s, p.initial_of(1), "awareness").kind ==
        Distribution::Kind::beta);  // default kept
  CHECK(initial_of(s, p.initial_of(3), "trust").kind == Distribution::Kind::uniform);
}

TEST_CASE("other network kinds read their own keys", "[unit]") {
  Scenario er = scenario_from_yaml("network: {kind: erdos_renyi, mean_degree: 4.5}\n");
  CHECK(er.network.kind == NetworkSpec::Kind::erdos_renyi);
  CHECK(er.network.mean_degree == 4.5);
  Scenario ws = scenario_from_yaml("network: {kind: watts_strogatz, degree: 6, rewire: 0.2}\n");
  CHECK(ws.network.kind == NetworkSpec::Kind::watts_strogatz);
  CHECK(ws.network.degree == 6);
  CHECK(ws.network.rewire == 0.2);
  Scenario ba = scenario_from_yaml("network: {kind: barabasi_albert, edges_per_node: 2}\n");
  CHECK(ba.network.edges_per_node == 2);
}

TEST_CASE("a file network resolves its paths against the scenario's folder", "[unit]") {
  test::TempDir dir;
  test::write_file(dir / "nets/edges.txt", "0 1\n1 2\n");
  test::write_file(dir / "nets/nodes.csv", "0,0\n1,0\n2,1\n");
  // With a file network the sizes come from the file: no size cross-check here.
  test::write_file(dir / "s.yaml", R"(
population: {size: 2, communities: 5}
network:
  kind: file
  path: nets/edges.txt
  communities: nets/nodes.csv
interventions:
  media: {kind: outsider_campaign, target: {communities: [7]}}
)");
  Diagnostics diag;
  Scenario s = parse_scenario_file(dir / "s.yaml", catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(s.network.kind == NetworkSpec::Kind::file);
  CHECK(s.network.path.is_absolute());
  CHECK(s.network.path == (dir.path() / "nets/edges.txt").lexically_normal());
  CHECK(s.network.communities == (dir.path() / "nets/nodes.csv").lexically_normal());
}

TEST_CASE("an intervention may override any model parameter as a key of its own", "[unit]") {
  Scenario s = scenario_from_yaml(R"(
interventions:
  media:
    kind: outsider_campaign
    gain_a: 0.3
    approach_rate: 0.004
    message.blame: 0.25
    target: {communities: [1, 3], roles: [at_risk, leader]}
)");
  const InterventionSpec& m = *s.intervention("media");
  const ParamValues& o = m.model_overrides;
  CHECK(o.is_set(*o.schema().find("gain_a")));
  CHECK(o.get("gain_a") == 0.3);
  CHECK(o.get("approach_rate") == 0.004);  // a trafficking parameter too
  CHECK_FALSE(o.is_set(*o.schema().find("denial")));
  CHECK(m.params.get("message.blame") == 0.25);  // a dotted key is the nested one
  CHECK(m.target.communities == std::vector<uint32_t>{1, 3});
  CHECK(targets_role(s, m.target, "at_risk"));
  CHECK(targets_role(s, m.target, "leader"));
  CHECK_FALSE(targets_role(s, m.target, "survivor"));
  CHECK(s.sections[0].get("gain_a") == 0.15);  // the model's own value is unchanged
}

TEST_CASE("an intervention that never acts is a warning, not an error", "[unit]") {
  Diagnostics diag;
  Scenario s = parse_text(R"(
steps: 52
interventions:
  late: {kind: outsider_campaign, start: 60}
  idle: {kind: partnership, duration: 0}
)",
                          diag);
  CHECK_FALSE(diag.has_errors());
  REQUIRE(diag.all().size() == 2);
  CHECK(diag.all()[0].str() ==
        "test.yaml:4:42: warning: intervention 'late' starts at step 60, at or after the end of "
        "the run (steps = 52): it never acts, so an arm of it alone is a placebo");
  CHECK(diag.all()[1].str() ==
        "test.yaml:5:3: warning: intervention 'idle' has duration 0: it never acts");
  CHECK(arm_names(s) == std::vector<std::string>{"baseline", "late", "idle"});
}

TEST_CASE("an intervention no arm uses is a warning", "[unit]") {
  Diagnostics diag;
  parse_text(R"(
interventions:
  media: {kind: outsider_campaign}
  spare: {kind: outsider_campaign}
arms:
  baseline: []
  campaign: [media]
)",
             diag);
  CHECK_FALSE(diag.has_errors());
  CHECK(diag.format() == "test.yaml:4:3: warning: intervention 'spare' is used by no arm\n");
}

TEST_CASE("an arm setting an intervention it does not run is a warning", "[unit]") {
  Diagnostics diag;
  parse_text(R"(
interventions:
  media: {kind: outsider_campaign}
arms:
  baseline: {interventions: [], set: {interventions.media.reach: 0.9}}
  campaign: [media]
)",
             diag);
  CHECK_FALSE(diag.has_errors());
  CHECK(messages(diag, Diagnostic::Severity::warning) ==
        std::vector<std::string>{"arm 'baseline' sets interventions.media.reach but does not run "
                                 "'media': the setting has no effect"});
}

TEST_CASE("settable paths: what --set may name and what an arm may", "[unit]") {
  Scenario s = rural();
  auto paths = settable_paths(s);
  CHECK(has_path(paths, "model.denial", true));
  CHECK(has_path(paths, "trafficking.approach_rate", true));
  CHECK(has_path(paths, "interventions.media.reach", true));
  CHECK(has_path(paths, "interventions.media.message.blame", true));
  CHECK(has_path(paths, "interventions.media.start", true));
  CHECK(has_path(paths, "interventions.media.duration", true));
  CHECK(has_path(paths, "interventions.media.gain_a", true));  // a model parameter
  CHECK(has_path(paths, "interventions.partnership.weights.survivor", true));
  CHECK(has_path(paths, "seed", false));
  CHECK(has_path(paths, "steps", false));
  CHECK(has_path(paths, "population.size", false));
  CHECK(has_path(paths, "population.roles.at_risk", false));
  CHECK(has_path(paths, "network.within_degree", false));
  CHECK(has_path(paths, "network.rewire", false));
  CHECK_FALSE(has_path(paths, "network.mean_degree", false));  // not a key of villages
  CHECK_FALSE(has_path(paths, "interventions.media.power_sharing", true));
  auto denial = std::find_if(paths.begin(), paths.end(),
                             [](const SettablePath& p) { return p.path == "model.denial"; });
  CHECK(describe_range(denial->spec) == "a number in [0, 1]");
}

TEST_CASE("command-line --set: changes a value after the file is read", "[unit]") {
  Diagnostics diag;
  Scenario s = parse_file(kRural,
                          {"model.denial=0.5", "interventions.media.message.blame = 0.1", "seed=7",
                           "steps=200", "population.roles.leader=0.05", "network.rewire=0.3",
                           "interventions.partnership.gain_f=0.2", "outputs.by_community=false"},
                          diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(s.section("model")->get("denial") == 0.5);
  CHECK(s.intervention("media")->params.get("message.blame") == 0.1);
  CHECK(s.seed == 7);
  CHECK(s.steps == 200);
  CHECK(role_of(s, "leader") == 0.05);
  CHECK(s.network.rewire == 0.3);
  const ParamValues& o = s.intervention("partnership")->model_overrides;
  CHECK(o.is_set(*o.schema().find("gain_f")));
  CHECK(o.get("gain_f") == 0.2);
  CHECK_FALSE(s.outputs.by_community);
  // The arm's own setting still wins in its arm.
  CHECK(resolve_arm(s, *s.arm("tokenistic")).interventions[0].params.get("power_sharing") == 0.1);
}

TEST_CASE("command-line --set: is cross-checked like the file", "[unit]") {
  Diagnostics diag;
  parse_file(kRural, {"steps=100"}, diag);
  // The snapshot at 156 no longer fits; every other value does.
  REQUIRE(messages(diag, Diagnostic::Severity::error) ==
          std::vector<std::string>{
              "outputs.snapshots[2] = 156 is out of range (a whole number in [0, 100]; steps is "
              "100)"});
  // The partnership targets communities 0..5: with 5 communities, id 5 is reported where the
  // file gives it.
  Diagnostics d2;
  parse_file(kRural, {"population.communities=5"}, d2);
  REQUIRE(d2.all().size() == 1);
  CHECK(d2.all()[0].str() == kRural +
                                 ":64:43: error: interventions.partnership.target.communities: "
                                 "community 5 does not exist (community ids are in [0, 4])");
}

TEST_CASE("command-line --set: naming an unknown path suggests the nearest", "[unit]") {
  Diagnostics diag;
  parse_file(kRural, {"model.denail=0.5"}, diag);
  CHECK(diag.format() ==
        "--set model.denail=0.5: error: unknown path 'model.denail' (did you mean "
        "'model.denial'?)\n");
}

TEST_CASE("command-line --set: out of range names the range", "[unit]") {
  Diagnostics diag;
  parse_file(kRural, {"model.denial=1.5", "replicates=0"}, diag);
  CHECK(diag.format() ==
        "--set model.denial=1.5: error: model.denial = 1.5 is out of range (a number in [0, 1])\n"
        "--set replicates=0: error: replicates = 0 is out of range (a whole number in "
        "[1, 4294967295])\n");
}

TEST_CASE("command-line --set: that is malformed or not a number is an error", "[unit]") {
  Diagnostics diag;
  Scenario s = parse_file(kRural, {"model.denial", "=0.5", "model.denial=high"}, diag);
  CHECK(diag.format() ==
        "--set model.denial: error: expected path=value, for example --set model.kappa_a=0.05\n"
        "--set =0.5: error: expected path=value, for example --set model.kappa_a=0.05\n"
        "--set model.denial=high: error: model.denial: expected a number, got 'high'\n");
  CHECK(s.section("model")->get("denial") == 0.7);
}

TEST_CASE("command-line --set: may not reach what is not a number", "[unit]") {
  Diagnostics diag;
  parse_file(kRural, {"network.kind=1", "network.mean_degree=3"}, diag);
  auto errors = messages(diag, Diagnostic::Severity::error);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].rfind("unknown path 'network.kind'", 0) == 0);
  CHECK(errors[1].rfind("unknown path 'network.mean_degree'", 0) == 0);
}

TEST_CASE("a model kind without interventions rejects them", "[unit]") {
  Catalog cat;
  ModelKind k;
  k.name = "threshold";
  k.sections = {{"model", ParamSchema{{"theta", 0.3, 0, 1, "", "threshold", false, ""}}}};
  cat.add(k);  // the first kind added is the default
  Diagnostics ok;
  Scenario s = parse_scenario_text("model: {theta: 0.4}\n", "t.yaml", cat, {}, ok);
  INFO(ok.format());
  REQUIRE_FALSE(ok.has_errors());
  CHECK(s.model_kind == "threshold");
  CHECK(s.sections.at(0).get("theta") == 0.4);
  CHECK(arm_names(s) == std::vector<std::string>{"baseline"});
  Diagnostics bad;
  parse_scenario_text("interventions:\n  media: {kind: outsider_campaign}\n", "t.yaml", cat, {},
                      bad);
  CHECK(bad.format() == "t.yaml:1:1: error: model kind 'threshold' takes no interventions\n");
  Diagnostics other;  // trafficking is not a section of this kind
  parse_scenario_text("trafficking: {approach_rate: 0.1}\n", "t.yaml", cat, {}, other);
  CHECK(other.format() == "t.yaml:1:1: error: unknown key 'trafficking'\n");
}

// --- to_yaml ---------------------------------------------------------------------------------

TEST_CASE("to_yaml lists every default", "[unit]") {
  Scenario s = scenario_from_yaml("name: tiny\n");
  std::string y = to_yaml(s);
  // Every model and trafficking parameter, with MODEL.md's defaults.
  for (const auto& section : s.kind->sections)
    for (const auto& spec : section.schema.specs())
      CHECK(y.find("  " + spec.name + ": ") != std::string::npos);
  CHECK(y.find("  denial: 0.7\n") != std::string::npos);
  CHECK(y.find("  approach_rate: 0.002\n") != std::string::npos);
  CHECK(y.find("awareness: {beta: [2, 8]}") != std::string::npos);
  CHECK(y.find("threshold: {normal: [0.35, 0.1]}") != std::string::npos);
  CHECK(y.find("roles: {at_risk: 0.12, leader: 0.02, survivor: 0.005}") != std::string::npos);
  CHECK(y.find("seed: 1\n") != std::string::npos);
  CHECK(y.find("baseline_arm: baseline\n") != std::string::npos);
  // Reading it back, every parameter is given explicitly.
  Scenario back = scenario_from_yaml(y);
  for (const auto& values : back.sections)
    for (size_t i = 0; i < values.size(); ++i) CHECK(values.is_set(i));
}

TEST_CASE("to_yaml of the flagship example parses back to the same scenario", "[unit]") {
  Scenario s = rural();
  std::string once = to_yaml(s);
  Scenario back = scenario_from_yaml(once, kRural);
  CHECK(to_yaml(back) == once);
  CHECK(back.intervention("media")->params.get("message.sensational") == 0.7);
  CHECK(back.arm("tokenistic")->set.at(0).value == 0.1);
  CHECK(arm_names(back) == arm_names(s));
  // Every intervention key is written out, defaults included.
  CHECK(once.find("recruit_max_otherness: 1\n") != std::string::npos);
  CHECK(once.find("message: {blame: 0.6, sensational: 0.7, local_relevance: 0.2, efficacy: "
                  "0.2}") != std::string::npos);
}

TEST_CASE("to_yaml round-trips a scenario using every feature", "[unit]") {
  test::TempDir dir;
  test::write_file(dir / "edges.txt", "0 1\n");
  test::write_file(dir / "rich.yaml", R"(
name: "rich: a scenario"
description: |
  Two lines,
  with "quotes".
seed: 4294967295
replicates: 3
steps: 40
step_unit: day
currency: EUR
population:
  community_sizes: [10, 20, 30]
  household_size: 3.5
  roles: {at_risk: 0.3}
  initial:
    awareness: {uniform: [0.1, 0.4]}
    otherness: {constant: 0.6}
    trust: {normal: [0.5, 0.25]}
  groups:
    - communities: [2]
      initial: {efficacy: {beta: [1.5, 2.5]}}
    - communities: [0, 1]
      roles: {leader: 0.1, survivor: 0.2}
network: {kind: file, path: edges.txt}
model:
  kind: prevention
  denial: 0.30000000000000004
  kappa_a: 1e-7
trafficking: {approach_rate: 0.001}
interventions:
  radio:
    kind: outsider_campaign
    start: 5
    reach: 0.123456789012345
    target: {communities: [0, 2], roles: [survivor]}
    gain_a: 0.25
    deterrence: 0.5
  circle:
    kind: partnership
    duration: 12
arms:
  none: []
  both:
    interventions: [circle, radio]
    set: {model.denial: 0.1, interventions.radio.gain_a: 0.3, interventions.circle.duration: 6}
baseline_arm: both
outputs: {by_community: false, snapshots: [0, 40]}
)");
  Diagnostics diag;
  Scenario s = parse_scenario_file(dir / "rich.yaml", catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  std::string once = to_yaml(s);
  INFO(once);
  Diagnostics diag2;
  Scenario back = parse_scenario_text(once, dir / "rich.yaml", catalog(), {}, diag2);
  INFO(diag2.format());
  REQUIRE_FALSE(diag2.has_errors());
  CHECK(to_yaml(back) == once);

  CHECK(back.name == "rich: a scenario");
  CHECK(back.description == "Two lines,\nwith \"quotes\".\n");
  CHECK(back.seed == 4294967295u);
  CHECK(back.step_unit == "day");
  CHECK(back.population.community_sizes == std::vector<uint32_t>{10, 20, 30});
  CHECK(back.population.size == 60);
  CHECK(initial_of(back, "otherness").kind == Distribution::Kind::constant);
  CHECK(group_role(back, back.population.groups.at(1), "survivor") == 0.2);
  CHECK_FALSE(group_role(back, back.population.groups.at(1), "at_risk"));
  CHECK(back.network.path == (dir.path() / "edges.txt").lexically_normal());
  CHECK(once.find("path: \"" + back.network.path.string() + "\"") != std::string::npos);
  CHECK(back.sections[0].get("denial") == 0.30000000000000004);  // exact, not 0.3
  CHECK(back.sections[0].get("kappa_a") == 1e-7);
  CHECK(back.intervention("radio")->params.get("reach") == 0.123456789012345);
  CHECK(targets_role(back, back.intervention("radio")->target, "survivor"));
  CHECK(back.intervention("radio")->model_overrides.get("deterrence") == 0.5);
  CHECK_FALSE(back.intervention("radio")->duration);
  CHECK(back.intervention("circle")->duration == 12);
  CHECK(back.arm("both")->set.size() == 3);
  CHECK(back.baseline_arm == "both");
  CHECK_FALSE(back.outputs.by_community);
  CHECK(back.outputs.snapshots == std::vector<int64_t>{0, 40});
}

TEST_CASE("decision: the willingness-to-pay grid is read, defaulted and written back", "[unit]") {
  Diagnostics diag;
  Scenario s = parse_text("name: d\n", diag);
  REQUIRE_FALSE(diag.has_errors());
  CHECK(s.willingness_to_pay.min == 0);
  CHECK_FALSE(s.willingness_to_pay.max.has_value());
  CHECK(s.willingness_to_pay.points == 51);

  Scenario g = parse_text(
      "name: d\ndecision:\n  willingness_to_pay: {min: 100, max: 20000, points: 21}\n", diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  CHECK(g.willingness_to_pay.min == 100);
  CHECK(g.willingness_to_pay.max == 20000);
  CHECK(g.willingness_to_pay.points == 21);
  // The normalised scenario carries it, and reads back the same.
  Scenario again = parse_text(to_yaml(g), diag);
  REQUIRE_FALSE(diag.has_errors());
  CHECK(again.willingness_to_pay.min == 100);
  CHECK(again.willingness_to_pay.max == 20000);
  CHECK(again.willingness_to_pay.points == 21);
  CHECK_FALSE(parse_text(to_yaml(s), diag).willingness_to_pay.max.has_value());
}
