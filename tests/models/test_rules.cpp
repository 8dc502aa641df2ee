// Each rule of MODEL.md on a tiny hand-built world, one step at a time, against values computed
// by hand from the rule's equation. Every other rule is switched off (rates 0) so the rule under
// test is alone.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "tests/models/tiny_world.h"

using namespace fourp;
using namespace fourp::test;

namespace {
constexpr double kTol = 1e-6;  // agent state is float

// A scenario of n agents in one community; `sets` are `--set`-style overrides ("model.x=1"),
// which let a test change a few values of quiet_model_yaml() without repeating its keys.
Scenario tiny(uint32_t n, const std::string& yaml, const std::vector<std::string>& sets = {}) {
  Diagnostics diag;
  Scenario s =
      parse_scenario_text("population: {size: " + std::to_string(n) +
                              ", communities: 1}\nsteps: 10\nreplicates: 1\nseed: 3\n" + yaml,
                          "tiny.yaml", catalog(), sets, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return s;
}

void set_state(World& w, uint32_t i, float a, float o, float t, float f) {
  trait(w, models::trait::awareness)[i] = a, trait(w, models::trait::otherness)[i] = o,
           trait(w, models::trait::trust)[i] = t;
  trait(w, models::trait::efficacy)[i] = f;
}
}  // namespace

TEST_CASE("rule 1: social learning on a three-agent path", "[unit][scenario]") {
  Scenario s = tiny(3, R"(
model: {eta_o: 0, eta_a: 0, social_weight: 0}
trafficking: {approach_rate: 0}
arms: {baseline: []}
)");
  World w = tiny_world(3, {{0, 1}, {1, 2}});
  const float a[] = {0.1f, 0.5f, 0.9f}, f[] = {0.2f, 0.4f, 0.8f}, o[] = {0.9f, 0.5f, 0.1f},
              t[] = {0.3f, 0.6f, 0.9f};
  for (uint32_t i = 0; i < 3; ++i) set_state(w, i, a[i], o[i], t[i], f[i]);
  TinyRun run(s, w, "baseline");
  run.step(0);
  // Defaults: kappa_a .05, forget .01, kappa_f .03, efficacy_relax .01, kappa_o .05,
  // kappa_t .03, trust_relax .02; f0 and trust0 are the initial values.
  const double ka = .05, fg = .01, kf = .03, er = .01, ko = .05, kt = .03;
  const double nb_a[] = {0.5, (0.1 + 0.9) / 2, 0.5}, nb_f[] = {0.4, (0.2 + 0.8) / 2, 0.4},
               nb_o[] = {0.5, (0.9 + 0.1) / 2, 0.5}, nb_t[] = {0.6, (0.3 + 0.9) / 2, 0.6};
  for (uint32_t i = 0; i < 3; ++i) {
    INFO("agent " << i);
    CHECK(run.agent("awareness", i) ==
          Approx(a[i] + ka * std::max(0.0, nb_a[i] - a[i]) - fg * a[i]).margin(kTol));
    CHECK(run.agent("efficacy", i) ==
          Approx(f[i] + kf * std::max(0.0, nb_f[i] - f[i]) + er * 0).margin(kTol));
    CHECK(run.agent("otherness", i) == Approx(o[i] + ko * (nb_o[i] - o[i])).margin(kTol));
    CHECK(run.agent("trust", i) == Approx(t[i] + kt * (nb_t[i] - t[i])).margin(kTol));
  }
  // Agent 0 by hand: a = 0.1 + 0.05·0.4 − 0.001 = 0.119; o = 0.9 + 0.05·(0.5 − 0.9) = 0.88.
  CHECK(run.agent("awareness", 0) == Approx(0.119).margin(kTol));
  CHECK(run.agent("otherness", 0) == Approx(0.88).margin(kTol));
}

TEST_CASE("rule 1: an isolated agent forgets and relaxes but learns nothing", "[unit][scenario]") {
  Scenario s = tiny(1, "arms: {baseline: []}\ntrafficking: {approach_rate: 0}\n");
  World w = tiny_world(1, {});
  set_state(w, 0, 0.5f, 0.5f, 0.5f, 0.5f);
  TinyRun run(s, w, "baseline");
  run.step(0);
  CHECK(run.agent("awareness", 0) == Approx(0.5 - 0.01 * 0.5).margin(kTol));
  CHECK(run.agent("otherness", 0) == Approx(0.5).margin(kTol));
  CHECK(run.agent("trust", 0) == Approx(0.5).margin(kTol));
  CHECK(run.agent("efficacy", 0) == Approx(0.5).margin(kTol));
}

namespace {
// Two isolated agents with their own baselines (f0, trust0) = (0.5, 0.5) and (0.2, 0.4), every
// rule quiet but relaxation (rates 0.1), and a programme that recruits both at transition 0 and
// ends: joining lifts f and t above the baselines, and from transition 1 on only relaxation
// moves them (no ties: no learning, no dialogue).
Scenario relaxing_scenario(double efficacy_relax, double trust_relax) {
  return tiny(2, quiet_model_yaml() + R"(
interventions:
  prog: {kind: partnership, duration: 1, power_sharing: 0.8, recruit_per_step: 2, attrition: 0}
arms: {on: [prog]}
)",
              {"model.efficacy_relax=" + std::to_string(efficacy_relax),
               "model.trust_relax=" + std::to_string(trust_relax)});
}
World relaxing_world() {
  World w = tiny_world(2, {});
  set_state(w, 0, 0.5f, 0.5f, 0.5f, 0.5f);
  set_state(w, 1, 0.5f, 0.5f, 0.4f, 0.2f);
  return w;
}
}  // namespace

