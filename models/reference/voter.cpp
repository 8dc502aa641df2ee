// The voter model (Clifford & Sudbury 1973; Holley & Liggett 1975), node update: each agent holds
// opinion 0 or 1 and copies the opinion of a uniformly chosen neighbour. `update` chooses the
// schedule of transition t (docs/model.md section 9.2):
//   0 synchronous: every agent reads the opinions at t and writes its own at t + 1 (double
//     buffered): x_i(t + 1) = x_j(t), j a uniform neighbour of i, from Philox (t, i, transmission,
//     0);
//   1 random-sequential (asynchronous): N single updates in turn, update k = 0 … N − 1 of
//     transition t: a uniform agent a copies a uniform neighbour's current opinion, both from
//     Philox (t, k, transmission, 1); an agent may be picked several times in a step or not at all;
//   2 lazy synchronous: as 0, but each agent keeps its opinion with probability 1/2.
// An isolated agent keeps its opinion. Under every rule Σ_i d_i x_i is a martingale:
//   0: E[x_i(t + 1)] = x̄_i(t), the mean over i's neighbours, and Σ_i d_i x̄_i = Σ_i Σ_{j∈N(i)} x_j
//      = Σ_j d_j x_j;  2: E[x_i(t + 1)] = (x_i + x̄_i) / 2, the same;  1: one update changes
//      Σ d x by d_a (x_j − x_a), whose mean over a and j is Σ_a d_a (x̄_a − x_a) / N = 0.
// Rules 1 and 2 reach consensus on a connected graph, so P(consensus on 1) = Σ d_i x_i(0) / Σ d_i
// (Sood & Redner 2005). Rule 0 does too on a connected graph that is not bipartite; on a
// bipartite one (a star, a path, a tree) it may instead end in a split — one side of the graph
// holds 0 and the other 1, and they swap every step forever.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <array>
#include <cmath>
#include <memory>

#include "models/reference/common.h"
#include "models/reference/reference_models.h"

namespace fourp::models::reference {

namespace {

// The random-number purpose of every voter draw: a tie passes an opinion on (the reference
// models' transmission purpose; the initial seeds use purpose::seeding, as for the others).
constexpr Purpose kVoterPurpose = purpose::transmission;

constexpr uint8_t kZero = 0, kOne = 1;
enum class Update { synchronous = 0, random_sequential = 1, lazy_synchronous = 2 };
enum class SeedBy { share = 0, opinion = 1 };
constexpr uint32_t kGrain = 4096;  // agents per parallel task

ParamSchema schema() {
  return ParamSchema{
      {"initial_share", 0.5, 0, 1, "",
       "share of agents holding opinion 1 at step 0, round(share · N) agents drawn uniformly "
       "(seed_by 0)",
       false, "Illustrative"},
      {"seed_by", 0, 0, 1, "",
       "who holds opinion 1 at step 0: 0 a random initial_share of agents, 1 the agents whose "
       "population.initial.opinion draw is at least 0.5",
       true, ""},
      {"update", 0, 0, 2, "",
       "0 synchronous, 1 random-sequential (N single updates a step), 2 lazy synchronous (each "
       "agent keeps its opinion with probability 1/2)",
       true, "Sood & Redner 2005 (node update)"},
  };
}

class VoterModel final : public Model {
 public:
  explicit VoterModel(const ParamValues& p)
      : initial_share(p.get("initial_share")),
        seed_by(static_cast<SeedBy>(p.get("seed_by"))),
        update(static_cast<Update>(p.get("update"))) {}
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override;

