// Linear threshold model (Granovetter 1978; Watts 2002, "A simple model of global cascades on
// random networks"). State: active or not; once active, always active. Synchronous: what an agent
// reads of its neighbours is the state at t.
#include <cmath>
#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

ParamSchema schema() {
  ParamSchema s{
      {"threshold", kNotGiven, 0, 1, "",
       "share of neighbours that must be active; absent: each agent's own threshold drawn from "
       "population.initial.threshold",
       false, "Watts 2002", true},
      {"threshold_count", kNotGiven, 1, 4294967295.0, "agents",
       "instead of a share: number of neighbours that must be active", true, "Granovetter 1978",
       true},
  };
  add_seed_params(s);
  return s;
}

class LinearThresholdModel final : public Model {
 public:
  explicit LinearThresholdModel(const ParamValues& p)
      : threshold(p.get("threshold")),
        threshold_count(p.get("threshold_count")),
        seeds(read_seeds(p)) {}
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double threshold;        // NaN: each agent's trait
  double threshold_count;  // NaN: the share rule
  SeedRule seeds;
};

class LinearThresholdSimulation final : public ActivationSimulation {
 public:
  LinearThresholdSimulation(const LinearThresholdModel& m, const World& w, const Rng& rng)
      : ActivationSimulation(w),
        m_(m),
        active_neighbours_(w.layout.agents, 0),
        queued_(w.layout.agents, 0) {
    for (uint32_t i : choose_seeds(m.seeds, w.layout.agents, rng)) activate_and_tell(i, 0);
  }

  // Transition t. Only an agent one of whose neighbours became active can newly reach its
  // threshold, so after transition 0 (which looks at everyone: a threshold of 0 needs no active
  // neighbour) only the inactive neighbours of the agents activated at t are looked at.
  void step(uint32_t t) override {
    candidates_.clear();
    if (t == 0) {
      for (uint32_t i = 0; i < w_.layout.agents; ++i)
        if (!active_[i]) candidates_.push_back(i);
    } else {
      for (uint32_t i : frontier_)
        for (uint32_t j : w_.network.neighbours(i))
          if (!active_[j] && !queued_[j]) queued_[j] = 1, candidates_.push_back(j);
      for (uint32_t j : candidates_) queued_[j] = 0;
    }
    // Decide every candidate on the state at t, then apply.
    newly_.clear();
    for (uint32_t i : candidates_)
      if (reaches_threshold(i)) newly_.push_back(i);
    for (uint32_t i : newly_) activate_and_tell(i, static_cast<int64_t>(t) + 1);
    frontier_.swap(newly_);
  }

  std::vector<Column> snapshot() const override {
    std::vector<Column> cols = ActivationSimulation::snapshot();
    cols.push_back(column("threshold", Column::Type::f64, w_.layout.agents,
                          [&](uint32_t i) { return theta(i); }));
    return cols;
  }

 private:
  double theta(uint32_t i) const {
    return std::isnan(m_.threshold) ? static_cast<double>(w_.traits.initial[0][i]) : m_.threshold;
  }

  // m_i = active neighbours at t, d_i = neighbours:  active  ⇔  m_i / d_i ≥ θ_i  (or m_i ≥ K).
  // An isolated agent has no share of active neighbours and never becomes active by it.
  bool reaches_threshold(uint32_t i) const {
    const uint32_t m = active_neighbours_[i], d = w_.network.degree(i);
    if (!std::isnan(m_.threshold_count)) return m >= m_.threshold_count;
    return d > 0 && static_cast<double>(m) / d >= theta(i);
  }

  // Activates i and counts it among its neighbours' active neighbours.
  void activate_and_tell(uint32_t i, int64_t step) {
    if (!activate(i, step)) return;
    for (uint32_t j : w_.network.neighbours(i)) ++active_neighbours_[j];
  }

  const LinearThresholdModel& m_;
  std::vector<uint32_t> active_neighbours_;
  std::vector<uint8_t> queued_;
  std::vector<uint32_t> candidates_;  // a buffer kept between steps
};

std::unique_ptr<Simulation> LinearThresholdModel::start(const World& world, const Rng& rng) const {
  return std::make_unique<LinearThresholdSimulation>(*this, world, rng);
}

}  // namespace

ModelKind linear_threshold_kind() {
  ModelKind k;
  k.name = "linear_threshold";
  k.about =
      "linear threshold model: active when the active share of neighbours reaches a "
      "threshold (Watts 2002)";
  k.sections = {{"model", schema()}};
  k.purposes = kPurposes;
  k.traits = {
      {"threshold", {Distribution::Kind::normal, 0.35, 0.1, {}}, "the activation threshold"}};
  k.outputs = activation_outputs();
  k.check = [](const Scenario& s, Diagnostics& diag) {
    check_seeds(s, diag);
    for_each_model_section(s, [&](const ParamValues& m) {
      check_one_of(m, {"threshold", "threshold_count"}, diag);
    });
  };
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<LinearThresholdModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
