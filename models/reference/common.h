// What the reference models (linear threshold, independent cascade, SIR, DeGroot, Deffuant)
// share: who is seeded, counts of agents by state for the observables, opinion statistics,
// snapshot columns, and the scenario checks of their parameters. docs/model.md section 9.
//
//   SeedRule rule = read_seeds(arm.sections[0]);
//   for (uint32_t i : choose_seeds(rule, world.layout.agents, rng)) ...
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sim/catalog.h"
#include "sim/model.h"
#include "sim/params.h"
#include "sim/scenario.h"

namespace fourp::models::reference {

inline constexpr double kNotGiven = std::numeric_limits<double>::quiet_NaN();

// The random-number purposes of the reference models (they share one range).
namespace purpose {
inline constexpr Purpose seeding{12};       // which agents start active or infected
inline constexpr Purpose transmission{13};  // a tie passes activation or infection on
inline constexpr Purpose recovery{14};      // SIR
inline constexpr Purpose pairing{15};       // Deffuant
}  // namespace purpose
inline constexpr PurposeRange kPurposes{12, 15};

// `population.initial.opinion`: the opinion models' initial opinions (uniform on [0, 1] unless
// given).
TraitSpec opinion_trait();
// The declarations of the opinion models (DeGroot, Deffuant) and the activation models (linear
// threshold, independent cascade): series, outcomes, none of them a headline.
OutputDeclarations opinion_outputs();
OutputDeclarations activation_outputs();

// --- Seeds: `seeds: {count: K}`, `{fraction: x}` or `{agent: i}` in the model section ----------

// The optional parameters seeds.count, seeds.fraction and seeds.agent (at most one given; none:
// one seed), appended to a model's schema.
void add_seed_params(ParamSchema& schema);

struct SeedRule {
  enum class Kind { count, fraction, agent };
  Kind kind = Kind::count;
  double value = 1;
};
SeedRule read_seeds(const ParamValues& model);

// The seeded agents in ascending order. count K: the min(K, N) agents with the smallest keys
// u(kSetupStep, i, purpose::seeding, 0) (ties by id), a uniform random subset in which a smaller
// count's seeds are kept when the count grows; fraction x: the same with K = round(x · N); agent:
// that agent alone. Throws InputError for an agent id beyond the population.
std::vector<uint32_t> choose_seeds(const SeedRule& rule, uint32_t agents, const Rng& rng);

// --- Scenario checks (ModelKind::check) -----------------------------------------------------

// Calls `check` with the model section of every arm as it runs (the file's values with the arm's
// `set`), or of the scenario when it has no arm.
void for_each_model_section(const Scenario& s,
                            const std::function<void(const ParamValues&)>& check);
// An error at the second given one when more than one of `names` (model parameters) is given.
void check_one_of(const ParamValues& model, const std::vector<std::string>& names,
                  Diagnostics& diag);
// The seeds: one of count, fraction and agent; an agent id below population.size.
void check_seeds(const Scenario& s, Diagnostics& diag);

// --- Observables ----------------------------------------------------------------------------

// Counts of agents in each of `states` discrete states, overall and by community, kept up to date
// as agents change state, so that observing a row costs O(C · states) whatever the number of
// agents. Every agent starts in state 0.
class StateCounts {
 public:
  StateCounts(const World& world, uint8_t states);
  void move(uint32_t agent, uint8_t from, uint8_t to);
  uint64_t count(uint8_t state) const { return all_[state]; }
  double share(uint8_t state) const;  // of all agents
  // Metric m of the row is the share of agents in states[m]: of all agents and of each
  // community (NaN for an empty community).
  void observe(Observation& row, std::initializer_list<uint8_t> states) const;

 private:
  const World& world_;
  uint8_t states_;
  std::vector<uint64_t> all_, by_community_;  // [state], [c · states + state]
};

// Metrics 0 and 1 of the row: mean and standard deviation (population form, divisor n) of the
// opinions, of all agents and of each community. Sums in agent order.
void observe_opinions(const World& world, std::span<const double> x, Observation& row);

struct OpinionSummary {
  double mean = 0, sd = 0, range = 0;  // range: max − min
};
OpinionSummary summarise(std::span<const double> x);

// --- Snapshots ------------------------------------------------------------------------------

// A snapshot column of n agents from value(i).
Column column(std::string name, Column::Type type, uint32_t n,
              const std::function<double(uint32_t)>& value);
// agent, community and degree: the first columns of every reference model's snapshot.
std::vector<Column> agent_columns(const World& world);

// --- Opinion models (DeGroot, Deffuant) ------------------------------------------------------

// Opinions x in double precision, starting from population.initial.opinion, double buffered;
// the observables, totals and snapshot both opinion models report. A model adds its step.
class OpinionSimulation : public Simulation {
 public:
  explicit OpinionSimulation(const World& w)
      : w_(w), x_(w.layout.agents), next_(w.layout.agents), initial_(w.layout.agents) {
    for (uint32_t i = 0; i < w.layout.agents; ++i) x_[i] = initial_[i] = w.traits.initial[0][i];
  }
  void observe(Observation& row) const override { observe_opinions(w_, x_, row); }
  std::vector<double> totals() const override {
    const OpinionSummary s = summarise(x_);
    return {s.mean, s.sd, s.range};
  }
  std::vector<Column> snapshot() const override {
    using T = Column::Type;
    const uint32_t n = w_.layout.agents;
    std::vector<Column> cols = agent_columns(w_);
    cols.push_back(column("opinion", T::f64, n, [&](uint32_t i) { return x_[i]; }));
    cols.push_back(column("initial_opinion", T::f64, n, [&](uint32_t i) { return initial_[i]; }));
    return cols;
  }

 protected:
  const World& w_;
  std::vector<double> x_, next_, initial_;
};

// --- Activation models (linear threshold, independent cascade) ------------------------------

// Active or not, and once active always active: who is active and since which row, the agents
// activated in the last transition (the frontier), and the observables, totals and snapshot
// both activation models report. A model adds its step.
class ActivationSimulation : public Simulation {
 public:
  explicit ActivationSimulation(const World& w);
  void observe(Observation& row) const override { counts_.observe(row, {kActive}); }
  // active_final (share), active_count, last_activation (row)
  std::vector<double> totals() const override;
  // agent columns, active, activated_step
  std::vector<Column> snapshot() const override;

 protected:
  static constexpr uint8_t kInactive = 0, kActive = 1;
  // Makes inactive agent i active from row `step`; false if it was active already.
  bool activate(uint32_t i, int64_t step);

  const World& w_;
  std::vector<uint8_t> active_;
  std::vector<int64_t> activated_;  // row at which the agent became active; −1: never
  std::vector<uint32_t> frontier_;  // activated in the last transition
  std::vector<uint32_t> newly_;     // this transition's activations (a buffer kept between steps)
  StateCounts counts_;
  int64_t last_activation_ = 0;
};

}  // namespace fourp::models::reference