  double initial_share;
  SeedBy seed_by;
  Update update;
};

// A uniform integer in [0, n), n > 0, from the words w[first] … w[last − 1] in turn: Lemire's
// multiply-shift, rejecting a word that would bias it (probability < n / 2^32 each). Should every
// word be rejected the last one is used as it is: a bias below (n / 2^32)^(last − first).
uint32_t pick(uint32_t n, const std::array<uint32_t, 4>& w, int first, int last) {
  const uint32_t threshold = (0u - n) % n;  // 2^32 mod n
  uint64_t m = 0;
  for (int k = first; k < last; ++k) {
    m = static_cast<uint64_t>(w[k]) * n;
    if (static_cast<uint32_t>(m) >= threshold) break;
  }
  return static_cast<uint32_t>(m >> 32);
}

class VoterSimulation final : public Simulation {
 public:
  VoterSimulation(const VoterModel& m, const World& w, const Rng& rng)
      : m_(m), w_(w), rng_(rng), x_(w.layout.agents, kZero), counts_(w, 2) {
    const uint32_t n = w.layout.agents;
    if (m.seed_by == SeedBy::share) {
      for (uint32_t i : choose_seeds({SeedRule::Kind::fraction, m.initial_share}, n, rng))
        x_[i] = kOne;
    } else {
      for (uint32_t i = 0; i < n; ++i) x_[i] = w.traits.initial[0][i] >= 0.5f ? kOne : kZero;
    }
    for (uint32_t i = 0; i < n; ++i)
      if (x_[i] == kOne) counts_.move(i, kZero, kOne);
    initial_ = x_;
    next_.resize(n);
    if (agree()) consensus_step_ = 0;
  }

  // Transition t. In consensus every rule copies the common opinion: nothing to draw.
  void step(uint32_t t) override {
    if (agree()) return;
    if (m_.update == Update::random_sequential)
      step_random_sequential(t);
    else
      step_synchronous(t, m_.update == Update::lazy_synchronous);
    if (agree()) consensus_step_ = static_cast<double>(t) + 1;
  }

  void observe(Observation& row) const override {
    counts_.observe(row, {kOne});
    observe_discordant(row);
  }

  std::vector<double> totals() const override {
    const bool all_1 = counts_.count(kOne) == w_.layout.agents;
    const bool all_0 = counts_.count(kZero) == w_.layout.agents;
    return {counts_.share(kOne), all_1 ? 1.0 : 0.0, all_0 ? 1.0 : 0.0, consensus_step_};
  }

  std::vector<Column> snapshot() const override {
    using T = Column::Type;
    const uint32_t n = w_.layout.agents;
    std::vector<Column> cols = agent_columns(w_);
    cols.push_back(column("opinion", T::u8, n, [&](uint32_t i) { return x_[i]; }));
    cols.push_back(column("initial_opinion", T::u8, n, [&](uint32_t i) { return initial_[i]; }));
    return cols;
  }

 private:
  // Every agent holds the same opinion (absorbing under every rule).
  bool agree() const {
    return counts_.count(kOne) == w_.layout.agents || counts_.count(kZero) == w_.layout.agents;
  }

  // Rules 0 and 2. Agent i's draw: Philox (t, i, transmission, 0); word 0 decides whether a lazy
  // agent keeps its opinion (below 2^31: keeps, probability 1/2), words 1–3 choose the neighbour.
  void step_synchronous(uint32_t t, bool lazy) {
    tbb::parallel_for(tbb::blocked_range<uint32_t>(0, w_.layout.agents, kGrain),
                      [&](const tbb::blocked_range<uint32_t>& r) {
                        for (uint32_t i = r.begin(); i < r.end(); ++i) {
                          const auto ties = w_.network.neighbours(i);
                          if (ties.empty()) {
                            next_[i] = x_[i];
                            continue;
                          }
                          const auto w = rng_.bits(t, i, kVoterPurpose, 0);
                          if (lazy && w[0] < 0x80000000u) {
                            next_[i] = x_[i];
                            continue;
                          }
                          // x_i(t + 1) = x_j(t),  j uniform in N(i)
                          next_[i] = x_[ties[pick(static_cast<uint32_t>(ties.size()), w, 1, 4)]];
                        }
                      });
    for (uint32_t i = 0; i < w_.layout.agents; ++i)
      if (next_[i] != x_[i]) counts_.move(i, x_[i], next_[i]);
    x_.swap(next_);
  }

