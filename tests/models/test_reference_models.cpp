// The reference models (linear threshold, independent cascade, SIR, DeGroot, Deffuant, voter) on
// tiny worlds with answers worked out by hand, their scenario validation, and the engine extensions
// they brought (tree and complete networks, optional parameters, single-arm kinds).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "models/reference/common.h"
#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "tests/models/tiny_world.h"

using namespace fourp;
using namespace fourp::test;

namespace {

Scenario parse(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  Diagnostics diag;
  Scenario s = parse_scenario_text(yaml, "ref.yaml", catalog(), sets, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return s;
}

std::string errors_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  Diagnostics diag;
  parse_scenario_text(yaml, "ref.yaml", catalog(), sets, diag);
  return diag.format();
}

// A run of the scenario's only arm on its replicate-0 world, one step at a time.
struct Run {
  explicit Run(const Scenario& s) : world(build_world(s, 0, nullptr)), run(s, world, "baseline") {}
  World world;
  TinyRun run;
};

// `n` agents on a path 0 – 1 – … – n−1 (a tree with branching 1).
std::string path(uint32_t n) {
  return "network: {kind: tree, branching: 1, depth: " + std::to_string(n - 1) + "}\n";
}

}  // namespace

// --- Engine: networks ------------------------------------------------------------------------

TEST_CASE("tree network: breadth-first numbering, size decided by the tree", "[unit]") {
  Scenario s = parse("network: {kind: tree, branching: 2, depth: 3}\nmodel: {kind: degroot}\n");
  CHECK(s.population.size == 15);
  World w = build_world(s, 0, nullptr);
  REQUIRE(w.network.nodes() == 15);
  CHECK(w.network.ties() == 14);
  for (uint32_t v = 1; v < 15; ++v) {
    auto nb = w.network.neighbours(v);
    CHECK(std::find(nb.begin(), nb.end(), (v - 1) / 2) != nb.end());  // its parent
  }
  CHECK(w.network.degree(0) == 2);
  CHECK(w.network.degree(14) == 1);
  CHECK(tree_nodes(2, 10) == 2047u);
  CHECK(tree_nodes(1, 9) == 10u);
  CHECK(tree_nodes(4, 0) == 1u);
  CHECK_FALSE(tree_nodes(2, 32).has_value());
}

TEST_CASE("tree network: a population.size that disagrees is an error, --set follows the tree",
          "[unit]") {
  CHECK(errors_of("population: {size: 100}\nnetwork: {kind: tree, branching: 2, depth: 3}\n") ==
        "ref.yaml:1:20: error: population.size is 100 but the network, a tree with branching 2 "
        "and depth 3, has 15 nodes (leave population.size out: the tree decides it)\n");
  Scenario s = parse("network: {kind: tree, branching: 2, depth: 3}\n", {"network.depth=4"});
  CHECK(s.population.size == 31);
  // apply_setting (as sweeps use it) keeps the size in step with the tree.
  Diagnostics diag;
  apply_setting(s, Setting{"network.branching", 3, {}}, diag);
  CHECK(s.population.size == 1 + 3 + 9 + 27 + 81);
  CHECK(errors_of("network: {kind: tree, branching: 2, depth: 40}\n")
            .find("more than 4294967295 nodes") != std::string::npos);
}

TEST_CASE("complete network: every pair, with a size limit", "[unit]") {
  Scenario s = parse(
      "population: {size: 7, communities: 2}\nnetwork: {kind: complete}\n"
      "model: {kind: degroot}\n");
  World w = build_world(s, 0, nullptr);
  CHECK(w.network.ties() == 21);
  for (uint32_t v = 0; v < 7; ++v) CHECK(w.network.degree(v) == 6);
  CHECK(errors_of("population: {size: 6000}\nnetwork: {kind: complete}\n")
            .find("may have at most 5000 agents") != std::string::npos);
}

TEST_CASE("tree and complete networks round-trip through to_yaml", "[unit]") {
  for (const char* net : {"network: {kind: tree, branching: 3, depth: 2}\n",
                          "population: {size: 12}\nnetwork: {kind: complete}\n"}) {
    Scenario s = parse(std::string(net) + "model: {kind: sir, beta: 0.3}\n");
    std::string once = to_yaml(s);
    CHECK(to_yaml(parse(once)) == once);
  }
}

// --- Engine: scenario validation of reference kinds ------------------------------------------

