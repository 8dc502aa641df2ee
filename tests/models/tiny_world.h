// Hand-built worlds for rule tests: a few agents, ties given explicitly, every agent its own
// household in one community (unless said otherwise), traits set by the test.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/prevention/declarations.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/world.h"
#include "tests/support/test_support.h"

namespace fourp::test {

inline World tiny_world(uint32_t n, std::vector<std::pair<uint32_t, uint32_t>> ties,
                        std::vector<uint32_t> households = {}) {
  World w;
  Layout& L = w.layout;
  L.agents = n;
  L.community_start = {0, n};
  L.community.assign(n, 0);
  if (households.empty())  // each agent its own household
    for (uint32_t i = 0; i <= n; ++i) households.push_back(i);
  L.household_start = households;
  L.household.resize(n);
  for (uint32_t h = 0; h + 1 < households.size(); ++h)
    for (uint32_t i = households[h]; i < households[h + 1]; ++i) L.household[i] = h;
  w.network = Network(n, std::move(ties));
  // The prevention model's roles (none) and traits (0.5, threshold 1), models/prevention/
  // declarations.h order; tests set them by name: trait(w, trait::trust)[i] = 0.4f.
  AgentTraits& t = w.traits;
  t.roles.assign(3, std::vector<uint8_t>(n, 0));
  t.initial.assign(5, std::vector<float>(n, 0.5f));
  t.initial[models::trait::threshold].assign(n, 1.0f);
  return w;
}

// A scenario whose every learning rate and risk is zero unless `extra` (YAML lines under the
// top level) sets them: each rule can then be tested alone.
// A tiny world's role or trait, by the prevention model's names.
inline std::vector<uint8_t>& role(World& w, uint32_t r) {
  return w.traits.roles.at(r);
}
inline std::vector<float>& trait(World& w, uint32_t j) {
  return w.traits.initial.at(j);
}

inline std::string quiet_model_yaml() {
  return R"(
model:
  kappa_a: 0
  kappa_f: 0
  forget: 0
  kappa_o: 0
  kappa_t: 0
  trust_relax: 0
  efficacy_relax: 0
  eta_o: 0
  eta_a: 0
  social_weight: 0
  hysteresis: 0.05
trafficking:
  approach_rate: 0
)";
}

// Runs one arm of `scenario` on `world` and gives access to the agents after each step.
class TinyRun {
 public:
  TinyRun(const Scenario& s, const World& world, const std::string& arm, uint32_t replicate = 0)
      : model_(s.kind->make(s, resolve_arm(s, *s.arm(arm)))),
        sim_(model_->start(world, Rng(s.seed, replicate))),
        names_(s.kind->outputs.series_names()),
        communities_(world.layout.communities()) {
    refresh();
  }
  void step(uint32_t t) {
    sim_->step(t);
    refresh();
  }
  double agent(const std::string& column, uint32_t i) const {
    for (const auto& c : cols_)
      if (c.name == column) return c.values.at(i);
    FAIL("no snapshot column " << column);
    return 0;
  }
  double series(const std::string& metric) const {
    for (size_t m = 0; m < names_.size(); ++m)
      if (names_[m] == metric) return row_[m];
    FAIL("no metric " << metric);
    return 0;
  }
  std::vector<double> totals() const { return sim_->totals(); }

 private:
  void refresh() {
    cols_ = sim_->snapshot();
    row_.assign(names_.size(), 0);
    at_risk_.assign(names_.size(), 0);
    comm_.assign(names_.size() * communities_, 0);
    Observation o{row_, at_risk_, comm_};
    sim_->observe(o);
  }
  std::unique_ptr<Model> model_;
  std::unique_ptr<Simulation> sim_;
  std::vector<std::string> names_;
  uint32_t communities_;
  std::vector<Column> cols_;
  std::vector<double> row_, at_risk_;
  std::vector<float> comm_;
};

}  // namespace fourp::test