TEST_CASE("rule 1: efficacy drifts back down to the agent's own f0", "[unit][scenario]") {
  Scenario s = relaxing_scenario(0.1, 0);
  const World w = relaxing_world();  // the run keeps a reference
  TinyRun run(s, w, "on");
  run.step(0);
  // Transition 0: f = f0, so relaxation adds 0; joining: f ← f + own_f·(1 − f), own_f = 0.6:
  //   agent 0: 0.5 + 0.6·0.5 = 0.8;  agent 1: 0.2 + 0.6·0.8 = 0.68
  CHECK(run.agent("efficacy", 0) == Approx(0.8).margin(kTol));
  CHECK(run.agent("efficacy", 1) == Approx(0.68).margin(kTol));
  run.step(1);  // the programme has ended: f ← f + efficacy_relax·(f0 − f)
  // agent 0: 0.8 + 0.1·(0.5 − 0.8) = 0.77;  agent 1: 0.68 + 0.1·(0.2 − 0.68) = 0.632
  CHECK(run.agent("efficacy", 0) == Approx(0.77).margin(kTol));
  CHECK(run.agent("efficacy", 1) == Approx(0.632).margin(kTol));
  run.step(2);
  // agent 0: 0.77 + 0.1·(0.5 − 0.77) = 0.743;  agent 1: 0.632 + 0.1·(0.2 − 0.632) = 0.5888
  CHECK(run.agent("efficacy", 0) == Approx(0.743).margin(kTol));
  CHECK(run.agent("efficacy", 1) == Approx(0.5888).margin(kTol));
  // f − f0 shrinks by the factor 1 − 0.1 = 0.9 a transition: after transitions 1 … 9,
  //   agent 0: 0.5 + 0.3·0.9⁹ = 0.5 + 0.3·0.38742 = 0.61623
  //   agent 1: 0.2 + 0.48·0.9⁹ = 0.2 + 0.48·0.38742 = 0.38596
  for (uint32_t t = 3; t < 10; ++t) run.step(t);
  CHECK(run.agent("efficacy", 0) == Approx(0.61623).margin(1e-5));
  CHECK(run.agent("efficacy", 1) == Approx(0.38596).margin(1e-5));
  // Trust is not touched by efficacy_relax: joining's t ← t + s·own_t·(1 − t) = t + 0.4·(1 − t)
  // (agent 0: 0.7, agent 1: 0.64) stays.
  CHECK(run.agent("trust", 0) == Approx(0.7).margin(kTol));
  CHECK(run.agent("trust", 1) == Approx(0.64).margin(kTol));
}

TEST_CASE("rule 1: trust drifts back down to the agent's own trust0", "[unit][scenario]") {
  Scenario s = relaxing_scenario(0, 0.1);
  const World w = relaxing_world();  // the run keeps a reference
  TinyRun run(s, w, "on");
  run.step(0);
  // Joining: t ← t + s·own_t·(1 − t), s = 0.8, own_t = 0.5:
  //   agent 0: 0.5 + 0.4·0.5 = 0.7;  agent 1: 0.4 + 0.4·0.6 = 0.64
  CHECK(run.agent("trust", 0) == Approx(0.7).margin(kTol));
  CHECK(run.agent("trust", 1) == Approx(0.64).margin(kTol));
  run.step(1);  // t ← t + trust_relax·(trust0 − t)
  // agent 0: 0.7 + 0.1·(0.5 − 0.7) = 0.68;  agent 1: 0.64 + 0.1·(0.4 − 0.64) = 0.616
  CHECK(run.agent("trust", 0) == Approx(0.68).margin(kTol));
  CHECK(run.agent("trust", 1) == Approx(0.616).margin(kTol));
  run.step(2);
  // agent 0: 0.68 − 0.1·0.18 = 0.662;  agent 1: 0.616 − 0.1·0.216 = 0.5944
  CHECK(run.agent("trust", 0) == Approx(0.662).margin(kTol));
  CHECK(run.agent("trust", 1) == Approx(0.5944).margin(kTol));
  // Efficacy is not touched by trust_relax: joining's 0.8 and 0.68 stay.
  CHECK(run.agent("efficacy", 0) == Approx(0.8).margin(kTol));
  CHECK(run.agent("efficacy", 1) == Approx(0.68).margin(kTol));
}

TEST_CASE("rule 1: trust lowered by a blaming campaign recovers up to trust0", "[unit][scenario]") {
  // From below: one exposure to a message of pure blame at transition 0 (reach 1), then
  // nothing but relaxation.
  Scenario s = tiny(1, quiet_model_yaml() + R"(
interventions:
  blame: {kind: outsider_campaign, duration: 1, reach: 1,
          message: {blame: 1, sensational: 0, local_relevance: 0, efficacy: 0}}
arms: {on: [blame]}
)",
                    {"model.trust_relax=0.25"});
  World w = tiny_world(1, {});
  set_state(w, 0, 0.5f, 0.5f, 0.6f, 0.5f);
  TinyRun run(s, w, "on");
  run.step(0);
  // Rule 1 first (t = trust0: adds 0), then rule 3: t ← t − distrust_blame·blame·t
  //   = 0.6 − 0.08·0.6 = 0.552
  CHECK(run.agent("trust", 0) == Approx(0.552).margin(kTol));
  run.step(1);  // t ← t + 0.25·(0.6 − t) = 0.552 + 0.25·0.048 = 0.564
  CHECK(run.agent("trust", 0) == Approx(0.564).margin(kTol));
  run.step(2);  // 0.564 + 0.25·0.036 = 0.573
  CHECK(run.agent("trust", 0) == Approx(0.573).margin(kTol));
}