TEST_CASE("reference kinds: defaults, nested seeds, optional parameters omitted by to_yaml",
          "[unit]") {
  Scenario s = parse("model: {kind: sir, beta: 0.5, gamma: 1, seeds: {fraction: 0.01}}\n");
  CHECK(s.model_kind == "sir");
  CHECK(s.sections[0].get("beta") == 0.5);
  CHECK(s.sections[0].get("seeds.fraction") == 0.01);
  CHECK(std::isnan(s.sections[0].get("seeds.count")));
  REQUIRE(s.arms.size() == 1);
  CHECK(s.arms[0].name == "baseline");
  std::string y = to_yaml(s);
  CHECK(y.find("seeds: {fraction: 0.01}") != std::string::npos);
  CHECK(y.find("count") == std::string::npos);
  CHECK(to_yaml(parse(y)) == y);
  // Nothing given: no seeds key at all, and one seed at run time.
  Scenario d = parse("model: {kind: linear_threshold}\n");
  CHECK(to_yaml(d).find("seeds") == std::string::npos);
  CHECK(to_yaml(d).find("threshold_count") == std::string::npos);
  auto rule = models::reference::read_seeds(d.sections[0]);
  CHECK(rule.kind == models::reference::SeedRule::Kind::count);
  CHECK(rule.value == 1);
}

TEST_CASE("reference kinds: one of count, fraction, agent, one of threshold, threshold_count",
          "[unit]") {
  CHECK(errors_of("model: {kind: sir, seeds: {count: 3, fraction: 0.1}}\n") ==
        "ref.yaml:1:48: error: model: give one of 'seeds.count', 'seeds.fraction', "
        "'seeds.agent', not both 'seeds.count' and 'seeds.fraction'\n");
  CHECK(errors_of("model: {kind: linear_threshold, threshold: 0.2, threshold_count: 2}\n") ==
        "ref.yaml:1:66: error: model: give one of 'threshold', 'threshold_count', not both "
        "'threshold' and 'threshold_count'\n");
  CHECK(errors_of("model: {kind: sir, seeds: {count: 3}}\n", {"model.seeds.agent=2"})
            .find("--set model.seeds.agent=2: error: model: give one of") == 0);
  CHECK(errors_of("population: {size: 10, communities: 1}\n"
                  "model: {kind: independent_cascade, seeds: {agent: 10}}\n") ==
        "ref.yaml:2:51: error: model.seeds.agent = 10 is not an agent (ids are 0 to 9: "
        "population.size is 10)\n");
  CHECK(errors_of("model: {kind: sir, seeds: {fraction: 1.5}}\n")
            .find("out of range (a number in [0, 1])") != std::string::npos);
}

TEST_CASE("reference kinds: no interventions, arms differ by their `set`", "[unit]") {
  CHECK(errors_of("model: {kind: degroot}\ninterventions:\n  media: {kind: outsider_campaign}\n") ==
        "ref.yaml:2:1: error: model kind 'degroot' takes no interventions\n");
  Scenario two = parse("model: {kind: sir}\narms: {low: [], high: {set: {model.beta: 0.9}}}\n");
  REQUIRE(two.arms.size() == 2);
  CHECK(resolve_arm(two, two.arms[1]).sections[0].get("beta") == 0.9);
  Scenario one = parse("model: {kind: sir}\narms: {only: {set: {model.beta: 0.9}}}\n");
  CHECK(resolve_arm(one, one.arms[0]).sections[0].get("beta") == 0.9);
  // A conflict brought in by the arm's set is reported too.
  CHECK(errors_of("model: {kind: sir, seeds: {count: 2}}\n"
                  "arms: {only: {set: {model.seeds.fraction: 0.5}}}\n")
            .find("not both 'seeds.count' and 'seeds.fraction'") != std::string::npos);
}

// --- Seeds -----------------------------------------------------------------------------------

TEST_CASE("seeds: exact counts, rounding of fractions, nested as the count grows", "[unit]") {
  using models::reference::choose_seeds;
  using K = models::reference::SeedRule::Kind;
  const Rng rng(9, 2);
  auto five = choose_seeds({K::count, 5}, 100, rng);
  auto ten = choose_seeds({K::count, 10}, 100, rng);
  CHECK(five.size() == 5);
  CHECK(std::set<uint32_t>(ten.begin(), ten.end()).size() == 10);
  CHECK(std::includes(ten.begin(), ten.end(), five.begin(), five.end()));
  CHECK(choose_seeds({K::fraction, 0.125}, 100, rng).size() == 13);  // round(12.5) = 13
  CHECK(choose_seeds({K::fraction, 0.1}, 100, rng) == ten);
  CHECK(choose_seeds({K::count, 500}, 100, rng).size() == 100);
  CHECK(choose_seeds({K::agent, 42}, 100, rng) == std::vector<uint32_t>{42});
  CHECK_THROWS_AS(choose_seeds({K::agent, 100}, 100, rng), InputError);
  CHECK(choose_seeds({K::count, 5}, 100, Rng(9, 3)) != five);  // another replicate
}

