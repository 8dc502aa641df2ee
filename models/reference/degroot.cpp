// DeGroot averaging (DeGroot 1974), in the lazy form used for otherness in the prevention model:
//   x_i ← x_i + kappa · (x̄_i − x_i),   x̄_i the mean of x over i's neighbours at t,
// synchronously, in double precision; an isolated agent keeps its opinion. Σ d_i x_i is conserved
// (Σ_i d_i (x̄_i − x_i) = Σ_i Σ_{j∈N(i)} x_j − Σ_i d_i x_i = 0), so on a connected graph that is
// not bipartite (or with kappa < 1) opinions converge to the degree-weighted mean
// Σ d_i x_i / Σ d_i of the initial opinions. Initial opinions: population.initial.otherness.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

ParamSchema schema() {
  return ParamSchema{
      {"kappa", 0.5, 0, 1, "1/step", "weight of the neighbours' mean opinion in each step", false,
       "DeGroot 1974 (illustrative default)"},
  };
}

class DeGrootModel final : public Model {
 public:
  explicit DeGrootModel(const ParamValues& p) : kappa(p.get("kappa")) {}
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double kappa;
};

class DeGrootSimulation final : public OpinionSimulation {
 public:
  DeGrootSimulation(const DeGrootModel& m, const World& w) : OpinionSimulation(w), m_(m) {}

  // Transition t. Each agent's neighbour sum is taken in neighbour order, so the numbers do not
  // depend on how agents are spread over threads.
  void step(uint32_t) override {
    const double kappa = m_.kappa;
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, w_.layout.agents, 4096),
                      [&](const tbb::blocked_range<uint32_t>& r) {
                        for (uint32_t i = r.begin(); i < r.end(); ++i) {
                          const auto ties = w_.network.neighbours(i);
                          if (ties.empty()) {
                            next_[i] = x_[i];
                            continue;
                          }
                          double sum = 0;
                          for (uint32_t j : ties) sum += x_[j];
                          // x ← x + kappa · (x̄ − x)
                          next_[i] = x_[i] + kappa * (sum / ties.size() - x_[i]);
                        }
                      });
    x_.swap(next_);
  }

 private:
  const DeGrootModel& m_;
};

std::unique_ptr<Simulation> DeGrootModel::start(const World& world, const Rng&) const {
  return std::make_unique<DeGrootSimulation>(*this, world);
}

}  // namespace

ModelKind degroot_kind() {
  ModelKind k;
  k.name = "degroot";
  k.about = "DeGroot averaging: opinions move towards the neighbours' mean (DeGroot 1974)";
  k.sections = {{"model", schema()}};
  k.purposes = kPurposes;
  k.traits = {opinion_trait()};
  k.outputs = opinion_outputs();
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<DeGrootModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