TEST_CASE("rule 2: a case close to home, through a tie or a household, within the window",
          "[unit][scenario]") {
  // Agent 0 is at risk and always exploited at step 0; agent 1 shares its household without a
  // tie; agent 2 is its neighbour; agent 3 is unrelated.
  Scenario s =
      tiny(4, quiet_model_yaml() + "arms: {baseline: []}\n",
           {"model.eta_o=0.1", "model.eta_a=0.2", "model.denial=0.7", "model.proximity_window=2",
            "trafficking.approach_rate=1", "trafficking.self_protection=0",
            "trafficking.guardian_protection=0", "trafficking.exploitation_steps=50"});
  // Households {0, 1}, {2}, {3}; the only tie is 0–2.
  World w = tiny_world(4, {{0, 2}}, {0, 2, 3, 4});
  role(w, models::role::at_risk)[0] = 1;
  for (uint32_t i = 0; i < 4; ++i) set_state(w, i, 0.5f, 0.5f, 0.5f, 0.5f);
  TinyRun run(s, w, "baseline");
  run.step(0);  // agent 0 exploited at transition 0; nobody has seen a case yet
  CHECK(run.agent("status", 0) == 1);
  CHECK(run.series("exploited") == 1);
  CHECK(run.agent("otherness", 2) == Approx(0.5).margin(kTol));
  // o ← o − eta_o·(1 − denial·o)·o = 0.5 − 0.1·0.65·0.5 = 0.4675;  a ← a + eta_a·(1 − a) = 0.6
  double o = 0.5, a = 0.5;
  for (uint32_t t = 1; t <= 2; ++t) {  // t − 2 ≤ 0 < t: transitions 1 and 2 see the case
    run.step(t);
    o = o - 0.1 * (1 - 0.7 * o) * o;
    a = a + 0.2 * (1 - a);
    for (uint32_t i : {1u, 2u}) {
      INFO("transition " << t << " agent " << i);
      CHECK(run.agent("otherness", i) == Approx(o).margin(kTol));
      CHECK(run.agent("awareness", i) == Approx(a).margin(kTol));
    }
    CHECK(run.agent("otherness", 3) == Approx(0.5).margin(kTol));
  }
  run.step(3);  // outside the window
  CHECK(run.agent("otherness", 1) == Approx(o).margin(kTol));
  CHECK(run.agent("awareness", 2) == Approx(a).margin(kTol));
}

TEST_CASE("rule 2: staying away and a loss are not new cases", "[unit][scenario]") {
  // Agent 0 is exploited at transition 0 and lost at transition 3; agent 1 is its neighbour.
  // Window 1: agent 1 sees the case at transition 1 only. Agent 3, alone and the only agent
  // eligible for the programme, joins at transition 2, so that other agents change while
  // agent 0 stays away, and the loss at transition 3 changes agent 0 itself: neither is a case.
  Scenario s = tiny(4, quiet_model_yaml() + R"(
interventions:
  prog: {kind: partnership, start: 2, recruit_per_step: 1, recruit_max_otherness: 0.3}
arms: {on: [prog]}
)",
                    {"model.eta_o=0.1", "model.proximity_window=1", "trafficking.approach_rate=1",
                     "trafficking.self_protection=0", "trafficking.exploitation_steps=3",
                     "trafficking.return_probability=0"});
  World w = tiny_world(4, {{0, 1}, {1, 2}});
  role(w, models::role::at_risk)[0] = 1;
  for (uint32_t i = 0; i < 3; ++i) set_state(w, i, 0.5f, 0.5f, 0.5f, 0.5f);
  set_state(w, 3, 0.5f, 0.2f, 0.5f, 0.5f);
  TinyRun run(s, w, "on");
  run.step(0);
  CHECK(run.agent("status", 0) == 1);
  run.step(1);  // o ← o − eta_o·(1 − denial·o)·o, denial 0.7 by default
  const double o = 0.5 - 0.1 * (1 - 0.7 * 0.5) * 0.5;
  CHECK(run.agent("otherness", 1) == Approx(o).margin(kTol));
  for (uint32_t t = 2; t < 7; ++t) {
    run.step(t);
    INFO("transition " << t);
    CHECK(run.agent("otherness", 1) == Approx(o).margin(kTol));
  }
  CHECK(run.agent("partner", 3) == 1);
  CHECK(run.agent("status", 0) == 2);
}

namespace {
const char* kBlamingCampaign = R"(
interventions:
  media:
    kind: outsider_campaign
    reach: 1
    message: {blame: 0.6, sensational: 0.7, local_relevance: 0.2, efficacy: 0.2}
    cost: {fixed_per_step: 100, per_contact: 2}
)";

struct Abc {
  double a, o, t, f;
};
// One exposure by MODEL.md rule 3 with default coefficients (or gain_a given).
Abc expose_by_hand(Abc x, double blame, double sens, double rel, double eff, double gain_a = 0.15) {
  const double A = x.t;
  Abc y;
  y.a = x.a + gain_a * A * (1 - x.a);
  y.f = x.f + 0.10 * A * eff * (1 - x.f);
  y.o = x.o + (0.10 * blame + 0.05 * sens * (1 - eff)) * (1 - x.o) - 0.05 * rel * A * x.o;
  y.t = x.t - 0.08 * blame * x.t + 0.02 * rel * (1 - x.t);
  return y;
}
}  // namespace

TEST_CASE("rule 3: one exposure to a blaming, sensational message", "[unit][scenario]") {
  Scenario s = tiny(3, quiet_model_yaml() + kBlamingCampaign + "arms: {on: [media]}\n");
  World w = tiny_world(3, {});
  for (uint32_t i = 0; i < 3; ++i) set_state(w, i, 0.5f, 0.5f, 0.5f, 0.5f);
  TinyRun run(s, w, "on");
  run.step(0);
  // a = 0.5375, f = 0.505, o = 0.5 + 0.088·0.5 − 0.0025 = 0.5415, t = 0.478
  const Abc e = expose_by_hand({0.5, 0.5, 0.5, 0.5}, 0.6, 0.7, 0.2, 0.2);
  CHECK(e.o == Approx(0.5415));
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK(run.agent("awareness", i) == Approx(e.a).margin(kTol));
    CHECK(run.agent("efficacy", i) == Approx(e.f).margin(kTol));
    CHECK(run.agent("otherness", i) == Approx(e.o).margin(kTol));
    CHECK(run.agent("trust", i) == Approx(e.t).margin(kTol));
  }
  CHECK(run.series("exposures") == 3);
  CHECK(run.series("cost") == Approx(100 + 3 * 2));  // rule 7
}