// --- Linear threshold ------------------------------------------------------------------------

TEST_CASE("linear threshold: threshold 0.5 on a path from one end activates it in N − 1 steps",
          "[scenario]") {
  const uint32_t n = 8;
  Scenario s = parse(
      path(n) + "steps: 12\nmodel: {kind: linear_threshold, threshold: 0.5, seeds: {agent: 0}}\n");
  Run r(s);
  for (uint32_t t = 0; t < 10; ++t) {
    INFO("row " << t);
    // Row t: agents 0 … min(t, n − 1) active (an inner agent has 2 neighbours: 1/2 ≥ 0.5).
    CHECK(r.run.series("active") == Approx(std::min(t + 1, n) / double(n)));
    for (uint32_t i = 0; i < n; ++i) CHECK(r.run.agent("active", i) == (i <= t ? 1 : 0));
    r.run.step(t);
  }
  CHECK(r.run.totals() == std::vector<double>{1.0, double(n), double(n - 1)});
  CHECK(r.run.agent("activated_step", 5) == 5);
}

TEST_CASE("linear threshold: just above one half, or two neighbours needed, a path stays put",
          "[scenario]") {
  for (const char* rule : {"threshold: 0.51", "threshold_count: 2"}) {
    INFO(rule);
    Scenario s =
        parse(path(6) + "model: {kind: linear_threshold, " + rule + ", seeds: {agent: 2}}\n");
    Run r(s);
    for (uint32_t t = 0; t < 5; ++t) r.run.step(t);
    CHECK(r.run.series("active") == Approx(1 / 6.0));
  }
  // threshold_count 1 is the simple contagion: the whole path, from the middle, in 3 steps.
  Scenario s = parse(path(6) +
                     "model: {kind: linear_threshold, threshold_count: 1, seeds: "
                     "{agent: 2}}\n");
  Run r(s);
  for (uint32_t t = 0; t < 5; ++t) r.run.step(t);
  CHECK(r.run.totals() == std::vector<double>{1.0, 6.0, 3.0});
}

TEST_CASE("linear threshold: without `threshold` each agent's own threshold is used",
          "[scenario]") {
  // Agents 0–2 (community 0) need 0.5, agents 3–5 (community 1) need 1: the cascade along the
  // path stops at agent 3, whose second neighbour is inactive.
  Scenario s = parse(path(6) + R"(
population:
  community_sizes: [3, 3]
  initial: {threshold: {constant: 0.5}}
  groups: [{communities: [1], initial: {threshold: {constant: 1}}}]
model: {kind: linear_threshold, seeds: {agent: 0}}
)");
  Run r(s);
  for (uint32_t t = 0; t < 8; ++t) r.run.step(t);
  CHECK(r.run.series("active") == Approx(3 / 6.0));
  CHECK(r.run.agent("threshold", 4) == 1.0);
}

TEST_CASE("linear threshold: threshold 0 activates every agent with a neighbour at once",
          "[scenario]") {
  Scenario s = parse(
      "population: {size: 10, communities: 1}\nnetwork: {kind: erdos_renyi, mean_degree: 0}\n"
      "model: {kind: linear_threshold, threshold: 0, seeds: {count: 0}}\n");
  Run r(s);
  r.run.step(0);
  CHECK(r.run.series("active") == 0.0);  // isolated agents have no share of active neighbours
  Scenario c = parse(
      "population: {size: 10, communities: 1}\nnetwork: {kind: complete}\n"
      "model: {kind: linear_threshold, threshold: 0, seeds: {count: 0}}\n");
  Run rc(c);
  rc.run.step(0);
  CHECK(rc.run.series("active") == 1.0);
}

// --- Independent cascade ---------------------------------------------------------------------

