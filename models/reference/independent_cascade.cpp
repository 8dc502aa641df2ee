// Independent cascade model (Goldenberg, Libai & Muller 2001; Kempe, Kleinberg & Tardos 2003).
// An agent activated at step t tries, in transition t and never again, to activate each of its
// neighbours inactive at t, each with probability `probability`, independently. Once active,
// always active.
#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

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
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double probability;
  SeedRule seeds;
};

class IndependentCascadeSimulation final : public ActivationSimulation {
 public:
  IndependentCascadeSimulation(const IndependentCascadeModel& m, const World& w, const Rng& rng)
      : ActivationSimulation(w), m_(m), rng_(rng) {
    frontier_ = choose_seeds(m.seeds, w.layout.agents, rng);
    for (uint32_t i : frontier_) activate(i, 0);
  }

  // Transition t: each agent i activated at t tries each neighbour j inactive at t once,
  //   j becomes active  ⇔  u(t, j, transmission, i) < probability  for some such i.
  // The draw is keyed by the pair, so the order of the attempts does not matter.
  void step(uint32_t t) override {
    newly_.clear();
    for (uint32_t i : frontier_)
      for (uint32_t j : w_.network.neighbours(i)) {
        if (active_[j]) continue;  // active at t, or already activated in this transition
        if (rng_.uniform(t, j, purpose::transmission, i) < m_.probability) {
          active_[j] = kActive;  // applied below; marks j so that it is counted once
          newly_.push_back(j);
        }
      }
    for (uint32_t j : newly_) {
      active_[j] = kInactive;
      activate(j, static_cast<int64_t>(t) + 1);
    }
    frontier_.swap(newly_);
  }

 private:
  const IndependentCascadeModel& m_;
  Rng rng_;
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
  k.purposes = kPurposes;
  k.outputs = activation_outputs();
  k.check = check_seeds;
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<IndependentCascadeModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