TEST_CASE("rule 3: campaigns apply in the arm's order, each with its own overrides",
          "[unit][scenario]") {
  Scenario s = tiny(1, quiet_model_yaml() + R"(
interventions:
  blame: {kind: outsider_campaign, reach: 1, message: {blame: 1, sensational: 0, local_relevance: 0, efficacy: 0}}
  local: {kind: outsider_campaign, reach: 1, gain_a: 0.5, message: {blame: 0, sensational: 0, local_relevance: 1, efficacy: 1}}
arms: {blame_first: [blame, local], local_first: [local, blame]}
)");
  World w = tiny_world(1, {});
  set_state(w, 0, 0.5f, 0.5f, 0.5f, 0.5f);
  const Abc x{0.5, 0.5, 0.5, 0.5};
  const Abc bl = expose_by_hand(expose_by_hand(x, 1, 0, 0, 0), 0, 0, 1, 1, 0.5);
  const Abc lb = expose_by_hand(expose_by_hand(x, 0, 0, 1, 1, 0.5), 1, 0, 0, 0);
  TinyRun r1(s, w, "blame_first"), r2(s, w, "local_first");
  r1.step(0), r2.step(0);
  CHECK(r1.agent("awareness", 0) == Approx(bl.a).margin(kTol));
  CHECK(r1.agent("trust", 0) == Approx(bl.t).margin(kTol));
  CHECK(r2.agent("awareness", 0) == Approx(lb.a).margin(kTol));
  CHECK(r2.agent("otherness", 0) == Approx(lb.o).margin(kTol));
  CHECK(bl.a != Approx(lb.a));  // the order matters, so this test can tell
}

TEST_CASE(
    "rule 3: each step a campaign reaches agent i when its draw (t, i, exposure, campaign) < reach",
    "[unit][scenario]") {
  // 20 isolated agents, reach 0.5, every other rule quiet: an agent's awareness rises at step t
  // exactly when it is exposed, that is when uniform(t, i, exposure, name_index("media")) < 0.5
  // (MODEL.md: the index of a campaign's draws is a stable hash of its name). The draws are
  // fresh each step: the agents reached at step 1 are not those of step 0.
  Scenario s = tiny(20, quiet_model_yaml() + R"(
interventions:
  media: {kind: outsider_campaign, reach: 0.5}
arms: {on: [media]}
)");
  World w = tiny_world(20, {});
  TinyRun run(s, w, "on");
  const Rng rng(s.seed, 0);
  std::vector<int> first_step(20), second_step(20);
  for (uint32_t t = 0; t < 4; ++t) {
    std::vector<double> a(20);
    for (uint32_t i = 0; i < 20; ++i) a[i] = run.agent("awareness", i);
    run.step(t);
    int reached = 0;
    for (uint32_t i = 0; i < 20; ++i) {
      const bool exposed = rng.uniform(t, i, models::purpose::exposure, name_index("media")) < 0.5;
      INFO("step " << t << " agent " << i);
      CHECK((run.agent("awareness", i) > a[i]) == exposed);
      reached += exposed;
      if (t == 0) first_step[i] = exposed;
      if (t == 1) second_step[i] = exposed;
    }
    CHECK(run.series("exposures") == reached);
  }
  CHECK(second_step != first_step);  // these draws tell fresh draws from repeated ones
}

TEST_CASE("rule 3: a campaign acts only while active", "[unit][scenario]") {
  Scenario s = tiny(1, quiet_model_yaml() + R"(
interventions:
  media: {kind: outsider_campaign, start: 2, duration: 1, reach: 1, cost: {fixed_per_step: 10}}
arms: {on: [media]}
)");
  World w = tiny_world(1, {});
  set_state(w, 0, 0.5f, 0.5f, 0.5f, 0.5f);
  TinyRun run(s, w, "on");
  run.step(0), run.step(1);
  CHECK(run.agent("awareness", 0) == Approx(0.5).margin(kTol));
  CHECK(run.series("cost") == 0);
  run.step(2);
  CHECK(run.agent("awareness", 0) > 0.5);
  CHECK(run.series("cost") == 10);
  const double after = run.agent("awareness", 0);
  run.step(3);
  CHECK(run.agent("awareness", 0) == Approx(after).margin(kTol));
  CHECK(run.series("cost") == 10);
}

namespace {
// A star: centre 0 with leaves 1..3; only the centre may join (the leaves' otherness is above
// recruit_max_otherness).
std::string star_programme(const std::string& extra) {
  return quiet_model_yaml() + R"(
interventions:
  prog:
    kind: partnership
    power_sharing: 0.8
    recruit_per_step: 1
    recruit_max_otherness: 0.5
    dialogues: 3
    cost: {fixed_per_step: 50, per_partner_step: 10}
)" + extra +
         "arms: {on: [prog]}\n";
}
World star_world() {
  World w = tiny_world(4, {{0, 1}, {0, 2}, {0, 3}});
  set_state(w, 0, 0.5f, 0.2f, 0.5f, 0.5f);
  for (uint32_t i = 1; i < 4; ++i) set_state(w, i, 0.5f, 0.9f, 0.5f, 0.5f);
  return w;
}
}  // namespace