TEST_CASE("independent cascade: p = 1 on a tree activates every level in turn, p = 0 nothing",
          "[scenario]") {
  Scenario s = parse(
      "network: {kind: tree, branching: 2, depth: 4}\n"
      "model: {kind: independent_cascade, probability: 1, seeds: {agent: 0}}\n");
  Run r(s);
  for (uint32_t t = 0; t < 6; ++t) {
    // Row t: levels 0 … t, 2^(t+1) − 1 agents.
    CHECK(r.run.series("active") == Approx(std::min((1u << (t + 1)) - 1, 31u) / 31.0));
    r.run.step(t);
  }
  CHECK(r.run.totals() == std::vector<double>{1.0, 31.0, 4.0});
  Scenario z = parse(
      "network: {kind: tree, branching: 2, depth: 4}\n"
      "model: {kind: independent_cascade, probability: 0, seeds: {agent: 0}}\n");
  Run rz(z);
  for (uint32_t t = 0; t < 4; ++t) rz.run.step(t);
  CHECK(rz.run.totals() == std::vector<double>{1 / 31.0, 1.0, 0.0});
}

TEST_CASE("independent cascade: each tie is tried once, with the draw of (step, target, source)",
          "[scenario]") {
  // A star from its centre: leaf j is active after step 0 iff u(0, j, transmission, 0) < p, and
  // nothing happens later (leaves have no other neighbour; the centre tried once).
  Scenario s = parse(
      "network: {kind: tree, branching: 50, depth: 1}\n"
      "model: {kind: independent_cascade, probability: 0.3, seeds: {agent: 0}}\n");
  Run r(s);
  r.run.step(0);
  const Rng rng(s.seed, 0);
  int expected = 1;
  for (uint32_t j = 1; j <= 50; ++j) {
    const bool hit = rng.uniform(0, j, models::reference::purpose::transmission, 0) < 0.3;
    expected += hit;
    CHECK(r.run.agent("active", j) == (hit ? 1 : 0));
  }
  for (uint32_t t = 1; t < 5; ++t) r.run.step(t);
  CHECK(r.run.totals()[1] == expected);
}

// --- SIR -------------------------------------------------------------------------------------

TEST_CASE("SIR: beta = 1, gamma = 1 on a path is a moving front", "[scenario]") {
  const uint32_t n = 7;
  Scenario s =
      parse(path(n) + "steps: 10\nmodel: {kind: sir, beta: 1, gamma: 1, seeds: {agent: 0}}\n");
  Run r(s);
  for (uint32_t t = 0; t <= n; ++t) {
    INFO("row " << t);
    for (uint32_t i = 0; i < n; ++i) CHECK(r.run.agent("state", i) == (i < t ? 2 : i == t ? 1 : 0));
    CHECK(r.run.series("infected") == Approx(t < n ? 1.0 / n : 0.0));
    CHECK(r.run.series("susceptible") + r.run.series("infected") + r.run.series("recovered") ==
          Approx(1.0));
    r.run.step(t);
  }
  const auto tot = r.run.totals();
  CHECK(tot[0] == 1.0);  // final size
  CHECK(tot[1] == 0.0);  // none infected at the end
  CHECK(tot[2] == Approx(1.0 / n));
}

TEST_CASE("SIR: gamma = 0 keeps the infected infectious, beta = 0 lets them recover alone",
          "[scenario]") {
  Scenario s = parse(path(5) + "model: {kind: sir, beta: 0, gamma: 0, seeds: {agent: 2}}\n");
  Run r(s);
  for (uint32_t t = 0; t < 5; ++t) r.run.step(t);
  CHECK(r.run.series("infected") == Approx(0.2));
  CHECK(r.run.series("recovered") == 0.0);
  // gamma 0.5 and beta 0: the seed's recovery step is its first recovery draw below 0.5.
  Scenario g = parse(path(5) + "model: {kind: sir, beta: 0, gamma: 0.5, seeds: {agent: 2}}\n");
  Run rg(g);
  const Rng rng(g.seed, 0);
  int64_t expect = -1;
  for (uint32_t t = 0; t < 20; ++t) {
    if (expect < 0 && rng.uniform(t, 2, models::reference::purpose::recovery, 0) < 0.5)
      expect = t + 1;
    rg.run.step(t);
  }
  CHECK(rg.run.agent("recovered_step", 2) == expect);
}

// --- DeGroot ---------------------------------------------------------------------------------

namespace {
// A star: centre 0 (community 0, opinion 1) and four leaves (community 1, opinion 0).
std::string star(const std::string& model) {
  return R"(
network: {kind: tree, branching: 4, depth: 1}
population:
  community_sizes: [1, 4]
  initial: {opinion: {constant: 0}}
  groups: [{communities: [0], initial: {opinion: {constant: 1}}}]
)" + model;
}
}  // namespace

