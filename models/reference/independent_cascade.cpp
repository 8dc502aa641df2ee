// Independent cascade model (Goldenberg, Libai & Muller 2001; Kempe, Kleinberg & Tardos 2003).
// An agent activated at step t tries, in transition t and never again, to activate each of its
// neighbours inactive at t, each with probability `probability`, independently. Once active,
// always active.
#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

constexpr uint8_t kInactive = 0, kActive = 1;

ParamSchema schema() {
  ParamSchema s{
      {"probability", 0.1, 0, 1, "probability",
       "chance that a newly active agent activates one inactive neighbour", false,
       "Kempe et al. 2003 (illustrative default)"},
  };
  add_seed_params(s);
  return s;
}

class IndependentCascadeModel final : public Model {
 public:
  explicit IndependentCascadeModel(const ParamValues& p)
      : probability(p.get("probability")), seeds(read_seeds(p)) {}
  std::vector<std::string> series_names() const override { return {"active"}; }
  std::vector<std::string> total_names() const override {
    return {"active_final", "active_count", "last_activation"};
  }
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double probability;
  SeedRule seeds;
};

class IndependentCascadeSimulation final : public Simulation {
 public:
  IndependentCascadeSimulation(const IndependentCascadeModel& m, const World& w, const Rng& rng)
      : m_(m),
        w_(w),
        rng_(rng),
        active_(w.layout.agents, kInactive),
        activated_(w.layout.agents, -1),
        counts_(w, 2) {
    frontier_ = choose_seeds(m.seeds, w.layout.agents, rng);
    for (uint32_t i : frontier_) activate(i, 0);
  }

  // Transition t: each agent i activated at t tries each neighbour j inactive at t once,
  //   j becomes active  ⇔  u(t, j, transmission, i) < probability  for some such i.
  // The draw is keyed by the pair, so the order of the attempts does not matter.
  void step(uint32_t t) override {
    std::vector<uint32_t> newly;
    for (uint32_t i : frontier_)
      for (uint32_t j : w_.network.neighbours(i)) {
        if (active_[j]) continue;  // active at t, or already activated in this transition
        if (rng_.uniform(t, j, Purpose::transmission, i) < m_.probability) {
          active_[j] = kActive;  // applied below; marks j so that it is counted once
          newly.push_back(j);
        }
      }
    for (uint32_t j : newly) {
      active_[j] = kInactive;
      activate(j, static_cast<int64_t>(t) + 1);
    }
    frontier_ = std::move(newly);
  }

  void observe(Observation& row) const override { counts_.observe(row, {kActive}); }

  std::vector<double> totals() const override {
    return {counts_.share(kActive), static_cast<double>(counts_.count(kActive)),
            static_cast<double>(last_activation_)};
  }

  std::vector<Column> snapshot() const override {
    using T = Column::Type;
    const uint32_t n = w_.layout.agents;
    std::vector<Column> cols = agent_columns(w_);
    cols.push_back(column("active", T::u8, n, [&](uint32_t i) { return active_[i]; }));
    cols.push_back(column("activated_step", T::f64, n,
                          [&](uint32_t i) { return static_cast<double>(activated_[i]); }));
    return cols;
  }

 private:
  void activate(uint32_t i, int64_t step) {
    active_[i] = kActive;
    activated_[i] = step;
    last_activation_ = step;
    counts_.move(i, kInactive, kActive);
  }

  const IndependentCascadeModel& m_;
  const World& w_;
  Rng rng_;
  std::vector<uint8_t> active_;
  std::vector<int64_t> activated_;  // step (row) at which the agent became active; −1: never
  std::vector<uint32_t> frontier_;  // activated at the current step: they try in this transition
  StateCounts counts_;
  int64_t last_activation_ = 0;
};

std::unique_ptr<Simulation> IndependentCascadeModel::start(const World& world,
                                                           const Rng& rng) const {
  return std::make_unique<IndependentCascadeSimulation>(*this, world, rng);
}

}  // namespace

ModelKind independent_cascade_kind() {
  ModelKind k;
  k.name = "independent_cascade";
  k.about =
      "independent cascade: each newly active agent activates each inactive neighbour "
      "once with a probability (Kempe et al. 2003)";
  k.sections = {{"model", schema()}};
  k.single_arm = true;
  k.check = check_seeds;
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<IndependentCascadeModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