TEST_CASE("rule 4: joining (co-definition), then dialogue with every neighbour",
          "[unit][scenario]") {
  Scenario s = tiny(4, star_programme("    attrition: 0\n"));
  World w = star_world();
  TinyRun run(s, w, "on");
  run.step(0);
  // o ← (1 − s·own_o)·o = (1 − 0.8·0.7)·0.2 = 0.088;  t ← t + s·own_t·(1 − t) = 0.7
  // a ← a + own_a·(1 − a) = 0.8;  f ← f + own_f·(1 − f) = 0.8
  CHECK(run.agent("otherness", 0) == Approx(0.088).margin(kTol));
  CHECK(run.agent("trust", 0) == Approx(0.7).margin(kTol));
  CHECK(run.agent("awareness", 0) == Approx(0.8).margin(kTol));
  CHECK(run.agent("efficacy", 0) == Approx(0.8).margin(kTol));
  CHECK(run.agent("partner", 0) == 1);
  CHECK(run.agent("engaged", 0) == 1);
  CHECK(run.series("partners") == 1);
  CHECK(run.agent("awareness", 1) == Approx(0.5).margin(kTol));  // not a partner at t = 0 yet
  CHECK(run.series("cost") == Approx(50 + 10 * 1));
  run.step(1);
  // dialogues 3 ≥ deg*(0) = 3: every leaf hears the centre once, c = 0.8, s = 0.8:
  // a ← a + 0.05·c·(1 − a) = 0.52;  o ← o − 0.04·s·c·o = 0.9 − 0.02304;  t ← t + 0.03·s·c·(1 − t)
  for (uint32_t i = 1; i < 4; ++i) {
    CHECK(run.agent("awareness", i) == Approx(0.52).margin(kTol));
    CHECK(run.agent("efficacy", i) == Approx(0.52).margin(kTol));
    CHECK(run.agent("otherness", i) == Approx(0.9 - 0.04 * 0.64 * 0.9).margin(kTol));
    CHECK(run.agent("trust", i) == Approx(0.5 + 0.03 * 0.64 * 0.5).margin(kTol));
  }
  CHECK(run.agent("otherness", 0) == Approx(0.088).margin(kTol));  // hears no partner itself
}

namespace {
// Agents 0 and 1 (otherness 0.2: they may join) each tied to the 20 leaves 2..21 (otherness 0.9).
World two_speakers_world() {
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  for (uint32_t j = 2; j < 22; ++j) ties.push_back({0, j}), ties.push_back({1, j});
  World w = tiny_world(22, ties);
  for (uint32_t i = 0; i < 22; ++i) set_state(w, i, 0.5f, i < 2 ? 0.2f : 0.9f, 0.5f, 0.5f);
  return w;
}
}  // namespace

TEST_CASE("rule 4: each neighbour hears a partner with probability dialogues / deg*, by its draw",
          "[unit][scenario]") {
  // Partners 0 and 1 (they join at t = 0), each tied to the 20 leaves 2..21: deg* = 20, and
  // leaf j hears partner q at t = 1 exactly when its draw (1, j, dialogue, q) is below 8 / 20.
  // What a leaf heard n times is a ← 1 − (1 − a)·(1 − dialogue_a·c)ⁿ, c = 0.8.
  Scenario s = tiny(22, quiet_model_yaml() + R"(
interventions:
  prog: {kind: partnership, recruit_per_step: 2, recruit_max_otherness: 0.5, attrition: 0,
         dialogues: 8}
arms: {on: [prog]}
)");
  World w = two_speakers_world();
  TinyRun run(s, w, "on");
  run.step(0);
  REQUIRE(run.series("partners") == 2);
  run.step(1);
  const Rng rng(s.seed, 0);
  uint32_t heard_times[3] = {0, 0, 0};
  for (uint32_t j = 2; j < 22; ++j) {
    int n = 0;
    for (uint32_t q : {0u, 1u}) n += rng.uniform(1, j, models::purpose::dialogue, q) < 8.0 / 20.0;
    ++heard_times[n];
    INFO("leaf " << j << " heard " << n << " conversations");
    CHECK(run.agent("awareness", j) == Approx(1 - 0.5 * std::pow(1 - 0.05 * 0.8, n)).margin(kTol));
  }
  // This seed gives leaves that heard nobody, one partner, and both: all three cases are checked.
  CHECK(heard_times[0] > 0);
  CHECK(heard_times[1] > 0);
  CHECK(heard_times[2] > 0);
}

TEST_CASE("rule 4: a neighbour of partners of two programmes hears each with its own power sharing",
          "[unit][scenario]") {
  // As above, but agents 0 and 1 join two programmes (power sharing 0.2 and 1): what leaf j
  // heard from partner q lowers its otherness by the factor 1 − dialogue_o·s_q·c of q's programme.
  Scenario s = tiny(22, quiet_model_yaml() + R"(
interventions:
  p1: {kind: partnership, recruit_per_step: 1, recruit_max_otherness: 0.5, attrition: 0,
       dialogues: 8, power_sharing: 0.2}
  p2: {kind: partnership, recruit_per_step: 1, recruit_max_otherness: 0.5, attrition: 0,
       dialogues: 8, power_sharing: 1}
arms: {on: [p1, p2]}
)");
  World w = two_speakers_world();
  TinyRun run(s, w, "on");
  run.step(0);
  REQUIRE(run.agent("programme", 0) + run.agent("programme", 1) == 3);  // one in each
  run.step(1);
  const Rng rng(s.seed, 0);
  uint32_t heard_both = 0;
  for (uint32_t j = 2; j < 22; ++j) {
    double other = 0.9;
    int n = 0;
    for (uint32_t q : {0u, 1u}) {
      if (!(rng.uniform(1, j, models::purpose::dialogue, q) < 8.0 / 20.0)) continue;
      const double power_sharing = run.agent("programme", q) == 1 ? 0.2 : 1.0;
      other *= 1 - 0.04 * power_sharing * 0.8;
      ++n;
    }
    heard_both += n == 2;
    INFO("leaf " << j << " heard " << n << " conversations");
    CHECK(run.agent("otherness", j) == Approx(other).margin(kTol));
    CHECK(run.agent("awareness", j) == Approx(1 - 0.5 * std::pow(1 - 0.05 * 0.8, n)).margin(kTol));
  }
  CHECK(heard_both > 0);
}

TEST_CASE("rule 4: a programme that ends releases its partners and stops talking",
          "[unit][scenario]") {
  Scenario s = tiny(4, star_programme("    attrition: 0\n    duration: 1\n"));
  World w = star_world();
  TinyRun run(s, w, "on");
  run.step(0);
  CHECK(run.agent("partner", 0) == 1);
  run.step(1);
  CHECK(run.agent("partner", 0) == 0);
  // Rule 5 then decides: a(1 − o)f = 0.8·0.912·0.8 ≈ 0.58 < θ − hysteresis = 0.95
  CHECK(run.agent("engaged", 0) == 0);
  CHECK(run.agent("awareness", 1) == Approx(0.5).margin(kTol));  // no dialogue
  CHECK(run.series("cost") == Approx(60));                       // no cost while inactive
}