TEST_CASE("DeGroot: a star, one step by hand, then the degree-weighted mean 0.5", "[scenario]") {
  Scenario s = parse(star("model: {kind: degroot, kappa: 0.3}\nsteps: 200\n"));
  Run r(s);
  CHECK(r.run.agent("opinion", 0) == 1.0);
  r.run.step(0);
  // centre: 1 + 0.3 · (0 − 1) = 0.7;  leaves: 0 + 0.3 · (1 − 0) = 0.3
  CHECK(r.run.agent("opinion", 0) == Approx(0.7).margin(1e-15));
  for (uint32_t i = 1; i < 5; ++i) CHECK(r.run.agent("opinion", i) == Approx(0.3).margin(1e-15));
  CHECK(r.run.series("opinion_mean") == Approx((0.7 + 4 * 0.3) / 5));
  for (uint32_t t = 1; t < 200; ++t) r.run.step(t);
  // Σ dᵢxᵢ / Σ dᵢ = (4 · 1 + 4 · 0) / 8
  for (uint32_t i = 0; i < 5; ++i) CHECK(r.run.agent("opinion", i) == Approx(0.5).margin(1e-12));
  CHECK(r.run.totals()[2] < 1e-12);  // range
}

TEST_CASE("DeGroot: kappa 0.5 on the star reaches 0.5 in one step, isolated agents stay",
          "[scenario]") {
  Scenario s = parse(star("model: {kind: degroot, kappa: 0.5}\n"));
  Run r(s);
  r.run.step(0);
  for (uint32_t i = 0; i < 5; ++i) CHECK(r.run.agent("opinion", i) == 0.5);
  Scenario iso = parse(
      "population: {size: 3, communities: 1, initial: {opinion: {constant: "
      "0.25}}}\nnetwork: {kind: erdos_renyi, mean_degree: 0}\n"
      "model: {kind: degroot}\n");
  Run ri(iso);
  ri.run.step(0);
  CHECK(ri.run.agent("opinion", 1) == Approx(0.25));
}

// --- Deffuant --------------------------------------------------------------------------------

namespace {
// Two agents joined by one tie, opinions 0.25 and 0.5 (exact in the float traits).
std::string pair_of(const std::string& model) {
  return R"(
network: {kind: tree, branching: 1, depth: 1}
population:
  community_sizes: [1, 1]
  initial: {opinion: {constant: 0.25}}
  groups: [{communities: [1], initial: {opinion: {constant: 0.5}}}]
)" + model;
}
}  // namespace

TEST_CASE("Deffuant: a pair update by hand", "[scenario]") {
  SECTION("within the bound, mu = 0.25") {
    Run r(parse(pair_of("model: {kind: deffuant, epsilon: 0.5, mu: 0.25}\n")));
    r.run.step(0);
    // 0.25 + 0.25 · 0.25 = 0.3125;  0.5 − 0.25 · 0.25 = 0.4375
    CHECK(r.run.agent("opinion", 0) == 0.3125);
    CHECK(r.run.agent("opinion", 1) == 0.4375);
  }
  SECTION("mu = 0.5 meets in the middle") {
    Run r(parse(pair_of("model: {kind: deffuant, epsilon: 0.5, mu: 0.5}\n")));
    r.run.step(0);
    CHECK(r.run.agent("opinion", 0) == 0.375);
    CHECK(r.run.agent("opinion", 1) == 0.375);
  }
  SECTION("a difference of epsilon or more: no interaction") {
    Run r(parse(pair_of("model: {kind: deffuant, epsilon: 0.25, mu: 0.5}\n")));
    for (uint32_t t = 0; t < 5; ++t) r.run.step(t);
    CHECK(r.run.agent("opinion", 0) == 0.25);
    CHECK(r.run.agent("opinion", 1) == 0.5);
  }
}

TEST_CASE("Deffuant: on a path of three, one pair a step, chosen by the tie keys", "[scenario]") {
  Scenario s = parse(R"(
network: {kind: tree, branching: 1, depth: 2}
population:
  community_sizes: [1, 1, 1]
  initial: {opinion: {constant: 0.0}}
  groups: [{communities: [1], initial: {opinion: {constant: 0.5}}},
           {communities: [2], initial: {opinion: {constant: 1.0}}}]
model: {kind: deffuant, epsilon: 1, mu: 0.5}
)");
  Run r(s);
  r.run.step(0);
  // The middle agent chooses the tie with the smaller key; its partner chose it back (an end has
  // one tie), so exactly that pair moves to its midpoint.
  const Rng rng(s.seed, 0);
  auto key = [&](uint32_t a, uint32_t b) {
    auto bits = rng.bits(0, a, models::reference::purpose::pairing, b);
    return static_cast<uint64_t>(bits[0]) << 32 | bits[1];
  };
  const bool left = key(0, 1) < key(1, 2);
  CHECK(r.run.agent("opinion", 0) == (left ? 0.25 : 0.0));
  CHECK(r.run.agent("opinion", 1) == (left ? 0.25 : 0.75));
  CHECK(r.run.agent("opinion", 2) == (left ? 1.0 : 0.75));
  // Pair updates conserve the sum.
  CHECK(r.run.series("opinion_mean") == 0.5);
}

