// SIR on a network (Kermack & McKendrick 1927 on a contact network; Newman 2002, "Spread of
// epidemic disease on networks"). Per transition t, reading the state at t: each infected agent
// infects each susceptible neighbour with probability beta, independently, and recovers with
// probability gamma (so an agent infected at t is infectious from transition t + 1 on). With
// gamma = 1 every infected agent transmits along each of its ties exactly once with probability
// beta: the final outbreak is bond percolation with transmissibility T = beta.
#include <algorithm>
#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

constexpr uint8_t kSusceptible = 0, kInfected = 1, kRecovered = 2;

ParamSchema schema() {
  ParamSchema s{
      {"beta", 0.1, 0, 1, "1/step",
       "probability an infected agent infects one susceptible "
       "neighbour in a step",
       false, "Illustrative"},
      {"gamma", 0.2, 0, 1, "1/step", "probability an infected agent recovers in a step", false,
       "Illustrative (mean infectious period 1/gamma steps)"},
  };
  add_seed_params(s);
  return s;
}

class SirModel final : public Model {
 public:
  explicit SirModel(const ParamValues& p)
      : beta(p.get("beta")), gamma(p.get("gamma")), seeds(read_seeds(p)) {}
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double beta, gamma;
  SeedRule seeds;
};

class SirSimulation final : public Simulation {
 public:
  SirSimulation(const SirModel& m, const World& w, const Rng& rng)
      : m_(m),
        w_(w),
        rng_(rng),
        state_(w.layout.agents, kSusceptible),
        infected_at_(w.layout.agents, -1),
        recovered_at_(w.layout.agents, -1),
        counts_(w, 3) {
    infected_ = choose_seeds(m.seeds, w.layout.agents, rng);
    for (uint32_t i : infected_) {
      state_[i] = kInfected, infected_at_[i] = 0;
      counts_.move(i, kSusceptible, kInfected);
    }
    peak_ = counts_.share(kInfected);
  }

  // Transition t: infection, then recovery, both reading the state at t.
  void step(uint32_t t) override {
    // Infection: susceptible j is infected  ⇔  u(t, j, transmission, i) < beta  for some infected
    // neighbour i (one draw per tie and step; the order of the infected does not matter).
    std::vector<uint32_t> newly;
    for (uint32_t i : infected_)
      for (uint32_t j : w_.network.neighbours(i))
        if (state_[j] == kSusceptible && rng_.uniform(t, j, purpose::transmission, i) < m_.beta) {
          state_[j] = kInfected;  // counts as infected only from t + 1: it is not in infected_
          infected_at_[j] = static_cast<int64_t>(t) + 1;
          counts_.move(j, kSusceptible, kInfected);
          newly.push_back(j);
        }
    // Recovery of those infected at t:  u(t, i, recovery, 0) < gamma.
    std::vector<uint32_t> still;
    still.reserve(infected_.size() + newly.size());
    for (uint32_t i : infected_) {
      if (rng_.uniform(t, i, purpose::recovery, 0) < m_.gamma) {
        state_[i] = kRecovered, recovered_at_[i] = static_cast<int64_t>(t) + 1;
        counts_.move(i, kInfected, kRecovered);
      } else {
        still.push_back(i);
      }
    }
    still.insert(still.end(), newly.begin(), newly.end());
    infected_ = std::move(still);
    if (counts_.share(kInfected) > peak_) peak_ = counts_.share(kInfected), peak_step_ = t + 1;
  }

  void observe(Observation& row) const override {
    counts_.observe(row, {kSusceptible, kInfected, kRecovered});
  }

  std::vector<double> totals() const override {
    return {1.0 - counts_.share(kSusceptible), counts_.share(kInfected), peak_,
            static_cast<double>(peak_step_)};
  }

  std::vector<Column> snapshot() const override {
    using T = Column::Type;
    const uint32_t n = w_.layout.agents;
    std::vector<Column> cols = agent_columns(w_);
    cols.push_back(column("state", T::u8, n, [&](uint32_t i) { return state_[i]; }));
    cols.push_back(column("infected_step", T::f64, n,
                          [&](uint32_t i) { return static_cast<double>(infected_at_[i]); }));
    cols.push_back(column("recovered_step", T::f64, n,
                          [&](uint32_t i) { return static_cast<double>(recovered_at_[i]); }));
    return cols;
  }

 private:
  const SirModel& m_;
  const World& w_;
  Rng rng_;
  std::vector<uint8_t> state_;                       // 0 susceptible, 1 infected, 2 recovered
  std::vector<int64_t> infected_at_, recovered_at_;  // step (row); −1: never
  std::vector<uint32_t> infected_;                   // infected at the current step
  StateCounts counts_;
  double peak_ = 0;
  int64_t peak_step_ = 0;
};

std::unique_ptr<Simulation> SirModel::start(const World& world, const Rng& rng) const {
  return std::make_unique<SirSimulation>(*this, world, rng);
}

}  // namespace

ModelKind sir_kind() {
  ModelKind k;
  k.name = "sir";
  k.about = "susceptible-infected-recovered on the network (Newman 2002)";
  k.sections = {{"model", schema()}};
  k.purposes = kPurposes;
  k.outputs.series = {
      {"susceptible", "Susceptible", "susceptible (% of people)", Scale::share, false, true, true},
      {"infected", "Infected", "infected (% of people)", Scale::share, false, true, true},
      {"recovered", "Recovered", "recovered (% of people)", Scale::share, false, true, true}};
  k.outputs.outcomes = {
      {"final_size", "share ever infected (final size)", Scale::share, Better::fewer, true,
       "final size"},
      {"infected_final", "share infected at the end", Scale::share, Better::fewer},
      {"peak_infected", "peak share infected", Scale::share, Better::fewer, true, "peak infected"},
      {"peak_step", "step of the peak", Scale::number, Better::neither, true, "peak step"}};
  k.outputs.headline = "final_size";
  k.outputs.improvement = {"infections_averted",
                           "infections averted (share of people)",
                           "",
                           "",
                           "averted",
                           "infections (as a share of people)",
                           "infection averted"};
  k.check = check_seeds;
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<SirModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