TEST_CASE("rule 4: attrition 1 makes every partner leave the next step", "[unit][scenario]") {
  Scenario s = tiny(4, star_programme("    attrition: 1\n"));
  World w = star_world();
  TinyRun run(s, w, "on");
  run.step(0);
  CHECK(run.agent("partner", 0) == 1);
  run.step(1);
  CHECK(run.agent("partner", 0) == 0);
}

TEST_CASE("rule 4: an agent belongs to at most one programme", "[unit][scenario]") {
  Scenario s = tiny(2, quiet_model_yaml() + R"(
interventions:
  p1: {kind: partnership, recruit_per_step: 2, attrition: 0}
  p2: {kind: partnership, recruit_per_step: 2, attrition: 0}
arms: {both: [p1, p2]}
)");
  World w = tiny_world(2, {});
  TinyRun run(s, w, "both");
  run.step(0);
  CHECK(run.agent("programme", 0) == 1);  // p1 comes first in the arm and takes both
  CHECK(run.agent("programme", 1) == 1);
  CHECK(run.series("partners") == 2);
}

TEST_CASE("rule 4: one who returns is a survivor for recruitment, and the household family",
          "[unit][scenario]") {
  // Household {0, 1}: agent 0 is exploited at transition 0 and returns at transition 1, a
  // survivor. The programme recruits from transition 2; survivors have weight 0 here, so agent 0
  // cannot join, and agent 1 has the family weight: 0 keeps it out, 1 lets it in.
  for (const char* family : {"0", "1"}) {
    INFO("weights.family " << family);
    Scenario s = tiny(
        2, quiet_model_yaml() + R"(
interventions:
  prog: {kind: partnership, start: 2, recruit_per_step: 1, attrition: 0}
arms: {on: [prog]}
)",
        {"interventions.prog.weights.survivor=0",
         std::string("interventions.prog.weights.family=") + family, "trafficking.approach_rate=1",
         "trafficking.self_protection=0", "trafficking.guardian_protection=0",
         "trafficking.exploitation_steps=1", "trafficking.return_probability=1"});
    World w = tiny_world(2, {}, {0, 2});
    role(w, models::role::at_risk)[0] = 1;
    TinyRun run(s, w, "on");
    run.step(0);
    CHECK(run.agent("status", 0) == 1);
    run.step(1);
    CHECK(run.agent("status", 0) == 0);
    CHECK(run.agent("survivor", 0) == 1);
    run.step(2);
    CHECK(run.agent("partner", 0) == 0);
    CHECK(run.agent("partner", 1) == (std::string(family) == "1" ? 1 : 0));
  }
}

TEST_CASE("rule 5: threshold, hysteresis and the social term", "[unit][scenario]") {
  SECTION("hysteresis keeps an engaged agent engaged down to θ − hysteresis") {
    Scenario s = tiny(1, quiet_model_yaml() + "arms: {baseline: []}\n",
                      {"model.forget=0.04", "model.hysteresis=0.05"});
    World w = tiny_world(1, {});
    set_state(w, 0, 1.0f, 0.0f, 0.5f, 0.5f);
    trait(w, models::trait::threshold)[0] = 0.5f;  // a(1 − o)f = 0.5 ≥ θ: engaged at the start
    TinyRun run(s, w, "baseline");
    CHECK(run.agent("engaged", 0) == 1);
    run.step(0);  // a = 0.96: m = 0.48 ∈ [0.45, 0.5)
    CHECK(run.agent("engaged", 0) == 1);
    run.step(1);  // a = 0.9216: m = 0.4608
    CHECK(run.agent("engaged", 0) == 1);
    run.step(2);  // a = 0.8847: m = 0.442 < 0.45
    CHECK(run.agent("engaged", 0) == 0);
  }
  SECTION("engaged neighbours add social_weight · ē") {
    for (double w_social : {0.0, 0.2}) {
      Scenario s = tiny(2, quiet_model_yaml() + "arms: {baseline: []}\n",
                        {"model.social_weight=" + std::to_string(w_social)});
      World w = tiny_world(2, {{0, 1}});
      set_state(w, 0, 0.6f, 0.5f, 0.5f, 1.0f);  // a(1 − o)f = 0.3
      trait(w, models::trait::threshold)[0] = 0.4f;
      set_state(w, 1, 1.0f, 0.0f, 0.5f, 1.0f);  // engaged throughout
      trait(w, models::trait::threshold)[1] = 0.5f;
      TinyRun run(s, w, "baseline");
      CHECK(run.agent("engaged", 0) == 0);
      run.step(0);  // m = 0.3 + w·1
      CHECK(run.agent("engaged", 0) == (0.3 + w_social >= 0.4 ? 1 : 0));
    }
  }
  SECTION("ē follows the neighbours' engagement as it changes, step by step") {
    // The star: the centre joins at transition 0 (partners are engaged) and its programme ends
    // at transition 1. A leaf's m = a(1 − o)f + 1·ē = 0.025 + ē against θ = 1: it acts only while
    // the centre, its one neighbour, is engaged, one transition later.
    Scenario s =
        tiny(4, star_programme("    attrition: 0\n    duration: 1\n"), {"model.social_weight=1"});
    World w = star_world();
    TinyRun run(s, w, "on");
    run.step(0);
    CHECK(run.agent("engaged", 0) == 1);
    CHECK(run.agent("engaged", 1) == 0);  // read the centre at t = 0: not engaged
    run.step(1);
    CHECK(run.agent("engaged", 0) == 0);  // the programme ended: a(1 − o)f < θ − hysteresis
    for (uint32_t i = 1; i < 4; ++i) CHECK(run.agent("engaged", i) == 1);  // ē = 1
    run.step(2);
    for (uint32_t i = 1; i < 4; ++i) CHECK(run.agent("engaged", i) == 0);  // ē = 0
  }
  SECTION("neighbour means and ē count present neighbours only: the exploited one leaves them") {
    // Agent 1 has ties to 0 (engaged, at risk, a = 1) and 2 (not engaged, a = 0.9). Agent 0 is
    // exploited at transition 0; from t = 1, N*(1) = {2}. Rule 5: m = 0.05·a + ē against θ = 0.5,
    // ē = 1/2 at t = 0 (acts), 0/1 at t = 1 (stops). Rule 1 with kappa_a = 0.5:
    //   t = 0: ā = (1 + 0.9)/2 = 0.95, a ← 0.5 + 0.5·0.45 = 0.725
    //   t = 1: ā = 0.9 / 1, a ← 0.725 + 0.5·0.175 = 0.8125
    Scenario s = tiny(3, quiet_model_yaml() + "arms: {baseline: []}\n",
                      {"model.social_weight=1", "model.kappa_a=0.5", "trafficking.approach_rate=1",
                       "trafficking.self_protection=0", "trafficking.exploitation_steps=50"});
    World w = tiny_world(3, {{0, 1}, {1, 2}});
    role(w, models::role::at_risk)[0] = 1;
    set_state(w, 0, 1.0f, 0.0f, 0.5f, 1.0f);
    trait(w, models::trait::threshold)[0] = 0.5f;  // engaged
    set_state(w, 1, 0.5f, 0.9f, 0.5f, 0.5f);
    trait(w, models::trait::threshold)[1] = 0.5f;
    set_state(w, 2, 0.9f, 0.9f, 0.5f, 0.5f);
    TinyRun run(s, w, "baseline");
    CHECK(run.agent("engaged", 0) == 1);
    CHECK(run.agent("engaged", 2) == 0);
    run.step(0);
    CHECK(run.agent("status", 0) == 1);
    CHECK(run.agent("engaged", 1) == 1);
    CHECK(run.agent("awareness", 1) == Approx(0.725).margin(kTol));
    run.step(1);
    CHECK(run.agent("engaged", 1) == 0);
    CHECK(run.agent("awareness", 1) == Approx(0.8125).margin(kTol));
  }
  SECTION("awareness alone does not act when otherness is 1") {
    Scenario s = tiny(1, quiet_model_yaml() + "arms: {baseline: []}\n");
    World w = tiny_world(1, {});
    set_state(w, 0, 1.0f, 1.0f, 0.5f, 1.0f);
    trait(w, models::trait::threshold)[0] = 0.01f;
    TinyRun run(s, w, "baseline");
    run.step(0);
    CHECK(run.agent("engaged", 0) == 0);
  }
}