TEST_CASE("Deffuant: the pairing is a matching of about half the agents each step", "[scenario]") {
  // epsilon 1, mu 0.5: every pair meets at its midpoint, so after one step the agents that moved
  // come in twos with equal opinions (distinct initial opinions: uniform draws).
  for (const char* net :
       {"network: {kind: complete}\n", "network: {kind: watts_strogatz, degree: 6, rewire: 0}\n"}) {
    INFO(net);
    Scenario s = parse(std::string(net) +
                       "population: {size: 1000, communities: 1, initial: {opinion: {uniform: "
                       "[0, 1]}}}\nmodel: {kind: deffuant, epsilon: 1, mu: 0.5}\n");
    Run r(s);
    std::vector<double> before(1000);
    for (uint32_t i = 0; i < 1000; ++i) before[i] = r.run.agent("opinion", i);
    r.run.step(0);
    std::map<double, int> moved;
    for (uint32_t i = 0; i < 1000; ++i)
      if (r.run.agent("opinion", i) != before[i]) ++moved[r.run.agent("opinion", i)];
    size_t agents = 0;
    for (auto [value, count] : moved) {
      CHECK(count == 2);
      agents += count;
    }
    // A tie of a d-regular graph is a pair with probability 1/(2d − 1): N·d/2/(2d − 1) pairs.
    CHECK(agents > 400);
    CHECK(agents < 600);
  }
}

// --- Voter -----------------------------------------------------------------------------------

namespace {
// Agents 0 … n − 1 with opinion 1 where `ones` says so (seed_by 1: from the opinion draws).
Scenario voter_scenario(const std::string& update, uint32_t n) {
  return parse("population: {size: " + std::to_string(n) +
               ", communities: 1}\nmodel: {kind: voter, seed_by: 1, update: " + update + "}\n");
}
World opinions_world(uint32_t n, std::vector<std::pair<uint32_t, uint32_t>> ties,
                     const std::vector<int>& ones) {
  World w = tiny_world(n, std::move(ties));
  for (uint32_t i = 0; i < n; ++i) w.traits.initial[0][i] = ones[i] ? 1.0f : 0.0f;
  return w;
}
}  // namespace

TEST_CASE("voter, synchronous: a pair swaps every step, an isolated agent keeps its opinion",
          "[scenario]") {
  // 0 – 1 and agent 2 alone; opinions 1, 0, 1. Each end of the tie has one neighbour to copy, so
  // x(t + 1) = (x₁(t), x₀(t), x₂(t)): (1, 0, 1) → (0, 1, 1) → (1, 0, 1) …
  const World w = opinions_world(3, {{0, 1}}, {1, 0, 1});
  TinyRun r(voter_scenario("0", 3), w, "baseline");
  CHECK(r.series("opinion_1") == Approx(2 / 3.0));
  CHECK(r.series("discordant_ties") == 1.0);  // the one tie disagrees
  for (uint32_t t = 0; t < 6; ++t) {
    INFO("after step " << t);
    r.step(t);
    const bool odd = t % 2 == 0;  // rows 1, 3, 5: swapped
    CHECK(r.agent("opinion", 0) == (odd ? 0 : 1));
    CHECK(r.agent("opinion", 1) == (odd ? 1 : 0));
    CHECK(r.agent("opinion", 2) == 1);
    CHECK(r.series("opinion_1") == Approx(2 / 3.0));
    CHECK(r.series("discordant_ties") == 1.0);
  }
  // No consensus: final share 2/3, neither consensus flag, no consensus step.
  const auto tot = r.totals();
  CHECK(tot[0] == Approx(2 / 3.0));
  CHECK(tot[1] == 0);
  CHECK(tot[2] == 0);
  CHECK(std::isnan(tot[3]));
  CHECK(r.agent("initial_opinion", 0) == 1);
}