  // Rule 1. Update k: Philox (t, k, transmission, 1); words 0–1 choose the agent a, words 2–3 its
  // neighbour j, whose opinion now (earlier updates of this step included) a copies.
  void step_random_sequential(uint32_t t) {
    const uint32_t n = w_.layout.agents;
    for (uint32_t k = 0; k < n; ++k) {
      const auto w = rng_.bits(t, k, kVoterPurpose, 1);
      const uint32_t a = pick(n, w, 0, 2);
      const auto ties = w_.network.neighbours(a);
      if (ties.empty()) continue;
      // x_a ← x_j,  j uniform in N(a)
      const uint8_t copied = x_[ties[pick(static_cast<uint32_t>(ties.size()), w, 2, 4)]];
      if (copied != x_[a]) counts_.move(a, x_[a], copied), x_[a] = copied;
    }
  }

  // Metric 1: the share of tie ends (i, j), j ∈ N(i), with x_j ≠ x_i — of all ties, the share
  // whose ends disagree (the interface density); for the at-risk group and each community, of
  // the tie ends of its agents. NaN for a group without ties.
  void observe_discordant(Observation& row) const {
    const Layout& L = w_.layout;
    const uint32_t C = L.communities();
    // Groups: 0 all, 1 + c community c.
    std::vector<uint64_t> ends(1 + C, 0), discordant(1 + C, 0);
    for (uint32_t i = 0; i < L.agents; ++i) {
      uint64_t d = 0;
      const auto ties = w_.network.neighbours(i);
      for (uint32_t j : ties) d += x_[j] != x_[i];
      auto add = [&](size_t g) { ends[g] += ties.size(), discordant[g] += d; };
      add(0);
      add(1 + L.community[i]);
    }
    auto share = [&](size_t g) {
      return ends[g] ? static_cast<double>(discordant[g]) / static_cast<double>(ends[g])
                     : std::nan("");
    };
    row.series[1] = share(0);
    if (row.communities.empty()) return;
    for (uint32_t c = 0; c < C; ++c) row.communities[C + c] = static_cast<float>(share(1 + c));
  }

  const VoterModel& m_;
  const World& w_;
  Rng rng_;
  std::vector<uint8_t> x_, next_, initial_;  // opinions at t, t + 1 (buffer), step 0
  StateCounts counts_;
  double consensus_step_ = std::nan("");  // row of the first consensus; NaN: not (yet) reached
};

std::unique_ptr<Simulation> VoterModel::start(const World& world, const Rng& rng) const {
  return std::make_unique<VoterSimulation>(*this, world, rng);
}

}  // namespace

ModelKind voter_kind() {
  ModelKind k;
  k.name = "voter";
  k.about = "voter model: each agent copies the opinion of a random neighbour (Sood & Redner 2005)";
  k.sections = {{"model", schema()}};
  k.purposes = kPurposes;
  k.traits = {opinion_trait()};  // read with seed_by 1
  k.outputs.series = {{"opinion_1", "Opinion 1", "holding opinion 1 (% of people)", Scale::share,
                       false, true, true},
                      {"discordant_ties", "Discordant ties", "ties whose ends disagree (% of ties)",
                       Scale::share, false, true}};
  k.outputs.outcomes = {{"opinion_1_final", "share holding opinion 1 at the end", Scale::share,
                         Better::neither, true, "opinion 1 (final)"},
                        {"consensus_on_1", "consensus on opinion 1 (1 yes, 0 no)", Scale::number,
                         Better::neither, true, "consensus on 1"},
                        {"consensus_on_0", "consensus on opinion 0 (1 yes, 0 no)", Scale::number,
                         Better::neither, true, "consensus on 0"},
                        {"consensus_step", "step at which every agent agreed", Scale::number,
                         Better::neither, true, "consensus step"}};
  k.check = [](const Scenario& s, Diagnostics& diag) {
    for_each_model_section(s, [&](const ParamValues& m) {
      const size_t share = *m.schema().find("initial_share");
      if (m.get("seed_by") == static_cast<double>(SeedBy::opinion) && m.is_set(share))
        diag.error(m.where(share),
                   "model: initial_share is not read when seed_by is 1 (opinions from the "
                   "opinion draws): leave one of them out");
    });
  };
  k.make = [](const Scenario&, const ArmConfig& arm) -> std::unique_ptr<Model> {
    return std::make_unique<VoterModel>(arm.sections[0]);
  };
  return k;
}

}  // namespace fourp::models::reference