TEST_CASE("rule 6: guardians report a prevented case and deterrence lowers λ", "[unit][scenario]") {
  // Centre 0 at risk, fully aware with no otherness and self_protection 1: always protected.
  // The three leaves are engaged guardians who always report.
  Scenario s = tiny(4, quiet_model_yaml() + "arms: {baseline: []}\n",
                    {"trafficking.approach_rate=1", "trafficking.self_protection=1",
                     "trafficking.report_probability=1", "trafficking.deterrence=0.5",
                     "trafficking.deterrence_recovery=0.1"});
  World w = tiny_world(4, {{0, 1}, {0, 2}, {0, 3}});
  role(w, models::role::at_risk)[0] = 1;
  set_state(w, 0, 1.0f, 0.0f, 0.5f, 0.5f);
  for (uint32_t i = 1; i < 4; ++i) {
    set_state(w, i, 1.0f, 0.0f, 0.5f, 1.0f);
    trait(w, models::trait::threshold)[i] = 0.1f;
  }
  TinyRun run(s, w, "baseline");
  CHECK(run.series("approach_rate") == 1);
  run.step(0);
  CHECK(run.series("approaches") == 1);
  CHECK(run.series("prevented") == 1);
  CHECK(run.series("reports") == 3);
  // λ ← (λ + 0.1·(1 − λ))·(1 − 0.5)^3 = 0.125
  CHECK(run.series("approach_rate") == Approx(0.125));
  run.step(1);
  const double expected =
      run.series("approaches") == 1 ? (0.125 + 0.1 * 0.875) * 0.125 : (0.125 + 0.1 * 0.875);
  CHECK(run.series("approach_rate") == Approx(expected));
  CHECK(run.series("exploited") == 0);
}

TEST_CASE("rule 6: an approached agent protects itself with P_self = self_protection·a·(1 − o)",
          "[unit][scenario]") {
  // One isolated at-risk agent (no guardians: G = 0, P_protect = P_self), approached at every
  // transition (approach_rate 1), a = 0.9, o = 0.6, self_protection 0.8:
  //   P_self = 0.8 · 0.9 · (1 − 0.6) = 0.288
  // It is protected at transition 0 exactly when its draw u = (0, agent 0, protection, 0) is
  // below 0.288. Replicates differ in u; with u in [0.288, 0.72) only the (1 − o) factor decides
  // (without it P_self would be 0.72).
  Scenario s = tiny(1, quiet_model_yaml() + "arms: {baseline: []}\n",
                    {"trafficking.approach_rate=1", "trafficking.self_protection=0.8"});
  World w = tiny_world(1, {});
  role(w, models::role::at_risk)[0] = 1;
  set_state(w, 0, 0.9f, 0.6f, 0.5f, 0.5f);
  const double p_self = 0.8 * 0.9 * (1 - 0.6);
  int decided_by_otherness = 0;
  for (uint32_t rep = 0; rep < 20; ++rep) {
    TinyRun run(s, w, "baseline", rep);
    run.step(0);
    const double u = Rng(s.seed, rep).uniform(0, 0, models::purpose::protection, 0);
    INFO("replicate " << rep << ": u = " << u);
    CHECK(run.series("approaches") == 1);
    CHECK(run.series("prevented") == (u < p_self ? 1 : 0));
    CHECK(run.series("exploited") == (u < p_self ? 0 : 1));
    decided_by_otherness += u >= p_self && u < 0.8 * 0.9;
  }
  CHECK(decided_by_otherness > 0);  // these seeds tell the rule from one without (1 − o)
}