TEST_CASE("voter, random-sequential: a pair agrees after its first update", "[scenario]") {
  // The first of the N = 2 updates of step 0 picks one of the two, which copies the other: both
  // agree at row 1, on the opinion of the agent not picked, and stay so.
  for (uint32_t rep = 0; rep < 8; ++rep) {
    const World w = opinions_world(2, {{0, 1}}, {1, 0});
    TinyRun r(voter_scenario("1", 2), w, "baseline", rep);
    r.step(0);
    CHECK(r.agent("opinion", 0) == r.agent("opinion", 1));
    CHECK(r.series("discordant_ties") == 0.0);
    for (uint32_t t = 1; t < 4; ++t) r.step(t);
    const auto tot = r.totals();
    CHECK(tot[1] + tot[2] == 1);
    CHECK(tot[0] == tot[1]);
    CHECK(tot[3] == 1);
  }
}

TEST_CASE("voter, lazy synchronous: a pair does not swap forever", "[scenario]") {
  // Per step the split pair stays split with probability 1/2 (both keep, or both copy: a swap)
  // and agrees otherwise; a fixed seed's 60 steps reach consensus unless all 60 draws say
  // "split" (probability 2^−60).
  for (uint32_t rep = 0; rep < 8; ++rep) {
    const World w = opinions_world(2, {{0, 1}}, {1, 0});
    TinyRun r(voter_scenario("2", 2), w, "baseline", rep);
    for (uint32_t t = 0; t < 60; ++t) r.step(t);
    const auto tot = r.totals();
    CHECK(tot[1] + tot[2] == 1);
    CHECK(tot[3] >= 1);
  }
}

TEST_CASE("voter, synchronous: a path of three from (1, 0, 0)", "[scenario][stat]") {
  // The ends have one neighbour, the middle: row 1 is (0, y, 0) with y = x₀(0) = 1 or x₂(0) = 0,
  // each with probability 1/2. y = 0 is consensus on 0 at row 1; y = 1 is the split (0, 1, 0),
  // which swaps with (1, 0, 1) for ever (a path is bipartite). Σdᵢxᵢ/Σdᵢ = 1/4 at row 0, and
  // P(consensus on 0) · 0 + P(split) · 1/2 = 1/4 (the martingale).
  const uint32_t R = 2000;
  uint32_t consensus = 0;
  for (uint32_t rep = 0; rep < R; ++rep) {
    const World w = opinions_world(3, {{0, 1}, {1, 2}}, {1, 0, 0});
    TinyRun r(voter_scenario("0", 3), w, "baseline", rep);
    if (rep == 0) {
      CHECK(r.series("opinion_1") == Approx(1 / 3.0));
      CHECK(r.series("discordant_ties") == 0.5);  // tie 0–1 disagrees, 1–2 does not
    }
    r.step(0);
    REQUIRE(r.agent("opinion", 0) == 0);
    REQUIRE(r.agent("opinion", 2) == 0);
    const bool split = r.agent("opinion", 1) == 1;
    for (uint32_t t = 1; t < 5; ++t) {
      r.step(t);
      // split: rows 2, 4 are (1, 0, 1), rows 3, 5 are (0, 1, 0)
      const double ends = split ? (t % 2 == 1 ? 1 : 0) : 0;
      REQUIRE(r.agent("opinion", 0) == ends);
      REQUIRE(r.agent("opinion", 2) == ends);
      REQUIRE(r.agent("opinion", 1) == (split ? 1 - ends : 0));
    }
    const auto tot = r.totals();
    REQUIRE(tot[2] == (split ? 0 : 1));
    REQUIRE(tot[1] == 0);
    if (!split) {
      REQUIRE(tot[3] == 1);
      ++consensus;
    }
  }
  // 4 SE of a proportion 1/2 over R runs: 4 · sqrt(0.25 / 2000) = 0.045
  CHECK(consensus / double(R) == Approx(0.5).margin(4 * std::sqrt(0.25 / R)));
}

TEST_CASE("voter: initial_share draws round(share · N) holders of opinion 1", "[scenario]") {
  Scenario s = parse(
      "population: {size: 40, communities: 2}\nnetwork: {kind: complete}\n"
      "model: {kind: voter, initial_share: 0.3}\n");
  Run r(s);
  CHECK(r.run.series("opinion_1") == Approx(12 / 40.0));
  // On the complete graph a tie disagrees with probability 2 · 12 · 28 / (40 · 39).
  CHECK(r.run.series("discordant_ties") == Approx(2.0 * 12 * 28 / (40 * 39)));
  Scenario all = parse("population: {size: 10}\nmodel: {kind: voter, initial_share: 1}\n");
  Run ra(all);
  CHECK(ra.run.totals() == std::vector<double>{1, 1, 0, 0});  // consensus from row 0
}

