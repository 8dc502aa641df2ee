// Deffuant bounded confidence (Deffuant, Neau, Amblard & Weisbuch 2000) on the network's ties.
// The original picks one random pair per time unit; here every step pairs many agents at once,
// by a matching that is a pure function of the random numbers (so any thread count gives the
// same result):
//   1. every tie {i, j}, i < j, gets a 32-bit key: word j mod 4 of Philox (t, i, pairing,
//      ⌊j / 4⌋) (one Philox call serves four ties of i: a quarter of the draws on dense graphs);
//   2. every agent chooses the neighbour whose tie has the smallest key (equal keys: the smaller
//      neighbour id);
//   3. i and j are a pair when each chose the other, i.e. the key of their tie is the smallest
//      of all ties at both ends (on a d-regular graph a tie is a pair with probability
//      1/(2d − 1): about N/4 pairs, half of the agents, each step; on any graph a matching);
//   4. in each pair, if |x_i − x_j| < epsilon:  x_i ← x_i + mu · (x_j − x_i),
//      x_j ← x_j + mu · (x_i − x_j), both from the values at t.
// Unpaired agents keep their opinion. Initial opinions: population.initial.otherness (the classic
// setting is uniform on [0, 1]).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

constexpr uint32_t kNobody = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kGrain = 1024;  // agents per parallel task

ParamSchema schema() {
  return ParamSchema{
      {"epsilon", 0.2, 0, 1, "",
       "confidence bound: a pair interacts only when its opinions "
       "differ by less",
       false, "Deffuant et al. 2000"},
      {"mu", 0.5, 0, 0.5, "", "convergence parameter: how far each moves towards the other", false,
       "Deffuant et al. 2000"},
  };
}

class DeffuantModel final : public Model {
 public:
  explicit DeffuantModel(const ParamValues& p) : epsilon(p.get("epsilon")), mu(p.get("mu")) {}
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double epsilon, mu;
};

class DeffuantSimulation final : public OpinionSimulation {
 public:
  DeffuantSimulation(const DeffuantModel& m, const World& w, const Rng& rng)
      : OpinionSimulation(w),
        m_(m),
        rng_(rng),
        choice_(w.layout.agents, kNobody),
        row_(w.layout.agents + 1, 0) {
    const uint32_t n = w.layout.agents;
    for (uint32_t i = 0; i < n; ++i) row_[i + 1] = row_[i] + w.network.degree(i);
    key_.resize(row_[n]);
    reverse_.resize(row_[n]);
    // reverse_[arc i→j] = the arc j→i (neighbour lists are sorted).
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, n, kGrain), [&](const auto& r) {
      for (uint32_t i = r.begin(); i < r.end(); ++i) {
        const auto ties = w.network.neighbours(i);
        for (size_t p = 0; p < ties.size(); ++p) {
          const auto back = w.network.neighbours(ties[p]);
          reverse_[row_[i] + p] =
              row_[ties[p]] + (std::lower_bound(back.begin(), back.end(), i) - back.begin());
        }
      }
    });
  }

  void step(uint32_t t) override {
    // 1. A key per tie, drawn by its smaller end and stored on both its arcs.
    parallel([&](uint32_t i) {
      const auto ties = w_.network.neighbours(i);
      std::array<uint32_t, 4> words{};
      uint64_t group = std::numeric_limits<uint64_t>::max();
      for (size_t p = 0; p < ties.size(); ++p) {
        const uint32_t j = ties[p];
        if (j < i) continue;
        if (j / 4 != group) group = j / 4, words = rng_.bits(t, i, purpose::pairing, group);
        key_[row_[i] + p] = key_[reverse_[row_[i] + p]] = words[j % 4];
      }
    });
    // 2. Each agent chooses the neighbour of its smallest key (neighbours are in id order, so
    //    the first of equal keys is the smaller id).
    parallel([&](uint32_t i) {
      const auto ties = w_.network.neighbours(i);
      const uint32_t* keys = key_.data() + row_[i];
      uint32_t best = kNobody, best_key = 0;
      for (size_t p = 0; p < ties.size(); ++p)
        if (best == kNobody || keys[p] < best_key) best = ties[p], best_key = keys[p];
      choice_[i] = best;
    });
    // 3–4. Mutual choices are pairs; a pair closer than epsilon moves together.
    const double eps = m_.epsilon, mu = m_.mu;
    parallel([&](uint32_t i) {
      const uint32_t j = choice_[i];
      const bool paired = j != kNobody && choice_[j] == i;
      // x_i ← x_i + mu · (x_j − x_i)  when |x_i − x_j| < epsilon
      next_[i] = paired && std::abs(x_[i] - x_[j]) < eps ? x_[i] + mu * (x_[j] - x_[i]) : x_[i];
    });
    x_.swap(next_);
  }

 private:
  template <class F>
  void parallel(F f) {
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, w_.layout.agents, kGrain),
                      [&](const tbb::blocked_range<uint32_t>& r) {
                        for (uint32_t i = r.begin(); i < r.end(); ++i) f(i);
                      });
  }

  const DeffuantModel& m_;
  Rng rng_;
  std::vector<uint32_t> choice_;  // the neighbour each agent chose this step
  std::vector<uint64_t> row_;     // first arc of each agent
  std::vector<uint32_t> key_;     // per arc, this step's key of its tie
  std::vector<uint64_t> reverse_;
};

std::unique_ptr<Simulation> DeffuantModel::start(const World& world, const Rng& rng) const {
  return std::make_unique<DeffuantSimulation>(*this, world, rng);
}

}  // namespace

ModelKind deffuant_kind() {
  ModelKind k;
  k.name = "deffuant";
  k.about =
      "Deffuant bounded confidence: paired neighbours closer than epsilon move together "
      "(Deffuant et al. 2000)";
  k.sections = {{"model", schema()}};
  k.purposes = kPurposes;
  k.traits = {opinion_trait()};
  k.outputs = opinion_outputs();
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<DeffuantModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