TEST_CASE("rule 6: exploitation, time away, return as a survivor or loss", "[unit][scenario]") {
  for (double ret : {1.0, 0.0}) {
    Scenario s = tiny(1, quiet_model_yaml() + "arms: {baseline: []}\n",
                      {"trafficking.approach_rate=1", "trafficking.self_protection=0",
                       "trafficking.exploitation_steps=3",
                       "trafficking.return_probability=" + std::to_string(ret)});
    World w = tiny_world(1, {});
    role(w, models::role::at_risk)[0] = 1;
    set_state(w, 0, 0.3f, 0.8f, 0.5f, 0.5f);
    TinyRun run(s, w, "baseline");
    run.step(0);
    CHECK(run.agent("status", 0) == 1);
    CHECK(run.series("away") == 1);
    run.step(1), run.step(2);  // away during transitions 1 and 2
    CHECK(run.agent("status", 0) == 1);
    run.step(3);  // the third transition away: it returns, or is lost
    if (ret == 1.0) {
      CHECK(run.agent("status", 0) == 0);
      CHECK(run.agent("survivor", 0) == 1);
      CHECK(run.agent("awareness", 0) == Approx(0.9).margin(kTol));  // max(a, 0.9)
      CHECK(run.agent("otherness", 0) == Approx(0.1).margin(kTol));  // min(o, 0.1)
    } else {
      CHECK(run.agent("status", 0) == 2);
      CHECK(run.series("lost") == 1);
    }
  }
}

TEST_CASE("rule 6: with approach rate 0 nobody is exploited", "[unit][scenario]") {
  Scenario s = tiny(3, "trafficking: {approach_rate: 0}\narms: {baseline: []}\n");
  World w = tiny_world(3, {{0, 1}});
  for (uint32_t i = 0; i < 3; ++i) role(w, models::role::at_risk)[i] = 1;
  TinyRun run(s, w, "baseline");
  for (uint32_t t = 0; t < 10; ++t) run.step(t);
  CHECK(run.totals()[0] == 0);  // exploited
  CHECK(run.totals()[2] == 0);  // approaches
}

TEST_CASE("rule 6: guardian protection 1 − (1 − g)^G", "[stat]") {
  // One at-risk agent with no self protection and G = 2 engaged neighbours: protected with
  // probability 1 − 0.75² = 0.4375. 4000 replicates: sd = 0.0078; tolerance 4 sd.
  Scenario s = tiny(3, quiet_model_yaml() + "arms: {baseline: []}\n",
                    {"trafficking.approach_rate=1", "trafficking.self_protection=0",
                     "trafficking.guardian_protection=0.25"});
  World w = tiny_world(3, {{0, 1}, {0, 2}});
  role(w, models::role::at_risk)[0] = 1;
  for (uint32_t i = 1; i < 3; ++i) {
    set_state(w, i, 1.0f, 0.0f, 0.5f, 1.0f);
    trait(w, models::trait::threshold)[i] = 0.1f;
  }
  const int n = 4000;
  int prevented = 0;
  for (int r = 0; r < n; ++r) {
    TinyRun run(s, w, "baseline", static_cast<uint32_t>(r));
    run.step(0);
    prevented += static_cast<int>(run.series("prevented"));
  }
  const double p = 1 - 0.75 * 0.75, sd = std::sqrt(p * (1 - p) / n);
  CHECK(std::abs(prevented / double(n) - p) < 4 * sd);
}

TEST_CASE("rule 4: recruitment weights by exponential keys", "[stat]") {
  // Household {0, 1}: agent 0 a survivor (weight 5), agent 1 its family (weight 2); one recruit:
  // P(agent 0) = 5/7. 3000 replicates: sd = 0.0082; tolerance 4 sd.
  Scenario s = tiny(2, quiet_model_yaml() + R"(
interventions:
  prog: {kind: partnership, recruit_per_step: 1, weights: {survivor: 5, leader: 3, family: 2}}
arms: {on: [prog]}
)");
  World w = tiny_world(2, {}, {0, 2});
  role(w, models::role::survivor)[0] = 1;
  const int n = 3000;
  int first = 0;
  for (int r = 0; r < n; ++r) {
    TinyRun run(s, w, "on", static_cast<uint32_t>(r));
    run.step(0);
    first += static_cast<int>(run.agent("partner", 0));
    REQUIRE(run.series("partners") == 1);
  }
  const double p = 5.0 / 7.0, sd = std::sqrt(p * (1 - p) / n);
  CHECK(std::abs(first / double(n) - p) < 4 * sd);
}

TEST_CASE("rule 7: a cost per target community and active step", "[unit][scenario]") {
  // 4 communities, 20 steps. The programme serves communities 0 and 2 for 10 steps at 7 each:
  // 7 × 2 × 10 = 140. The campaign serves every community (no target) for 5 steps at 3 each:
  // 3 × 4 × 5 = 60. No other cost is given, so the arm costs 140 + 60 = 200.
  Diagnostics diag;
  const Scenario s = parse_scenario_text(R"(
population: {size: 80, communities: 4}
steps: 20
replicates: 1
interventions:
  prog:
    kind: partnership
    duration: 10
    target: {communities: [0, 2]}
    cost: {per_community_step: 7}
  media: {kind: outsider_campaign, duration: 5, cost: {per_community_step: 3}}
arms: {prog: [prog], media: [media], both: [prog, media]}
)",
                                         "per-community.yaml", catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  const size_t cost = *s.kind->outputs.outcome_index("cost_total");
  CHECK(run_replicate(s, 0, 0, nullptr).totals[cost] == Approx(140));
  CHECK(run_replicate(s, 1, 0, nullptr).totals[cost] == Approx(60));
  CHECK(run_replicate(s, 2, 0, nullptr).totals[cost] == Approx(200));
}