TEST_CASE("voter: initial_share and seed_by 1 together are an error", "[unit]") {
  CHECK(errors_of("model: {kind: voter, seed_by: 1, initial_share: 0.2}\n") ==
        "ref.yaml:1:49: error: model: initial_share is not read when seed_by is 1 (opinions from "
        "the opinion draws): leave one of them out\n");
  CHECK(errors_of("model: {kind: voter, update: 3}\n").find("out of range") != std::string::npos);
}

// --- Through the runner ----------------------------------------------------------------------

TEST_CASE("every model kind of the catalog runs through the runner, the same for 1 and 2 threads",
          "[scenario]") {
  // The kinds come from the catalog, so a kind added later is run here too. Settings that make
  // a kind do something worth comparing on 3,000 agents; a kind without an entry runs with its
  // defaults.
  const std::map<std::string, std::string> settings = {
      {"linear_threshold",
       "model: {kind: linear_threshold, threshold: 0.18, seeds: {count: 3}}\n"
       "network: {kind: erdos_renyi, mean_degree: 3}\n"},
      {"independent_cascade",
       "model: {kind: independent_cascade, probability: 0.3, seeds: {fraction: 0.01}}\n"
       "network: {kind: erdos_renyi, mean_degree: 4}\n"},
      {"sir",
       "model: {kind: sir, beta: 0.2, gamma: 0.3, seeds: {count: 5}}\n"
       "network: {kind: watts_strogatz, degree: 6}\n"},
      {"degroot",
       "model: {kind: degroot, kappa: 0.4}\nnetwork: {kind: barabasi_albert, edges_per_node: 2}\n"},
      {"deffuant", "model: {kind: deffuant, epsilon: 0.3}\nnetwork: {kind: villages}\n"},
      {"prevention", "trafficking: {approach_rate: 0.05}\n"},
  };
  for (const auto& [name, yaml] : settings) {
    INFO("settings for " << name);
    CHECK(catalog().find(name) != nullptr);  // no settings for a kind that is gone
  }
  const auto kinds = catalog().names();
  CHECK(kinds.size() >= 2);
  for (const std::string& kind : kinds) {
    const auto given = settings.find(kind);
    const std::string yaml =
        given != settings.end() ? given->second : "model: {kind: " + kind + "}\n";
    INFO(kind << ":\n" << yaml);
    Scenario s = parse(
        "population: {size: 3000}\n"
        "steps: 20\nreplicates: 3\noutputs: {snapshots: [0, 20]}\n" +
        yaml);
    REQUIRE(s.model_kind == kind);
    RunOptions one, two;
    one.threads = 1, two.threads = 2;
    Results a = run_scenario(s, one), b = run_scenario(s, two);
    REQUIRE(a.arms.size() == 1);
    CHECK(a.series_names == s.kind->outputs.series_names());
    CHECK(a.comparisons.empty());
    // Equal values, NaN included (a total such as the voter model's consensus_step is NaN when
    // the event did not happen, and NaN == NaN is false).
    auto same = [](const auto& x, const auto& y) {
      return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](auto u, auto v) {
               return u == v || (std::isnan(u) && std::isnan(v));
             });
    };
    for (uint32_t rep = 0; rep < 3; ++rep) {
      CHECK(same(a.arms[0].replicates[rep].series, b.arms[0].replicates[rep].series));
      CHECK(same(a.arms[0].replicates[rep].communities, b.arms[0].replicates[rep].communities));
      CHECK(same(a.arms[0].replicates[rep].totals, b.arms[0].replicates[rep].totals));
    }
    REQUIRE(a.arms[0].replicates[0].snapshots.size() == 2);
    CHECK(a.arms[0].replicates[0].snapshots[1].columns.at(0).values.size() == 3000);
    // Something moved between the first and the last row, so equality means something.
    const RunResult& run = a.arms[0].replicates[0];
    const size_t rows = a.rows();
    bool moved = false;
    for (size_t m = 0; m < a.series_names.size(); ++m)
      moved |= run.series[m * rows] != run.series[m * rows + rows - 1];
    CHECK(moved);
    // Reference kinds (those taking no interventions, docs/model.md section 9) report shares
    // and opinions only: each in [0, 1].
    if (!s.kind->interventions.empty()) continue;
    for (double v : run.series) {
      CHECK(v >= 0);
      CHECK(v <= 1);
    }
  }
}
